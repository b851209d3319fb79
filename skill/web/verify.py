"""Alexa request verification for a self-hosted endpoint, on `cryptography` alone.

Implements Amazon's rules for web-service skills (docs/platform.md, "A self-hosted endpoint"):
the certificate URL, the signing certificate chain, the body signature, the
timestamp and the skill id. No web framework here: the caller passes the raw
body and two header values, and gets the parsed request or `VerificationError`.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import logging
import posixpath
import threading
import time
import urllib.error
import urllib.request
import warnings
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.utils import CryptographyDeprecationWarning
from cryptography.x509.verification import Criticality, ExtensionPolicy, PolicyBuilder, Store
from msgspec import Struct, field

log = logging.getLogger(__name__)

ALEXA_SAN = "echo-api.amazon.com"
CERT_HOST = "s3.amazonaws.com"
CERT_PATH_PREFIX = "/echo.api/"
TIMESTAMP_TOLERANCE_S = 150
SKILL_EVENT_TOLERANCE_S = 3600  # AlexaSkillEvent.* may be delivered up to an hour late
FETCH_TIMEOUT_S = 2.0  # per socket operation; the whole download is bounded by FETCH_DEADLINE_S
FETCH_DEADLINE_S = 3.0
MAX_CHAIN_BYTES = 64 * 1024
CACHE_MAX_ENTRIES = 32  # Amazon rotates one certificate at a time; a few URLs suffice

Fetch = Callable[[str], bytes]
Clock = Callable[[], dt.datetime]


class VerificationError(Exception):
    """A request failed verification. The message is a short reason, safe to log."""


# -- certificate URL ---------------------------------------------------------------------------


def canonical_cert_url(url: str) -> str:
    """Check SignatureCertChainUrl per Amazon's rules; return the normalised URL to download.

    Runs before anything is fetched, so the endpoint never downloads from an
    address the request chose freely.
    """
    try:
        parts = urlsplit(url)
        port = parts.port  # ValueError for a non-numeric or out-of-range port
    except ValueError as exc:
        raise VerificationError(f"certificate URL unparsable: {exc}") from None
    if parts.scheme.lower() != "https":
        raise VerificationError("certificate URL scheme is not https")
    if (parts.hostname or "") != CERT_HOST:  # .hostname is already lower-cased
        raise VerificationError("certificate URL host is not s3.amazonaws.com")
    if parts.username is not None or parts.password is not None:
        raise VerificationError("certificate URL carries credentials")
    if port is not None and port != 443:
        raise VerificationError("certificate URL port is not 443")
    if "%" in parts.path or "\\" in parts.path:
        # An encoded dot-segment could be decoded by the server after our check.
        raise VerificationError("certificate URL path has escapes")
    path = posixpath.normpath(parts.path) if parts.path else ""
    if not path.startswith(CERT_PATH_PREFIX):  # case-sensitive, after resolving '..'
        raise VerificationError("certificate URL path is not under /echo.api/")
    return f"https://{CERT_HOST}{path}"


# -- downloading -------------------------------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # The URL was checked; a redirect would fetch from an address nobody checked.
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def fetch_url(
    url: str,
    timeout: float = FETCH_TIMEOUT_S,
    deadline: float = FETCH_DEADLINE_S,
    limit: int = MAX_CHAIN_BYTES,
) -> bytes:
    """GET `url` with a per-operation timeout, an overall deadline and a size cap."""
    end = time.monotonic() + deadline
    try:
        with _opener.open(url, timeout=timeout) as resp:
            if resp.status != 200:
                raise VerificationError(f"certificate download answered HTTP {resp.status}")
            chunks: list[bytes] = []
            size = 0
            while True:
                if time.monotonic() > end:
                    raise VerificationError("certificate download too slow")
                chunk = resp.read1(8192)
                if not chunk:
                    break
                size += len(chunk)
                if size > limit:
                    raise VerificationError("certificate chain too large")
                chunks.append(chunk)
            return b"".join(chunks)
    except VerificationError:
        raise
    except (OSError, urllib.error.URLError, ValueError) as exc:  # timeouts are OSError
        raise VerificationError(f"certificate download failed: {exc}") from None


# -- roots -------------------------------------------------------------------------------------


def load_roots(
    source: str | Path | bytes | Iterable[x509.Certificate] | None,
) -> list[x509.Certificate]:
    """Trusted roots: None -> certifi's bundle; a path or PEM bytes; or certificates."""
    if source is None:
        import certifi

        source = Path(certifi.where())
    if isinstance(source, str | Path):
        source = Path(source).read_bytes()
    if isinstance(source, bytes):
        return _load_pem_bundle(source)
    return list(source)


def _load_pem_bundle(data: bytes) -> list[x509.Certificate]:
    # One by one: a bundle may hold an old root that `cryptography` deprecates
    # (certifi has one with a negative serial); skip it rather than lose them all.
    marker = b"-----END CERTIFICATE-----"
    certs: list[x509.Certificate] = []
    for block in data.split(marker)[:-1]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", CryptographyDeprecationWarning)
            try:
                certs.append(x509.load_pem_x509_certificate(block + marker))
            except ValueError:
                continue
    if not certs:
        raise ValueError("no PEM certificates found")
    return certs


def _ee_policy() -> ExtensionPolicy:
    # We use the *server* verifier because its subject check is exactly "the SAN
    # contains echo-api.amazon.com" (RFC 6125 matching, no CN fallback), and the
    # client verifier checks no name at all. But the server verifier also demands
    # EKU serverAuth on the leaf when EKU is present. Amazon's rules require only
    # the SAN and a trusted chain, and this certificate signs requests rather than
    # serving TLS, so we accept any EKU on the leaf; all other CA/B defaults stay.
    return ExtensionPolicy.webpki_defaults_ee().may_be_present(
        x509.ExtendedKeyUsage, Criticality.AGNOSTIC, None
    )


