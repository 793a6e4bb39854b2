"""The pure rules of OB 2.0 verification: where a hosted assertion may live, whose e-mail a
recipient identity hashes, and whether a revocation list names an assertion."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any
from urllib.parse import urlsplit

from microcred.verify.document import as_list

_HASHES = {"sha256": hashlib.sha256, "md5": hashlib.md5}


def node_id(value: Any) -> str | None:
    """Return the IRI a property names: the string itself, or an embedded node's ``id``."""
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, str) and value else None


def hosted_origin_problem(assertion_id: str, profile: dict[str, Any]) -> str | None:
    """Return why the issuer's verification policy refuses an assertion hosted at
    `assertion_id`, or None when it admits it.

    The Profile's ``verification.startsWith`` (URL prefixes) and ``allowedOrigins`` (hosts)
    both apply when given; when neither is, the assertion must be on the host of the
    Profile's own id.
    """
    policy = profile.get("verification")
    policy = policy if isinstance(policy, dict) else {}
    prefixes = [p for p in as_list(policy.get("startsWith")) if isinstance(p, str)]
    origins = [o.lower() for o in as_list(policy.get("allowedOrigins")) if isinstance(o, str)]
    where = urlsplit(assertion_id)
    hosts = {(where.hostname or "").lower(), where.netloc.lower()}
    if prefixes and not any(assertion_id.startswith(prefix) for prefix in prefixes):
        return f"{assertion_id} does not start with any of the issuer's {prefixes}"
    if origins and not hosts & set(origins):
        return f"{where.netloc} is not one of the issuer's allowed origins {origins}"
    if not prefixes and not origins and not same_host(assertion_id, node_id(profile) or ""):
        home = urlsplit(node_id(profile) or "").netloc
        return f"{where.netloc} is not the issuer's own host {home or '(none)'}"
    return None


def same_host(url: str, other: str) -> bool:
    """True when two web addresses name the same host and port."""
    host = urlsplit(url).netloc.lower()
    return bool(host) and host == urlsplit(other).netloc.lower()


def recipient_matches(recipient: dict[str, Any], identity: str) -> bool:
    """True when the assertion's recipient is `identity` (an e-mail, say): in the clear, or
    as ``sha256$…``/``md5$…`` of the identity followed by the salt."""
    stated = recipient.get("identity")
    if not isinstance(stated, str):
        return False
    salt = recipient.get("salt") if isinstance(recipient.get("salt"), str) else ""
    candidates = dict.fromkeys([identity.strip(), identity.strip().lower()])
    if recipient.get("hashed") is not True:
        return any(stated.strip().lower() == candidate.lower() for candidate in candidates)
    algorithm, _, digest = stated.partition("$")
    hashing = _HASHES.get(algorithm.lower())
    if hashing is None:
        return False
    return any(
        hmac.compare_digest(
            hashing(f"{candidate}{salt}".encode()).hexdigest(), digest.strip().lower()
        )
        for candidate in candidates
    )


def revocation_of(revocation_list: dict[str, Any], assertion: dict[str, Any]) -> str | None:
    """Return the reason a RevocationList gives for revoking the assertion ("" for none
    stated), or None when the list does not name it (by id, or by the 1.1 ``uid``)."""
    names = {node_id(assertion), assertion.get("uid")} - {None}
    for entry in as_list(revocation_list.get("revokedAssertions")):
        if isinstance(entry, str) and entry in names:
            return ""
        if isinstance(entry, dict) and {entry.get("id"), entry.get("uid")} & names:
            reason = entry.get("revocationReason")
            return reason if isinstance(reason, str) else ""
    return None
