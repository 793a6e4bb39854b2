"""Request counters in fixed time windows: in this process, or in Redis shared by many.

A key is counted in the window ``floor(now / seconds)``; the count starts again at zero in the
next window. Keys never hold an address or an e-mail in the clear: callers pass a digest.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from microcred.security.rate_limits import Limit


@dataclass(frozen=True)
class Count:
    """How many requests a key made in the current window, and when the window ends."""

    requests: int
    retry_after: int  # whole seconds until the window ends

    def over(self, limit: Limit) -> bool:
        return self.requests > limit.requests


class Counter(Protocol):
    def add(self, key: str, limit: Limit) -> Count:
        """Count one request of ``key`` and return the count so far in this window."""
        ...

    def peek(self, key: str, limit: Limit) -> Count:
        """Return the count of ``key`` in this window without adding to it."""
        ...


def _window(limit: Limit, now: float) -> tuple[int, int]:
    window = int(now // limit.seconds)
    return window, max(1, math.ceil((window + 1) * limit.seconds - now))


class MemoryCounter:
    """Counts in this process only (the default: one process serves the app)."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._counts: dict[str, tuple[int, int]] = {}  # key -> (window, requests)
        self._lock = threading.Lock()

    def add(self, key: str, limit: Limit) -> Count:
        return self._count(key, limit, 1)

    def peek(self, key: str, limit: Limit) -> Count:
        return self._count(key, limit, 0)

    def _count(self, key: str, limit: Limit, increment: int) -> Count:
        window, retry_after = _window(limit, self._clock())
        with self._lock:
            if len(self._counts) > 100_000:
                self._forget_old(window)
            seen_window, requests = self._counts.get(key, (window, 0))
            requests = (requests if seen_window == window else 0) + increment
            if increment:
                self._counts[key] = (window, requests)
        return Count(requests, retry_after)

    def _forget_old(self, window: int) -> None:
        self._counts = {k: v for k, v in self._counts.items() if v[0] == window}


class RedisCounter:
    """Counts in Redis, so that several API processes share one set of limits."""

    def __init__(self, url: str, prefix: str = "microcred:ratelimit:") -> None:
        import redis  # celery[redis] brings it; only needed when MICROCRED_REDIS_URL is set

        self._redis: Any = redis.Redis.from_url(url, socket_timeout=2)
        self.prefix = prefix

    def add(self, key: str, limit: Limit) -> Count:
        window, retry_after = _window(limit, time.time())
        name = f"{self.prefix}{key}:{window}"
        pipeline = self._redis.pipeline()
        pipeline.incr(name)
        pipeline.expire(name, limit.seconds + 1)
        requests, _ = pipeline.execute()
        return Count(int(requests), retry_after)

    def peek(self, key: str, limit: Limit) -> Count:
        window, retry_after = _window(limit, time.time())
        value = self._redis.get(f"{self.prefix}{key}:{window}")
        return Count(int(value or 0), retry_after)

    def close(self) -> None:
        self._redis.close()
