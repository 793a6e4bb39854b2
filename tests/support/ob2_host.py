"""A small Open Badges 2.0 issuer on 127.0.0.1: its Profile, a BadgeClass, an RSA signing key,
a revocation list and hosted assertions, served over plain http from a table of paths.

Signed assertions are made here with `cryptography` directly (RS256 over the compact JWS
signing input), not with microcred's code, so a test compares two implementations.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import struct
import threading
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from PIL import Image

CONTEXT = "https://w3id.org/openbadges/v2"
EMAIL = "ada@learner.example"
SALT = "deadsea"
SIGNED_ID = "urn:uuid:3f1c1e0e-5d8b-4d55-9d0e-0a1b2c3d4e5f"
# One RSA key for the whole test session: generating one takes a while on a busy machine.
_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


@dataclass
class Ob2Host:
    """What the host serves (path → status, body) and the URLs of its documents."""

    base: str = ""
    pages: dict[str, tuple[int, bytes]] = field(default_factory=dict)
    hang: set[str] = field(default_factory=set)
    key: rsa.RSAPrivateKey = _KEY
    email: str = EMAIL  # whom assertions are awarded to

    def url(self, path: str) -> str:
        return self.base + path

    def put(self, path: str, document: dict[str, Any], status: int = 200) -> str:
        """Serve `document` as JSON at `path`; return its URL."""
        self.pages[path] = (status, json.dumps(document).encode("utf-8"))
        return self.url(path)

    def public_pem(self, key: rsa.RSAPrivateKey | None = None) -> str:
        public = (key or self.key).public_key()
        return public.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ).decode("ascii")

    def publish_issuer(self, **profile: Any) -> None:
        """Serve the Profile (with `profile` over the defaults), key, BadgeClass and an empty
        revocation list."""
        issuer = {
            "@context": CONTEXT,
            "id": self.url("/issuer"),
            "type": "Issuer",
            "name": "Hochschule Lahntal",
            "url": self.url("/"),
            "email": "badges@lahntal.example",
            "publicKey": self.url("/key"),
            "revocationList": self.url("/revocations"),
            **profile,
        }
        self.put("/issuer", {k: v for k, v in issuer.items() if v is not None})
        self.put(
            "/key",
            {
                "@context": CONTEXT,
                "id": self.url("/key"),
                "type": "CryptographicKey",
                "owner": self.url("/issuer"),
                "publicKeyPem": self.public_pem(),
            },
        )
        self.put("/badge", self.badge_class())
        self.revoke()

    def badge_class(self, **changes: Any) -> dict[str, Any]:
        return {
            "@context": CONTEXT,
            "id": self.url("/badge"),
            "type": "BadgeClass",
            "name": "Data Literacy Foundations",
            "description": "Reads, cleans and charts tabular data.",
            "image": self.url("/badge.png"),
            "criteria": {"narrative": "Pass the project and the examination."},
            "issuer": self.url("/issuer"),
            **changes,
        }

    def revoke(self, *entries: Any) -> None:
        """Serve the revocation list naming `entries` (ids, or objects with a reason)."""
        self.put(
            "/revocations",
            {
                "@context": CONTEXT,
                "id": self.url("/revocations"),
                "type": "RevocationList",
                "issuer": self.url("/issuer"),
                "revokedAssertions": list(entries),
            },
        )

    def assertion(self, kind: str, path: str = "/assertions/1", **changes: Any) -> dict[str, Any]:
        """Return an assertion for `email` (hosted: its id is its URL here)."""
        identity = "sha256$" + hashlib.sha256((self.email + SALT).encode()).hexdigest()
        verification: dict[str, Any] = {"type": "HostedBadge"}
        if kind == "signed":
            verification = {"type": "SignedBadge", "creator": self.url("/key")}
        document = {
            "@context": CONTEXT,
            "type": "Assertion",
            "id": self.url(path) if kind == "hosted" else SIGNED_ID,
            "recipient": {"type": "email", "hashed": True, "salt": SALT, "identity": identity},
            "badge": self.url("/badge"),
            "verification": verification,
            "issuedOn": "2025-06-30T12:00:00Z",
            **changes,
        }
        return {k: v for k, v in document.items() if v is not None}

    def hosted(self, path: str = "/assertions/1", **changes: Any) -> dict[str, Any]:
        """Return a hosted assertion, served at its id."""
        document = self.assertion("hosted", path, **changes)
        self.put(path, document)
        return document

    def signed(self, key: rsa.RSAPrivateKey | None = None, **changes: Any) -> str:
        """Return a signed assertion: the compact JWS (RS256) of its JSON."""
        return sign_rs256(self.assertion("signed", **changes), key or self.key)


def sign_rs256(payload: dict[str, Any], key: rsa.RSAPrivateKey) -> str:
    header = _b64(json.dumps({"alg": "RS256"}).encode())
    body = _b64(json.dumps(payload).encode())
    signature = key.sign(f"{header}.{body}".encode(), padding.PKCS1v15(), hashes.SHA256())
    return f"{header}.{body}.{_b64(signature)}"


def png_with_openbadges(text: str) -> bytes:
    """Return a PNG carrying `text` in an ``openbadges`` iTXt chunk, as OB 2.0 bakes it."""
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (30, 90, 160)).save(buffer, "PNG")
    png = buffer.getvalue()
    data = b"openbadges\x00\x00\x00\x00\x00" + text.encode("utf-8")
    chunk = struct.pack(">I", len(data)) + b"iTXt" + data
    chunk += struct.pack(">I", zlib.crc32(b"iTXt" + data))
    end = png.rindex(b"IEND") - 4
    return png[:end] + chunk + png[end:]


def svg_with_assertion(verify_value: str) -> str:
    """Return an SVG whose ``openbadges:assertion`` element names a hosted URL or a JWS."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org"'
        ' width="8" height="8">'
        f'<openbadges:assertion verify="{verify_value}"></openbadges:assertion>'
        '<rect width="8" height="8" fill="#1e5aa0"/></svg>'
    )


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


@contextmanager
def serving() -> Iterator[Ob2Host]:
    """Run an `Ob2Host` on 127.0.0.1 (port chosen by the OS) for the `with` block."""
    host = Ob2Host()
    stop = threading.Event()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            if self.path in host.hang:  # never answers (until the test ends)
                stop.wait(30)
                return
            status, body = host.pages.get(self.path, (404, b'{"error": "not found"}'))
            self.send_response(status)
            self.send_header("Content-Type", "application/ld+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    host.base = f"http://127.0.0.1:{server.server_address[1]}"
    # A short poll interval: shutting down waits for one poll, and every OB 2.0 test does it.
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield host
    finally:
        stop.set()
        time.sleep(0)
        server.shutdown()
        server.server_close()
