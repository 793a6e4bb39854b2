"""Classification of hand-made programmes against each definition, element by element."""

from __future__ import annotations

import pytest
from mapping_support import changed, programme

from microcred.formats.catalogue.programmes import Provider
from microcred.services.mapping import classify
from microcred.services.mapping.labels import label_family
from support.examples import example_specification

SNB = "http://data.europa.eu/snb"


def test_complete_programme_meets_the_recommendation_eslp_and_microbol() -> None:
    result = classify(programme())
    assert result.meets == {"eu": True, "eslp": True, "microbol": True, "own_label": False}
    assert result.missing == ()


# (element path, empty value, Annex I rule): each mandatory element a programme can lack.
MANDATORY = [
    ("title", {}, "MC-M02"),
    ("issuer_countries", [], "MC-M03"),
    ("awarding_bodies", [], "MC-M04"),
    ("learning_outcomes", [], "MC-M06"),
    ("workload", {"ects": None, "hours": None}, "MC-M07"),
    ("assessment.types", [], "MC-M09"),
    ("participation.modes", [], "MC-M10"),
    ("quality_assurance.types", [], "MC-M11"),
]


@pytest.mark.parametrize(("path", "empty", "rule"), MANDATORY, ids=[m[2] for m in MANDATORY])
def test_missing_mandatory_element_fails_the_recommendation(
    path: str, empty: object, rule: str
) -> None:
    result = classify(programme(changed(example_specification(), path, empty)))
    assert rule in result.missing
    assert result.meets["eu"] is False
    assert rule in result.unmet["eu"]


def test_missing_level_is_missing_but_allowed_if_not_applicable() -> None:
    spec = changed(example_specification(), "level", {"eqf": None, "qf_ehea_cycle": None})
    result = classify(programme(spec))
    assert "MC-M08" in result.missing
    assert result.meets["eu"] is True
    assert result.meets["eslp"] is False and "ESLP-02" in result.unmet["eslp"]
    assert result.meets["microbol"] is False and "MICROBOL-02" in result.unmet["microbol"]


def test_attendance_alone_counts_as_no_assessment() -> None:
    spec = changed(example_specification(), "assessment.types", [f"{SNB}/assessment/7331eb4762"])
    result = classify(programme(spec))
    assert "MC-M09" in result.missing
    assert result.meets["eu"] is False


OPTIONAL = [
    ("prerequisites", {}, "MC-O01"),
    ("supervision", None, "MC-O02"),
    ("grading_scheme", None, "MC-O03"),
    ("stackability", {"kind": None, "targets": []}, "MC-O04"),
]


@pytest.mark.parametrize(("path", "empty", "rule"), OPTIONAL, ids=[o[2] for o in OPTIONAL])
def test_missing_optional_element_is_listed_but_keeps_the_recommendation(
    path: str, empty: object, rule: str
) -> None:
    result = classify(programme(changed(example_specification(), path, empty)))
    assert rule in result.missing
    assert result.meets["eu"] is True


def test_missing_further_information_is_listed() -> None:
    spec = changed(example_specification(), "further_information", {})
    spec = changed(spec, "further_information_url", None)
    assert "MC-O05" in classify(programme(spec)).missing


def test_sixty_ects_is_not_a_small_volume_and_fails_the_recommendation() -> None:
    spec = changed(example_specification(), "workload", {"ects": 60, "hours": 1650})
    result = classify(programme(spec))
    assert result.meets["eu"] is False
    assert result.unmet["eu"] == ("MC-X02",)


def test_hours_only_meets_the_recommendation_but_not_microbol_or_eslp() -> None:
    spec = changed(example_specification(), "workload", {"ects": None, "hours": 40})
    result = classify(programme(spec))
    assert "MC-M07" not in result.missing
    assert result.meets["eu"] is True
    assert "MICROBOL-01" in result.unmet["microbol"]
    assert "ESLP-01" in result.unmet["eslp"]


def test_on_site_programme_fails_eslp_online_or_blended() -> None:
    spec = changed(
        example_specification(), "participation.modes", [f"{SNB}/learning-assessment/9191af2ed9"]
    )
    result = classify(programme(spec))
    assert result.unmet["eslp"] == ("ESLP-04",)
    assert result.meets["eu"] is True


def test_provider_that_is_not_a_university_fails_eslp() -> None:
    centre = Provider("centre", {"en": "Training Centre"}, "AT", False)
    result = classify(programme(provider=centre))
    assert result.unmet["eslp"] == ("ESLP-03",)


def test_forty_ects_is_outside_the_eslp_range() -> None:
    spec = changed(example_specification(), "workload", {"ects": 40, "hours": 1100})
    assert "ESLP-01" in classify(programme(spec)).unmet["eslp"]


def test_qa_not_under_the_esg_fails_microbol() -> None:
    spec = changed(example_specification(), "quality_assurance.esg_compliant", False)
    result = classify(programme(spec))
    assert result.unmet["microbol"] == ("MICROBOL-05",)
    assert result.meets["eu"] is True


def test_no_recognition_information_fails_microbol() -> None:
    spec = changed(example_specification(), "recognition", {})
    assert classify(programme(spec)).unmet["microbol"] == ("MICROBOL-06",)


def test_no_assessment_criteria_fails_microbol() -> None:
    spec = changed(example_specification(), "assessment.criteria", {})
    assert classify(programme(spec)).unmet["microbol"] == ("MICROBOL-04",)


@pytest.mark.parametrize(
    ("label", "family"),
    [
        ("Micro-Credential", "micro-credential"),
        ("Microcredencial", "micro-credential"),
        ("Micro-credenziale", "micro-credential"),
        ("MOOC", "mooc"),
        ("short learning programme", "short-learning-programme"),
        ("Hochschulzertifikat", "certificate"),
        ("Diploma", "diploma"),
        ("Teilnahmebestätigung", "attendance"),
        ("Weiterbildungskurs", "professional-course"),
        ("Corso di perfezionamento", "professional-course"),
        ("Sommerakademie", "other"),
        (None, "none"),
    ],
)
def test_own_label_is_grouped_into_a_family(label: str | None, family: str) -> None:
    assert label_family(label) == family


def test_own_label_definition_is_met_when_the_institution_says_micro_credential() -> None:
    spec = changed(example_specification(), "local_label", "Microcredential")
    assert classify(programme(spec)).meets["own_label"] is True
    assert classify(programme()).meets["own_label"] is False  # "Zertifikatskurs"
