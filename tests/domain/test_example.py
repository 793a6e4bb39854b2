"""The shipped example is what it claims: realistic and compliant with every profile."""

from __future__ import annotations

from spec_changes import TODAY

from microcred.domain.compliance import Severity, check
from support.examples import example_specification


def test_example_is_compliant_with_every_profile_without_warnings() -> None:
    report = check(example_specification(), today=TODAY)
    assert [(v.profile, v.compliant, v.errors, v.warnings) for v in report.verdicts] == [
        ("eu", True, 0, 0),
        ("eslp", True, 0, 0),
        ("microbol", True, 0, 0),
    ]
    assert {issue.severity for issue in report.issues} == {Severity.info}


def test_example_is_a_five_ects_eqf_6_online_course_in_english_and_german() -> None:
    spec = example_specification()
    assert spec.title["en"] == "Data Literacy for Public Administration"
    assert spec.workload.ects == 5
    assert spec.level.eqf == "http://data.europa.eu/snb/eqf/6"
    assert spec.participation.modes == ["http://data.europa.eu/snb/learning-assessment/920fbb3cbe"]
    assert set(spec.languages_of_instruction) == {"en", "de"}
    assert all(set(outcome.text) == {"en", "de"} for outcome in spec.learning_outcomes)


def test_example_returns_a_fresh_object_each_time() -> None:
    first = example_specification()
    first.title["en"] = "Changed"
    assert example_specification().title["en"] == "Data Literacy for Public Administration"
