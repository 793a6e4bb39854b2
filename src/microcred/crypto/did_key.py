"""did:key: a DID that is its own public key, resolved locally without any network."""

from __future__ import annotations

from typing import Any

from microcred.crypto.did_document import did_document, verification_method
from microcred.crypto.keys import PublicKey
from microcred.crypto.multikey import decode_public_key, encode_public_key


def did_key_for(key: PublicKey) -> str:
    """Return `did:key:z...` for a public key."""
    return "did:key:" + encode_public_key(key)


def did_key_verification_method_id(key: PublicKey) -> str:
    """Return the verification method URL (`did:key:z...#z...`) that proofs name."""
    return verification_method(did_key_for(key), key)["id"]


def resolve_did_key(did: str) -> dict[str, Any]:
    """Return the DID document of a did:key (the fragment, if any, is ignored)."""
    did = did.split("#", 1)[0]
    if not did.startswith("did:key:"):
        raise ValueError(f"not a did:key: {did!r}")
    key = decode_public_key(did.removeprefix("did:key:"))
    return did_document(did, [key])
