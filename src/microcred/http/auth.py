"""Who is asking, and whether they may: FastAPI dependencies for every face of the app.

- ``Authorization: Bearer mc_...``: a user's API token (its scopes narrow the user's roles);
  a wrong or revoked one is refused with 401 on every route. Bearer values without the
  ``mc_`` prefix are not ours (OpenID4VCI access tokens) and sign nobody in.
  ``Bearer <MICROCRED_API_TOKEN>``, when that setting is non-empty, is the operator's bootstrap
  token: it acts as the instance operator with every scope (see docs/roles.md).
- The session cookie of a signed-in browser. It counts for reading anywhere, but for changes
  only on the form pages, which check a CSRF token; the JSON API takes changes by token only.

Refusals: anonymous gets 401 from the API (``WWW-Authenticate: Bearer``) and a redirect to the
login page from the web; someone who may not see a thing at all gets 404, exactly as if it did
not exist; someone who may see it but not do the action gets 403.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from typing import NamedTuple
from urllib.parse import quote

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from microcred.domain.accounts import ACTION_SCOPES, Action, Principal, Scope, permits
from microcred.domain.specification_status import SpecificationStatus
from microcred.http.faces import API_PREFIXES, is_api_request
from microcred.http.services import catalogue_of, sessions_of, tokens_of
from microcred.observability.log_context import note_tenant
from microcred.services.api_tokens import PREFIX as TOKEN_PREFIX
from microcred.services.catalogue import SpecificationNotFound

SESSION_COOKIE = "microcred_session"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
OPERATOR_TOKEN_NAME = "operator (MICROCRED_API_TOKEN)"


# Where a bearer token is a wallet's OpenID4VCI access token, not an API token (api/oid4vci.py).
WALLET_TOKEN_PATHS = ("/oid4vci/",)


class LoginRequired(Exception):
    """A page needs a signed-in user; the web answers with the login page."""


class Target(NamedTuple):
    """What an action is about: its institution (None: the instance), and whether it is public."""

    institution: str | None
    public: bool = True


def current_user(request: Request) -> Principal | None:
    """Return who is asking (None: anonymous); a wrong bearer token is refused with 401."""
    if hasattr(request.state, "principal"):
        found: Principal | None = request.state.principal
        return found
    principal = _from_bearer(request)
    if principal is None and _session_counts(request):
        session_id = request.cookies.get(SESSION_COOKIE)
        principal = sessions_of(request).principal(session_id) if session_id else None
    request.state.principal = principal
    return principal


def viewer(request: Request) -> Principal | None:
    """Return who is signed in, for showing in a page; never refuses (a bad token is nobody)."""
    try:
        return current_user(request)
    except HTTPException:
        return None


def _from_bearer(request: Request) -> Principal | None:
    header = request.headers.get("authorization")
    if header is None or request.url.path.startswith(WALLET_TOKEN_PATHS):
        return None  # a wallet's OpenID4VCI access token is checked there, not here
    scheme, _, value = header.partition(" ")
    value = value.strip()
    if scheme.lower() != "bearer" or not value:
        raise _unauthorised("send 'Authorization: Bearer <API token>'")
    operator_token = request.app.state.settings.api_token.get_secret_value()
    if operator_token and hmac.compare_digest(value.encode(), operator_token.encode()):
        return Principal(None, OPERATOR_TOKEN_NAME, is_operator=True, scopes=frozenset(Scope))
    if not value.startswith(TOKEN_PREFIX):
        # Not one of ours (an OpenID4VCI access token, say): the route that takes it checks it;
        # to every route that needs an account it is nobody.
        return None
    principal = tokens_of(request).principal(value)
    if principal is None:
        raise _unauthorised("the API token is unknown or revoked; create one on your account page")
    return principal


def _session_counts(request: Request) -> bool:
    if request.method in SAFE_METHODS:
        return True
    path = request.url.path
    return not (path == "/api" or path.startswith(API_PREFIXES))


def _unauthorised(message: str) -> HTTPException:
    return HTTPException(401, detail=message, headers={"WWW-Authenticate": "Bearer"})


def signed_in(request: Request) -> Principal:
    """Return who is asking; anonymous gets 401 (API) or the login page (web)."""
    principal = current_user(request)
    if principal is None:
        if is_api_request(request):
            raise _unauthorised("sign in: send 'Authorization: Bearer <API token>'")
        raise LoginRequired()
    return principal


def authorize(request: Request, action: Action, target: Target) -> Principal:
    """Return the principal when it may do ``action`` on ``target``; else 401, 404 or 403."""
    principal = signed_in(request)
    note_tenant(target.institution)
    if permits(principal, action, target.institution):
        return principal
    if not target.public and not permits(principal, Action.read_drafts, target.institution):
        raise HTTPException(404, detail="not found")
    raise HTTPException(403, detail=_refusal(principal, action, target.institution))


def require(
    action: Action, institution_from: Callable[[Request], Target] | None = None
) -> Callable[[Request], Principal]:
    """Return a dependency that lets through only those who may do ``action``.

    ``institution_from`` reads the target from the request (default: the instance itself,
    which only the operator manages).
    """

    def dependency(request: Request) -> Principal:
        target = institution_from(request) if institution_from else Target(None)
        return authorize(request, action, target)

    return dependency


def specification_target(request: Request) -> Target:
    """Return the owner of the specification in the path, and whether any version is public."""
    versions = catalogue_of(request).versions(request.path_params["spec_id"])
    public = any(record.status != SpecificationStatus.draft for record in versions)
    return Target(versions[0].institution, public)


def hidden_specification(spec_id: str) -> SpecificationNotFound:
    """Return the error for a specification the asker may not see: the same as a missing one."""
    return SpecificationNotFound(f"no specification has the id {spec_id}")


def _refusal(principal: Principal, action: Action, institution: str | None) -> str:
    place = f"at {institution}" if institution else "on this instance"
    if principal.scopes is not None and permits(
        Principal(principal.user_id, principal.email, principal.roles, principal.is_operator),
        action,
        institution,
    ):
        return f"this API token lacks the '{ACTION_SCOPES[action]}' scope needed for {action}"
    return f"{principal.email} may not {action} {place}"


def install(app: FastAPI) -> None:
    """Send anonymous visitors of a protected page to the login page, then back."""

    @app.exception_handler(LoginRequired)
    def login_required(request: Request, error: LoginRequired) -> Response:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
