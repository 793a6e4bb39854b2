"""CSRF protection for form posts: the request's origin, and a token bound to the session.

A form post is accepted only when

- its ``Origin`` (else its ``Referer``) is this instance: the public base URL, or the address
  the request itself was sent to (a page on another site cannot make a browser send our Host
  with its origin). Browsers send ``Origin`` on every cross-site POST; a request carrying
  neither header comes from a program, not a page, and is left to the token;
- its hidden field carries the token of this browser and this session: an HMAC, under the
  instance's secret key, of a random value kept in a cookie and of the session cookie. A token
  read on another visit, or planted with its cookie into another browser, does not match the
  victim's session.

With an https base URL the cookie is ``__Host-`` prefixed and ``Secure``: no subdomain and no
plain-http page can set or overwrite it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from urllib.parse import urlsplit

from fastapi import HTTPException, Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from microcred.http.auth import SESSION_COOKIE
from microcred.i18n import _
from microcred.web.cookies import is_https

COOKIE_NAME = "microcred_csrf"
SECURE_COOKIE_NAME = "__Host-microcred_csrf"
FIELD_NAME = "csrf_token"
_NONCE_BYTES = 16
_DEFAULT_PORTS = {"http": 80, "https": 443}


def cookie_name(request: Request) -> str:
    """Return the CSRF cookie's name: ``__Host-`` prefixed when the base URL is https."""
    return SECURE_COOKIE_NAME if is_https(request) else COOKIE_NAME


def _nonce(request: Request) -> str:
    """Return this browser's random value: the one in its cookie if well formed, else a new one."""
    existing = getattr(request.state, "csrf_nonce", None)
    if existing:
        return str(existing)
    cookie = request.cookies.get(cookie_name(request), "")
    well_formed = len(cookie) == 2 * _NONCE_BYTES and all(c in "0123456789abcdef" for c in cookie)
    nonce = cookie if well_formed else secrets.token_hex(_NONCE_BYTES)
    request.state.csrf_nonce = nonce
    return nonce


def _token(request: Request, nonce: str) -> str:
    """Return the token of ``nonce`` and the request's session (none when signed out)."""
    session = request.cookies.get(SESSION_COOKIE, "")
    message = f"microcred-csrf\0{nonce}\0{session}".encode()
    key = str(request.app.state.secret_key).encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def token_for(request: Request) -> str:
    """Return the token a page's forms carry, for this browser and this session."""
    return _token(request, _nonce(request))


def keep_cookie(request: Request, response: Response) -> None:
    """Set the CSRF cookie on ``response`` when the browser does not hold it yet."""
    nonce = getattr(request.state, "csrf_nonce", None)
    name = cookie_name(request)
    if nonce and request.cookies.get(name) != nonce:
        secure = is_https(request)
        response.set_cookie(name, nonce, path="/", secure=secure, httponly=True, samesite="strict")


def _origin(url: str) -> tuple[str, str, int | None] | None:
    """Return (scheme, host, port) of a URL, or None when it has none ("null", garbage)."""
    try:
        parts = urlsplit(url)
        port = parts.port or _DEFAULT_PORTS.get(parts.scheme.lower())
    except ValueError:
        return None
    if not parts.scheme or not parts.hostname:
        return None
    return parts.scheme.lower(), parts.hostname.lower(), port


def _from_here(request: Request) -> bool:
    """True when the post comes from a page of this instance, or says nothing of its origin."""
    claimed = request.headers.get("origin") or request.headers.get("referer")
    if claimed is None:
        return True
    origin = _origin(claimed)
    ours = {_origin(str(request.app.state.settings.base_url)), _origin(str(request.base_url))}
    return origin is not None and origin in ours


def _refused(message: str) -> HTTPException:
    return HTTPException(status_code=403, detail=message)


async def checked_form(request: Request) -> FormData:
    """Return the posted form after checking its origin and token; 403 when either is wrong."""
    if not _from_here(request):
        raise _refused(_("This form was sent from another site. Submit it from this site."))
    form = await request.form()
    field = form.get(FIELD_NAME)
    cookie = request.cookies.get(cookie_name(request))
    if (
        not isinstance(field, str)
        or not cookie
        or not secrets.compare_digest(field.encode(), _token(request, cookie).encode())
    ):
        raise _refused(
            _(
                "The form's security token is missing or expired. "
                "Reload the page and submit the form again."
            )
        )
    return form
