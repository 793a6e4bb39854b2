"""A DID document listing Multikey verification methods, and finding a key in one."""

from __future__ import annotations

from typing import Any

from microcred.crypto.keys import PublicKey
from microcred.crypto.multikey import decode_public_key, encode_public_key

DID_CONTEXTS = ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"]
RELATIONSHIPS = (
    "authentication",
    "assertionMethod",
    "capabilityInvocation",
    "capabilityDelegation",
)


class UnresolvableKey(LookupError):
    """A verification method could not be found or is not allowed for the proof's purpose."""


class KeyUnavailable(UnresolvableKey):
    """The key could not be had at all (its DID document not fetched, its DID method not
    supported): the signature is then unchecked, which is not the same as wrong."""


def verification_method(did: str, key: PublicKey) -> dict[str, str]:
    """Return the Multikey verification method for `key`; its fragment is the key's multibase."""
    multibase = encode_public_key(key)
    return {
        "id": f"{did}#{multibase}",
        "type": "Multikey",
        "controller": did,
        "publicKeyMultibase": multibase,
    }


def did_document(did: str, keys: list[PublicKey]) -> dict[str, Any]:
    """Return a DID document whose every key may authenticate and assert (issue credentials)."""
    methods = [verification_method(did, key) for key in keys]
    ids = [method["id"] for method in methods]
    document: dict[str, Any] = {"@context": DID_CONTEXTS, "id": did, "verificationMethod": methods}
    document.update({relationship: list(ids) for relationship in RELATIONSHIPS})
    return document


def key_in_document(document: dict[str, Any], method_id: str, purpose: str) -> PublicKey:
    """Return the public key of `method_id` if the document lists it under `purpose`."""
    did = document.get("id", "")
    allowed = document.get(purpose, [])
    allowed_ids = {(entry if isinstance(entry, str) else entry.get("id", "")) for entry in allowed}
    allowed_ids |= {f"{did}{entry}" for entry in allowed_ids if entry.startswith("#")}
    if method_id not in allowed_ids:
        raise UnresolvableKey(f"{method_id} is not listed under {purpose!r} in {did}")
    candidates = list(document.get("verificationMethod", [])) + [
        entry for entry in allowed if isinstance(entry, dict)
    ]
    for method in candidates:
        mid = method.get("id", "")
        if mid == method_id or f"{did}{mid}" == method_id:
            if "publicKeyMultibase" not in method:
                raise UnresolvableKey(f"{method_id} has no publicKeyMultibase")
            return decode_public_key(method["publicKeyMultibase"])
    raise UnresolvableKey(f"{method_id} is not in the verificationMethod list of {did}")
