"""A small OpenID provider for the tests: discovery, authorize (signs the user in at once),
token (checks client, redirect URI and PKCE), and JWKS; served by uvicorn on loopback.

Knobs on ``Provider`` let a test make it misbehave: sign with a key it does not publish,
put another nonce in the ID token, or vouch for a different email.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from fastapi import FastAPI, Form, HTTPException, Request
from fastapi.responses import RedirectResponse

from served import free_port, served

CLIENT_ID, CLIENT_SECRET = "microcred-test", "client-secret-for-tests"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _int_b64(number: int) -> str:
    return _b64(number.to_bytes((number.bit_length() + 7) // 8, "big"))


@dataclass
class Provider:
    issuer: str = ""
    email: str = "designer@a.example"
    email_verified: bool = True
    subject: str = "subject-0001"
    sign_with_unpublished_key: bool = False
    nonce_override: str | None = None
    key: rsa.RSAPrivateKey = field(default_factory=lambda: rsa.generate_private_key(65537, 2048))
    other_key: rsa.RSAPrivateKey = field(
        default_factory=lambda: rsa.generate_private_key(65537, 2048)
    )
    codes: dict[str, dict[str, str]] = field(default_factory=dict)

    def id_token(self, nonce: str) -> str:
        header = {"alg": "RS256", "kid": "test-key", "typ": "JWT"}
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "sub": self.subject,
            "aud": CLIENT_ID,
            "iat": now,
            "exp": now + 300,
            "nonce": self.nonce_override if self.nonce_override is not None else nonce,
            "email": self.email,
            "email_verified": self.email_verified,
        }
        signing_input = ".".join(_b64(json.dumps(part).encode()) for part in (header, claims))
        key = self.other_key if self.sign_with_unpublished_key else self.key
        signature = key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
        return f"{signing_input}.{_b64(signature)}"

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.get("/.well-known/openid-configuration")
        def discovery() -> dict[str, Any]:
            return {
                "issuer": self.issuer,
                "authorization_endpoint": f"{self.issuer}/authorize",
                "token_endpoint": f"{self.issuer}/token",
                "jwks_uri": f"{self.issuer}/jwks",
                "code_challenge_methods_supported": ["S256"],
            }

        @app.get("/jwks")
        def jwks() -> dict[str, Any]:
            numbers = self.key.public_key().public_numbers()
            jwk = {"kty": "RSA", "kid": "test-key", "use": "sig", "alg": "RS256"}
            return {"keys": [{**jwk, "n": _int_b64(numbers.n), "e": _int_b64(numbers.e)}]}

        @app.get("/authorize")
        def authorize(request: Request) -> RedirectResponse:
            asked = request.query_params
            if asked.get("client_id") != CLIENT_ID or asked.get("code_challenge_method") != "S256":
                raise HTTPException(400, "bad client or no PKCE")
            code = secrets.token_urlsafe(16)
            self.codes[code] = {
                "challenge": asked["code_challenge"],
                "nonce": asked["nonce"],
                "redirect_uri": asked["redirect_uri"],
            }
            query = urlencode({"code": code, "state": asked["state"]})
            return RedirectResponse(f"{asked['redirect_uri']}?{query}", status_code=303)

        @app.post("/token")
        def token(
            request: Request,
            code: str = Form(),
            code_verifier: str = Form(),
            redirect_uri: str = Form(),
        ) -> dict[str, Any]:
            expected = "Basic " + base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
            if request.headers.get("authorization") != expected:
                raise HTTPException(401, "bad client credentials")
            grant = self.codes.pop(code, None)
            digest = _b64(hashlib.sha256(code_verifier.encode()).digest())
            if (
                grant is None
                or grant["challenge"] != digest
                or grant["redirect_uri"] != redirect_uri
            ):
                raise HTTPException(400, "invalid_grant")
            return {
                "access_token": "x",
                "token_type": "Bearer",
                "id_token": self.id_token(grant["nonce"]),
            }

        return app


@contextmanager
def running_provider() -> Iterator[Provider]:
    """Serve a new Provider on a free loopback port while the block runs."""
    port = free_port()
    provider = Provider(issuer=f"http://127.0.0.1:{port}")
    with served(provider.app(), port):
        yield provider
