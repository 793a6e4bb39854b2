"""The VC Data Model 2.0 rules: each kept and broken, as a list of problems and as the data
model check of the verifier."""

from __future__ import annotations

import base64
import hashlib
from importlib.resources import files

import pytest
from vc2_cases import CASES, SRI, V2, RuleCase, applied, minimal_credential
from verify_support import CHECKED_AT, explained

from microcred.verify import CheckStatus, verify_credential, verify_presentation
from microcred.verify.vc2_rules import ModelProblem, credential_problems, presentation_problems

ISSUER = "did:example:issuer"
BY_NAME = pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])


def test_the_minimal_credential_keeps_every_rule():
    assert credential_problems(minimal_credential(ISSUER)) == []


@BY_NAME
def test_kept_rule_gives_no_problem(case: RuleCase):
    assert credential_problems(applied(case.keeps, ISSUER)) == []


@BY_NAME
def test_broken_rule_gives_one_problem_naming_the_member(case: RuleCase):
    [problem] = credential_problems(applied(case.breaks, ISSUER))
    assert problem.path == case.member
    assert case.message in problem.message


@BY_NAME
def test_verifier_data_model_check_applies_the_same_rules(case: RuleCase, no_network):
    kept = verify_credential(applied(case.keeps, ISSUER), now=CHECKED_AT)
    assert kept.check("data_model").status == CheckStatus.ok, kept.check("data_model").reason
    broken = verify_credential(applied(case.breaks, ISSUER), now=CHECKED_AT)
    result = broken.check("data_model")
    assert result.status == CheckStatus.failed
    assert result.details["problems"][0].startswith(ModelProblem(case.member, "").under("$"))
    assert case.message in explained(result)


def test_problem_paths_read_from_a_root():
    assert ModelProblem("credentialSubject[1]", "x").under("credential") == (
        "credential.credentialSubject[1]"
    )
    assert ModelProblem("", "x").under("$") == "$"
    assert str(ModelProblem("validFrom", "must have a zone")) == "$.validFrom must have a zone"


def test_several_broken_rules_are_all_reported():
    document = minimal_credential("not a url")
    document.update(validFrom="yesterday", credentialSubject={})
    paths = [problem.path for problem in credential_problems(document)]
    assert paths == ["issuer", "credentialSubject", "validFrom"]


@pytest.mark.parametrize(
    ("presentation", "member"),
    [
        ({"type": ["VerifiablePresentation"]}, None),
        ({"type": ["VerifiableCredential"]}, "type"),
        ({"type": "VerifiablePresentation", "holder": "someone"}, "holder"),
        (
            {"type": "VerifiablePresentation", "verifiableCredential": ["eyJ"]},
            "verifiableCredential[0]",
        ),
        (
            {"type": "VerifiablePresentation", "termsOfUse": {"id": "https://p.example/"}},
            "termsOfUse",
        ),
    ],
)
def test_presentation_rules(presentation, member):
    document = {"@context": ["https://www.w3.org/ns/credentials/v2"], **presentation}
    problems = presentation_problems(document)
    assert [problem.path for problem in problems] == ([member] if member else [])
    report = verify_presentation(document, "challenge", now=CHECKED_AT)
    expected = CheckStatus.failed if member else CheckStatus.ok
    assert report.check("data_model").status == expected


def pinned_v2_bytes() -> bytes:
    return (
        files("microcred.data") / "contexts" / "www.w3.org_ns_credentials_v2.jsonld"
    ).read_bytes()


def multihash_base64url(code: int, digest: bytes) -> str:
    """The multibase (u, base64url without padding) of a multihash: code, length, digest."""
    return "u" + base64.urlsafe_b64encode(bytes([code, len(digest)]) + digest).decode().rstrip("=")


def related(**digests: str) -> dict:
    document = minimal_credential(ISSUER)
    document["relatedResource"] = [{"id": V2, **digests}]
    return document


@pytest.mark.parametrize(
    "digests",
    [
        {
            "digestSRI": "sha256-"
            + base64.b64encode(hashlib.sha256(pinned_v2_bytes()).digest()).decode()
        },
        {
            "digestSRI": "sha384-"
            + base64.b64encode(hashlib.sha384(pinned_v2_bytes()).digest()).decode()
        },
        {
            "digestSRI": "sha512-"
            + base64.b64encode(hashlib.sha512(pinned_v2_bytes()).digest()).decode()
        },
        {"digestMultibase": multihash_base64url(0x12, hashlib.sha256(pinned_v2_bytes()).digest())},
        {
            "digestMultibase": multihash_base64url(
                0x16, hashlib.sha3_256(pinned_v2_bytes()).digest()
            )
        },
    ],
    ids=["sri-sha256", "sri-sha384", "sri-sha512", "multibase-sha2-256", "multibase-sha3-256"],
)
def test_related_pinned_context_whose_digest_matches_passes(digests, no_network):
    result = verify_credential(related(**digests), now=CHECKED_AT).check("data_model")
    assert result.status == CheckStatus.ok, result.reason
    assert result.details["related_resources"] == [
        {"id": V2, "status": "matched", "reason": "the digest matches the pinned copy"}
    ]


@pytest.mark.parametrize(
    "digests",
    [
        {
            "digestSRI": "sha384-"
            + base64.b64encode(hashlib.sha384(b"another file").digest()).decode()
        },
        {"digestMultibase": multihash_base64url(0x12, hashlib.sha256(b"another file").digest())},
        {"digestMultibase": "zQmNotAMultihashOfThisFile"},
    ],
    ids=["sri", "multibase", "multibase-garbage"],
)
def test_related_pinned_context_whose_digest_differs_fails(digests, no_network):
    result = verify_credential(related(**digests), now=CHECKED_AT).check("data_model")
    assert result.status == CheckStatus.failed
    assert "do not match the pinned copy" in explained(result)
    assert result.details["related_resources"][0]["status"] == "mismatched"


def test_related_resource_not_available_offline_is_not_checked_and_not_failed(no_network):
    document = minimal_credential(ISSUER)
    document["relatedResource"] = {"id": "https://resources.example/a.png", "digestSRI": SRI}
    result = verify_credential(document, now=CHECKED_AT).check("data_model")
    assert result.status == CheckStatus.ok
    assert "1 related resource(s) not available offline" in explained(result)
    assert result.details["related_resources"][0]["status"] == "not checked"
