"""The compliance report: one result per rule, verdicts per profile, a catalogue to show."""

from __future__ import annotations

from spec_changes import SNB, TODAY, changed_example

from microcred.domain.compliance import PROFILES, RULES, Outcome, Severity, check
from microcred.domain.specification import Specification


def test_rule_ids_are_unique_and_belong_to_a_known_profile() -> None:
    ids = [rule.id for rule in RULES]
    assert len(ids) == len(set(ids))
    assert {rule.profile for rule in RULES} == set(PROFILES)
    assert all(rule.title and rule.source and rule.element for rule in RULES)


def test_catalogue_covers_the_eu_reference_rule_ids() -> None:
    ids = {rule.id for rule in RULES}
    expected = (
        {f"MC-M{n:02}" for n in range(1, 12)}
        | {f"MC-O{n:02}" for n in range(1, 6)}
        | {f"MC-X{n:02}" for n in range(1, 6)}
        | {f"MC-P{n:02}" for n in range(1, 9)}
        | {f"ESLP-{n:02}" for n in range(1, 11)}
    )
    assert expected <= ids


def test_report_has_one_result_per_rule_and_one_verdict_per_profile() -> None:
    report = check(changed_example({}), today=TODAY)
    assert [result.rule for result in report.results] == [rule.id for rule in RULES]
    assert [verdict.profile for verdict in report.verdicts] == ["eu", "eslp", "microbol"]


def test_empty_draft_fails_every_mandatory_element_except_date_and_level() -> None:
    report = check(Specification(), today=TODAY)
    failed_errors = {
        issue.rule for issue in report.issues_for("eu") if issue.severity == Severity.error
    }
    assert failed_errors == {f"MC-M{n:02}" for n in (1, 2, 3, 4, 6, 7, 9, 10, 11)}
    level = next(result for result in report.results if result.rule == "MC-M08")
    assert level.issues[0].severity == Severity.warning
    assert not report.compliant
    assert report.verdict("eu").errors == 9


def test_large_programme_can_meet_the_recommendation_but_not_e_slp() -> None:
    report = check(changed_example({"workload": {"ects": 40, "hours": 1100}}), today=TODAY)
    assert report.verdict("eu").compliant
    assert not report.verdict("eslp").compliant
    assert report.verdict("eslp").errors == 1
    assert report.verdict("microbol").compliant


def test_attendance_only_is_not_compliant_with_the_recommendation() -> None:
    report = check(
        changed_example({"assessment.types": [f"{SNB}/assessment/7331eb4762"]}), today=TODAY
    )
    assert not report.compliant
    assert [issue.rule for issue in report.errors] == ["MC-M09"]


def test_warnings_do_not_make_a_specification_non_compliant() -> None:
    report = check(changed_example({"level": {}, "relevance": {}}), today=TODAY)
    assert report.compliant
    assert {issue.rule for issue in report.warnings} == {"MC-M08", "MC-P02", "MC-P03"}


def test_not_applicable_rules_raise_no_issues() -> None:
    report = check(changed_example({"grading_scheme": None, "isced_f": []}), today=TODAY)
    outcomes = {result.rule: result for result in report.results}
    assert outcomes["MC-O03"].outcome == Outcome.not_applicable
    assert outcomes["MC-X04"].outcome == Outcome.not_applicable
    assert outcomes["MC-O03"].issues == outcomes["MC-X04"].issues == []
