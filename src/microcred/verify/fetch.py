"""Fetch a credential from a link (a QR code, an email): http(s) only, a timeout, a size cap."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

import httpx

from microcred.verify.parse import MAX_BYTES

TIMEOUT_SECONDS = 10.0


class FetchError(ValueError):
    """The link cannot give a credential; the message says why."""


def fetch_credential(
    url: str, *, timeout: float = TIMEOUT_SECONDS, allow_private_hosts: bool = True
) -> bytes:
    """Return the body at an http(s) `url`, at most MAX_BYTES; raises `FetchError`.

    A server fetching links for anonymous visitors passes `allow_private_hosts=False`, so a
    link cannot make it reach its own network (loopback, private and link-local addresses).
    """
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise FetchError(f"only http and https links are fetched, not {url!r}")
    if not allow_private_hosts:
        _refuse_private_host(parts.hostname)
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


def _refuse_private_host(host: str) -> None:
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except OSError as error:
        raise FetchError(f"cannot resolve {host}: {error}") from error
    for address in addresses:
        ip = ipaddress.ip_address(str(address).split("%", 1)[0])
        if not ip.is_global:
            raise FetchError(f"{host} is a private or local address ({ip}); it is not fetched")
