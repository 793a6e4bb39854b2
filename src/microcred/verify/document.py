"""Small readers of a credential document that several checks share."""

from __future__ import annotations

from typing import Any

VC_V2_CONTEXT = "https://www.w3.org/ns/credentials/v2"
VC_V1_CONTEXT = "https://www.w3.org/2018/credentials/v1"


def as_list(value: Any) -> list[Any]:
    """Return `value` as a list: None is empty, a single value is a list of one."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def types_of(node: Any) -> list[str]:
    """Return the `type` strings of a JSON-LD node (none when it is not an object)."""
    if not isinstance(node, dict):
        return []
    return [t for t in as_list(node.get("type")) if isinstance(t, str)]


def issuer_id(document: dict[str, Any]) -> str | None:
    """Return the id of the credential's issuer (a string, or an object's `id`), if any."""
    issuer = document.get("issuer", document.get("holder"))
    if isinstance(issuer, dict):
        issuer = issuer.get("id")
    return issuer if isinstance(issuer, str) else None


def vc_version(document: dict[str, Any]) -> str | None:
    """Return "2.0" or "1.1" from the first `@context` entry, or None if it names neither."""
    contexts = as_list(document.get("@context"))
    first = contexts[0] if contexts else None
    return (
        {VC_V2_CONTEXT: "2.0", VC_V1_CONTEXT: "1.1"}.get(first) if isinstance(first, str) else None
    )