# -- the verifier ------------------------------------------------------------------------------


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class _Cached(Struct):
    key: rsa.RSAPublicKey
    not_after: dt.datetime


class AlexaVerifier(Struct, dict=True):  # dict: the private state below is not a field
    """Verifies Alexa requests for one skill. Thread-safe; share one per process."""

    skill_id: str
    roots: list[x509.Certificate] = field(default_factory=lambda: load_roots(None))
    fetch: Fetch = fetch_url
    clock: Clock = _utcnow

    def __post_init__(self) -> None:
        if not self.skill_id:
            raise ValueError("AlexaVerifier needs the skill id (ALEXA_SKILL_ID)")
        if not self.roots:
            raise ValueError("AlexaVerifier needs at least one trusted root certificate")
        # Not fields (never passed in, shown or compared):
        self._store = Store(self.roots)
        self._cache: dict[str, _Cached] = {}
        self._lock = threading.Lock()

    def verify(self, body: bytes, cert_url: str | None, signature: str | None) -> dict[str, Any]:
        """Check everything Amazon requires; return the parsed request envelope."""
        if not cert_url:
            raise VerificationError("missing SignatureCertChainUrl header")
        if not signature:
            raise VerificationError("missing Signature-256 header")
        url = canonical_cert_url(cert_url)
        try:
            sig = base64.b64decode(signature, validate=True)
        except (binascii.Error, ValueError):
            raise VerificationError("Signature-256 is not base64") from None
        key = self.signing_key(url)
        try:  # over the raw bytes, before any parsing
            key.verify(sig, body, padding.PKCS1v15(), hashes.SHA256())
        except InvalidSignature:
            raise VerificationError("signature does not match the body") from None
        event = parse_json(body)
        check_timestamp(event, self.clock())
        check_skill_id(event, self.skill_id)
        return event

    def signing_key(self, url: str) -> rsa.RSAPublicKey:
        """The verified leaf's public key for `url`, cached until the leaf expires."""
        now = self.clock()
        with self._lock:
            hit = self._cache.get(url)
        if hit is not None and now < hit.not_after:
            return hit.key
        # Download outside the lock: a slow URL must not stall requests with a cached key.
        cached = self._verify_chain(self.fetch(url), now)
        with self._lock:
            if len(self._cache) >= CACHE_MAX_ENTRIES:
                self._cache.clear()
            self._cache[url] = cached
        return cached.key

    def _verify_chain(self, data: bytes, now: dt.datetime) -> _Cached:
        try:
            certs = x509.load_pem_x509_certificates(data)
        except ValueError:
            raise VerificationError("certificate chain is not PEM") from None
        leaf, intermediates = certs[0], certs[1:]
        verifier = (
            PolicyBuilder()
            .store(self._store)
            .time(now)
            .extension_policies(
                ca_policy=ExtensionPolicy.webpki_defaults_ca(), ee_policy=_ee_policy()
            )
            .build_server_verifier(x509.DNSName(ALEXA_SAN))
        )
        try:
            verifier.verify(leaf, intermediates)
        except Exception as exc:  # VerificationError, or an unsupported name type
            raise VerificationError(f"certificate chain rejected: {exc}") from None
        key = leaf.public_key()
        if not isinstance(key, rsa.RSAPublicKey):
            raise VerificationError("signing certificate key is not RSA")
        return _Cached(key, leaf.not_valid_after_utc)


# -- envelope checks ---------------------------------------------------------------------------


def parse_json(body: bytes) -> dict[str, Any]:
    try:
        event = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise VerificationError("body is not JSON") from None
    if not isinstance(event, dict) or not isinstance(event.get("request"), dict):
        raise VerificationError("body is not an Alexa request envelope")
    return event


def _parse_timestamp(value: Any) -> dt.datetime:
    if isinstance(value, bool):
        raise ValueError("boolean timestamp")
    if isinstance(value, int | float):  # some events carry epoch milliseconds
        seconds = value / 1000 if value > 1e11 else value
        return dt.datetime.fromtimestamp(seconds, dt.UTC)
    if isinstance(value, str):
        parsed = dt.datetime.fromisoformat(value)
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
    raise ValueError("missing timestamp")


def check_timestamp(event: Mapping[str, Any], now: dt.datetime) -> None:
    request = event["request"]
    try:
        stamp = _parse_timestamp(request.get("timestamp"))
    except (ValueError, OverflowError, OSError):
        raise VerificationError("request timestamp missing or malformed") from None
    kind = str(request.get("type", ""))
    limit = (
        SKILL_EVENT_TOLERANCE_S if kind.startswith("AlexaSkillEvent.") else TIMESTAMP_TOLERANCE_S
    )
    if abs((now - stamp).total_seconds()) > limit:
        raise VerificationError(f"request timestamp outside {limit} s")


def application_id(event: Mapping[str, Any]) -> str | None:
    """context.System.application.applicationId, else session.application.applicationId."""
    for path in (("context", "System", "application"), ("session", "application")):
        node: Any = event
        for key in path:
            node = node.get(key) if isinstance(node, Mapping) else None
        found = node.get("applicationId") if isinstance(node, Mapping) else None
        if isinstance(found, str):
            return found
    return None


def check_skill_id(event: Mapping[str, Any], skill_id: str) -> None:
    if application_id(event) != skill_id:
        raise VerificationError("application id is not this skill's")
