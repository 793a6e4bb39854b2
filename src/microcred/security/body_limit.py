"""A cap on the size of every request body, checked before the app reads it.

A declared Content-Length over the cap is refused at once (413); a body sent without one
(chunked) is counted as it is read, and refused the moment it passes the cap. Routes with a
smaller cap of their own (the VC API verifier, uploads) keep it; this is the ceiling above all.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from microcred.security.responses import refusal

# The largest route cap is the 20 MiB gradebook upload; multipart framing adds a little.
MAX_REQUEST_BYTES = 21 * 1024 * 1024


def too_large_message(limit: int) -> str:
    return f"the request body is larger than {limit // 1024} KiB; send less"


class BodySizeLimitMiddleware:
    """Refuse (413) any request whose body is larger than `max_bytes`."""

    def __init__(self, app: ASGIApp, *, max_bytes: int = MAX_REQUEST_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            await refusal(scope, 413, too_large_message(self.max_bytes))(scope, receive, send)
            return
        received, too_large, started = 0, False, False

        async def counting_receive() -> Message:
            # Past the cap the app is told the client went away: it stops reading, and
            # whatever it answers then is replaced by the 413 below.
            nonlocal received, too_large
            if too_large:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                too_large = received > self.max_bytes
                if too_large:
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if too_large:
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except Exception:
            if not too_large:
                raise
        if too_large and not started:
            await refusal(scope, 413, too_large_message(self.max_bytes))(scope, receive, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            text = value.decode("latin-1").strip()
            return int(text) if text.isdigit() else None
    return None
