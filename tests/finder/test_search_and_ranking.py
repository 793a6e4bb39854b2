"""The finder's filters and its ranking for a learner's answers, on a hand-made catalogue."""

from __future__ import annotations

from typing import Any

import pytest

from finder.courses import CLOUD_SKILL, TODAY, UNI_B, Published
from microcred.services.catalogue import Catalogue
from microcred.services.finder import Answers, Finder, FinderQuery


def found(
    finder: Finder, published: Published, answers: Answers | None = None, **asked: Any
) -> list[str]:
    results = finder.search(FinderQuery(**asked), answers, today=TODAY)
    return [published.key_of(match.id) for match in results.matches]


def test_compliance_driven_learner_with_5_hours_and_no_budget_sees_short_free_online_courses_first(
    finder: Finder, published: Published
) -> None:
    answers = Answers(profile="compliance", hours=5, budget=0, prefer="online")
    results = finder.search(FinderQuery(), answers, today=TODAY)
    order = [published.key_of(match.id) for match in results.matches]
    assert order[:2] == ["gdpr", "safety"]
    assert order.index("dpo") > order.index("procurement")
    first = [reason.text("en") for reason in results.matches[0].reasons]
    assert "Free of charge." in first
    assert "Fits your week: about 4 h a week; you have 5 h." in first
    assert "Taught online, as you prefer." in first
    assert "Short (4 weeks): quick to complete for a requirement." in first
    last = [reason.text("en") for reason in results.matches[-1].reasons]
    assert "Costs 1200 EUR, over your budget." in last


def test_reasons_read_in_german(finder: Finder, published: Published) -> None:
    answers = Answers(profile="compliance", hours=5, budget=0, prefer="online")
    best = finder.search(FinderQuery(), answers, today=TODAY).matches[0]
    german = [reason.text("de") for reason in best.reasons]
    assert "Kostenlos." in german
    assert "Passt in Ihre Woche: etwa 4 Std. pro Woche; Sie haben 5 Std." in german


def test_a_reskiller_sees_the_stackable_retraining_course_first(
    finder: Finder, published: Published
) -> None:
    answers = Answers(profile="reskiller", hours=12, budget=500, level=6)
    assert found(finder, published, answers)[0] == "cloud"


def test_only_published_specifications_are_found(finder: Finder, published: Published) -> None:
    everything = found(finder, published)
    assert sorted(everything) == sorted(published.ids)
    assert found(finder, published, text="unpublished") == []


def test_archived_specification_leaves_the_finder(
    finder: Finder, published: Published, catalogue: Catalogue
) -> None:
    catalogue.archive(published.ids["dpo"])
    assert "dpo" not in found(finder, published)


@pytest.mark.parametrize(
    ("asked", "expected"),
    [
        ({"delivery": "online"}, {"gdpr", "safety", "procurement"}),
        ({"delivery": "onsite"}, {"cloud"}),
        ({"synchronous": False}, {"gdpr", "procurement"}),
        ({"hours_max": 5}, {"gdpr", "safety"}),
        ({"weeks_max": 6}, {"gdpr", "safety"}),
        ({"ects_min": 6, "ects_max": 10}, {"dpo", "cloud", "cloud-advanced"}),
        ({"eqf": 7}, {"cloud-advanced"}),
        ({"price_max": 0}, {"gdpr", "safety"}),
        (
            {"price_max": 0, "funded": True},
            {"gdpr", "safety", "cloud", "cloud-advanced", "procurement"},
        ),
        ({"language": "de", "delivery": "online"}, {"gdpr", "safety", "procurement"}),
        ({"institution": UNI_B}, {"safety", "cloud", "cloud-advanced"}),
        ({"starts_from": TODAY, "starts_until": TODAY.replace(month=4)}, {"gdpr"}),
        ({"starts_from": TODAY}, {"gdpr", "cloud"}),
        ({"isced_f": "0542"}, {"gdpr", "safety", "dpo", "cloud", "cloud-advanced", "procurement"}),
        ({"isced_f": "07"}, set()),
        ({"schedule": "f230bae523"}, {"dpo", "cloud", "cloud-advanced"}),
    ],
)
def test_filters(
    finder: Finder, published: Published, asked: dict[str, Any], expected: set[str]
) -> None:
    assert set(found(finder, published, **asked)) == expected


def test_weekly_hours_fall_in_the_elm_learning_schedule(
    finder: Finder, published: Published
) -> None:
    light = set(found(finder, published, schedule="67395e6b5a"))
    assert {"gdpr", "safety"} <= light
    assert "dpo" not in light


def test_full_text_finds_words_in_the_learners_language(
    finder: Finder, published: Published
) -> None:
    assert found(finder, published, text="Arbeitsschutz", lang="de") == ["safety"]
    assert found(finder, published, text="cloud archit") == ["cloud"]


def test_full_text_falls_back_to_another_language(finder: Finder, published: Published) -> None:
    assert found(finder, published, text="beschaffung", lang="en") == ["procurement"]


def test_full_text_ranks_the_learners_language_first(finder: Finder, published: Published) -> None:
    # "grundlagen" is in the German titles of two courses; both found, German text counted fully.
    assert set(found(finder, published, text="grundlagen", lang="de")) == {"gdpr", "cloud"}


def test_every_query_word_must_match(finder: Finder, published: Published) -> None:
    assert found(finder, published, text="cloud safety") == []


def test_total_counts_every_match_and_pages_slice_them(
    finder: Finder, published: Published
) -> None:
    results = finder.search(FinderQuery(limit=2, offset=2), today=TODAY)
    assert results.total == 6
    assert len(results.matches) == 2


def test_skill_filter_takes_an_esco_uri_or_uuid(finder: Finder, published: Published) -> None:
    skill = "2b92a5b2-6758-4ee3-9fb4-b6387a55cc8f"  # in every course of the example
    assert len(found(finder, published, skill=skill)) == 6
    assert found(finder, published, skill=CLOUD_SKILL) == []


def test_bad_filter_values_are_refused_with_the_field_named() -> None:
    with pytest.raises(ValueError, match="ects_min"):
        FinderQuery(ects_min=5, ects_max=2)
    with pytest.raises(ValueError, match="ESCO skill"):
        FinderQuery(skill="programming")
    with pytest.raises(ValueError, match="ISCED-F"):
        FinderQuery(isced_f="computing")
