"""Web endpoint test helpers: a local CA, Alexa-like signing certificates, signed requests,
and loopback servers (a stand-in for S3, gunicorn). Shared with benchmarks/web_throughput.py.

Everything is generated with `cryptography` at test time; nothing leaves the machine.
"""

from __future__ import annotations

import base64
import datetime as dt
import http.client
import http.server
import json
import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

ALEXA_SAN = "echo-api.amazon.com"
SKILL_ID = "amzn1.ask.skill.00000000-0000-0000-0000-000000000005"
CERT_URL = "https://s3.amazonaws.com/echo.api/echo-api-cert-test.pem"
CERT_PATH = "/echo.api/echo-api-cert-test.pem"
REPO = Path(__file__).resolve().parent.parent
# The Alexa API endpoint the requests name: nothing listens there, so the skill's
# time-zone lookup fails at once and falls back (the real host can stall on DNS).
API_ENDPOINT = "https://127.0.0.1:9"

# Key generation is the slow part: reuse a few keys across all certificates.
_KEYS: list[rsa.RSAPrivateKey] = []


def _key(i: int) -> rsa.RSAPrivateKey:
    while len(_KEYS) <= i:
        _KEYS.append(rsa.generate_private_key(public_exponent=65537, key_size=2048))
    return _KEYS[i]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def _ca_cert(
    subject: str, key: rsa.RSAPrivateKey, issuer: x509.Certificate | None, signer: Any
) -> x509.Certificate:
    now = _now()
    pub = key.public_key()
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(issuer.subject if issuer else _name(subject))
        .public_key(pub)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(pub), critical=False)
    )
    if issuer is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.public_key()),  # type: ignore[arg-type]
            critical=False,
        )
    return builder.sign(signer, hashes.SHA256())


def _leaf_cert(
    key: rsa.RSAPrivateKey,
    issuer: x509.Certificate,
    issuer_key: rsa.RSAPrivateKey,
    san: str,
    not_before: dt.datetime,
    not_after: dt.datetime,
    eku: list[x509.ObjectIdentifier] | None,
) -> x509.Certificate:
    pub = key.public_key()
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(san))
        .issuer_name(issuer.subject)
        .public_key(pub)
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(san)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=True,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
            critical=False,
        )
    )
    if eku is not None:
        builder = builder.add_extension(x509.ExtendedKeyUsage(eku), critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


def pem(*certs: x509.Certificate) -> bytes:
    return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certs)


@dataclass
class Signer:
    """A signing identity: its private key and the PEM chain Alexa would publish for it."""

    key: rsa.RSAPrivateKey
    chain_pem: bytes

    def sign(self, body: bytes) -> str:
        sig = self.key.sign(body, padding.PKCS1v15(), hashes.SHA256())
        return base64.b64encode(sig).decode("ascii")


@dataclass
class TestPKI:
    """A root CA and an intermediate, and a factory for Alexa-like leaf certificates."""

    __test__ = False  # not a pytest class

    root: x509.Certificate
    root_key: rsa.RSAPrivateKey
    intermediate: x509.Certificate
    intermediate_key: rsa.RSAPrivateKey
    leaf_key: rsa.RSAPrivateKey

    @classmethod
    def create(cls, name: str = "Test Root CA", key_offset: int = 0) -> TestPKI:
        """A fresh CA; give a second, distinct PKI key_offset=3 so it uses other keys."""
        root_key, inter_key = _key(key_offset), _key(key_offset + 1)
        root = _ca_cert(name, root_key, None, root_key)
        inter = _ca_cert(f"{name} Intermediate", inter_key, root, root_key)
        return cls(root, root_key, inter, inter_key, _key(key_offset + 2))

    @property
    def root_pem(self) -> bytes:
        return pem(self.root)

    def signer(
        self,
        san: str = ALEXA_SAN,
        valid_days: tuple[float, float] = (-1, 30),
        eku: list[x509.ObjectIdentifier] | None = None,
        with_intermediate: bool = True,
    ) -> Signer:
        """A leaf (default: valid now, SAN echo-api.amazon.com, EKU serverAuth+clientAuth)."""
        if eku is None:
            eku = [ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]
        now = _now()
        key = self.leaf_key
        if with_intermediate:
            leaf = _leaf_cert(
                key,
                self.intermediate,
                self.intermediate_key,
                san,
                now + dt.timedelta(days=valid_days[0]),
                now + dt.timedelta(days=valid_days[1]),
                eku,
            )
            return Signer(key, pem(leaf, self.intermediate))
        leaf = _leaf_cert(
            key,
            self.root,
            self.root_key,
            san,
            now + dt.timedelta(days=valid_days[0]),
            now + dt.timedelta(days=valid_days[1]),
            eku,
        )
        return Signer(key, pem(leaf))


# -- request bodies ----------------------------------------------------------------------------


