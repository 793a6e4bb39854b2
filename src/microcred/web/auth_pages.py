"""Signing in and out (password or single sign-on), and the account page with API tokens.

Every form carries the CSRF token. Signing in starts a new session (a new id in the cookie);
a failed sign-in says only that the email or password is not correct.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.datastructures import FormData

from microcred.domain.accounts import Principal, Role, Scope
from microcred.http.auth import SESSION_COOKIE, signed_in
from microcred.http.services import accounts_of, sessions_of, tokens_of
from microcred.i18n import _
from microcred.services.accounts import AccountError
from microcred.services.oidc import OidcClient, OidcError, OidcLogin
from microcred.web import csrf
from microcred.web.cookies import is_https
from microcred.web.staff_access import landing_path
from microcred.web.templating import render

router = APIRouter(include_in_schema=False)

OIDC_COOKIE = "microcred_oidc"
OIDC_MAX_AGE_SECONDS = 600
CALLBACK_PATH = "/login/oidc/callback"


def safe_next(target: str | None) -> str:
    """Return ``target`` when it is a path on this site, else "/" (no open redirects)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def _set_cookie(request: Request, response: Response, name: str, value: str, max_age: int) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        httponly=True,
        samesite="lax",
        secure=is_https(request),
        path="/",
    )


def oidc_client(request: Request) -> OidcClient | None:
    """Return the app's OpenID Connect client, or None when single sign-on is not configured."""
    settings = request.app.state.settings
    if not settings.oidc_issuer:
        return None
    client: OidcClient | None = getattr(request.app.state, "oidc_client", None)
    if client is None:
        client = OidcClient(
            settings.oidc_issuer,
            settings.oidc_client_id,
            settings.oidc_client_secret.get_secret_value(),
            str(settings.base_url).rstrip("/") + CALLBACK_PATH,
        )
        request.app.state.oidc_client = client
    return client


def _login_page(
    request: Request, next_path: str, problem: str = "", email: str = "", status_code: int = 200
) -> HTMLResponse:
    context: dict[str, Any] = {
        "nav": "login",
        "next": next_path,
        "problem": problem,
        "email": email,
        "sso": oidc_client(request) is not None,
        # Set only by `microcred demo`: the demo accounts and their passwords, for this run.
        "demo_accounts": getattr(request.app.state, "demo_accounts", None),
    }
    return render(request, "login.html", context, status_code=status_code)


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = "/") -> HTMLResponse:
    return _login_page(request, safe_next(next))


@router.post("/login", response_class=HTMLResponse)
def login(request: Request, form: FormData = Depends(csrf.checked_form)) -> Response:
    email, password = str(form.get("email") or ""), str(form.get("password") or "")
    next_path = safe_next(str(form.get("next") or "/"))
    principal = accounts_of(request).authenticate(email, password)
    if principal is None:
        problem = _("The email address or the password is not correct.")
        return _login_page(request, next_path, problem, email, status_code=401)
    return _signed_in_response(request, principal, next_path)


def _signed_in_response(request: Request, principal: Principal, next_path: str) -> Response:
    assert principal.user_id is not None
    lifetime = sessions_of(request).lifetime
    session_id = sessions_of(request).start(
        principal.user_id, replacing=request.cookies.get(SESSION_COOKIE)
    )
    if next_path == "/":  # nothing asked for: staff land on their dashboard
        next_path = landing_path(principal)
    response = RedirectResponse(next_path, status_code=303)
    _set_cookie(request, response, SESSION_COOKIE, session_id, int(lifetime.total_seconds()))
    return response


@router.post("/logout")
def logout(request: Request, form: FormData = Depends(csrf.checked_form)) -> Response:
    session_id = request.cookies.get(SESSION_COOKIE)
    if session_id:
        sessions_of(request).end(session_id)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


# --- single sign-on ---


def _oidc_signer(request: Request) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(request.app.state.secret_key, salt="microcred-oidc-login")


