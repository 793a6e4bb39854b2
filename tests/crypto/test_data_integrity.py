"""Signing and verifying Data Integrity proofs: tampering, purposes, presentations, bad input."""

from __future__ import annotations

import copy
import socket

import pytest

from microcred.crypto.data_integrity import SigningError, sign, verify
from microcred.crypto.did_key import did_key_verification_method_id
from microcred.crypto.key_resolution import key_resolver
from microcred.crypto.keys import PrivateKey
from microcred.formats.jsonld import UnsafeDocument

SIGNING_SUITES = [
    ("eddsa-rdfc-2022", "Ed25519"),
    ("eddsa-jcs-2022", "Ed25519"),
    ("ecdsa-rdfc-2019", "P-256"),
    ("ecdsa-jcs-2019", "P-256"),
]


def _signed(document, suite="eddsa-rdfc-2022", algorithm="Ed25519", **options):
    key = PrivateKey.generate(algorithm)
    method = did_key_verification_method_id(key.public_key)
    return sign(document, key, suite=suite, verification_method=method, **options)


@pytest.mark.parametrize(("suite", "algorithm"), SIGNING_SUITES)
def test_signed_credential_verifies(alumni_credential, suite, algorithm):
    signed = _signed(alumni_credential, suite, algorithm)
    assert [r.ok for r in verify(signed, resolve_key=key_resolver())] == [True]
    assert "proof" not in alumni_credential


@pytest.mark.parametrize(("suite", "algorithm"), SIGNING_SUITES)
def test_changing_one_value_breaks_the_signature(alumni_credential, suite, algorithm):
    signed = _signed(alumni_credential, suite, algorithm)
    signed["credentialSubject"]["alumniOf"] = "The School of Forgeries"
    [result] = verify(signed, resolve_key=key_resolver())
    assert not result.ok and "does not match" in result.reason


def test_changing_the_proof_date_breaks_the_signature(alumni_credential):
    signed = _signed(alumni_credential)
    signed["proof"]["created"] = "2020-01-01T00:00:00Z"
    assert not verify(signed, resolve_key=key_resolver())[0].ok


def test_multilingual_values_with_direction_and_control_characters_round_trip():
    credential = {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://www.w3.org/ns/credentials/examples/v2",
        ],
        "type": ["VerifiableCredential"],
        "issuer": "did:example:issuer",
        "credentialSubject": {
            "id": "did:example:learner",
            "alumniOf": {"@value": "جامعة المثال", "@language": "ar", "@direction": "rtl"},
            "note": "line one\nline two\ttab\u0001bell\u007f",
        },
    }
    signed = _signed(credential)
    assert verify(signed, resolve_key=key_resolver())[0].ok
    tampered = copy.deepcopy(signed)
    tampered["credentialSubject"]["alumniOf"]["@direction"] = "ltr"
    assert not verify(tampered, resolve_key=key_resolver())[0].ok


def test_a_second_signature_makes_a_proof_set_and_both_verify(alumni_credential):
    twice = _signed(_signed(alumni_credential), "ecdsa-rdfc-2019", "P-256")
    assert isinstance(twice["proof"], list) and len(twice["proof"]) == 2
    results = verify(twice, resolve_key=key_resolver())
    assert [(r.suite, r.ok) for r in results] == [
        ("eddsa-rdfc-2022", True),
        ("ecdsa-rdfc-2019", True),
    ]


def test_wrong_purpose_fails(alumni_credential):
    signed = _signed(alumni_credential, proof_purpose="authentication")
    [result] = verify(signed, resolve_key=key_resolver())
    assert not result.ok and "proofPurpose" in result.reason


def test_presentation_proof_checks_challenge_and_domain(alumni_credential):
    signed = _signed(
        alumni_credential,
        proof_purpose="authentication",
        challenge="n-0S6",
        domain="verifier.example",
    )
    resolve = key_resolver(purpose="authentication")
    ok = verify(
        signed,
        resolve_key=resolve,
        expected_purpose="authentication",
        challenge="n-0S6",
        domain="verifier.example",
    )
    assert ok[0].ok
    replayed = verify(
        signed, resolve_key=resolve, expected_purpose="authentication", challenge="other"
    )
    assert not replayed[0].ok and "challenge" in replayed[0].reason
    elsewhere = verify(
        signed, resolve_key=resolve, expected_purpose="authentication", domain="evil.example"
    )
    assert not elsewhere[0].ok and "domain" in elsewhere[0].reason


def test_unknown_context_fails_verification_without_any_network(alumni_credential, monkeypatch):
    signed = _signed(alumni_credential)
    signed["@context"] = [*signed["@context"], "https://contexts.example/unknown/v1"]

    def no_network(*args, **kwargs):
        raise AssertionError("verification tried to open a network connection")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    [result] = verify(signed, resolve_key=key_resolver())
    assert not result.ok and "https://contexts.example/unknown/v1" in result.reason


def test_signing_a_relative_id_is_refused_naming_the_field(alumni_credential):
    alumni_credential["credentialSubject"]["id"] = "learner-42"
    with pytest.raises(UnsafeDocument) as caught:
        _signed(alumni_credential)
    assert caught.value.path == "$.credentialSubject.id"


def test_dropped_term_in_a_vc_1_1_credential_is_refused():
    credential = {
        "@context": ["https://www.w3.org/2018/credentials/v1"],
        "type": ["VerifiableCredential"],
        "issuer": "did:example:issuer",
        "issuanceDate": "2024-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:learner", "grade": "A"},
    }
    with pytest.raises(UnsafeDocument, match="grade"):
        _signed(credential)


def test_vc_1_1_credential_gets_the_data_integrity_context_and_verifies():
    credential = {
        "@context": ["https://www.w3.org/2018/credentials/v1"],
        "type": ["VerifiableCredential"],
        "issuer": "did:example:issuer",
        "issuanceDate": "2024-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:learner"},
    }
    signed = _signed(credential)
    assert "https://w3id.org/security/data-integrity/v2" in signed["@context"]
    assert verify(signed, resolve_key=key_resolver())[0].ok


def test_legacy_suite_and_wrong_key_type_are_refused_for_signing(alumni_credential):
    with pytest.raises(SigningError, match="verification only"):
        _signed(alumni_credential, "Ed25519Signature2020")
    with pytest.raises(SigningError, match="Ed25519"):
        _signed(alumni_credential, "eddsa-rdfc-2022", "P-256")


@pytest.mark.parametrize(
    ("mangle", "reason"),
    [
        (lambda d: d.pop("proof"), "no proof"),
        (lambda d: d["proof"].update(cryptosuite="rot13-2024"), "unknown cryptosuite"),
        (lambda d: d["proof"].update(proofValue="not-base58"), "multibase"),
        (lambda d: d["proof"].update(proofValue=d["proof"]["proofValue"][:20]), "does not match"),
        (
            lambda d: d["proof"].update(verificationMethod="did:example:nobody#k"),
            "cannot be resolved",
        ),
        (lambda d: d["proof"].update(proofPurpose=None), "proofPurpose"),
    ],
)
def test_broken_proofs_fail_with_a_reason(alumni_credential, mangle, reason):
    signed = _signed(alumni_credential)
    mangle(signed)
    [result] = verify(signed, resolve_key=key_resolver())
    assert not result.ok and reason in result.reason


def test_non_object_document_fails_cleanly():
    [result] = verify(["not", "a", "credential"], resolve_key=key_resolver())  # type: ignore[arg-type]
    assert not result.ok
