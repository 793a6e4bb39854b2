"""Cryptosuites: each is a name, how it canonicalises, how it hashes, and which keys it takes.

The generic proof code (`crypto.data_integrity`) does everything else. Adding a suite is
adding one module here and one line to `SUITES`. A selective-disclosure suite, whose proof value
is more than one signature of the signing input, brings its own `create_proof_value` and
`verify_proof`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from microcred.crypto import jcs
from microcred.crypto.compiled import canonical_nquads

if TYPE_CHECKING:
    from microcred.crypto.keys import PrivateKey, PublicKey

CreateProofValue = Callable[[dict[str, Any], dict[str, Any], "PrivateKey", list[str]], str]
"""(unsecured document, proof configuration, issuer key, mandatory pointers) → proofValue."""
VerifyProof = Callable[[dict[str, Any], dict[str, Any], "PublicKey"], "str | None"]
"""(unsecured document, proof, issuer key) → why the proof fails, or None when it verifies."""


@dataclass(frozen=True)
class Cryptosuite:
    """What differs between Data Integrity cryptosuites."""

    name: str
    proof_type: str
    key_algorithms: tuple[str, ...]
    canonicalize: Callable[[dict[str, Any]], bytes]
    hash_for: Callable[[str], Callable[[bytes], bytes]]
    can_sign: bool = True
    proof_config_keeps_context: bool = False
    create_proof_value: CreateProofValue | None = None
    verify_proof: VerifyProof | None = None


def rdfc(document: dict[str, Any]) -> bytes:
    """Return the RDFC-1.0 canonical N-Quads of a JSON-LD document, as UTF-8.

    Documents of a shape seen before take the compiled path (`crypto.compiled`), whose
    output is byte-identical to expanding them with pyld.
    """
    return canonical_nquads(document).encode("utf-8")


def jcs_bytes(document: dict[str, Any]) -> bytes:
    """Return the RFC 8785 canonical JSON of a document."""
    return jcs.canonicalize(document)


def sha256_always(_algorithm: str) -> Callable[[bytes], bytes]:
    return lambda data: hashlib.sha256(data).digest()


def sha_by_curve(algorithm: str) -> Callable[[bytes], bytes]:
    """SHA-384 for P-384 keys, SHA-256 otherwise (as ecdsa-rdfc-2019 and ecdsa-jcs-2019 require)."""
    if algorithm == "P-384":
        return lambda data: hashlib.sha384(data).digest()
    return lambda data: hashlib.sha256(data).digest()
