"""Rendering an OpenBadgeCredential: what a verifier or a wallet reads in it."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

import pytest
from pydantic import ValidationError

from microcred.domain.specification import Specification
from microcred.formats.ob3 import (
    EXTENSION_CONTEXT,
    AwardData,
    IssuerProfile,
    Ob3Error,
    render_achievement_credential,
)

ESCO = "http://data.europa.eu/esco/skill"
SPEC_URL = "https://www.th-lahntal.example/catalogue/data-literacy"


def achievement_of(credential: dict[str, Any]) -> dict[str, Any]:
    return credential["credentialSubject"]["achievement"]


def test_credential_is_a_vc2_open_badge_with_the_extension_context(
    credential: dict[str, Any],
) -> None:
    assert credential["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        EXTENSION_CONTEXT,
    ]
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["credentialSubject"]["type"] == ["AchievementSubject"]
    assert achievement_of(credential)["type"] == ["Achievement"]
    assert achievement_of(credential)["achievementType"] == "MicroCredential"
    assert credential["id"] == "urn:uuid:0c5a4f6e-4f6b-4b8e-9d77-2f0f6a9d3a11"
    assert "proof" not in credential


def test_valid_from_is_the_issue_time_in_utc_with_z(credential: dict[str, Any]) -> None:
    assert credential["validFrom"] == "2025-03-01T09:30:00Z"  # issued 11:30 at UTC+2
    assert credential["awardedDate"] == "2025-02-27T16:00:00Z"
    assert "validUntil" not in credential


def test_credits_available_are_the_ects_credits(credential: dict[str, Any]) -> None:
    achievement = achievement_of(credential)
    assert achievement["creditsAvailable"] == 5
    assert achievement["creditSystem"] == "http://data.europa.eu/snb/education-credit/6fcec5c5af"
    assert achievement["notionalWorkloadHours"] == 140


def test_esco_skills_become_competency_alignments(credential: dict[str, Any]) -> None:
    alignments = achievement_of(credential)["alignment"]
    assert [a["targetUrl"] for a in alignments] == [
        f"{ESCO}/2b92a5b2-6758-4ee3-9fb4-b6387a55cc8f",
        f"{ESCO}/1d6c7de4-350e-4868-a47b-333b4b0d9650",
        f"{ESCO}/097c6a36-f031-4d3e-b5c1-62d6ffcb430b",
    ]
    first = alignments[0]
    assert first["type"] == ["Alignment"]
    assert first["targetType"] == "ceasn:Competency"
    assert first["targetFramework"] == "ESCO"
    assert first["targetCode"] == "2b92a5b2-6758-4ee3-9fb4-b6387a55cc8f"
    assert first["targetName"].startswith("Analyse administrative data sets")


def test_skill_labels_name_the_alignment_targets(
    spec: Specification, award: AwardData, issuer: IssuerProfile
) -> None:
    skill = f"{ESCO}/2b92a5b2-6758-4ee3-9fb4-b6387a55cc8f"
    credential = render_achievement_credential(
        spec, award, issuer, spec_url=SPEC_URL, skill_labels={skill: "analyse big data"}
    )
    assert achievement_of(credential)["alignment"][0]["targetName"] == "analyse big data"


def test_eu_elements_without_an_ob3_term_travel_in_the_extension(
    credential: dict[str, Any],
) -> None:
    achievement = achievement_of(credential)
    assert achievement["eqfLevel"] == "http://data.europa.eu/snb/eqf/6"
    assert achievement["qfEheaCycle"] == "first"
    assert achievement["participation"]["learningMode"] == [
        "http://data.europa.eu/snb/learning-assessment/920fbb3cbe"
    ]
    assert achievement["participation"]["synchronous"] is False
    assert achievement["qualityAssurance"]["esgCompliant"] is True
    assert achievement["supervision"] == "supervised_online_with_id_verification"
    assert achievement["stackability"]["stackabilityKind"] == "integrated_stackable"
    assert achievement["stackability"]["stackingTarget"][0]["ectsRecognised"] == 5
    assert achievement["issuerCountry"] == [
        "http://publications.europa.eu/resource/authority/country/DEU"
    ]


def test_title_in_two_languages_is_two_language_tagged_values(
    credential: dict[str, Any],
) -> None:
    assert achievement_of(credential)["name"] == [
        {"@value": "Data Literacy for Public Administration", "@language": "en"},
        {"@value": "Datenkompetenz für die öffentliche Verwaltung", "@language": "de"},
    ]
    assert achievement_of(credential)["inLanguage"] == "en"


def test_title_only_in_the_document_language_is_a_plain_string(
    spec: Specification, award: AwardData, issuer: IssuerProfile
) -> None:
    spec.title = {"en": "Data Literacy for Public Administration"}
    credential = render_achievement_credential(spec, award, issuer, spec_url=SPEC_URL)
    assert credential["name"] == "Data Literacy for Public Administration"
    assert achievement_of(credential)["name"] == "Data Literacy for Public Administration"


def test_arabic_title_is_a_value_object_with_right_to_left_direction(
    spec: Specification, award: AwardData, issuer: IssuerProfile
) -> None:
    spec.title = {"en": "Data Literacy", "ar": "محو الأمية البيانية"}
    credential = render_achievement_credential(spec, award, issuer, spec_url=SPEC_URL)
    assert {"@value": "محو الأمية البيانية", "@language": "ar", "@direction": "rtl"} in (
        achievement_of(credential)["name"]
    )
    assert {"@value": "Data Literacy", "@language": "en"} in achievement_of(credential)["name"]


def test_learner_name_is_shown_and_email_is_salted_and_hashed(
    credential: dict[str, Any],
) -> None:
    identifiers = {i["identityType"]: i for i in credential["credentialSubject"]["identifier"]}
    assert identifiers["name"] == {
        "type": "IdentityObject",
        "identityType": "name",
        "hashed": False,
        "identityHash": "Jana Nowak",
    }
    expected = hashlib.sha256(b"jana.nowak@example.orgc0ffee-salt-42").hexdigest()
    assert identifiers["emailAddress"]["identityHash"] == f"sha256${expected}"
    assert identifiers["emailAddress"]["hashed"] is True
    assert identifiers["emailAddress"]["salt"] == "c0ffee-salt-42"
    assert identifiers["ext:dateOfBirth"]["hashed"] is True
    assert "Jana.Nowak@example.org" not in str(credential)


def test_learner_did_is_the_subject_id(
    spec: Specification, award: AwardData, issuer: IssuerProfile
) -> None:
    award.did = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
    credential = render_achievement_credential(spec, award, issuer, spec_url=SPEC_URL)
    assert credential["credentialSubject"]["id"] == award.did


def test_grade_is_a_result_linked_to_the_grading_scheme(credential: dict[str, Any]) -> None:
    result = credential["credentialSubject"]["result"][0]
    description = achievement_of(credential)["resultDescription"][0]
    assert result["value"] == "1.7"
    assert result["resultDescription"] == description["id"]
    assert description["allowedValue"][0] == "5.0"  # OB 3.0 lists values lowest first
    assert description["requiredValue"] == "4.0"


def test_criteria_narrative_lists_the_outcomes_then_the_assessment_criteria(
    credential: dict[str, Any],
) -> None:
    narrative = {
        v["@language"]: v["@value"] for v in achievement_of(credential)["criteria"]["narrative"]
    }
    assert narrative["en"].startswith("- Analyse administrative data sets")
    assert narrative["en"].endswith("outcomes 2 and 3 in the examination.")
    assert narrative["de"].startswith("- Verwaltungsdaten")


def test_issuer_and_awarding_body_are_profiles_with_country(credential: dict[str, Any]) -> None:
    issuer = credential["issuer"]
    assert issuer["id"] == "did:web:www.th-lahntal.example"
    assert issuer["type"] == ["Profile"]
    assert issuer["address"] == {"type": ["Address"], "addressCountryCode": "DE"}
    creator = achievement_of(credential)["creator"]
    assert creator["id"] == "https://www.th-lahntal.example"
    assert creator["higherEducationInstitution"] is True
    assert creator["otherIdentifier"][0]["identifier"] == "DE811234567"


def test_field_of_study_is_the_isced_f_label(credential: dict[str, Any]) -> None:
    achievement = achievement_of(credential)
    assert achievement["fieldOfStudy"] == "Statistics, Management and administration"
    assert achievement["fieldOfStudyCode"] == [
        "http://data.europa.eu/snb/isced-f/0542",
        "http://data.europa.eu/snb/isced-f/0413",
    ]


def test_spec_version_makes_the_achievement_id_and_version(
    spec: Specification, award: AwardData, issuer: IssuerProfile
) -> None:
    credential = render_achievement_credential(
        spec, award, issuer, spec_url=SPEC_URL, spec_version="3"
    )
    assert achievement_of(credential)["id"] == f"{SPEC_URL}/versions/3"
    assert achievement_of(credential)["version"] == "3"


def test_rendering_does_not_change_the_specification(
    spec: Specification, award: AwardData, issuer: IssuerProfile
) -> None:
    before = spec.model_dump()
    render_achievement_credential(spec, award, issuer, spec_url=SPEC_URL)
    assert spec.model_dump() == before


def test_award_missing_a_required_identifier_is_refused_naming_it(
    spec: Specification, award: AwardData, issuer: IssuerProfile
) -> None:
    award.email = None
    with pytest.raises(Ob3Error, match="lacks: email"):
        render_achievement_credential(spec, award, issuer, spec_url=SPEC_URL)


def test_missing_title_is_refused(
    spec: Specification, award: AwardData, issuer: IssuerProfile
) -> None:
    spec.title = {}
    with pytest.raises(Ob3Error, match="no title"):
        render_achievement_credential(spec, award, issuer, spec_url=SPEC_URL)


def test_relative_awarding_body_id_is_refused_naming_the_field(
    spec: Specification, award: AwardData, issuer: IssuerProfile
) -> None:
    spec.awarding_bodies[0].id = "th-lahntal"
    with pytest.raises(Ob3Error, match=r"awarding_bodies\.0\.id"):
        render_achievement_credential(spec, award, issuer, spec_url=SPEC_URL)


def test_relative_quality_assurance_link_is_refused_naming_the_field(
    spec: Specification, award: AwardData, issuer: IssuerProfile
) -> None:
    spec.quality_assurance.link = "/quality"
    with pytest.raises(Ob3Error, match=r"quality_assurance\.link"):
        render_achievement_credential(spec, award, issuer, spec_url=SPEC_URL)


def test_relative_spec_url_is_refused(
    spec: Specification, award: AwardData, issuer: IssuerProfile
) -> None:
    with pytest.raises(Ob3Error, match="spec_url"):
        render_achievement_credential(spec, award, issuer, spec_url="catalogue/data-literacy")


def test_award_time_without_a_time_zone_is_refused() -> None:
    with pytest.raises(ValidationError, match="timezone"):
        AwardData(learner_name="Jana Nowak", issued_on=datetime(2025, 3, 1, 9, 30))


def test_award_valid_until_before_issue_is_refused() -> None:
    with pytest.raises(ValidationError, match="must be after issued_on"):
        AwardData(
            learner_name="Jana Nowak",
            issued_on="2025-03-01T09:30:00Z",
            valid_until="2025-01-01T00:00:00Z",
        )


def test_issuer_id_must_be_an_absolute_iri() -> None:
    with pytest.raises(ValidationError, match="not an absolute IRI"):
        IssuerProfile(id="th-lahntal", name={"en": "Lahntal"})
