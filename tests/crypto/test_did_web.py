"""did:web: documents for our issuers, and resolution from a loopback server with limits."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from microcred.crypto.did_web import (
    DidWebError,
    did_web_document,
    did_web_for,
    did_web_url,
    forget_cached_did_documents,
    resolve_did_web,
)
from microcred.crypto.key_resolution import resolve_verification_method
from microcred.crypto.keys import PrivateKey


class _Server:
    def __init__(self) -> None:
        self.routes: dict[str, bytes] = {}
        self.hits = 0


@pytest.fixture
def server() -> Iterator[tuple[_Server, int]]:
    state = _Server()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            state.hits += 1
            body = state.routes.get(self.path)
            self.send_response(200 if body is not None else 404)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body or b"{}")

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    forget_cached_did_documents()
    yield state, httpd.server_address[1]
    httpd.shutdown()
    httpd.server_close()
    forget_cached_did_documents()


def test_did_web_names_follow_the_spec():
    assert did_web_for("https://uni.example") == "did:web:uni.example"
    did = did_web_for("https://uni.example:8443/", "issuers/cpd")
    assert did == "did:web:uni.example%3A8443:issuers:cpd"
    assert did_web_url(did) == "https://uni.example:8443/issuers/cpd/did.json"
    assert did_web_url("did:web:uni.example") == "https://uni.example/.well-known/did.json"


def test_http_is_only_for_loopback_and_only_when_asked():
    assert did_web_url("did:web:127.0.0.1%3A9000").startswith("https://")
    assert did_web_url("did:web:127.0.0.1%3A9000", plain_http_for_loopback=True).startswith(
        "http://"
    )
    assert did_web_url("did:web:uni.example", plain_http_for_loopback=True).startswith("https://")


def test_rotated_keys_stay_resolvable_from_a_served_document(server, private_fetches):
    state, port = server
    did = did_web_for(f"http://127.0.0.1:{port}")
    old, new = PrivateKey.generate(), PrivateKey.generate("P-256")
    document = did_web_document(did, [new.public_key, old.public_key])
    state.routes["/.well-known/did.json"] = json.dumps(document).encode()
    methods = [m["id"] for m in document["verificationMethod"]]
    for method, key in zip(methods, (new, old), strict=True):
        assert resolve_verification_method(method) == key.public_key
    assert state.hits == 1, "the second resolution should come from the cache"


def test_path_based_did_web_resolves(server, private_fetches):
    state, port = server
    did = did_web_for(f"http://127.0.0.1:{port}", "issuers/cpd")
    document = did_web_document(did, [PrivateKey.generate().public_key])
    state.routes["/issuers/cpd/did.json"] = json.dumps(document).encode()
    assert resolve_did_web(did)["id"] == did


def test_oversized_missing_and_mismatched_documents_are_refused(server, private_fetches):
    state, port = server
    did = did_web_for(f"http://127.0.0.1:{port}")
    with pytest.raises(DidWebError, match="404"):
        resolve_did_web(did)
    state.routes["/.well-known/did.json"] = b"{" + b" " * 100_000 + b"}"
    with pytest.raises(DidWebError, match="more than"):
        resolve_did_web(did)
    state.routes["/.well-known/did.json"] = json.dumps({"id": "did:web:other.example"}).encode()
    with pytest.raises(DidWebError, match="describes"):
        resolve_did_web(did)


def test_without_the_allow_setting_a_loopback_did_web_is_not_fetched(server):
    state, port = server
    with pytest.raises(DidWebError, match="address not allowed"):
        resolve_did_web(did_web_for(f"http://127.0.0.1:{port}"))
    assert state.hits == 0
