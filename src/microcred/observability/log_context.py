"""What a log line says about the request it belongs to: its id and its tenant (institution).

The request middleware opens a `RequestContext` (`request_scope`); code anywhere below (a
route, a service in a worker thread) names the institution it acts for with `note_tenant`.
The context is one mutable object per request, so a note made in a thread-pool thread is seen
by the middleware.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

REQUEST_ID_HEADER = "x-request-id"
_GIVEN_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")


@dataclass
class RequestContext:
    request_id: str
    tenant: str | None = None


_current: ContextVar[RequestContext | None] = ContextVar("microcred_request", default=None)


def request_id_from(given: str | None) -> str:
    """Return the caller's request id when it is a plain token (a proxy's), else a new one."""
    if given and _GIVEN_ID.fullmatch(given):
        return given
    return uuid.uuid4().hex


@contextmanager
def request_scope(request_id: str) -> Iterator[RequestContext]:
    """Yield the context of one request; every log line inside carries its id."""
    context = RequestContext(request_id)
    token = _current.set(context)
    try:
        yield context
    finally:
        _current.reset(token)


def current_request() -> RequestContext | None:
    return _current.get()


def note_tenant(institution: str | None) -> None:
    """Record which institution the current request acts for (first one named wins)."""
    context = _current.get()
    if context is not None and institution and context.tenant is None:
        context.tenant = institution
