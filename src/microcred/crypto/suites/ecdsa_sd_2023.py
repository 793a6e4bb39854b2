"""ecdsa-sd-2023: selective disclosure with ECDSA P-256 (W3C Data Integrity ECDSA Cryptosuites).

The issuer signs a base proof: its own signature covers the proof configuration, the
statements the mandatory pointers select and a proof-scoped public key; that key signs every
other statement on its own. The holder derives a proof revealing only what some selective
pointers select (plus the mandatory statements): no key is needed, only the base proof. A
verifier accepts derived proofs only: a base proof carries the HMAC key that would let anyone
link the labels of every derived proof, and is never meant to leave the holder.
"""

from __future__ import annotations

import copy
import hashlib
import secrets
from typing import Any

from microcred.crypto.keys import P256, PrivateKey, PublicKey
from microcred.crypto.multikey import public_key_from_multicodec, public_key_multicodec
from microcred.crypto.rdfc import canonical_issue, serialize
from microcred.crypto.sd_canonical import (
    canonicalize_and_group,
    given_label_map,
    hmac_label_map,
    relabelled_canonical,
)
from microcred.crypto.sd_proof_values import (
    BaseProofValue,
    DerivedProofValue,
    parse_base,
    parse_derived,
    serialize_base,
    serialize_derived,
)
from microcred.crypto.sd_selection import check_pointers, select_json_ld
from microcred.crypto.suites import Cryptosuite, rdfc, sha256_always
from microcred.formats.jsonld.rdf import to_quads

NAME = "ecdsa-sd-2023"


class DerivationError(ValueError):
    """A proof cannot be derived as asked; the message says what to fix."""


def _sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def _proof_hash(unsecured: dict[str, Any], proof: dict[str, Any]) -> bytes:
    """SHA-256 of the canonical proof configuration (the proof without its value, in the
    document's context)."""
    config = {key: value for key, value in proof.items() if key != "proofValue"}
    if "@context" in unsecured:
        config["@context"] = unsecured["@context"]
    return _sha256(rdfc(config))


def _sign_data(proof_hash: bytes, public_key: bytes, mandatory: list[str]) -> bytes:
    return proof_hash + public_key + _sha256("".join(mandatory).encode("utf-8"))


def base_proof_value(
    unsecured: dict[str, Any],
    proof: dict[str, Any],
    key: PrivateKey,
    mandatory_pointers: list[str],
    *,
    hmac_key: bytes | None = None,
    proof_key: PrivateKey | None = None,
) -> str:
    """Return the base proofValue of `proof` over `unsecured`, signed by the issuer's `key`.

    The HMAC key and the proof-scoped key are fresh and random unless given (known-answer
    tests give the specification's). Raises `PointerError` for a pointer that names nothing.
    """
    hmac_key = hmac_key or secrets.token_bytes(32)
    proof_key = proof_key or PrivateKey.generate(P256)
    pointers = check_pointers(mandatory_pointers, "mandatoryPointers")
    grouped = canonicalize_and_group(unsecured, hmac_label_map(hmac_key), {"mandatory": pointers})
    group = grouped.groups["mandatory"]
    public_key = public_key_multicodec(proof_key.public_key)
    mandatory = [group.matching[index] for index in sorted(group.matching)]
    to_sign = _sign_data(_proof_hash(unsecured, proof), public_key, mandatory)
    signatures = [
        proof_key.sign(group.non_matching[index].encode("utf-8"))
        for index in sorted(group.non_matching)
    ]
    value = BaseProofValue(key.sign(to_sign), public_key, hmac_key, signatures, pointers)
    return serialize_base(value)


