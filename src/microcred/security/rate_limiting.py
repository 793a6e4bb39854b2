"""Rate limits on the public verifier and on sign-in, answered with 429 and Retry-After.

- The verifier (the /verify page, the VC API's verify and derive endpoints, the OpenID4VP response
  endpoint) counts every request per client address.
- A client address is an IPv4 address, or the /64 network of an IPv6 address: one IPv6
  subscriber is usually given a whole /64, so counting single IPv6 addresses would let one
  client rotate through billions of them.
- Sign-in (POST /login) counts failed attempts (any answer but a redirect) per client address
  and per account, and refuses further attempts once either is used up, until the window ends.

The limits are read from ``app.state.rate_limits`` and counted in ``app.state.rate_counter``
at each request, so a test or an operator can change them on a running app.
"""

from __future__ import annotations

import hashlib
import ipaddress
from urllib.parse import parse_qs

from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from microcred.security.counters import Count, Counter
from microcred.security.rate_limits import Limit, RateLimits
from microcred.security.responses import refusal

VERIFY_ROUTES = {
    ("GET", "/verify"),
    ("POST", "/verify"),
    ("POST", "/credentials/verify"),
    ("POST", "/credentials/derive"),
    ("POST", "/presentations/verify"),
    ("POST", "/oid4vp/response"),
}
LOGIN_ROUTE = ("POST", "/login")
# A sign-in form is a few hundred bytes; reading more to find the e-mail would be abuse.
MAX_LOGIN_FORM_BYTES = 16 * 1024


def digest(kind: str, value: str) -> str:
    """Return the counter key for ``value``: hashed, so no address or e-mail is kept in clear."""
    return f"{kind}:{hashlib.sha256(value.encode('utf-8')).hexdigest()[:32]}"


class RateLimitMiddleware:
    """Apply the verifier and sign-in limits of the app this middleware wraps."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        route = (scope.get("method", ""), scope.get("path", ""))
        if scope["type"] != "http" or (route not in VERIFY_ROUTES and route != LOGIN_ROUTE):
            await self.app(scope, receive, send)
            return
        state = scope["app"].state
        limits: RateLimits = state.rate_limits
        counter: Counter = state.rate_counter
        client = _client_address(scope)
        if route == LOGIN_ROUTE:
            await self._login(scope, receive, send, limits, counter, client)
            return
        count = await run_in_threadpool(counter.add, digest("verify", client), limits.verify)
        if not count.allowed:
            await _too_many(scope, receive, send, count, "verifications from your address")
            return
        await self.app(scope, receive, send)

    async def _login(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        limits: RateLimits,
        counter: Counter,
        client: str,
    ) -> None:
        body, more = await _read_body(receive, MAX_LOGIN_FORM_BYTES)
        keys: list[tuple[str, Limit]] = [(digest("login-ip", client), limits.login_ip)]
        email = _form_email(body) if not more else ""
        if email:
            keys.append((digest("login-account", email), limits.login_account))
        for key, limit in keys:
            count = await run_in_threadpool(counter.peek, key, limit)
            if not count.allowed:
                await _too_many(scope, receive, send, count, "failed sign-in attempts")
                return
        status = 0

        async def watching_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        await self.app(scope, _replay(body, more, receive), watching_send)
        if status >= 400:
            for key, limit in keys:
                await run_in_threadpool(counter.add, key, limit)


async def _too_many(scope: Scope, receive: Receive, send: Send, count: Count, what: str) -> None:
    message = f"too many {what}; try again in {count.retry_after} seconds"
    headers = {"Retry-After": str(count.retry_after)}
    await refusal(scope, 429, message, headers)(scope, receive, send)


def _client_address(scope: Scope) -> str:
    # Behind a reverse proxy, run uvicorn with --proxy-headers and --forwarded-allow-ips so
    # that this is the visitor's address rather than the proxy's.
    client = scope.get("client")
    return client_group(str(client[0])) if client else "unknown"


def client_group(address: str) -> str:
    """Return what one client is counted as: an IPv4 address, or an IPv6 address's /64 network.

    An IPv4 address written in IPv6 (``::ffff:192.0.2.1``) counts as that IPv4 address; a
    value that is no address (a test client's name) counts as itself.
    """
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.IPv6Network((parsed, 64), strict=False))
    return str(parsed)


async def _read_body(receive: Receive, limit: int) -> tuple[bytes, bool]:
    """Return the body read so far (at most ``limit`` bytes) and whether more is to come."""
    chunks: list[bytes] = []
    size, more = 0, True
    while more and size <= limit:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunk = message.get("body", b"")
        chunks.append(chunk)
        size += len(chunk)
        more = bool(message.get("more_body", False))
    return b"".join(chunks), more


def _replay(body: bytes, more: bool, receive: Receive) -> Receive:
    """Return a receive that gives ``body`` first, then whatever the client still sends."""
    sent = False

    async def replaying_receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": more}
        return await receive()

    return replaying_receive


def _form_email(body: bytes) -> str:
    try:
        fields = parse_qs(body.decode("utf-8"), keep_blank_values=True)
    except UnicodeDecodeError:
        return ""
    return fields.get("email", [""])[0].strip().lower()
