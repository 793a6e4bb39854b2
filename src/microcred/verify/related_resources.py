"""Related resources (VC Data Model 2.0 §5.3): each listed digest against the resource's bytes.

Only bytes at hand offline are compared (the pinned JSON-LD contexts): nothing is fetched
while verifying, so a resource that is not pinned is reported as not checked, not as failed.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from microcred.crypto.base58 import b58decode
from microcred.verify.document import as_list

# SRI names its algorithm; a multihash starts with its code (each below 0x80: one byte).
_SRI_ALGORITHMS = {"sha256": "sha256", "sha384": "sha384", "sha512": "sha512"}
_MULTIHASH_ALGORITHMS = {
    0x12: "sha256",
    0x20: "sha384",
    0x13: "sha512",
    0x16: "sha3_256",
    0x15: "sha3_384",
    0x14: "sha3_512",
}

ReadBytes = Callable[[str], bytes | None]


@dataclass(frozen=True)
class DigestResult:
    """How one related resource compared: `matched`, `mismatched` or `not checked`, and why."""

    id: str
    status: str
    reason: str


def check_related_resources(document: dict[str, Any], read: ReadBytes) -> list[DigestResult]:
    """Return one result per related resource with an id; `read` gives bytes or None."""
    results = []
    for item in as_list(document.get("relatedResource")):
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            continue  # the data model rules report the shape
        resource = item["id"]
        content = read(resource)
        if content is None:
            results.append(DigestResult(resource, "not checked", "not available offline"))
            continue
        wrong = [
            name
            for name, matches in (
                ("digestSRI", _sri_matches),
                ("digestMultibase", _multibase_matches),
            )
            if name in item and not matches(str(item[name]), content)
        ]
        if wrong:
            reason = f"{' and '.join(wrong)} do not match the pinned copy"
            results.append(DigestResult(resource, "mismatched", reason))
        else:
            results.append(DigestResult(resource, "matched", "the digest matches the pinned copy"))
    return results


def _sri_matches(value: str, content: bytes) -> bool:
    """True when any `algorithm-base64` token of the SRI value names this content's digest."""
    for token in value.split():
        algorithm, _, encoded = token.partition("-")
        name = _SRI_ALGORITHMS.get(algorithm)
        if name is None:
            continue
        try:
            expected = base64.b64decode(encoded, validate=True)
        except binascii.Error:
            continue
        if hashlib.new(name, content).digest() == expected:
            return True
    return False


def _multibase_matches(value: str, content: bytes) -> bool:
    """True when the multibase multihash (`u` base64url or `z` base58btc) names this content."""
    multihash = _multibase_bytes(value)
    if multihash is None or len(multihash) < 2:
        return False
    name, length, digest = _MULTIHASH_ALGORITHMS.get(multihash[0]), multihash[1], multihash[2:]
    return (
        name is not None and len(digest) == length and hashlib.new(name, content).digest() == digest
    )


def _multibase_bytes(value: str) -> bytes | None:
    try:
        if value.startswith("u"):
            return base64.urlsafe_b64decode(value[1:] + "=" * (-len(value[1:]) % 4))
        if value.startswith("z"):
            return b58decode(value[1:])
    except (binascii.Error, ValueError):
        return None
    return None
