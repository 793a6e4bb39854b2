"""Every HTTP route of an app as (method, path), whatever way its routers were included."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fastapi import FastAPI


def routes_of(app: FastAPI) -> list[tuple[str, str]]:
    """Return every (method, path) the app answers, HEAD and OPTIONS left out, sorted."""
    found = {
        (method, path)
        for methods, path in _walk(app.routes)
        for method in methods
        if method not in ("HEAD", "OPTIONS")
    }
    return sorted(found, key=lambda route: (route[1], route[0]))


def _walk(routes: list[Any]) -> Iterator[tuple[set[str], str]]:
    for route in routes:
        if hasattr(route, "effective_route_contexts"):  # an included router (FastAPI >= 0.16x)
            for context in route.effective_route_contexts():
                yield set(context.methods or ()), context.path
        elif getattr(route, "methods", None):
            yield set(route.methods), route.path
        elif hasattr(route, "routes") and not hasattr(route, "app_is_static"):
            yield from _walk(list(getattr(route, "routes", []) or []))
