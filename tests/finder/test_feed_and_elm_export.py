"""The open-data feed and each offer's ELM learning-opportunity export validate."""

from __future__ import annotations

from datetime import date

import pytest

from finder.courses import COURSES, Published
from microcred.formats.elm.errors import ElmRenderError
from microcred.formats.elm.learning_opportunity import (
    render_learning_opportunity,
    validate_learning_opportunity,
)
from microcred.services.finder import Finder
from microcred.services.finder.facts import offer_facts
from microcred.services.finder.feed import CourseFeed, course_feed

BASE = "https://courses.example"


def test_feed_lists_every_published_offer_and_reads_back_as_its_schema(
    finder: Finder, published: Published
) -> None:
    feed = course_feed(finder, BASE)
    again = CourseFeed.model_validate_json(feed.model_dump_json())
    assert again.count == len(published.ids) == len(again.courses)
    ids = {course.id for course in again.courses}
    assert ids == {f"urn:uuid:{spec_id}" for spec_id in published.ids.values()}
    assert f"urn:uuid:{published.draft}" not in ids
    gdpr = next(c for c in again.courses if c.id == f"urn:uuid:{published.ids['gdpr']}")
    assert gdpr.price is not None and gdpr.price.amount == 0
    assert gdpr.delivery == ["online"] and gdpr.synchronous is False
    assert gdpr.elm_learning_opportunity == f"{BASE}/api/courses/{published.ids['gdpr']}/elm"


@pytest.mark.parametrize("key", sorted(COURSES))
@pytest.mark.parametrize("profile", ["generic-no-cv", "generic-full"])
def test_each_offer_exports_as_an_elm_learning_opportunity_that_conforms(
    key: str, profile: str
) -> None:
    spec = COURSES[key][1]
    document = render_learning_opportunity(
        spec, url=f"{BASE}/courses/{key}", today=date(2026, 3, 2)
    )
    report = validate_learning_opportunity(document, profile)  # type: ignore[arg-type]
    assert report.conforms, report.summary(5)
    assert document["type"] == "LearningOpportunity"
    assert document["learningAchievementSpecification"]["title"] == spec.title


def test_export_carries_price_schedule_and_next_start() -> None:
    spec = COURSES["cloud"][1]
    document = render_learning_opportunity(
        spec,
        url=f"{BASE}/courses/cloud",
        today=date(2026, 3, 2),
        schedule=offer_facts(spec).schedule,
    )
    assert document["temporal"]["startDate"] == "2026-05-01T00:00:00Z"
    amount = document["priceDetail"][0]["amount"]
    assert amount["value"] == "300"
    assert amount["unit"]["id"].endswith("/currency/EUR")
    assert document["learningSchedule"]["id"].endswith("f230bae523")  # part time intensive
    assert document["dcType"]["id"].endswith("74a4a268e8")  # short learning programme


def test_a_broken_export_fails_the_shapes() -> None:
    document = render_learning_opportunity(
        COURSES["gdpr"][1], url=f"{BASE}/courses/gdpr", today=date(2026, 3, 2)
    )
    del document["providedBy"]
    report = validate_learning_opportunity(document)
    assert not report.conforms
    assert any(failure.path == "elm:providedBy" for failure in report.failures)


def test_an_offer_without_awarding_body_is_refused_with_the_element_named() -> None:
    spec = COURSES["gdpr"][1].model_copy(update={"awarding_bodies": []})
    with pytest.raises(ElmRenderError, match="awarding_bodies"):
        render_learning_opportunity(spec, url=f"{BASE}/courses/x", today=date(2026, 3, 2))
