"""A keyed hash chain: each link is an HMAC-SHA256 over canonical JSON, under a key from the KEK.

A plain hash chain shows that rows were changed only to someone who kept the head elsewhere:
whoever can write the rows can also recompute every hash. With an HMAC, recomputing a link
needs the chain key, and the chain key is derived (HKDF-SHA256) from the key-encryption key,
which is kept outside the database. The label names what the derived key is for, so it can
never equal a key derived from the same KEK for another purpose.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from microcred.crypto.jcs import canonicalize

# The value the first link of a chain follows, where later links hold the one before.
GENESIS = "0" * 64
CHAIN_KEY_LABEL = b"microcred audit log chain key: HMAC-SHA256, v1"
_KEY_ID_LABEL = b"microcred audit log chain key id"


def derive_chain_key(kek: bytes) -> bytes:
    """Return the 32-byte HMAC key of the audit chain, derived from the KEK with HKDF-SHA256."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=CHAIN_KEY_LABEL).derive(kek)


def chain_value(key: bytes, fields: dict[str, Any]) -> str:
    """Return the hex HMAC-SHA256 of the RFC 8785 canonical JSON of ``fields``."""
    return hmac.new(key, canonicalize(fields), hashlib.sha256).hexdigest()


def chain_key_id(key: bytes) -> str:
    """Return a short public name of a chain key: a checkpoint records which key made the chain,
    so a verifier can tell "a different KEK" from "rows were changed" without the key itself."""
    return hmac.new(key, _KEY_ID_LABEL, hashlib.sha256).hexdigest()[:16]
