"""Learner sign-up pages: name and e-mail, then the e-mailed one-time code and a password.

The pending sign-up is a signed ticket in an HTTP-only cookie (see `services.signups`); the
account is made only when the code is right. Asking for codes and typing wrong ones are
counted per client address and per e-mail address with the sign-in limits, so neither an
inbox nor a code can be hammered.
"""

from __future__ import annotations

import hashlib
import smtplib
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from microcred.http.services import accounts_of
from microcred.i18n import _
from microcred.services.delivery.smtp import MailNotConfigured, send_message
from microcred.services.signups import (
    CODE_LIFETIME,
    SignupError,
    Signups,
    signup_code_message,
)
from microcred.web import csrf
from microcred.web.auth_pages import _set_cookie, _signed_in_response, safe_next
from microcred.web.templating import render

router = APIRouter(include_in_schema=False)

TICKET_COOKIE = "microcred_signup"


def _problems() -> dict[str, str]:
    """Return what each kind of `SignupError` says, in the current language."""
    return {
        "email": _("Give an e-mail address such as ada@uni.example."),
        "name": _("Give your name (at most 200 characters)."),
        "code": _("The code is not right. Check the e-mail, or start again for a new code."),
        "expired": _("The code has expired. Start again for a new code."),
        "missing": _("There is no sign-up to finish here. Start again."),
        "exists": _("There is an account for this address already: sign in instead."),
        "password": _(
            "Choose a longer password: at least 12 characters, 5 of them different, not a "
            "common one."
        ),
    }


def _signups(request: Request) -> Signups:
    return Signups(accounts_of(request), request.app.state.secret_key)


def _page(request: Request, step: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    context = {"nav": "signup", "step": step, "problem": "", "email": "", "name": ""} | context
    return render(request, "signup.html", context, status_code=status_code)


def _allowed(request: Request, kind: str, *values: str, count: bool = True) -> bool:
    """Count one attempt of ``kind`` for each value (client, e-mail); False once over a limit."""
    state = request.app.state
    limit, counter = state.rate_limits.login_account, state.rate_counter
    client = request.client.host if request.client else "unknown"
    allowed = True
    for value in (client, *values):
        key = f"signup-{kind}:{hashlib.sha256(value.encode()).hexdigest()[:32]}"
        seen = counter.add(key, limit) if count else counter.peek(key, limit)
        allowed = allowed and seen.allowed
    return allowed


@router.get("/signup", response_class=HTMLResponse)
def signup_page(request: Request, next: str = "/wallet") -> HTMLResponse:
    return _page(request, "start", next=safe_next(next))


@router.post("/signup", response_class=HTMLResponse)
def start_signup(request: Request, form: FormData = Depends(csrf.checked_form)) -> Response:
    email, name = str(form.get("email") or "").strip(), str(form.get("name") or "")
    next_path = safe_next(str(form.get("next") or "/wallet"))
    again = {"email": email, "name": name, "next": next_path}
    if not _allowed(request, "code", email.lower()):
        problem = _("Too many codes were asked for. Wait a few minutes, then try again.")
        return _page(request, "start", 429, problem=problem, **again)
    try:
        ticket, code = _signups(request).start(email, name)
        pending = _signups(request).pending(ticket)
        settings = request.app.state.settings
        message = signup_code_message(
            settings, pending.email, pending.name, code, request.state.lang
        )
        send_message(settings, message)
    except SignupError as error:
        return _page(request, "start", 422, problem=_problems()[error.kind], **again)
    except (MailNotConfigured, smtplib.SMTPException, OSError):
        problem = _("No e-mail can be sent from this site just now, so no code was sent.")
        return _page(request, "start", 503, problem=problem, **again)
    response = _page(request, "code", email=pending.email, name=pending.name, next=next_path)
    _set_cookie(request, response, TICKET_COOKIE, ticket, int(CODE_LIFETIME.total_seconds()))
    return response


@router.post("/signup/confirm", response_class=HTMLResponse)
def finish_signup(request: Request, form: FormData = Depends(csrf.checked_form)) -> Response:
    ticket = request.cookies.get(TICKET_COOKIE, "")
    next_path = safe_next(str(form.get("next") or "/wallet"))
    signups = _signups(request)
    try:
        pending = signups.pending(ticket)
    except SignupError as error:
        return _page(request, "start", 400, problem=_problems()[error.kind], next=next_path)
    shown = {"email": pending.email, "name": pending.name, "next": next_path}
    if not _allowed(request, "wrong", pending.email, count=False):
        problem = _("Too many wrong codes. Wait a few minutes, then start again.")
        return _page(request, "code", 429, problem=problem, **shown)
    password = str(form.get("password") or "")
    try:
        account = signups.finish(ticket, str(form.get("code") or ""), password)
    except SignupError as error:
        if error.kind == "code":
            _allowed(request, "wrong", pending.email)
        step = "code" if error.kind in ("code", "password") else "start"
        return _page(request, step, 422, problem=_problems()[error.kind], **shown)
    principal = accounts_of(request).authenticate(account.email, password)
    assert principal is not None  # the account was made with this password just now
    response = _signed_in_response(request, principal, next_path)
    response.delete_cookie(TICKET_COOKIE, path="/")
    return response