def timestamp(age_seconds: float = 0) -> str:
    t = _now() - dt.timedelta(seconds=age_seconds)
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def envelope(
    request: dict[str, Any],
    skill_id: str = SKILL_ID,
    session_new: bool = False,
    attributes: dict[str, Any] | None = None,
    with_session: bool = True,
) -> dict[str, Any]:
    """A realistic Alexa request envelope around `request` (a fresh dict per call)."""
    user = {"userId": "amzn1.ask.account.TESTUSER5"}
    app = {"applicationId": skill_id}
    env: dict[str, Any] = {
        "version": "1.0",
        "context": {
            "System": {
                "application": app,
                "user": user,
                "device": {
                    "deviceId": "amzn1.ask.device.TESTDEVICE5",
                    "supportedInterfaces": {},
                },
                "apiEndpoint": API_ENDPOINT,
                "apiAccessToken": "test-token",
            }
        },
        "request": request,
    }
    if with_session:
        env["session"] = {
            "new": session_new,
            "sessionId": "amzn1.echo-api.session.TEST5",
            "application": app,
            "user": user,
            "attributes": attributes or {},
        }
    return env


def _request(kind: str, age_seconds: float = 0, **extra: Any) -> dict[str, Any]:
    return {
        "type": kind,
        "requestId": f"amzn1.echo-api.request.{uuid.uuid4()}",
        "timestamp": timestamp(age_seconds),
        "locale": "en-US",
        **extra,
    }


def launch(age_seconds: float = 0, skill_id: str = SKILL_ID) -> dict[str, Any]:
    return envelope(_request("LaunchRequest", age_seconds), skill_id, session_new=True)


def intent(
    name: str, attributes: dict[str, Any] | None = None, age_seconds: float = 0
) -> dict[str, Any]:
    req = _request(
        "IntentRequest", age_seconds, intent={"name": name, "confirmationStatus": "NONE"}
    )
    return envelope(req, attributes=attributes)


def session_ended(attributes: dict[str, Any] | None = None) -> dict[str, Any]:
    req = _request("SessionEndedRequest", reason="USER_INITIATED")
    return envelope(req, attributes=attributes)


def skill_disabled(age_seconds: float = 0) -> dict[str, Any]:
    """A skill event: no session, and the timestamp may be up to an hour old."""
    req = _request("AlexaSkillEvent.SkillDisabled", age_seconds)
    req["body"] = {"userInformationPersistenceStatus": "NOT_PERSISTED"}
    env = envelope(req, with_session=False)
    env["context"]["System"].pop("device")
    return env


def body(event: dict[str, Any]) -> bytes:
    return json.dumps(event, separators=(",", ":")).encode("utf-8")


def signed_headers(signer: Signer, data: bytes, url: str = CERT_URL) -> dict[str, str]:
    return {
        "SignatureCertChainUrl": url,
        "Signature-256": signer.sign(data),
        "Content-Type": "application/json",
    }


# -- servers on loopback -----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_health(
    port: int, limit: float = 15, proc: subprocess.Popen[bytes] | None = None, name: str = "server"
) -> None:
    """Until the server on `port` answers GET /health with 200. RuntimeError when `proc`
    (the server's process, if given) exits first, or when `limit` seconds pass."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{name} exited with {proc.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            conn.request("GET", "/health")
            status = conn.getresponse().status
            conn.close()
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{name} did not answer /health within {limit:g} s")


class ChainServer:
    """A loopback HTTP server standing in for S3: `files` maps a path to its body."""

    def __init__(self, files: dict[str, bytes]) -> None:
        self.files = files
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                data = outer.files.get(self.path)
                self.send_response(200 if data is not None else 404)
                self.send_header("Content-Length", str(len(data or b"")))
                self.end_headers()
                self.wfile.write(data or b"")

            def log_message(self, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> ChainServer:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def _gunicorn_has(setting: str) -> bool:
    from gunicorn.config import KNOWN_SETTINGS

    return any(s.name == setting for s in KNOWN_SETTINGS)


class Gunicorn:
    """`gunicorn <app> -w N -b 127.0.0.1:<free port>` as a subprocess; waits for /health."""

    def __init__(self, app: str, env: dict[str, str], workers: int = 2, log: Path | None = None):
        self.port = free_port()
        self.cmd = [
            sys.executable, "-m", "gunicorn", app,
            "-w", str(workers), "-b", f"127.0.0.1:{self.port}", "--graceful-timeout", "2",
        ]  # fmt: skip
        if _gunicorn_has("control_socket_disable"):
            # recent gunicorn opens a control socket in ~/.gunicorn by default: not for tests.
            self.cmd.append("--no-control-socket")
        self.env = {**os.environ, **env}
        self.log = log
        self.proc: subprocess.Popen[bytes] | None = None
        self._log_file: Any = None

    def __enter__(self) -> Gunicorn:
        out: Any = subprocess.DEVNULL
        if self.log:
            out = self._log_file = self.log.open("wb")
        self.proc = subprocess.Popen(
            self.cmd, env=self.env, cwd=REPO, stdout=out, stderr=subprocess.STDOUT
        )
        try:
            wait_for_health(self.port, 15, self.proc, "gunicorn")
        except RuntimeError:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()  # SIGTERM: graceful shutdown of master and workers
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self._log_file:
            self._log_file.close()
