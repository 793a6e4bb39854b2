"""Which face a request is for: the JSON APIs (errors as JSON) or the pages (errors as pages)."""

from __future__ import annotations

from fastapi import Request

# Paths of the JSON API and the W3C VC API: their errors are JSON, never pages.
API_PREFIXES = ("/api/", "/credentials/", "/presentations/")


def is_api_request(request: Request) -> bool:
    """True for the JSON API (and the VC API), or for any client asking for JSON, not a page."""
    if request.url.path == "/api" or request.url.path.startswith(API_PREFIXES):
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept
