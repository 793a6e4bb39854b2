"""Verifying a presentation: the holder's proof with challenge and domain, then each credential."""

from __future__ import annotations

import copy

import pytest
from verify_support import CHECKED_AT, explained

from microcred.crypto.did_key import did_key_for
from microcred.crypto.keys import PrivateKey
from microcred.verify import CheckStatus, Verdict, verify_presentation

CHALLENGE = "a7c3f1e0-3b2f-4f6e-9d1c-0f4e5a6b7c8d"
DOMAIN = "https://admissions.uni-example.eu"


@pytest.fixture
def holder_key() -> PrivateKey:
    return PrivateKey.from_secret_bytes("Ed25519", b"\x42" * 32)


@pytest.fixture
def presentation(credential, holder_key, sign_as):
    unsigned = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiablePresentation"],
        "holder": did_key_for(holder_key.public_key),
        "verifiableCredential": [credential],
    }
    return sign_as(
        unsigned,
        key=holder_key,
        proof_purpose="authentication",
        challenge=CHALLENGE,
        domain=DOMAIN,
    )


def test_presentation_with_the_issued_challenge_verifies(presentation, trust, no_network):
    report = verify_presentation(presentation, CHALLENGE, DOMAIN, now=CHECKED_AT, trust=trust)
    assert report.verdict == Verdict.verified
    assert report.check("proof").status == CheckStatus.ok
    [credential_report] = report.credentials
    assert credential_report.verdict == Verdict.verified


def test_replayed_presentation_with_another_challenge_fails(presentation, trust):
    report = verify_presentation(presentation, "another-challenge", DOMAIN, now=CHECKED_AT)
    assert report.verdict == Verdict.failed and report.failed_check == "proof"
    assert "challenge" in explained(report.check("proof"))


def test_presentation_for_another_domain_fails(presentation):
    report = verify_presentation(
        presentation, CHALLENGE, "https://elsewhere.example", now=CHECKED_AT
    )
    assert report.failed_check == "proof"
    assert "not for domain" in explained(report.check("proof"))


def test_presentation_signed_by_someone_else_than_the_holder_fails(presentation, sign_as):
    unsigned = {key: value for key, value in presentation.items() if key != "proof"}
    stranger = PrivateKey.from_secret_bytes("Ed25519", b"\x09" * 32)
    resigned = sign_as(unsigned, key=stranger, proof_purpose="authentication", challenge=CHALLENGE)
    report = verify_presentation(resigned, CHALLENGE, now=CHECKED_AT)
    assert report.check("proof").status == CheckStatus.ok
    assert report.failed_check == "issuer_binding"
    assert "someone other than the holder" in explained(report.check("issuer_binding"))


def test_presentation_without_a_holder_skips_the_binding(presentation, sign_as, holder_key):
    unsigned = {k: v for k, v in presentation.items() if k not in ("proof", "holder")}
    signed = sign_as(unsigned, key=holder_key, proof_purpose="authentication", challenge=CHALLENGE)
    report = verify_presentation(signed, CHALLENGE, now=CHECKED_AT)
    assert report.check("proof").status == CheckStatus.ok
    assert report.check("issuer_binding").status == CheckStatus.skipped
    assert report.verdict != Verdict.failed


def test_credential_proof_used_as_a_presentation_proof_fails(credential):
    # The issuer's assertionMethod proof must not pass for the holder's authentication.
    report = verify_presentation(credential, CHALLENGE, now=CHECKED_AT)
    assert report.verdict == Verdict.failed


def test_changed_credential_inside_an_intact_presentation_fails(
    credential, holder_key, sign_as, trust
):
    tampered = copy.deepcopy(credential)
    tampered["credentialSubject"]["achievement"]["name"] = "Something grander"
    unsigned = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiablePresentation"],
        "holder": did_key_for(holder_key.public_key),
        "verifiableCredential": [tampered],
    }
    signed = sign_as(unsigned, key=holder_key, proof_purpose="authentication", challenge=CHALLENGE)
    report = verify_presentation(signed, CHALLENGE, now=CHECKED_AT, trust=trust)
    assert report.check("proof").status == CheckStatus.ok
    assert report.verdict == Verdict.failed
    assert report.failed_check == "credential[0].proof"


def test_presentation_from_an_untrusted_issuer_reads_as_untrusted(presentation):
    report = verify_presentation(presentation, CHALLENGE, DOMAIN, now=CHECKED_AT)
    assert report.verdict == Verdict.verified_untrusted_issuer


def test_untrusted_presentation_summary_names_the_carried_credentials_issuer(
    presentation, issuer_did
):
    report = verify_presentation(presentation, CHALLENGE, DOMAIN, now=CHECKED_AT)
    assert report.find("issuer_trust") is None  # a presentation's own checks do not include it
    assert report.summary.startswith("verified, but the issuer is not in the trusted-issuer")
    assert issuer_did in report.summary
    assert issuer_did in report.model_dump_json()  # serialising reads the summary too


def test_failed_carried_credential_summary_gives_its_reason(credential, holder_key, sign_as, trust):
    tampered = copy.deepcopy(credential)
    tampered["credentialSubject"]["achievement"]["name"] = "Something grander"
    unsigned = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiablePresentation"],
        "holder": did_key_for(holder_key.public_key),
        "verifiableCredential": [tampered],
    }
    signed = sign_as(unsigned, key=holder_key, proof_purpose="authentication", challenge=CHALLENGE)
    report = verify_presentation(signed, CHALLENGE, now=CHECKED_AT, trust=trust)
    assert report.summary.startswith("failed: credential[0].proof: ")
    assert report.summary != "failed: credential[0].proof: "
