"""The time budget of one piece of work (a verification), visible to every layer it runs through.

`within(seconds)` opens a budget for the code run inside it; long stages (JSON-LD expansion,
canonicalisation, the checks of a verification) call `check()` at their boundaries, and the
canonicaliser every few hundred steps, so that work past its deadline stops with
`DeadlineExceeded` instead of holding a worker. Outside `within` there is no deadline: `check()`
costs one context-variable read. The budget lives in a context variable, so that threads and
tasks of other requests each see their own.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


class DeadlineExceeded(ValueError):
    """The work ran past its time budget; the message says which budget."""


@dataclass(frozen=True)
class Deadline:
    """A point in monotonic time by which the work must be done, and the budget it came from."""

    at: float
    seconds: float

    def remaining(self) -> float:
        """Return the seconds left (negative once past)."""
        return self.at - time.monotonic()

    def check(self) -> None:
        """Raise `DeadlineExceeded` once the deadline has passed."""
        if time.monotonic() > self.at:
            raise DeadlineExceeded(f"the time budget of {self.seconds:g} s ran out")


_CURRENT: ContextVar[Deadline | None] = ContextVar("microcred_deadline", default=None)


def current() -> Deadline | None:
    """Return the deadline of the work in progress, or None when it has none."""
    return _CURRENT.get()


def check() -> None:
    """Raise `DeadlineExceeded` if the work in progress is past its deadline."""
    deadline = _CURRENT.get()
    if deadline is not None:
        deadline.check()


@contextmanager
def within(seconds: float) -> Iterator[Deadline]:
    """Run the body under a deadline `seconds` from now (an outer, earlier deadline stays)."""
    outer = _CURRENT.get()
    deadline = Deadline(time.monotonic() + seconds, seconds)
    if outer is not None and outer.at < deadline.at:
        deadline = outer
    token = _CURRENT.set(deadline)
    try:
        yield deadline
    finally:
        _CURRENT.reset(token)
