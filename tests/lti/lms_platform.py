"""A small LTI 1.3 platform for the tests: its own RSA key and JWKS, an OIDC auth endpoint that
answers a login with a signed launch, a token endpoint that checks the tool's signed assertion,
Names and Role Provisioning and Assignment and Grade Services for one course, and a deep-linking
return that checks the tool's signed answer. Served by uvicorn on 127.0.0.1, port 0.

Knobs let a test make launches misbehave (``id_token`` takes claim overrides and a key), and
``grades`` is the course's gradebook a test (or the browser test, "pushing grades") fills in.
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html import escape
from typing import Any
from urllib.parse import urlencode

import httpx
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from fastapi import FastAPI, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse

from served import served

CLIENT_ID = "microcred-tool"
DEPLOYMENT = "deployment-1"
COURSE = "course-101"
CLAIM = "https://purl.imsglobal.org/spec/lti/claim/"
INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"
LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
TOKEN = "test-access-token"  # what the token endpoint gives; the services ask for it


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _jwk(key: rsa.RSAPrivateKey, kid: str) -> dict[str, str]:
    numbers = key.public_key().public_numbers()
    as_b64 = [_b64(n.to_bytes((n.bit_length() + 7) // 8, "big")) for n in (numbers.n, numbers.e)]
    return {"kty": "RSA", "alg": "RS256", "use": "sig", "kid": kid, "n": as_b64[0], "e": as_b64[1]}


def sign(claims: dict[str, Any], key: rsa.RSAPrivateKey, kid: str) -> str:
    """Return ``claims`` as an RS256 compact JWS."""
    header = _b64(json.dumps({"alg": "RS256", "typ": "JWT", "kid": kid}).encode())
    body = _b64(json.dumps(claims).encode())
    signature = key.sign(f"{header}.{body}".encode(), padding.PKCS1v15(), hashes.SHA256())
    return f"{header}.{body}.{_b64(signature)}"


@dataclass
class Member:
    user_id: str
    name: str
    email: str | None
    role: str = LEARNER


@dataclass
class Platform:
    """The platform's state: its URL once served, who is in the course, and the gradebook."""

    url: str = ""
    tool_url: str = ""  # the tool's base URL, for its JWKS
    key: rsa.RSAPrivateKey = field(default_factory=lambda: rsa.generate_private_key(65537, 2048))
    members: list[Member] = field(default_factory=list)
    # line item label -> (maximum, {user id: score})
    grades: dict[str, tuple[float, dict[str, float]]] = field(default_factory=dict)
    linked: list[dict[str, Any]] = field(default_factory=list)  # deep-linking content items
    service_calls: list[str] = field(default_factory=list)
    pending: dict[str, dict[str, Any]] = field(default_factory=dict)  # launches by message hint
    roster_next: str | None = None  # a next page the roster names (a Link header)

    @property
    def issuer(self) -> str:
        return self.url

    def registration(self) -> dict[str, str]:
        """Return what an administrator types into microcred's registration form."""
        return {
            "name": "Test LMS",
            "issuer": self.issuer,
            "client_id": CLIENT_ID,
            "deployment_ids": DEPLOYMENT,
            "auth_login_url": f"{self.url}/auth",
            "token_url": f"{self.url}/token",
            "jwks_url": f"{self.url}/jwks",
        }

    def claims(self, nonce: str, message_type: str = "LtiResourceLinkRequest", **extra: Any):
        """Return the claims of a launch into the course, with ``extra`` put over them."""
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "aud": CLIENT_ID,
            "sub": "teacher-1",
            "iat": now,
            "exp": now + 300,
            "nonce": nonce,
            "name": "Tess Teacher",
            CLAIM + "message_type": message_type,
            CLAIM + "version": "1.3.0",
            CLAIM + "deployment_id": DEPLOYMENT,
            CLAIM + "target_link_uri": f"{self.tool_url}/lti/launch",
            CLAIM + "roles": [INSTRUCTOR],
            CLAIM + "context": {"id": COURSE, "title": "Data Literacy 101"},
            "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice": {
                "context_memberships_url": f"{self.url}/nrps/{COURSE}",
                "service_versions": ["2.0"],
            },
            "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint": {
                "lineitems": f"{self.url}/lineitems/{COURSE}",
                "scope": ["https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly"],
            },
        }
        if message_type == "LtiDeepLinkingRequest":
            claims["https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"] = {
                "deep_link_return_url": f"{self.url}/deep-link-return",
                "accept_types": ["ltiResourceLink"],
                "data": "opaque-platform-data",
            }
        else:
            claims[CLAIM + "resource_link"] = {"id": "resource-1"}
        claims.update(extra)
        return claims

    def id_token(self, claims: dict[str, Any], key: rsa.RSAPrivateKey | None = None) -> str:
        return sign(claims, key or self.key, "platform-key-1")

    def tool_jwks(self) -> dict[str, Any]:
        answer = httpx.get(f"{self.tool_url}/lti/jwks.json", timeout=10)
        answer.raise_for_status()
        jwks: dict[str, Any] = answer.json()
        return jwks


