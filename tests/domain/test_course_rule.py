"""A course's award rule: who a final grade of at least X percent, or a completed activity,
earns the micro-credential for; and the rule as a form gives it."""

from __future__ import annotations

import pytest

from microcred.domain.course_rule import CourseRule, Result, RuleError, RuleKind

GRADEBOOK = [
    Result("ada", "Project", 17.0, 20.0),
    Result("ada", "Exam", 30.0, 80.0),
    Result("ben", "Project", 9.0, 20.0),
    Result("ben", "Exam", 70.0, 80.0),
    Result("cem", "Project", None, 20.0),  # not handed in
    Result("cem", "Exam", 80.0, 80.0),
]


def test_a_named_column_is_the_final_grade() -> None:
    assert CourseRule(RuleKind.grade, 60.0, "Project").earned(GRADEBOOK) == {"ada"}


def test_without_a_column_the_course_total_counts_ungraded_work_as_nothing() -> None:
    # ada 47/100, ben 79/100, cem 80/100 (his missing project counts with its maximum)
    assert CourseRule(RuleKind.grade, 79.0).earned(GRADEBOOK) == {"ben", "cem"}


def test_an_activity_is_complete_when_it_has_a_result() -> None:
    assert CourseRule(RuleKind.activity, None, "Project").earned(GRADEBOOK) == {"ada", "ben"}


def test_the_threshold_itself_earns_it() -> None:
    assert CourseRule(RuleKind.grade, 85.0, "Project").earned(GRADEBOOK) == {"ada"}


@pytest.mark.parametrize(
    ("kind", "threshold", "activity", "message"),
    [
        ("grade", "lots", "", "in percent"),
        ("grade", "101", "", "from 0 to 100"),
        ("activity", "", "  ", "Name the activity"),
        ("anything", "50", "", "Choose a rule"),
    ],
)
def test_a_rule_from_a_form_is_refused_with_what_to_fix(
    kind: str, threshold: str, activity: str, message: str
) -> None:
    with pytest.raises(RuleError, match=message):
        CourseRule.of(kind, threshold, activity)


def test_a_rule_from_a_form_reads_a_decimal_comma() -> None:
    assert CourseRule.of("grade", "62,5", "") == CourseRule(RuleKind.grade, 62.5, None)
