"""Watching every HTTP request: its id (echoed as X-Request-ID), its metrics and one log event.

The event names the route template (``/api/specifications/{spec_id}``), never the path or the
query, which can carry share tokens or e-mail addresses; and no client address.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from microcred.observability.log_context import REQUEST_ID_HEADER, request_id_from, request_scope
from microcred.observability.metrics import REQUEST_SECONDS, REQUESTS

log = logging.getLogger("microcred.requests")

# Probes of a load balancer: counted, logged only at debug level.
QUIET_ROUTES = frozenset({"/healthz", "/readyz", "/metrics"})
UNMATCHED = "unmatched"


class RequestObservation:
    """ASGI middleware: request id, request metrics and an access event per request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = request_id_from(_header(scope, REQUEST_ID_HEADER))
        with request_scope(request_id):
            await self._observe(scope, receive, send, request_id)

    async def _observe(self, scope: Scope, receive: Receive, send: Send, request_id: str) -> None:
        status = 500  # what the client gets if the app fails before it answers
        start = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
                headers.append((REQUEST_ID_HEADER.encode(), request_id.encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            seconds = time.perf_counter() - start
            route = route_template(scope)
            method = scope.get("method", "")
            REQUESTS.labels(method, route, str(status)).inc()
            REQUEST_SECONDS.labels(method, route).observe(seconds)
            log.log(
                logging.DEBUG if route in QUIET_ROUTES else logging.INFO,
                "%s %s %d",
                method,
                route,
                status,
                extra={
                    "event": "http.request",
                    "method": method,
                    "route": route,
                    "status": status,
                    "duration_ms": round(seconds * 1000, 1),
                },
            )


def route_template(scope: Scope) -> str:
    """Return the path template of the route that answered, or "unmatched"."""
    route: Any = scope.get("route")
    path = getattr(route, "path", None)
    return str(path) if path else UNMATCHED


def _header(scope: Scope, name: str) -> str | None:
    wanted = name.encode()
    for key, value in scope.get("headers", []):
        if key.lower() == wanted:
            return str(value.decode("latin-1"))
    return None