def tool_claims(token: str, jwks: dict[str, Any], audience: str) -> dict[str, Any]:
    """Return the claims of a JWT the tool signed, after checking its RS256 signature with the
    tool's JWKS, its issuer (the client id), audience and expiry; raises ValueError."""
    header_part, body_part, signature_part = token.split(".")
    header = json.loads(base64.urlsafe_b64decode(header_part + "=="))
    claims: dict[str, Any] = json.loads(base64.urlsafe_b64decode(body_part + "=="))
    (jwk,) = [k for k in jwks["keys"] if k["kid"] == header["kid"]]
    n, e = (int.from_bytes(base64.urlsafe_b64decode(jwk[x] + "=="), "big") for x in "ne")
    signature = base64.urlsafe_b64decode(signature_part + "==")
    try:
        rsa.RSAPublicNumbers(e, n).public_key().verify(
            signature, f"{header_part}.{body_part}".encode(), padding.PKCS1v15(), hashes.SHA256()
        )
    except InvalidSignature:
        raise ValueError("bad signature") from None
    if claims.get("iss") != CLIENT_ID or claims.get("aud") != audience:
        raise ValueError("wrong issuer or audience")
    if claims.get("exp", 0) < time.time():
        raise ValueError("expired")
    return claims


def _bearer(request: Request, platform: Platform) -> None:
    platform.service_calls.append(request.url.path)
    if request.headers.get("authorization") != f"Bearer {TOKEN}":
        raise HTTPException(401, "no valid access token")


