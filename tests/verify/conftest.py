"""Fixtures for verification: an issuer key (did:key), a signed OB 3.0 micro-credential, a
trusted-issuer registry, and a guard that fails any test which opens a network connection."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from verify_support import unsigned_credential

from microcred.crypto.data_integrity import sign
from microcred.crypto.did_key import did_key_for, did_key_verification_method_id
from microcred.crypto.keys import PrivateKey
from microcred.verify import TrustedIssuer, TrustRegistry


@pytest.fixture(scope="session")
def issuer_key() -> PrivateKey:
    return PrivateKey.from_secret_bytes("Ed25519", bytes(range(32)))


@pytest.fixture(scope="session")
def issuer_did(issuer_key: PrivateKey) -> str:
    return did_key_for(issuer_key.public_key)


@pytest.fixture
def sign_as(issuer_key: PrivateKey) -> Callable[..., dict[str, Any]]:
    """Sign a document with the issuer's key (or `key`), eddsa-rdfc-2022 unless told."""

    def signer(document: dict[str, Any], key: PrivateKey | None = None, **options: Any):
        key = key or issuer_key
        options.setdefault("suite", "eddsa-rdfc-2022")
        method = did_key_verification_method_id(key.public_key)
        return sign(document, key, verification_method=method, **options)

    return signer


@pytest.fixture
def credential(issuer_did: str, sign_as: Callable[..., dict[str, Any]]) -> dict[str, Any]:
    return sign_as(unsigned_credential(issuer_did))


@pytest.fixture
def trust(issuer_did: str) -> TrustRegistry:
    return TrustRegistry([TrustedIssuer(issuer_did, "Lahntal University of Applied Sciences")])


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """Record (and refuse) every attempt to open a network connection during the test."""
    attempts: list[Any] = []

    def refuse(*args: Any, **kwargs: Any) -> Any:
        attempts.append(args)
        raise OSError("network access attempted during verification")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    yield attempts
    assert attempts == [], f"verification tried to reach the network: {attempts}"


@pytest.fixture
def loopback() -> Iterator[dict[str, bytes]]:
    """A web server on 127.0.0.1 serving the bodies put in the returned dict, by path."""
    pages: dict[str, bytes] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = pages.get(self.path)
            self.send_response(200 if body is not None else 404)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    pages["base"] = f"http://127.0.0.1:{server.server_address[1]}".encode()
    yield pages
    server.shutdown()
    server.server_close()
