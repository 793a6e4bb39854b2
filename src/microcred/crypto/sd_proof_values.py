"""The `proofValue` of an ecdsa-sd-2023 proof: a three-byte header, then CBOR, in multibase
base64url (`u...`).

A base proof (header `d9 5d 00`) carries what the holder needs to derive proofs: the issuer's
signature, the proof-scoped public key, the HMAC key, one signature per non-mandatory statement
and the mandatory pointers. A derived proof (header `d9 5d 01`) carries what a verifier needs:
the issuer's signature, the proof-scoped key, the signatures of the statements revealed, the
verifier's blank-node labels and which statements are mandatory. Parsing checks every size, so a
hostile proof value is refused with `ProofValueError` before any signature is checked.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from typing import Any

from microcred.crypto import cbor
from microcred.crypto.jose import b64url_encode

BASE_HEADER = b"\xd9\x5d\x00"
DERIVED_HEADER = b"\xd9\x5d\x01"
SIGNATURE_SIZE = 64  # P-256 r || s
P256_MULTIKEY_SIZE = 35  # multicodec 0x1200 (2 bytes) + compressed point (33 bytes)
HMAC_KEY_SIZE = 32
MAX_STATEMENTS = 10_000  # as many as a document may have quads (formats.jsonld.limits)
_BASE64URL = re.compile(r"^[A-Za-z0-9_-]*$")


class ProofValueError(ValueError):
    """A proofValue is not a well-formed ecdsa-sd-2023 value; the message says what is wrong."""


@dataclass(frozen=True)
class BaseProofValue:
    base_signature: bytes
    public_key: bytes
    hmac_key: bytes
    signatures: list[bytes]
    mandatory_pointers: list[str]


@dataclass(frozen=True)
class DerivedProofValue:
    base_signature: bytes
    public_key: bytes
    signatures: list[bytes]
    label_map: dict[str, str]  # the verifier's canonical label (c14nN) → HMAC label (u...)
    mandatory_indexes: list[int]


def serialize_base(value: BaseProofValue) -> str:
    """Return the multibase text of a base proof value."""
    items = [
        value.base_signature,
        value.public_key,
        value.hmac_key,
        value.signatures,
        value.mandatory_pointers,
    ]
    return "u" + b64url_encode(BASE_HEADER + cbor.encode(items))


def serialize_derived(value: DerivedProofValue) -> str:
    """Return the multibase text of a derived proof value (its label map compressed)."""
    compressed = {
        int(label[4:]): _label_bytes(hmac_label) for label, hmac_label in value.label_map.items()
    }
    items = [
        value.base_signature,
        value.public_key,
        value.signatures,
        compressed,
        value.mandatory_indexes,
    ]
    return "u" + b64url_encode(DERIVED_HEADER + cbor.encode(items))


def parse_base(proof_value: Any) -> BaseProofValue:
    """Return the parts of a base proof value; raises `ProofValueError`."""
    data = _decoded(proof_value)
    if data[:3] != BASE_HEADER:
        raise ProofValueError("the proofValue is not an ecdsa-sd-2023 base proof")
    items = _items(data, "base")
    base_signature, public_key, hmac_key, signatures, pointers = items
    if not isinstance(hmac_key, bytes) or len(hmac_key) != HMAC_KEY_SIZE:
        raise ProofValueError(f"the HMAC key must be {HMAC_KEY_SIZE} bytes")
    if not isinstance(pointers, list) or not all(isinstance(p, str) for p in pointers):
        raise ProofValueError("the mandatory pointers must be a list of text strings")
    return BaseProofValue(
        _signature(base_signature, "the base signature"),
        _proof_key(public_key),
        hmac_key,
        _signatures(signatures),
        pointers,
    )


def parse_derived(proof_value: Any) -> DerivedProofValue:
    """Return the parts of a derived proof value; raises `ProofValueError`."""
    data = _decoded(proof_value)
    if data[:3] == BASE_HEADER:
        raise ProofValueError(
            "this is an ecdsa-sd-2023 base proof, which only its holder reads: "
            "a verifier needs a proof derived from it (POST /credentials/derive)"
        )
    if data[:3] != DERIVED_HEADER:
        raise ProofValueError("the proofValue is not an ecdsa-sd-2023 derived proof")
    base_signature, public_key, signatures, labels, indexes = _items(data, "derived")
    if not isinstance(indexes, list) or not all(isinstance(i, int) for i in indexes):
        raise ProofValueError("the mandatory indexes must be a list of integers")
    if indexes != sorted(set(indexes)):
        raise ProofValueError("the mandatory indexes must increase")
    return DerivedProofValue(
        _signature(base_signature, "the base signature"),
        _proof_key(public_key),
        _signatures(signatures),
        _label_map(labels),
        indexes,
    )


def _decoded(proof_value: Any) -> bytes:
    if not isinstance(proof_value, str) or not proof_value.startswith("u"):
        raise ProofValueError("an ecdsa-sd-2023 proofValue is multibase base64url ('u...')")
    text = proof_value[1:]
    if not _BASE64URL.match(text) or len(text) % 4 == 1:
        raise ProofValueError("the proofValue is not base64url")
    data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    if len(data) < 4:
        raise ProofValueError("the proofValue is too short")
    return data


def _items(data: bytes, kind: str) -> list[Any]:
    try:
        items = cbor.decode(data[3:])
    except cbor.CborError as error:
        raise ProofValueError(f"the {kind} proofValue is not valid CBOR: {error}") from error
    if not isinstance(items, list) or len(items) != 5:
        raise ProofValueError(f"the {kind} proofValue must hold an array of 5 items")
    return items


def _signature(value: Any, what: str) -> bytes:
    if not isinstance(value, bytes) or len(value) != SIGNATURE_SIZE:
        raise ProofValueError(f"{what} must be {SIGNATURE_SIZE} bytes")
    return value


def _signatures(value: Any) -> list[bytes]:
    if not isinstance(value, list) or len(value) > MAX_STATEMENTS:
        raise ProofValueError(f"the signatures must be a list of at most {MAX_STATEMENTS}")
    return [_signature(item, f"signature {index}") for index, item in enumerate(value)]


def _proof_key(value: Any) -> bytes:
    if not isinstance(value, bytes) or len(value) != P256_MULTIKEY_SIZE:
        raise ProofValueError(f"the proof-scoped key must be a {P256_MULTIKEY_SIZE}-byte Multikey")
    if value[:2] != b"\x80\x24":
        raise ProofValueError("the proof-scoped key must be a P-256 Multikey")
    return value


def _label_map(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        raise ProofValueError("the label map must be a CBOR map")
    labels = {}
    for key, label in value.items():
        if not isinstance(key, int) or not isinstance(label, bytes) or len(label) != 32:
            raise ProofValueError("the label map must map integers to 32-byte labels")
        labels[f"c14n{key}"] = "u" + b64url_encode(label)
    return labels


def _label_bytes(hmac_label: str) -> bytes:
    """The 32 bytes of an HMAC label `u` + base64url."""
    return base64.urlsafe_b64decode(hmac_label[1:] + "=" * (-len(hmac_label[1:]) % 4))
