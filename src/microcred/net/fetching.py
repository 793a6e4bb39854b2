"""One outbound read under the fetch policy: checked addresses, redirects, size and time limits.

A read is a GET, or a POST of a small body (an RFC 3161 time-stamp request, an OCSP request);
a POST is never re-sent to the address a redirect names.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpcore

from microcred.net.connection import AddressNotAllowed, CheckedBackend, Deadline, DeadlinePassed
from microcred.net.policy import FetchPolicy, current_policy

_REDIRECTS = {301, 302, 303, 307, 308}
# JSON itself, and the VC 2.0 media types, which are JSON-LD without a +json suffix.
_JSON_TYPES = {"application/json", "application/vc", "application/vp"}


class FetchRefused(LookupError):
    """An outbound read gave nothing usable; `reason` names why, the message says it to people.

    Reasons: ``scheme``, ``address`` (address not allowed), ``unreachable`` (any failure to
    connect or read: refused, reset, timed out, TLS; one message for all, so an answer never
    tells whether something listens), ``deadline``, ``redirects``, ``status``, ``too_large``,
    ``content_type``.
    """

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class Fetched:
    """A response body that passed every limit, with where it came from in the end."""

    url: str
    body: bytes
    content_type: str
    headers: dict[str, str]


def fetch(
    url: str,
    *,
    accept: str = "*/*",
    json_only: bool = False,
    max_bytes: int | None = None,
    until: float | None = None,
    policy: FetchPolicy | None = None,
    post: tuple[bytes, str] | None = None,
    headers: tuple[tuple[str, str], ...] = (),
) -> Fetched:
    """Return the body at `url` after following at most the policy's redirects; raises
    `FetchRefused`.

    `json_only` refuses a response whose media type is not JSON (``application/json``,
    ``…+json``, or VC 2.0's ``application/vc``). `until` is a caller's overall deadline
    (a ``time.monotonic()`` value) that cuts the policy's own per-fetch deadline shorter.
    `post` (body, media type) sends a POST; its answer must come from `url` itself.
    `headers` are sent as well (an ``Authorization`` to a service that asks for a token); they
    go only to `url` itself, never to where a redirect points.
    """
    policy = policy or current_policy()
    limit = policy.max_body_bytes if max_bytes is None else max_bytes
    ends = time.monotonic() + policy.deadline
    deadline = Deadline(ends if until is None else min(ends, until))
    current = url
    try:
        for _hop in range(policy.max_redirects + 1):
            sent = headers if current == url else ()
            answer = _get(current, accept, limit, deadline, policy, post, sent)
            if isinstance(answer, Fetched):
                if json_only:
                    _require_json(answer)
                return answer
            if post is not None:
                raise FetchRefused("redirects", f"{url} redirected a POST; it is not re-sent")
            current = answer
    except DeadlinePassed:
        raise FetchRefused(
            "deadline", f"could not fetch {url}: no complete answer within {policy.deadline:g} s"
        ) from None
    except AddressNotAllowed:
        raise FetchRefused("address", f"{_shown(current)}: address not allowed") from None
    except (httpcore.NetworkError, httpcore.TimeoutException, httpcore.ProtocolError, OSError):
        raise FetchRefused("unreachable", f"could not fetch {_shown(current)}") from None
    except (httpcore.UnsupportedProtocol, ValueError):
        raise FetchRefused(
            "scheme", f"{_shown(current)} is not a URL that can be fetched"
        ) from None
    raise FetchRefused("redirects", f"{url} redirected more than {policy.max_redirects} times")


def _get(
    url: str,
    accept: str,
    limit: int,
    deadline: Deadline,
    policy: FetchPolicy,
    post: tuple[bytes, str] | None = None,
    extra: tuple[tuple[str, str], ...] = (),
) -> Fetched | str:
    """Return the response at `url`, or the URL it redirects to."""
    scheme = _scheme(url, policy)
    backend = CheckedBackend(policy, deadline, plain_http=scheme == "http")
    timeouts = {"connect": policy.connect_timeout, "read": None, "write": None, "pool": None}
    headers = [("Accept", accept), ("User-Agent", "microcred"), *extra]
    method, content = "GET", None
    if post is not None:
        method, content = "POST", post[0]
        headers += [("Content-Type", post[1]), ("Content-Length", str(len(post[0])))]
    with (
        httpcore.ConnectionPool(ssl_context=policy.tls_context(), network_backend=backend) as pool,
        pool.stream(
            method, url, headers=headers, content=content, extensions={"timeout": timeouts}
        ) as response,
    ):
        found = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in response.headers}
        if response.status in _REDIRECTS and "location" in found:
            return urljoin(url, found["location"])
        if response.status != 200:
            raise FetchRefused("status", f"{_shown(url)} answered HTTP {response.status}")
        declared = found.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise _too_large(url, limit)
        body = bytearray()
        for chunk in response.iter_stream():
            body += chunk
            if len(body) > limit:
                raise _too_large(url, limit)
            deadline.left()
    return Fetched(url, bytes(body), found.get("content-type", ""), found)


def _scheme(url: str, policy: FetchPolicy) -> str:
    """Return the URL's scheme: https, or http when the operator admits some non-public
    addresses (the connection then checks that this one is such an address)."""
    parts = urlsplit(url)
    plain_http_admitted = policy.allow_private or bool(policy.networks)
    scheme_admitted = parts.scheme == "https" or (parts.scheme == "http" and plain_http_admitted)
    if scheme_admitted and parts.hostname:
        return parts.scheme
    raise FetchRefused("scheme", f"{_shown(url)}: only https URLs are fetched")


def _require_json(answer: Fetched) -> None:
    media_type = answer.content_type.split(";", 1)[0].strip().lower()
    if media_type not in _JSON_TYPES and not media_type.endswith("+json"):
        raise FetchRefused(
            "content_type", f"{_shown(answer.url)} answered {media_type or 'no type'}, not JSON"
        )


def _too_large(url: str, limit: int) -> FetchRefused:
    return FetchRefused("too_large", f"{_shown(url)} sent more than {limit:,} bytes; refusing it")


def _shown(url: str) -> str:
    """Return `url` short enough for a message (a link may be long)."""
    return url if len(url) <= 200 else url[:200] + "…"
