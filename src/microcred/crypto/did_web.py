"""did:web: an issuer's DID document served over HTTPS, and resolving other issuers' ones.

`did:web:uni.example` lives at `https://uni.example/.well-known/did.json`;
`did:web:uni.example:issuers:cpd` at `https://uni.example/issuers/cpd/did.json`. Resolution
uses short timeouts, refuses redirects and bodies over `MAX_DOCUMENT_BYTES`, and keeps results
for `CACHE_SECONDS`. Plain http is allowed only for loopback hosts and only when asked for
(`allow_http_for_loopback=True`, used by tests).
"""

from __future__ import annotations

import json
import threading
import time
from typing import Any
from urllib.parse import quote, unquote, urlsplit

import httpx

from microcred.crypto.did_document import did_document
from microcred.crypto.keys import PublicKey

MAX_DOCUMENT_BYTES = 64 * 1024
CACHE_SECONDS = 300.0
TIMEOUT_SECONDS = 3.0
_LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}

_cache: dict[str, tuple[float, dict[str, Any]]] = {}
_cache_lock = threading.Lock()


class DidWebError(LookupError):
    """A did:web could not be resolved; the message says why."""


def did_web_for(base_url: str, path: str = "") -> str:
    """Return the did:web for an instance's public base URL, optionally under a path."""
    parts = urlsplit(base_url)
    if not parts.hostname:
        raise ValueError(f"base URL {base_url!r} has no host name")
    host = quote(parts.netloc, safe="")
    segments = [s for s in (parts.path.strip("/") + "/" + path.strip("/")).split("/") if s]
    return ":".join(["did:web", host, *(quote(s, safe="") for s in segments)])


def did_web_document(did: str, keys: list[PublicKey]) -> dict[str, Any]:
    """Return the DID document to serve for `did`; list old keys too so old credentials verify."""
    if not did.startswith("did:web:"):
        raise ValueError(f"not a did:web: {did!r}")
    return did_document(did, keys)


def did_web_url(did: str, *, allow_http_for_loopback: bool = False) -> str:
    """Return the URL of the DID document for a did:web."""
    if not did.startswith("did:web:"):
        raise DidWebError(f"not a did:web: {did!r}")
    host_part, *segments = did.removeprefix("did:web:").split(":")
    host = unquote(host_part)
    if not host or "/" in host:
        raise DidWebError(f"did:web {did!r} has no valid host")
    scheme = "https"
    if allow_http_for_loopback and urlsplit(f"//{host}").hostname in _LOOPBACK_HOSTS:
        scheme = "http"
    path = (
        "/".join(unquote(s) for s in segments) + "/did.json" if segments else ".well-known/did.json"
    )
    return f"{scheme}://{host}/{path}"


def resolve_did_web(
    did: str,
    *,
    allow_http_for_loopback: bool = False,
    timeout: float = TIMEOUT_SECONDS,
    max_bytes: int = MAX_DOCUMENT_BYTES,
) -> dict[str, Any]:
    """Return the DID document of a did:web, fetched (or from the cache); raises `DidWebError`."""
    did = did.split("#", 1)[0]
    now = time.monotonic()
    with _cache_lock:
        cached = _cache.get(did)
    if cached and cached[0] > now:
        return cached[1]
    url = did_web_url(did, allow_http_for_loopback=allow_http_for_loopback)
    document = _fetch(url, timeout, max_bytes)
    if document.get("id") != did:
        raise DidWebError(f"{url} describes {document.get('id')!r}, not {did!r}")
    with _cache_lock:
        _cache[did] = (now + CACHE_SECONDS, document)
    return document


def forget_cached_did_documents() -> None:
    """Empty the did:web cache (after a key rotation, or between tests)."""
    with _cache_lock:
        _cache.clear()


def _fetch(url: str, timeout: float, max_bytes: int) -> dict[str, Any]:
    try:
        with (
            httpx.Client(timeout=timeout, follow_redirects=False) as client,
            client.stream(
                "GET", url, headers={"Accept": "application/did+json, application/json"}
            ) as response,
        ):
            if response.status_code != 200:
                raise DidWebError(f"{url} answered HTTP {response.status_code}")
            body = bytearray()
            for chunk in response.iter_bytes():
                body.extend(chunk)
                if len(body) > max_bytes:
                    raise DidWebError(f"{url} sent more than {max_bytes} bytes; refusing it")
    except httpx.HTTPError as error:
        raise DidWebError(f"{url} could not be fetched: {type(error).__name__}: {error}") from error
    try:
        document = json.loads(body)
    except ValueError as error:
        raise DidWebError(f"{url} did not return JSON: {error}") from error
    if not isinstance(document, dict):
        raise DidWebError(f"{url} did not return a JSON object")
    return document
