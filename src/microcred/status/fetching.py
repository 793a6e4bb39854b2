"""Fetching another issuer's status list credential: HTTPS, a timeout, a size cap and a cache.

A list is kept for the ``max-age`` its server gives in Cache-Control (at most
``MAX_CACHE_SECONDS``), else ``DEFAULT_CACHE_SECONDS``. Redirects are refused. Plain http is
allowed only for loopback hosts and only when asked for (tests).
"""

from __future__ import annotations

import json
import re
import threading
import time
from typing import Any
from urllib.parse import urlsplit

import httpx

DEFAULT_CACHE_SECONDS = 300.0
MAX_CACHE_SECONDS = 3600.0
TIMEOUT_SECONDS = 3.0
# 16 KiB of bits compress to almost nothing; 1 MiB leaves room for very large, busy lists.
MAX_LIST_BYTES = 1024 * 1024
_LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}
_MAX_AGE = re.compile(r"(?:^|,)\s*max-age\s*=\s*(\d+)", re.IGNORECASE)


class StatusListUnavailable(LookupError):
    """A status list credential could not be had; the message says why."""


class StatusListFetcher:
    """Fetch status list credentials by URL, keeping each for its cache lifetime."""

    def __init__(
        self,
        *,
        timeout: float = TIMEOUT_SECONDS,
        max_bytes: int = MAX_LIST_BYTES,
        allow_http_for_loopback: bool = False,
    ) -> None:
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.allow_http_for_loopback = allow_http_for_loopback
        self._cache: dict[str, tuple[float, dict[str, Any]]] = {}
        self._lock = threading.Lock()

    def __call__(self, url: str) -> dict[str, Any]:
        """Return the status list credential at ``url``; raises ``StatusListUnavailable``."""
        now = time.monotonic()
        with self._lock:
            cached = self._cache.get(url)
        if cached and cached[0] > now:
            return cached[1]
        self._check_url(url)
        document, lifetime = self._fetch(url)
        with self._lock:
            self._cache[url] = (now + lifetime, document)
        return document

    def forget(self) -> None:
        """Empty the cache."""
        with self._lock:
            self._cache.clear()

    def _check_url(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme == "https" and parts.hostname:
            return
        loopback = parts.hostname in _LOOPBACK_HOSTS
        if parts.scheme == "http" and self.allow_http_for_loopback and loopback:
            return
        raise StatusListUnavailable(f"{url} is not an https URL; status lists are fetched over TLS")

    def _fetch(self, url: str) -> tuple[dict[str, Any], float]:
        try:
            with (
                httpx.Client(timeout=self.timeout, follow_redirects=False) as client,
                client.stream(
                    "GET", url, headers={"Accept": "application/vc+ld+json, application/json"}
                ) as response,
            ):
                if response.status_code != 200:
                    raise StatusListUnavailable(f"{url} answered HTTP {response.status_code}")
                body = bytearray()
                for chunk in response.iter_bytes():
                    body.extend(chunk)
                    if len(body) > self.max_bytes:
                        raise StatusListUnavailable(
                            f"{url} sent more than {self.max_bytes} bytes; refusing it"
                        )
                lifetime = cache_lifetime(response.headers.get("cache-control", ""))
        except httpx.HTTPError as error:
            raise StatusListUnavailable(
                f"{url} could not be fetched: {type(error).__name__}: {error}"
            ) from error
        try:
            document = json.loads(body)
        except ValueError as error:
            raise StatusListUnavailable(f"{url} did not return JSON: {error}") from error
        if not isinstance(document, dict):
            raise StatusListUnavailable(f"{url} did not return a JSON object")
        return document, lifetime


def cache_lifetime(cache_control: str) -> float:
    """Return how long to keep a response with this Cache-Control header, in seconds."""
    if "no-store" in cache_control.lower() or "no-cache" in cache_control.lower():
        return 0.0
    match = _MAX_AGE.search(cache_control)
    if not match:
        return DEFAULT_CACHE_SECONDS
    return min(float(match.group(1)), MAX_CACHE_SECONDS)
