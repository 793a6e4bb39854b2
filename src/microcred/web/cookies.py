"""Whether the pages' cookies are ``Secure``: when the instance's public base URL is https."""

from __future__ import annotations

from fastapi import Request


def is_https(request: Request) -> bool:
    """True when the instance's base URL is https.

    The base URL decides, not the request: behind a TLS-terminating proxy the request itself
    arrives over plain http.
    """
    return str(request.app.state.settings.base_url).startswith("https://")
