"""Which language a request is served in, and remembering a choice made with ``?lang=``."""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.requests import HTTPConnection
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from microcred import i18n

COOKIE_NAME = "microcred_lang"
ONE_YEAR = 365 * 24 * 3600


class LanguageMiddleware:
    """Set ``request.state.lang`` and ``_()``'s language; remember a valid ``?lang=`` in a cookie.

    Plain ASGI (no second task per request, no response re-streaming), so the VC API pays
    next to nothing for it.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        connection = HTTPConnection(scope)
        chosen = connection.query_params.get("lang")
        remembered = connection.cookies.get(COOKIE_NAME)
        lang = i18n.choose_language(chosen, remembered, connection.headers.get("accept-language"))
        connection.state.lang = lang
        i18n.set_language(lang)
        cookie = _cookie(lang) if chosen in i18n.LANGUAGES and remembered != chosen else None

        async def send_with_language(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if "content-language" not in headers:
                    headers["Content-Language"] = lang
                if cookie is not None:
                    headers.append("set-cookie", cookie)
            await send(message)

        await self.app(scope, receive, send_with_language)


def _cookie(lang: str) -> str:
    """The Set-Cookie value that remembers `lang` (as `Response.set_cookie` writes it)."""
    response = Response()
    response.set_cookie(COOKIE_NAME, lang, max_age=ONE_YEAR, samesite="lax")
    return response.headers["set-cookie"]
