"""An LTI 1.3 launch: the OIDC login a platform starts, and the ID token it then posts.

`start_login` answers the platform's third-party initiated login: it keeps a new ``state`` and
``nonce`` (hashed, for ten minutes, to be used once) and returns where to send the browser.
`verify` takes the posted ID token and its ``state``: the login is claimed (a second post of
the same launch finds it used), the token's signature is checked with the platform's JWKS
(fetched under the fetch policy), then iss, aud, azp, exp, iat and the nonce, and last what LTI
adds: its version, the message type and a deployment id registered for the platform.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

import sqlalchemy as sa

from microcred.net import FetchRefused, fetch
from microcred.services.lti.platforms import Platform, Platforms
from microcred.services.oidc_id_token import HashedNonce, IdTokenInvalid, verify_id_token
from microcred.services.secret_tokens import secret_hash
from microcred.store.base import utc_now
from microcred.store.database import Database
from microcred.store.lti_tables import LtiLoginRow

LOGIN_LIFETIME = timedelta(minutes=10)
MAX_ID_TOKEN_CHARS = 64 * 1024
MAX_JWKS_BYTES = 64 * 1024

CLAIM = "https://purl.imsglobal.org/spec/lti/claim/"
DEEP_LINKING_SETTINGS = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"
NRPS = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"
AGS = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
RESOURCE_LINK_REQUEST = "LtiResourceLinkRequest"
DEEP_LINKING_REQUEST = "LtiDeepLinkingRequest"
MESSAGE_TYPES = (RESOURCE_LINK_REQUEST, DEEP_LINKING_REQUEST)
TEACHING_ROLES = (
    "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor",
    "http://purl.imsglobal.org/vocab/lis/v2/membership#Administrator",
    "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator",
)


class LaunchRefused(ValueError):
    """A login or launch that is not let in; the message says why (it holds no secret)."""


@dataclass(frozen=True)
class Launch:
    """A verified launch: who comes from which course of which platform, and what for."""

    platform: Platform
    message_type: str
    deployment_id: str
    user: str
    roles: tuple[str, ...]
    context_id: str
    context_title: str
    claims: dict[str, Any] = field(repr=False)

    @property
    def teaches(self) -> bool:
        """True when the user teaches the course (or administers it) and may link a credential."""
        return any(role in TEACHING_ROLES for role in self.roles)

    @property
    def custom(self) -> dict[str, Any]:
        custom = self.claims.get(CLAIM + "custom")
        return custom if isinstance(custom, dict) else {}

    @property
    def memberships_url(self) -> str | None:
        return _url_in(self.claims.get(NRPS), "context_memberships_url")

    @property
    def lineitems_url(self) -> str | None:
        return _url_in(self.claims.get(AGS), "lineitems")

    @property
    def deep_linking(self) -> dict[str, Any]:
        settings = self.claims.get(DEEP_LINKING_SETTINGS)
        return settings if isinstance(settings, dict) else {}


class Launches:
    """Logins and launches for the registered platforms; ``launch_url`` is the redirect URI."""

    def __init__(self, db: Database, launch_url: str) -> None:
        self.db = db
        self.platforms = Platforms(db)
        self.launch_url = launch_url

    def start_login(self, params: dict[str, str]) -> str:
        """Return the platform URL to send the browser to; raises `LaunchRefused`."""
        issuer, login_hint = params.get("iss", ""), params.get("login_hint", "")
        if not issuer or not login_hint:
            raise LaunchRefused("the login names no issuer ('iss') or no 'login_hint'")
        platform = self.platforms.by_client(issuer, params.get("client_id"))
        if platform is None:
            raise LaunchRefused("this platform (issuer and client id) is not registered here")
        state, nonce = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        with self.db.transaction() as session:
            session.add(
                LtiLoginRow(
                    state_hash=secret_hash(state),
                    nonce_hash=secret_hash(nonce),
                    platform_id=platform.id,
                    expires_at=utc_now() + LOGIN_LIFETIME,
                )
            )
        query = {
            "scope": "openid",
            "response_type": "id_token",
            "response_mode": "form_post",
            "prompt": "none",
            "client_id": platform.client_id,
            "redirect_uri": self.launch_url,
            "login_hint": login_hint,
            "state": state,
            "nonce": nonce,
        }
        if params.get("lti_message_hint"):
            query["lti_message_hint"] = params["lti_message_hint"]
        separator = "&" if "?" in platform.auth_login_url else "?"
        return platform.auth_login_url + separator + urlencode(query)

    def verify(self, id_token: str, state: str) -> Launch:
        """Return the launch that ``id_token`` (posted with ``state``) carries; raises
        `LaunchRefused`, and the login is used up either way."""
        if not id_token or len(id_token) > MAX_ID_TOKEN_CHARS or not state:
            raise LaunchRefused("the launch carries no ID token or no state, or one too long")
        platform_id, nonce_hash = self._claim_login(state)
        platform = self.platforms.get(platform_id)
        if platform is None:
            raise LaunchRefused("the platform of this login is no longer registered")
        try:
            claims = verify_id_token(
                id_token,
                _jwks(platform.jwks_url),
                issuer=platform.issuer,
                audience=platform.client_id,
                nonce=HashedNonce(nonce_hash),
            )
        except IdTokenInvalid as invalid:
            raise LaunchRefused(str(invalid)) from None
        return _launch(platform, claims)

    def _claim_login(self, state: str) -> tuple[str, str]:
        """Mark the login of ``state`` used; return its platform and nonce hash."""
        now = utc_now()
        state_hash = secret_hash(state)
        with self.db.transaction() as session:
            claimed = session.execute(
                sa.update(LtiLoginRow)
                .where(
                    LtiLoginRow.state_hash == state_hash,
                    LtiLoginRow.used_at.is_(None),
                    LtiLoginRow.expires_at > now,
                )
                .values(used_at=now)
            )
            if claimed.rowcount != 1:  # type: ignore[attr-defined]
                raise LaunchRefused(
                    "this launch's login is unknown, used already or expired (start again "
                    "from the course)"
                )
            row = session.get(LtiLoginRow, state_hash)
            assert row is not None
            # Logins long past are of no use to anyone: they go as new ones come.
            session.execute(
                sa.delete(LtiLoginRow).where(LtiLoginRow.expires_at < now - LOGIN_LIFETIME)
            )
            return row.platform_id, row.nonce_hash


def _jwks(url: str) -> dict[str, Any]:
    try:
        fetched = fetch(url, accept="application/json", json_only=True, max_bytes=MAX_JWKS_BYTES)
        jwks = json.loads(fetched.body)
    except FetchRefused as refused:
        raise LaunchRefused(f"the platform's keys could not be read: {refused}") from None
    except ValueError:
        raise LaunchRefused("the platform's keys (JWKS) are not JSON") from None
    if not isinstance(jwks, dict):
        raise LaunchRefused("the platform's keys (JWKS) are not a JSON object")
    return jwks


def _launch(platform: Platform, claims: dict[str, Any]) -> Launch:
    if claims.get(CLAIM + "version") != "1.3.0":
        raise LaunchRefused("the launch is not LTI version 1.3.0")
    message_type = claims.get(CLAIM + "message_type")
    if message_type not in MESSAGE_TYPES:
        raise LaunchRefused(f"this tool takes no launch of type {message_type!r}")
    deployment = claims.get(CLAIM + "deployment_id")
    if not isinstance(deployment, str) or deployment not in platform.deployment_ids:
        raise LaunchRefused("the launch's deployment id is not registered for this platform")
    context = claims.get(CLAIM + "context")
    if not isinstance(context, dict) or not isinstance(context.get("id"), str):
        raise LaunchRefused("the launch names no course (context)")
    roles = claims.get(CLAIM + "roles")
    if not isinstance(roles, list):
        raise LaunchRefused("the launch names no roles")
    if message_type == RESOURCE_LINK_REQUEST and not isinstance(
        claims.get(CLAIM + "resource_link"), dict
    ):
        raise LaunchRefused("a resource link launch names no resource link")
    title = context.get("title") or context.get("label") or context["id"]
    return Launch(
        platform=platform,
        message_type=str(message_type),
        deployment_id=deployment,
        user=str(claims["sub"]),
        roles=tuple(str(role) for role in roles),
        context_id=context["id"][:255],
        context_title=str(title)[:500],
        claims=claims,
    )


def _url_in(claim: Any, name: str) -> str | None:
    if isinstance(claim, dict) and isinstance(claim.get(name), str):
        return str(claim[name])
    return None
