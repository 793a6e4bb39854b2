"""The VC Data Model 2.0 rules: each kept and broken, as a list of problems and as the data
model check of the verifier."""

from __future__ import annotations

import pytest
from vc2_cases import CASES, RuleCase, applied, minimal_credential
from verify_support import CHECKED_AT

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
    assert case.message in result.reason


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
