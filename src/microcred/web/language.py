"""Which language a request is served in, and remembering a choice made with ``?lang=``."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import Request, Response

from microcred import i18n

COOKIE_NAME = "microcred_lang"
ONE_YEAR = 365 * 24 * 3600


async def language_middleware(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    """Set ``request.state.lang``; a valid ``?lang=`` is remembered in a cookie."""
    chosen = request.query_params.get("lang")
    lang = i18n.choose_language(
        chosen, request.cookies.get(COOKIE_NAME), request.headers.get("accept-language")
    )
    request.state.lang = lang
    i18n.set_language(lang)
    response = await call_next(request)
    if chosen in i18n.LANGUAGES and request.cookies.get(COOKIE_NAME) != chosen:
        response.set_cookie(COOKIE_NAME, lang, max_age=ONE_YEAR, samesite="lax")
    response.headers.setdefault("Content-Language", lang)
    return response
