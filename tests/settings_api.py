"""A local Alexa Settings API over TLS (a self-signed certificate), for time-zone tests."""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import ssl
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any


def _self_signed(tmp: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(hours=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp / "cert.pem", tmp / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def serve_https(
    handler: type[BaseHTTPRequestHandler], cert: Path, key: Path
) -> tuple[ThreadingHTTPServer, str, threading.Thread]:
    """A threaded HTTPS server on a free loopback port, serving in the background."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    return server, f"https://127.0.0.1:{server.server_address[1]}", thread


class SettingsApi:
    """GET /v2/devices/{id}/settings/System.timeZone; `mode` picks the answer."""

    def __init__(self, tmp: Path) -> None:
        self.mode = "ok"
        self.zone = "America/Los_Angeles"
        self.seen: list[tuple[str, str]] = []
        self.connections = 0  # TCP connections accepted (keep-alive tests)
        self.idle_timeout = 5.0
        self.cert, key = _self_signed(tmp)
        api = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as Alexa's API hosts answer
            disable_nagle_algorithm = True  # headers and body leave at once

            def setup(self) -> None:
                api.connections += 1
                self.timeout = api.idle_timeout  # a kept connection idle this long is closed
                super().setup()

            def do_GET(self) -> None:
                api.seen.append((self.path, self.headers.get("Authorization", "")))
                if api.mode == "slow":
                    time.sleep(3)
                if api.mode == "forbidden":
                    self._send(403, {"code": "ACCESS_DENIED", "message": "Access denied"})
                elif api.mode == "bad":
                    self._send(200, "Mars/Olympus_Mons")
                else:
                    self._send(200, api.zone)

            def _send(self, status: int, body: Any) -> None:
                data = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass  # the client gave up (timeout test)

            def log_message(self, *args: Any) -> None:
                pass

        self.server, self.endpoint, self.thread = serve_https(Handler, self.cert, key)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
