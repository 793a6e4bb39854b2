"""Request counters in fixed time windows, kept by the `limits` package: in this process, or in
Redis shared by many.

A key's window opens at its first counted request and lasts the limit's seconds; the count
starts again at zero after it. Keys never hold an address or an e-mail in the clear: callers
pass a digest. Each request costs the same whatever the number of clients: a counter is one
entry looked up by its key, and expired entries are dropped one by one, never by rebuilding
the whole table under a lock.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from limits import RateLimitItem, RateLimitItemPerSecond
from limits.storage import MemoryStorage, RedisStorage, Storage
from limits.strategies import FixedWindowRateLimiter

from microcred.security.rate_limits import Limit

REDIS_KEY_PREFIX = "microcred:ratelimit"


@dataclass(frozen=True)
class Count:
    """Whether a key is still within its limit, and when its window ends if it is not."""

    allowed: bool
    retry_after: int  # whole seconds until the window ends; 0 while allowed


class Counter:
    """Counts requests per key against a `Limit`, in the storage it is given."""

    def __init__(self, storage: Storage) -> None:
        self.storage = storage
        self._limiter = FixedWindowRateLimiter(storage)

    def add(self, key: str, limit: Limit) -> Count:
        """Count one request of ``key``; refused when it goes past the limit of this window."""
        item = _item(limit)
        if self._limiter.hit(item, key):
            return Count(allowed=True, retry_after=0)
        return self._refused(item, key)

    def peek(self, key: str, limit: Limit) -> Count:
        """Tell whether one more request of ``key`` would be allowed, without counting it."""
        item = _item(limit)
        if self._limiter.test(item, key):
            return Count(allowed=True, retry_after=0)
        return self._refused(item, key)

    def _refused(self, item: RateLimitItem, key: str) -> Count:
        reset_at = self._limiter.get_window_stats(item, key).reset_time
        return Count(allowed=False, retry_after=max(1, math.ceil(reset_at - time.time())))


def memory_counter() -> Counter:
    """Return a counter of this process only (the default: one process serves the app)."""
    return Counter(MemoryStorage())


def redis_counter(url: str, prefix: str = REDIS_KEY_PREFIX) -> Counter:
    """Return a counter in Redis, so that several API processes share one set of limits."""
    return Counter(RedisStorage(url, key_prefix=prefix, socket_timeout=2))


def _item(limit: Limit) -> RateLimitItem:
    return RateLimitItemPerSecond(limit.requests, limit.seconds)
