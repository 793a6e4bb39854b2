"""OpenID Connect single sign-on, as a client: discovery, the authorization code flow with PKCE
(S256), ``state`` and ``nonce``, and the ID token checked against the provider's JWKS.

The flow: ``start`` gives the provider URL to send the browser to and an ``OidcLogin`` the
browser keeps (in a signed, short-lived cookie); the provider sends the browser back with
``code`` and ``state``; ``finish`` checks ``state``, trades the code (with the PKCE verifier)
for tokens, and returns the ID token's verified claims.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx

from microcred.services.oidc_id_token import IdTokenInvalid, verify_id_token

TIMEOUT_SECONDS = 10.0


class OidcError(Exception):
    """Single sign-on failed; the message says why (shown to the user, holds no secret)."""


@dataclass(frozen=True)
class OidcProvider:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str


@dataclass(frozen=True)
class OidcLogin:
    """What the browser keeps between leaving for the provider and coming back."""

    state: str
    nonce: str
    code_verifier: str
    next: str


class OidcClient:
    """This instance as a client of one OpenID provider (issuer URL, client id and secret)."""

    def __init__(
        self,
        issuer: str,
        client_id: str,
        client_secret: str,
        redirect_uri: str,
        http: httpx.Client | None = None,
    ) -> None:
        self.issuer = issuer.rstrip("/")
        self.client_id = client_id
        self.client_secret = client_secret
        self.redirect_uri = redirect_uri
        self.http = http or httpx.Client(timeout=TIMEOUT_SECONDS)
        self._provider: OidcProvider | None = None

    def provider(self) -> OidcProvider:
        """Return the provider's endpoints from its discovery document (fetched once)."""
        if self._provider is None:
            document = self._get_json(f"{self.issuer}/.well-known/openid-configuration")
            if str(document.get("issuer", "")).rstrip("/") != self.issuer:
                raise OidcError(
                    f"the discovery document names issuer {document.get('issuer')!r}, "
                    f"not {self.issuer!r}"
                )
            try:
                self._provider = OidcProvider(
                    issuer=str(document["issuer"]),
                    authorization_endpoint=str(document["authorization_endpoint"]),
                    token_endpoint=str(document["token_endpoint"]),
                    jwks_uri=str(document["jwks_uri"]),
                )
            except KeyError as missing:
                raise OidcError(f"the discovery document lacks {missing}") from None
        return self._provider

    def start(self, next_path: str) -> tuple[str, OidcLogin]:
        """Return the provider URL to send the browser to, and what the browser must keep."""
        login = OidcLogin(
            state=secrets.token_urlsafe(24),
            nonce=secrets.token_urlsafe(24),
            code_verifier=secrets.token_urlsafe(48),
            next=next_path,
        )
        query = urlencode(
            {
                "response_type": "code",
                "client_id": self.client_id,
                "redirect_uri": self.redirect_uri,
                "scope": "openid email profile",
                "state": login.state,
                "nonce": login.nonce,
                "code_challenge": code_challenge(login.code_verifier),
                "code_challenge_method": "S256",
            }
        )
        return f"{self.provider().authorization_endpoint}?{query}", login

    def finish(self, login: OidcLogin, params: Mapping[str, str]) -> dict[str, Any]:
        """Return the verified ID token claims of the provider's answer to ``login``."""
        if "error" in params:
            raise OidcError(f"the identity provider refused: {params['error']}")
        if not hmac.compare_digest(params.get("state", "").encode(), login.state.encode()):
            raise OidcError("the sign-in answer does not belong to this login (state differs)")
        code = params.get("code")
        if not code:
            raise OidcError("the identity provider sent no authorization code")
        provider = self.provider()
        tokens = self._post_json(
            provider.token_endpoint,
            {
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": self.redirect_uri,
                "code_verifier": login.code_verifier,
            },
        )
        id_token = tokens.get("id_token")
        if not isinstance(id_token, str):
            raise OidcError("the identity provider sent no ID token")
        try:
            return verify_id_token(
                id_token,
                self._get_json(provider.jwks_uri),
                issuer=provider.issuer,
                audience=self.client_id,
                nonce=login.nonce,
            )
        except IdTokenInvalid as error:
            raise OidcError(str(error)) from None

    def _get_json(self, url: str) -> dict[str, Any]:
        return _json_of(lambda: self.http.get(url), url)

    def _post_json(self, url: str, form: dict[str, str]) -> dict[str, Any]:
        auth = (self.client_id, self.client_secret)
        return _json_of(lambda: self.http.post(url, data=form, auth=auth), url)


def code_challenge(verifier: str) -> str:
    """Return the PKCE S256 challenge of ``verifier``."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _json_of(send: Any, url: str) -> dict[str, Any]:
    try:
        response = send()
        response.raise_for_status()
        value = response.json()
    except (httpx.HTTPError, ValueError) as error:
        raise OidcError(
            f"the identity provider did not answer properly at {url}: {error}"
        ) from None
    if not isinstance(value, dict):
        raise OidcError(f"the identity provider's answer at {url} is not a JSON object")
    return value
