"""The VC API's POST endpoints served as plain Starlette routes, ahead of FastAPI's.

`POST /credentials/verify` is the one route a busy verifier answers thousands of times; through
FastAPI each request walks the included routers to find it and solves its dependencies (the
app's global `current_user`, then `capped_body`), with a thread hand-off for each sync one.
These routes call the same handlers with the same two inputs, so answers are identical: who
asks is resolved as on every route (a wrong or revoked token gets the same 401), the body is
read by `capped_body`, and the handler runs in the thread pool (it is CPU work) together
with the look-up of who asks (one hand-off instead of two). The middlewares (rate limits,
size limits, headers, request log) wrap these routes as they wrap every other.

The FastAPI routes stay registered behind these: they describe the endpoints in the OpenAPI
document, and are never reached for POST.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import FastAPI, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.routing import Route

from microcred.api import vc_issue, vc_verify
from microcred.api.vc_verify import RequestBody, capped_body
from microcred.http import auth

Handler = Callable[[Request, RequestBody], Response]

LEAN_ENDPOINTS: dict[str, Handler] = {
    "/credentials/verify": vc_verify.verify_credentials_endpoint,
    "/presentations/verify": vc_verify.verify_presentations_endpoint,
    "/credentials/issue": vc_issue.issue_credential_endpoint,
}


def install_lean_routes(app: FastAPI) -> None:
    """Put the lean routes first in `app`'s routing, before any included router."""
    for position, (path, handler) in enumerate(LEAN_ENDPOINTS.items()):
        app.router.routes.insert(position, lean_route(path, handler))


def lean_route(path: str, handler: Handler) -> Route:
    """Return a POST route that answers as `handler` does behind FastAPI's dependencies."""

    async def endpoint(request: Request) -> Response:
        body = await capped_body(request)
        return await run_in_threadpool(_as_current_user, handler, request, body)

    return Route(path, endpoint, methods=["POST"], include_in_schema=False)


def _as_current_user(handler: Handler, request: Request, body: RequestBody) -> Response:
    """Run `handler` once who asks is known; a wrong bearer token raises the 401 first."""
    auth.current_user(request)
    return handler(request, body)
