"""Interop with Digital Bazaar's @digitalbazaar/vc (eddsa-rdfc-2022, did:key), both ways.

Credentials microcred signs verify there, and credentials signed there verify here; including
an Open Badges 3.0 micro-credential with microcred's extension context, values in Arabic with
a right-to-left direction, and strings with control characters.
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

import pytest
from interop_peer import peer_key, run_peer

from microcred.crypto.compiled import SHAPES
from microcred.crypto.data_integrity import sign
from microcred.crypto.did_key import did_key_for, did_key_verification_method_id
from microcred.crypto.keys import PrivateKey
from microcred.formats.ob3 import (
    EXTENSION_CONTEXT,
    AwardData,
    IssuerProfile,
    render_achievement_credential,
)
from microcred.verify import TrustedIssuer, TrustRegistry, Verdict, verify_credential
from support.examples import example_specification

pytestmark = pytest.mark.interop

KEY = PrivateKey.from_secret_bytes("Ed25519", bytes(range(100, 132)))
DID = did_key_for(KEY.public_key)
NOW = datetime(2025, 6, 1, tzinfo=UTC)
TRUST = TrustRegistry([TrustedIssuer(DID, "Lahntal University of Applied Sciences")])


def micro_credential() -> dict[str, Any]:
    """Return the example micro-credential as OB 3.0, with our extension context."""
    credential = render_achievement_credential(
        example_specification(),
        AwardData(
            learner_name="Jana Nowak",
            email="jana@example.org",
            issued_on=datetime(2025, 3, 1, 9, 30, tzinfo=UTC),
        ),
        IssuerProfile(id=DID, name={"en": "Lahntal University of Applied Sciences"}),
        spec_url="https://www.th-lahntal.example/catalogue/data-literacy",
    )
    assert EXTENSION_CONTEXT in credential["@context"]
    return credential


def multilingual_credential() -> dict[str, Any]:
    """Return a micro-credential whose name is Arabic (rtl) and whose text has control chars."""
    credential = micro_credential()
    achievement = credential["credentialSubject"]["achievement"]
    achievement["name"] = [
        {"@value": "محو الأمية في البيانات", "@language": "ar", "@direction": "rtl"},
        {"@value": "Data literacy", "@language": "en", "@direction": "ltr"},
    ]
    achievement["description"] = "Bell\u0007, tab\t, newline\n, escape\u001b and DEL\u007f."
    credential["name"] = {"@value": "شهادة مصغرة", "@language": "ar-EG", "@direction": "rtl"}
    return credential


def microcred_signed(credential: dict[str, Any]) -> dict[str, Any]:
    method = did_key_verification_method_id(KEY.public_key)
    return sign(credential, KEY, suite="eddsa-rdfc-2022", verification_method=method)


def peer_signed(credential: dict[str, Any]) -> dict[str, Any]:
    answer = run_peer({"op": "sign", "credential": credential, "key": peer_key(KEY, DID)})
    signed: dict[str, Any] = answer["credential"]
    return signed


def peer_verifies(credential: dict[str, Any]) -> bool:
    answer = run_peer({"op": "verify", "credential": credential})
    assert answer["verified"] or answer["error"], "the peer gave no reason for refusing"
    return bool(answer["verified"])


CREDENTIALS = {"ob3-micro-credential": micro_credential, "rtl-and-control": multilingual_credential}


@pytest.mark.parametrize("make", CREDENTIALS.values(), ids=CREDENTIALS.keys())
def test_credential_microcred_signs_verifies_in_digital_bazaar(make):
    assert peer_verifies(microcred_signed(make()))


@pytest.mark.parametrize("make", CREDENTIALS.values(), ids=CREDENTIALS.keys())
def test_credential_digital_bazaar_signs_verifies_in_microcred(make):
    signed = peer_signed(make())
    assert signed["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    report = verify_credential(signed, now=NOW, trust=TRUST)
    assert report.verdict == Verdict.verified, report.summary


def test_same_credential_and_date_give_the_same_proof_value_in_both():
    credential = multilingual_credential()
    ours = sign(
        credential,
        KEY,
        suite="eddsa-rdfc-2022",
        verification_method=did_key_verification_method_id(KEY.public_key),
        created="2025-03-01T09:30:00Z",
    )
    answer = run_peer(
        {
            "op": "sign",
            "credential": credential,
            "key": peer_key(KEY, DID),
            "date": "2025-03-01T09:30:00Z",
        }
    )
    assert answer["credential"]["proof"]["proofValue"] == ours["proof"]["proofValue"]


def test_direction_changed_after_signing_fails_in_both():
    signed = microcred_signed(multilingual_credential())
    tampered = copy.deepcopy(signed)
    tampered["name"]["@direction"] = "ltr"
    assert not peer_verifies(tampered)
    assert verify_credential(tampered, now=NOW, trust=TRUST).failed_check == "proof"


def test_control_character_changed_after_signing_fails_in_both():
    signed = peer_signed(multilingual_credential())
    tampered = copy.deepcopy(signed)
    achievement = tampered["credentialSubject"]["achievement"]
    achievement["description"] = achievement["description"].replace("\u0007", "\u0008")
    assert not peer_verifies(tampered)
    assert verify_credential(tampered, now=NOW, trust=TRUST).failed_check == "proof"


LEARNERS = [
    "Jana Nowak",
    'Zoë "Zo" O\'Brien',
    "أحمد المصري",
    "李小龙",
    "Back\\slash and tab\t",
    "Emoji 😀 and 𝔘",
    "",
]


def credentials_of_one_shape(count: int) -> list[dict[str, Any]]:
    """Return `count` micro-credentials of one shape, each to a different learner."""
    batch = []
    for number in range(count):
        credential = micro_credential()
        name = f"{LEARNERS[number % len(LEARNERS)]} {number}"
        credential["credentialSubject"]["identifier"][0]["identityHash"] = name
        credential["id"] = f"urn:uuid:00000000-0000-4000-8000-{number:012d}"
        batch.append(credential)
    return batch


def test_credentials_signed_on_the_compiled_path_verify_in_digital_bazaar():
    """The second and later credentials of a shape are canonicalised by a compiled plan: an
    independent RDFC-1.0 implementation agrees with every one of them."""
    hits = SHAPES.hits
    signed = [microcred_signed(credential) for credential in credentials_of_one_shape(24)]
    assert SHAPES.hits - hits >= 2 * 20  # document and proof configuration, by plans
    answer = run_peer({"op": "verify-many", "credentials": signed})
    assert [result["error"] for result in answer["results"]] == [None] * len(signed)
    assert all(result["verified"] for result in answer["results"])


def test_credentials_digital_bazaar_signs_verify_here_on_the_compiled_path():
    answer = run_peer(
        {"op": "sign-many", "credentials": credentials_of_one_shape(24), "key": peer_key(KEY, DID)}
    )
    hits = SHAPES.hits
    reports = [
        verify_credential(result["credential"], now=NOW, trust=TRUST)
        for result in answer["results"]
    ]
    assert [report.summary for report in reports if report.verdict != Verdict.verified] == []
    assert SHAPES.hits - hits >= 2 * 20
