"""Fetching another issuer's status list credential: through `microcred.net`, with a cache.

The fetch policy (public addresses only, https, a total deadline, checked redirects) is the
settings' one unless a policy is given. A list is kept for the ``max-age`` its server gives in
Cache-Control (at most ``MAX_CACHE_SECONDS``), else ``DEFAULT_CACHE_SECONDS``.
"""

from __future__ import annotations

import json
import re
import threading
import time
from typing import Any

from microcred.net import FetchPolicy, FetchRefused, fetch

DEFAULT_CACHE_SECONDS = 300.0
MAX_CACHE_SECONDS = 3600.0
# 16 KiB of bits compress to almost nothing; 1 MiB leaves room for very large, busy lists.
MAX_LIST_BYTES = 1024 * 1024
_MAX_AGE = re.compile(r"(?:^|,)\s*max-age\s*=\s*(\d+)", re.IGNORECASE)


class StatusListUnavailable(LookupError):
    """A status list credential could not be had; the message says why."""


class StatusListFetcher:
    """Fetch status list credentials by URL, keeping each for its cache lifetime."""

    def __init__(
        self, *, max_bytes: int = MAX_LIST_BYTES, policy: FetchPolicy | None = None
    ) -> None:
        self.max_bytes = max_bytes
        self.policy = policy  # None: the settings' policy, read at each fetch
        self._cache: dict[str, tuple[float, dict[str, Any]]] = {}
        self._lock = threading.Lock()

    def __call__(self, url: str) -> dict[str, Any]:
        """Return the status list credential at ``url``; raises ``StatusListUnavailable``."""
        now = time.monotonic()
        with self._lock:
            cached = self._cache.get(url)
        if cached and cached[0] > now:
            return cached[1]
        document, lifetime = self._fetch(url)
        with self._lock:
            self._cache[url] = (now + lifetime, document)
        return document

    def forget(self) -> None:
        """Empty the cache."""
        with self._lock:
            self._cache.clear()

    def _fetch(self, url: str) -> tuple[dict[str, Any], float]:
        accept = "application/vc+ld+json, application/vc, application/json"
        try:
            fetched = fetch(
                url, accept=accept, json_only=True, max_bytes=self.max_bytes, policy=self.policy
            )
        except FetchRefused as error:
            raise StatusListUnavailable(str(error)) from error
        try:
            document = json.loads(fetched.body)
        except ValueError as error:
            raise StatusListUnavailable(f"{url} did not return JSON: {error}") from error
        if not isinstance(document, dict):
            raise StatusListUnavailable(f"{url} did not return a JSON object")
        return document, cache_lifetime(fetched.headers.get("cache-control", ""))


def cache_lifetime(cache_control: str) -> float:
    """Return how long to keep a response with this Cache-Control header, in seconds."""
    if "no-store" in cache_control.lower() or "no-cache" in cache_control.lower():
        return 0.0
    match = _MAX_AGE.search(cache_control)
    if not match:
        return DEFAULT_CACHE_SECONDS
    return min(float(match.group(1)), MAX_CACHE_SECONDS)
