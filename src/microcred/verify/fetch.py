"""Fetch a credential from a link (a QR code, an email): http(s) only, a timeout, a size cap."""

from __future__ import annotations

import httpx

from microcred.verify.parse import MAX_BYTES

TIMEOUT_SECONDS = 10.0


class FetchError(ValueError):
    """The link cannot give a credential; the message says why."""


def fetch_credential(url: str, *, timeout: float = TIMEOUT_SECONDS) -> bytes:
    """Return the body at an http(s) `url`, at most MAX_BYTES; raises `FetchError`."""
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme not in ("http", "https"):
        raise FetchError(f"only http and https links are fetched, not {url!r}")
    accept = "application/vc+ld+json, application/ld+json, application/json, application/vc+jwt"
    try:
        with (
            httpx.Client(timeout=timeout, follow_redirects=True, max_redirects=3) as client,
            client.stream("GET", url, headers={"Accept": accept}) as response,
        ):
            if response.status_code != 200:
                raise FetchError(f"{url} answered HTTP {response.status_code}")
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > MAX_BYTES:
                    raise FetchError(f"{url} sent more than {MAX_BYTES:,} bytes")
    except httpx.HTTPError as error:
        raise FetchError(f"cannot fetch {url}: {error}") from error
    return bytes(body)
