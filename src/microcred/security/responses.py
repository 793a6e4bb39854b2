"""The refusals the security middlewares send: JSON for the API, a short page for people."""

from __future__ import annotations

from html import escape

from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.types import Scope

# Paths served to people (pages) rather than programs; everything else answers in JSON.
PAGE_PATHS = ("/verify", "/login")


def refusal(
    scope: Scope, status_code: int, message: str, headers: dict[str, str] | None = None
) -> Response:
    """Return a response refusing the request with ``message`` (HTML for pages, else JSON)."""
    path = scope.get("path", "")
    if scope.get("method") in ("GET", "POST") and path in PAGE_PATHS:
        body = (
            '<!doctype html><html lang="en"><head><meta charset="utf-8">'
            f'<title>{status_code}</title><link rel="stylesheet" href="/static/site.css">'
            f"</head><body><main><h1>{status_code}</h1><p>{escape(message)}</p></main></body></html>"
        )
        return HTMLResponse(body, status_code=status_code, headers=headers)
    return JSONResponse({"detail": message}, status_code=status_code, headers=headers)
