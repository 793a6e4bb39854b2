"""did:web: an issuer's DID document served over HTTPS, and resolving other issuers' ones.

`did:web:uni.example` lives at `https://uni.example/.well-known/did.json`;
`did:web:uni.example:issuers:cpd` at `https://uni.example/issuers/cpd/did.json`. Documents
are read through `microcred.net` (public addresses only, a total deadline, checked redirects),
at most `MAX_DOCUMENT_BYTES` of JSON, and kept for `CACHE_SECONDS`. Plain http is used only
for a loopback host, and only when the fetch policy admits private addresses (tests).
"""

from __future__ import annotations

import ipaddress
import json
import threading
import time
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from microcred.crypto.did_document import did_document
from microcred.crypto.keys import PublicKey
from microcred.net import FetchPolicy, FetchRefused, current_policy, fetch

MAX_DOCUMENT_BYTES = 64 * 1024
CACHE_SECONDS = 300.0

_cache: dict[str, tuple[float, dict[str, Any]]] = {}
_cache_lock = threading.Lock()


class DidWebError(LookupError):
    """A did:web could not be resolved; the message says why."""


class DidWebUnreachable(DidWebError):
    """The DID document could not be fetched (unreachable, refused address, deadline, HTTP
    error): nothing is known about the DID's keys, not that they are wrong."""


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


def did_web_url(did: str, *, plain_http_for_loopback: bool = False) -> str:
    """Return the URL of the DID document for a did:web (http only for a loopback host, and
    only when asked for)."""
    if not did.startswith("did:web:"):
        raise DidWebError(f"not a did:web: {did!r}")
    host_part, *segments = did.removeprefix("did:web:").split(":")
    host = unquote(host_part)
    if not host or "/" in host:
        raise DidWebError(f"did:web {did!r} has no valid host")
    scheme = "https"
    if plain_http_for_loopback and _is_loopback(urlsplit(f"//{host}").hostname or ""):
        scheme = "http"
    path = (
        "/".join(unquote(s) for s in segments) + "/did.json" if segments else ".well-known/did.json"
    )
    return f"{scheme}://{host}/{path}"


def resolve_did_web(
    did: str, *, policy: FetchPolicy | None = None, until: float | None = None
) -> dict[str, Any]:
    """Return the DID document of a did:web, fetched (or from the cache); raises `DidWebError`.

    `policy` is the fetch policy (default: the settings'); `until` an overall deadline.
    """
    did = did.split("#", 1)[0]
    now = time.monotonic()
    with _cache_lock:
        cached = _cache.get(did)
    if cached and cached[0] > now:
        return cached[1]
    policy = policy or current_policy()
    url = did_web_url(did, plain_http_for_loopback=policy.allow_private)
    document = _fetch(url, policy, until)
    if document.get("id") != did:
        raise DidWebError(f"{url} describes {document.get('id')!r}, not {did!r}")
    with _cache_lock:
        _cache[did] = (now + CACHE_SECONDS, document)
    return document


def forget_cached_did_documents() -> None:
    """Empty the did:web cache (after a key rotation, or between tests)."""
    with _cache_lock:
        _cache.clear()


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


# did:web has no plain-http form: a DID made under an installation's http:// base URL (a demo,
# a laptop) is resolved over https by everyone else, and fails. Say so instead of "refused".
LOCAL_DID_WEB = (
    "this did:web names a local address; did:web is always resolved over https, so a "
    "credential issued under a plain-http or local base URL can be checked only by the "
    "installation that issued it (its /verify page, or `microcred verify` where its "
    "database is, MICROCRED_DATABASE_URL)"
)
PORTED_DID_WEB = (
    "did:web is always resolved over https; if the issuing installation serves plain http "
    "(a base URL like http://host:8000), its DIDs resolve only inside that installation"
)


def _explained(url: str, error: FetchRefused) -> str:
    """Return the fetch error, with why a did:web of a plain-http installation fails."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if error.reason == "address" and _is_local(host):
        return f"{error}: {LOCAL_DID_WEB}"
    if error.reason == "unreachable" and parts.port is not None:
        return f"{error}: {PORTED_DID_WEB}"
    return str(error)


def _is_local(host: str) -> bool:
    """True for localhost and loopback, private or link-local IP addresses."""
    if _is_loopback(host):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host.endswith((".local", ".localhost", ".internal"))
    return address.is_private or address.is_link_local


def _fetch(url: str, policy: FetchPolicy, until: float | None) -> dict[str, Any]:
    accept = "application/did+json, application/did+ld+json, application/json"
    try:
        body = fetch(
            url,
            accept=accept,
            json_only=True,
            max_bytes=MAX_DOCUMENT_BYTES,
            until=until,
            policy=policy,
        ).body
    except FetchRefused as error:
        raise DidWebUnreachable(_explained(url, error)) from error
    try:
        document = json.loads(body)
    except ValueError as error:
        raise DidWebError(f"{url} did not return JSON: {error}") from error
    if not isinstance(document, dict):
        raise DidWebError(f"{url} did not return a JSON object")
    return document