def derive(document: dict[str, Any], selective_pointers: list[str]) -> dict[str, Any]:
    """Return the document revealing the mandatory statements and what `selective_pointers`
    select, with a derived proof in place of its ecdsa-sd-2023 base proof.

    Raises `DerivationError` (or `PointerError`, `ProofValueError`) for a document without
    one such base proof, a pointer that names nothing, or a base proof that does not fit.
    """
    proof = _base_proof_of(document)
    base = parse_base(proof.get("proofValue"))
    selective = check_pointers(selective_pointers, "selectivePointers")
    combined = base.mandatory_pointers + selective
    if not combined:
        raise DerivationError("selectivePointers must select something to reveal")
    unsecured = {key: value for key, value in document.items() if key != "proof"}
    grouped = canonicalize_and_group(
        unsecured,
        hmac_label_map(base.hmac_key),
        {"mandatory": base.mandatory_pointers, "selective": selective, "combined": combined},
    )
    groups = grouped.groups
    combined_indexes = sorted(groups["combined"].matching)
    non_mandatory = sorted(groups["mandatory"].non_matching)
    if len(non_mandatory) != len(base.signatures):
        raise DerivationError(
            "the base proof signs a different document: its signatures do not match "
            "the document's statements"
        )
    _, verifier_labels = canonical_issue(groups["combined"].deskolemized)
    derived = DerivedProofValue(
        base.base_signature,
        base.public_key,
        [
            signature
            for index, signature in zip(non_mandatory, base.signatures, strict=True)
            if index in groups["selective"].matching
        ],
        {label: grouped.label_map[blank] for blank, label in verifier_labels.items()},
        [combined_indexes.index(index) for index in sorted(groups["mandatory"].matching)],
    )
    revealed = select_json_ld(combined, unsecured) or {}
    revealed["proof"] = {**proof, "proofValue": serialize_derived(derived)}
    return revealed


def _base_proof_of(document: dict[str, Any]) -> dict[str, Any]:
    proofs = document.get("proof")
    candidates = proofs if isinstance(proofs, list) else [proofs]
    found = [
        proof
        for proof in candidates
        if isinstance(proof, dict)
        and proof.get("type") == "DataIntegrityProof"
        and proof.get("cryptosuite") == NAME
    ]
    if len(found) != 1:
        raise DerivationError(f"the credential needs exactly one {NAME} proof to derive from")
    return copy.deepcopy(found[0])


def verify_derived(unsecured: dict[str, Any], proof: dict[str, Any], key: PublicKey) -> str | None:
    """Return why the derived `proof` fails for `unsecured` and the issuer's `key`, or None.

    Raises what canonicalisation raises for a document that is not sound JSON-LD.
    """
    try:
        derived = parse_derived(proof.get("proofValue"))
        proof_key = public_key_from_multicodec(derived.public_key)
    except ValueError as error:  # ProofValueError, or a proof-scoped key not on the curve
        return str(error)
    quads = [serialize(quad) for quad in to_quads(unsecured)]
    try:
        nquads, _ = relabelled_canonical(quads, given_label_map(derived.label_map))
    except KeyError:
        return "the proof's label map does not name every blank node of the document"
    if derived.mandatory_indexes and derived.mandatory_indexes[-1] >= len(nquads):
        return "a mandatory index is past the document's statements"
    mandatory_indexes = set(derived.mandatory_indexes)
    mandatory = [line for i, line in enumerate(nquads) if i in mandatory_indexes]
    others = [line for i, line in enumerate(nquads) if i not in mandatory_indexes]
    if len(others) != len(derived.signatures):
        return (
            f"the proof signs {len(derived.signatures)} statements but the document "
            f"reveals {len(others)}"
        )
    to_verify = _sign_data(_proof_hash(unsecured, proof), derived.public_key, mandatory)
    if not key.verify(derived.base_signature, to_verify):
        return "the issuer's signature does not match: the document or its proof was changed"
    for line, signature in zip(others, derived.signatures, strict=True):
        if not proof_key.verify(signature, line.encode("utf-8")):
            return "a statement's signature does not match: the document was changed"
    return None


SUITE = Cryptosuite(
    name=NAME,
    proof_type="DataIntegrityProof",
    key_algorithms=(P256,),
    canonicalize=rdfc,
    hash_for=sha256_always,
    create_proof_value=base_proof_value,
    verify_proof=verify_derived,
)

__all__ = ["SUITE", "DerivationError", "base_proof_value", "derive", "verify_derived"]
