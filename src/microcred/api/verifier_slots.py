"""How many verifications one process runs at once, how many may wait, and for how long.

Verifying is CPU work under the GIL: more threads at it only wait for each other. `VerifierSlots`
lets `capacity` verifications run; up to `max_waiting` more wait at most `wait_seconds` for a
slot; anything beyond is turned away at once, so a burst of hostile requests costs the server
a bounded queue and never starves requests that come later. `saturated` is what `/readyz`
reports, so that a load balancer sends work elsewhere meanwhile.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

MAX_CONCURRENT_VERIFICATIONS = 2
"""Verifications one server process runs at the same time."""
MAX_WAITING_VERIFICATIONS = 8
"""Verifications that may wait for a slot; more are answered 503 at once."""
VERIFICATION_QUEUE_WAIT_SECONDS = 5.0
"""How long a verification waits for a slot before it is answered 503."""
VERIFICATION_TIME_BUDGET_SECONDS = 10.0
"""Total time one verification may take; its stages stop with a reason once it has passed."""
RETRY_AFTER_SECONDS = 2
"""What a 503 answer's Retry-After header asks the client to wait."""


class VerifierSlots:
    """A bounded number of running and waiting verifications (thread-safe)."""

    def __init__(
        self,
        capacity: int = MAX_CONCURRENT_VERIFICATIONS,
        max_waiting: int = MAX_WAITING_VERIFICATIONS,
        wait_seconds: float = VERIFICATION_QUEUE_WAIT_SECONDS,
    ) -> None:
        self.capacity = capacity
        self.max_waiting = max_waiting
        self.wait_seconds = wait_seconds
        self._slots = threading.BoundedSemaphore(capacity)
        self._lock = threading.Lock()
        self.running = 0
        self.waiting = 0

    @property
    def saturated(self) -> bool:
        """True while every slot is busy and the waiting line is full."""
        with self._lock:
            return self.running >= self.capacity and self.waiting >= self.max_waiting

    @contextmanager
    def slot(self) -> Iterator[bool]:
        """Yield True holding a slot, or False (at once, or after `wait_seconds`) if none came."""
        acquired = self._slots.acquire(blocking=False) or self._wait_in_line()
        if not acquired:
            yield False
            return
        with self._lock:
            self.running += 1
        try:
            yield True
        finally:
            with self._lock:
                self.running -= 1
            self._slots.release()

    def _wait_in_line(self) -> bool:
        """Wait for a slot if the line has room; return whether one came."""
        with self._lock:
            if self.waiting >= self.max_waiting:
                return False
            self.waiting += 1
        try:
            return self._slots.acquire(timeout=self.wait_seconds)
        finally:
            with self._lock:
                self.waiting -= 1