@router.get("/login/oidc")
def oidc_start(request: Request, next: str = "/") -> Response:
    client = oidc_client(request)
    if client is None:
        return _login_page(request, "/", _("Single sign-on is not configured."), status_code=404)
    try:
        url, login_state = client.start(safe_next(next))
    except OidcError as error:
        return _login_page(request, safe_next(next), str(error), status_code=502)
    response = RedirectResponse(url, status_code=303)
    kept = _oidc_signer(request).dumps(login_state.__dict__)
    _set_cookie(request, response, OIDC_COOKIE, kept, OIDC_MAX_AGE_SECONDS)
    return response


@router.get(CALLBACK_PATH)
def oidc_callback(request: Request) -> Response:
    client = oidc_client(request)
    if client is None:
        return _login_page(request, "/", _("Single sign-on is not configured."), status_code=404)
    try:
        kept = _oidc_signer(request).loads(
            request.cookies.get(OIDC_COOKIE, ""), max_age=OIDC_MAX_AGE_SECONDS
        )
        login_state = OidcLogin(**kept)
    except (BadSignature, TypeError):
        problem = _("This sign-in has expired or was not started here. Please try again.")
        return _login_page(request, "/", problem, status_code=400)
    try:
        claims = client.finish(login_state, dict(request.query_params))
        principal = accounts_of(request).oidc_principal(client.provider().issuer, claims)
    except (OidcError, AccountError) as error:
        return _login_page(request, login_state.next, str(error), status_code=403)
    response = _signed_in_response(request, principal, login_state.next)
    response.delete_cookie(OIDC_COOKIE, path="/")
    return response


# --- the account page and API tokens ---


def scope_names() -> dict[str, str]:
    """Return what each API token scope lets a token do, in the viewer's language."""
    return {
        Scope.read: _("read drafts, awards and reports"),
        Scope.design: _("describe and publish specifications"),
        Scope.issue: _("award credentials"),
        Scope.revoke: _("revoke, suspend and reinstate credentials"),
        Scope.recognise: _("decide recognition cases"),
        Scope.admin: _("manage the institution"),
    }


def role_names() -> dict[str, str]:
    """Return the name of each staff role in the viewer's language."""
    return {
        Role.designer: _("designer"),
        Role.registrar: _("registrar"),
        Role.recognition_officer: _("recognition officer"),
        Role.auditor: _("auditor"),
        Role.administrator: _("administrator"),
    }


def _account_page(
    request: Request,
    principal: Principal,
    *,
    new_token: str = "",
    problem: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    context = {
        "nav": "account",
        "account": accounts_of(request).get(principal.email),
        "tokens": tokens_of(request).list(principal.email),
        "scopes": scope_names(),
        "role_names": role_names(),
        "new_token": new_token,
        "problem": problem,
    }
    return render(request, "account.html", context, status_code=status_code)


@router.get("/account", response_class=HTMLResponse)
def account_page(request: Request, principal: Principal = Depends(signed_in)) -> HTMLResponse:
    return _account_page(request, principal)


@router.post("/account/tokens", response_class=HTMLResponse)
def create_token(
    request: Request,
    form: FormData = Depends(csrf.checked_form),
    principal: Principal = Depends(signed_in),
) -> HTMLResponse:
    scopes = [str(value) for value in form.getlist("scope")]
    try:
        made = tokens_of(request).create(
            principal.email, str(form.get("name") or ""), scopes, actor=principal.label
        )
    except AccountError as error:
        return _account_page(request, principal, problem=str(error), status_code=422)
    # The value is shown on this page, once; it is stored nowhere.
    return _account_page(request, principal, new_token=made.value, status_code=201)


@router.post("/account/tokens/{token_id}/revoke")
def revoke_token(
    request: Request,
    token_id: int,
    form: FormData = Depends(csrf.checked_form),
    principal: Principal = Depends(signed_in),
) -> Response:
    tokens = tokens_of(request)
    if token_id not in {token.id for token in tokens.list(principal.email)}:
        return _account_page(request, principal, problem=_("No such token."), status_code=404)
    tokens.revoke(token_id, actor=principal.label)
    return RedirectResponse("/account?revoked=1", status_code=303)
