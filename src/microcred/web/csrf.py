"""CSRF protection for form posts: a signed token in a cookie, repeated in a hidden field.

A POST is accepted only when the cookie and the field carry the same token and the token's
signature is valid. A third-party site can make the browser send the cookie but cannot read it,
so it cannot put the token in the form.
"""

from __future__ import annotations

import secrets

from fastapi import HTTPException, Request
from itsdangerous import BadSignature, URLSafeSerializer
from starlette.datastructures import FormData

from microcred.i18n import _

COOKIE_NAME = "microcred_csrf"
FIELD_NAME = "csrf_token"
_SALT = "microcred-csrf"


def serializer(secret_key: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret_key, salt=_SALT)


def token_for(request: Request) -> str:
    """Return the request's CSRF token: the one in its cookie if valid, else a new one."""
    existing = getattr(request.state, "csrf_token", None)
    if existing:
        return str(existing)
    signer = serializer(request.app.state.secret_key)
    cookie = request.cookies.get(COOKIE_NAME)
    token = cookie if cookie and _is_signed(signer, cookie) else signer.dumps(secrets.token_hex(16))
    request.state.csrf_token = token
    return token


def _is_signed(signer: URLSafeSerializer, token: str) -> bool:
    try:
        signer.loads(token)
    except BadSignature:
        return False
    return True


async def checked_form(request: Request) -> FormData:
    """Return the posted form after checking its CSRF token; 403 when it is missing or wrong."""
    form = await request.form()
    field = form.get(FIELD_NAME)
    cookie = request.cookies.get(COOKIE_NAME)
    signer = serializer(request.app.state.secret_key)
    if (
        not isinstance(field, str)
        or not cookie
        or not secrets.compare_digest(field, cookie)
        or not _is_signed(signer, field)
    ):
        raise HTTPException(
            status_code=403,
            detail=_(
                "The form's security token is missing or expired. "
                "Reload the page and submit the form again."
            ),
        )
    return form