def platform_app(platform: Platform) -> FastAPI:
    app = FastAPI()

    @app.get("/jwks")
    def jwks() -> dict[str, Any]:
        return {"keys": [_jwk(platform.key, "platform-key-1")]}

    @app.get("/start")
    def start(hint: str, message_type: str = "LtiResourceLinkRequest") -> RedirectResponse:
        """Where a browser in the course clicks: the third-party initiated login."""
        platform.pending[hint] = {"message_type": message_type}
        query = urlencode(
            {
                "iss": platform.issuer,
                "login_hint": "teacher-1",
                "target_link_uri": f"{platform.tool_url}/lti/launch",
                "lti_message_hint": hint,
                "client_id": CLIENT_ID,
                "lti_deployment_id": DEPLOYMENT,
            }
        )
        return RedirectResponse(f"{platform.tool_url}/lti/login?{query}", status_code=302)

    @app.get("/auth", response_class=HTMLResponse)
    def auth(
        redirect_uri: str, state: str, nonce: str, client_id: str, lti_message_hint: str = ""
    ) -> str:
        """Answer a login with a signed launch, posted by the browser (a form it submits)."""
        if client_id != CLIENT_ID or redirect_uri != f"{platform.tool_url}/lti/launch":
            raise HTTPException(400, "unknown client or redirect URI")
        wanted = platform.pending.get(lti_message_hint, {})
        extra = wanted.get("extra", {})
        claims = platform.claims(
            nonce, wanted.get("message_type", "LtiResourceLinkRequest"), **extra
        )
        token = platform.id_token(claims)
        return _auto_post(redirect_uri, {"id_token": token, "state": state})

    @app.post("/token")
    def token(
        grant_type: str = Form(),
        client_assertion_type: str = Form(),
        client_assertion: str = Form(),
        scope: str = Form(""),
    ) -> JSONResponse:
        if grant_type != "client_credentials" or not client_assertion_type.endswith("jwt-bearer"):
            return JSONResponse({"error": "unsupported_grant_type"}, status_code=400)
        try:
            claims = tool_claims(client_assertion, platform.tool_jwks(), f"{platform.url}/token")
        except ValueError as error:
            return JSONResponse({"error": "invalid_client", "why": str(error)}, status_code=401)
        if claims.get("sub") != CLIENT_ID or not claims.get("jti"):
            return JSONResponse({"error": "invalid_client"}, status_code=401)
        return JSONResponse({"access_token": TOKEN, "token_type": "Bearer", "scope": scope})

    @app.get("/nrps/{course}")
    def memberships(request: Request, course: str) -> JSONResponse:
        _bearer(request, platform)
        members = [
            {"user_id": m.user_id, "name": m.name, "roles": [m.role], "status": "Active"}
            | ({"email": m.email} if m.email else {})
            for m in platform.members
        ]
        body = {"id": str(request.url), "context": {"id": course}, "members": members}
        media = "application/vnd.ims.lti-nrps.v2.membershipcontainer+json"
        more = {"Link": f'<{platform.roster_next}>; rel="next"'} if platform.roster_next else {}
        return JSONResponse(body, media_type=media, headers=more)

    @app.get("/lineitems/{course}")
    def line_items(request: Request, course: str) -> JSONResponse:
        _bearer(request, platform)
        items = [
            {"id": f"{platform.url}/lineitems/{course}/{n}", "label": label, "scoreMaximum": top}
            for n, (label, (top, _scores)) in enumerate(platform.grades.items())
        ]
        return JSONResponse(items, media_type="application/vnd.ims.lis.v2.lineitemcontainer+json")

    @app.get("/lineitems/{course}/{number}/results")
    def results(request: Request, course: str, number: int) -> JSONResponse:
        _bearer(request, platform)
        top, scores = list(platform.grades.values())[number]
        found = [
            {"userId": user, "resultScore": score, "resultMaximum": top}
            for user, score in scores.items()
        ]
        return JSONResponse(found, media_type="application/vnd.ims.lis.v2.resultcontainer+json")

    @app.post("/deep-link-return", response_class=HTMLResponse)
    def deep_link_return(JWT: str = Form()) -> str:  # noqa: N803 (the field's name in LTI)
        try:
            claims = tool_claims(JWT, platform.tool_jwks(), platform.issuer)
        except ValueError as error:
            raise HTTPException(400, f"the tool's answer does not verify: {error}") from None
        items = claims["https://purl.imsglobal.org/spec/lti-dl/claim/content_items"]
        platform.linked.extend(items)
        titles = "".join(f"<li>{escape(item['title'])}</li>" for item in items)
        return f"<!doctype html><title>Course</title><h1>Linked</h1><ul id='linked'>{titles}</ul>"

    return app


def _auto_post(action: str, fields: dict[str, str]) -> str:
    inputs = "".join(
        f'<input type="hidden" name="{escape(k)}" value="{escape(v)}">' for k, v in fields.items()
    )
    return (
        "<!doctype html><title>Launching</title>"
        f'<form id="f" method="post" action="{escape(action)}">{inputs}</form>'
        f"<script>document.getElementById('f').submit()</script>"
    )


@contextmanager
def running_platform(platform: Platform) -> Iterator[Platform]:
    """Serve ``platform`` on loopback for the ``with`` block; its ``url`` is then set."""
    with served(platform_app(platform)) as url:
        platform.url = url
        yield platform
