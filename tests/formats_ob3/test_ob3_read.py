"""Reading a credential back: the Specification it describes, for the EU-profile check."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from microcred.domain.compliance import check
from microcred.domain.specification import Specification
from microcred.formats.ob3 import (
    AwardData,
    IssuerProfile,
    Ob3Error,
    render_achievement_credential,
    specification_from_ob3,
)

SPEC_URL = "https://www.th-lahntal.example/catalogue/data-literacy"


def eu_elements(spec: Specification) -> dict[str, Any]:
    # The price is for choosing an offer; no credential term carries it.
    return spec.model_dump(exclude={"price"})


def test_round_trip_keeps_every_eu_element(spec: Specification, credential: dict[str, Any]) -> None:
    assert eu_elements(specification_from_ob3(credential)) == eu_elements(spec)


def test_round_trip_keeps_an_arabic_title_and_a_single_language_title(
    spec: Specification, award: AwardData, issuer: IssuerProfile
) -> None:
    for title in ({"en": "Data Literacy", "ar": "محو الأمية البيانية"}, {"en": "Data Literacy"}):
        spec.title = title
        credential = render_achievement_credential(spec, award, issuer, spec_url=SPEC_URL)
        assert specification_from_ob3(credential).title == title


def test_round_trip_of_a_sparse_draft_keeps_it_sparse(
    award: AwardData, issuer: IssuerProfile
) -> None:
    draft = Specification(title={"de": "Datenkompetenz"}, workload={"ects": 2.5})
    credential = render_achievement_credential(draft, award, issuer, spec_url=SPEC_URL)
    read = specification_from_ob3(credential)
    assert read.title == {"de": "Datenkompetenz"}
    assert read.workload.ects == 2.5
    assert read.level.eqf is None
    assert read.learning_outcomes == []


def test_credits_without_the_ects_credit_system_are_not_read_as_ects(
    credential: dict[str, Any],
) -> None:
    del credential["credentialSubject"]["achievement"]["creditSystem"]
    assert specification_from_ob3(credential).workload.ects is None


def test_foreign_badge_without_the_extension_gives_a_partial_specification() -> None:
    badge = {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "https://badges.example/a/1",
                "type": ["Achievement"],
                "name": "Welding Basics",
                "description": "Safe MIG welding.",
                "criteria": {"narrative": "Pass the practical test."},
                "creditsAvailable": 3,
                "creator": {
                    "id": "https://college.example",
                    "type": ["Profile"],
                    "name": "College",
                },
            },
        },
    }
    spec = specification_from_ob3(badge)
    assert spec.title == {"en": "Welding Basics"}
    assert spec.awarding_bodies[0].id == "https://college.example"
    assert spec.workload.ects is None
    assert spec.level.eqf is None


def test_a_verifiable_credential_that_is_not_an_open_badge_is_refused() -> None:
    with pytest.raises(Ob3Error, match="not an Open Badges 3.0 credential"):
        specification_from_ob3({"type": ["VerifiableCredential"], "credentialSubject": {}})


def test_a_credential_without_an_achievement_is_refused() -> None:
    document = {
        "type": ["OpenBadgeCredential"],
        "credentialSubject": {"type": "AchievementSubject"},
    }
    with pytest.raises(Ob3Error, match=r"credentialSubject\.achievement"):
        specification_from_ob3(document)


def test_a_wrongly_typed_extension_value_is_refused_naming_the_term(
    credential: dict[str, Any],
) -> None:
    credential["credentialSubject"]["achievement"]["participation"]["synchronous"] = "no"
    with pytest.raises(Ob3Error, match=r"participation\.synchronous.*true or false"):
        specification_from_ob3(credential)


def test_a_value_the_specification_refuses_is_reported_with_its_field(
    credential: dict[str, Any],
) -> None:
    credential["credentialSubject"]["achievement"]["qfEheaCycle"] = "fourth"
    with pytest.raises(Ob3Error, match="level.qf_ehea_cycle"):
        specification_from_ob3(credential)


def test_reading_does_not_change_the_credential(credential: dict[str, Any]) -> None:
    before = repr(credential)
    specification_from_ob3(credential)
    assert repr(credential) == before


def test_read_back_credential_passes_the_eu_compliance_rules(credential: dict[str, Any]) -> None:
    report = check(specification_from_ob3(credential), today=date(2025, 3, 1))
    assert report.compliant, [issue.message for issue in report.errors]
    assert report.verdict("eslp").compliant


def test_credential_without_assessment_fails_the_assessment_rule(
    credential: dict[str, Any],
) -> None:
    del credential["credentialSubject"]["achievement"]["assessment"]
    report = check(specification_from_ob3(credential), today=date(2025, 3, 1))
    assert not report.compliant
    assert "MC-M09" in {issue.rule for issue in report.errors}
