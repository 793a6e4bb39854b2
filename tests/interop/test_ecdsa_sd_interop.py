"""Interop of ecdsa-sd-2023 with Digital Bazaar's @digitalbazaar/ecdsa-sd-2023-cryptosuite, both
ways: a base proof made on one side is derived on the other, and each derived credential
verifies on both sides; a changed revealed value fails on both."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from interop_peer import peer_key, run_peer

from microcred.crypto.data_integrity import sign, verify
from microcred.crypto.did_key import did_key_for, did_key_verification_method_id
from microcred.crypto.key_resolution import key_resolver
from microcred.crypto.keys import PrivateKey
from microcred.crypto.suites.ecdsa_sd_2023 import derive

pytestmark = pytest.mark.interop

KEY = PrivateKey.from_secret_bytes("P-256", bytes(range(1, 33)))
DID = did_key_for(KEY.public_key)
MANDATORY = ["/issuer", "/validFrom"]
SELECTIVE = ["/credentialSubject/name", "/credentialSubject/results/1"]


def credential() -> dict[str, Any]:
    return {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            {"@vocab": "https://vocab.th-lahntal.example#"},
        ],
        "type": ["VerifiableCredential"],
        "issuer": DID,
        "validFrom": "2025-03-01T09:30:00Z",
        "credentialSubject": {
            "name": "Jana Nowak",
            "birthDate": "1999-02-03",
            "results": [
                {"module": "Statistics", "grade": "1.7"},
                {"module": "SQL", "grade": "2.0"},
            ],
        },
    }


def microcred_base() -> dict[str, Any]:
    method = did_key_verification_method_id(KEY.public_key)
    return sign(
        credential(),
        KEY,
        suite="ecdsa-sd-2023",
        verification_method=method,
        mandatory_pointers=MANDATORY,
    )


def peer_base() -> dict[str, Any]:
    answer = run_peer(
        {
            "op": "sd-sign",
            "credential": credential(),
            "key": peer_key(KEY, DID),
            "mandatoryPointers": MANDATORY,
        }
    )
    signed: dict[str, Any] = answer["credential"]
    return signed


def peer_derived(base: dict[str, Any]) -> dict[str, Any]:
    answer = run_peer({"op": "sd-derive", "credential": base, "selectivePointers": SELECTIVE})
    derived: dict[str, Any] = answer["credential"]
    return derived


def peer_verifies(document: dict[str, Any]) -> bool:
    answer = run_peer({"op": "sd-verify", "credential": document})
    assert answer["verified"] or answer["error"], "the peer gave no reason for refusing"
    return bool(answer["verified"])


def microcred_verifies(document: dict[str, Any]) -> bool:
    return all(result.ok for result in verify(document, resolve_key=key_resolver()))


def revealed(document: dict[str, Any]) -> dict[str, Any]:
    subject: dict[str, Any] = document["credentialSubject"]
    return subject


@pytest.mark.parametrize(
    ("make_base", "derive_with"),
    [
        (microcred_base, peer_derived),
        (peer_base, lambda base: derive(base, SELECTIVE)),
        (microcred_base, lambda base: derive(base, SELECTIVE)),
        (peer_base, peer_derived),
    ],
    ids=["microcred-base-peer-derives", "peer-base-microcred-derives", "microcred", "peer"],
)
def test_derived_credentials_verify_on_both_sides(make_base, derive_with):
    derived = derive_with(make_base())
    assert revealed(derived) == {
        "name": "Jana Nowak",
        "results": [{"module": "SQL", "grade": "2.0"}],
    }
    assert derived["validFrom"] == "2025-03-01T09:30:00Z"
    assert microcred_verifies(derived)
    assert peer_verifies(derived)
    changed = copy.deepcopy(derived)
    revealed(changed)["results"][0]["grade"] = "1.0"
    assert not microcred_verifies(changed)
    assert not peer_verifies(changed)


def test_both_sides_refuse_to_verify_a_base_proof():
    for base in (microcred_base(), peer_base()):
        assert not microcred_verifies(base)
        assert not peer_verifies(base)
