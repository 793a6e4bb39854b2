"""In Chromium: a learner answers the questionnaire, opens a course, sees its pathway and saves
it; axe-core finds no serious violation on the finder's pages. Screenshots go to
test-artifacts/ (finder-results.png, finder-course.png)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from api.app_fixtures import app_on_sqlite
from browser.accessibility import serious_violations
from chromium import ARTIFACTS
from finder.courses import publish_courses
from microcred.services.accounts import Accounts
from served import served

pytestmark = pytest.mark.browser
LEARNER, PASSWORD = "learner@example.org", "a long learner passphrase"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    app = app_on_sqlite(tmp_path / "finder.db")
    publish_courses(app.state.catalogue)
    Accounts(app.state.database).create_user(LEARNER, password=PASSWORD, actor="test setup")
    with served(app) as url:
        yield url


def test_learner_answers_the_questionnaire_opens_a_course_sees_its_pathway_and_saves_it(
    server: str, page: Page
) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(f"{server}/login?next=/courses/guide")
    page.fill("#email", LEARNER)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/courses/guide")
    assert serious_violations(page) == []

    page.get_by_label("Reskiller: move to a new field or job").check()
    page.fill("#f-hours", "12")
    page.fill("#f-budget", "500")
    page.select_option("#f-level", "6")
    page.get_by_role("button", name="Show my courses").click()
    page.wait_for_url("**/courses?**")
    first = page.locator("ol.results > li").first
    expect(first.locator("h3")).to_have_text("Cloud Architecture Foundations")
    expect(first.locator(".reasons")).to_contain_text("Meant for people retraining for a new job.")
    page.screenshot(path=str(ARTIFACTS / "finder-results.png"), full_page=True)
    assert serious_violations(page) == []

    first.get_by_role("link", name="Cloud Architecture Foundations").click()
    expect(page.locator("h1")).to_have_text("Cloud Architecture Foundations")
    pathway = page.locator("section.pathway")
    expect(pathway.locator("h3")).to_have_text("Stacks into: Cloud Certificate")
    expect(pathway.locator("ol.steps li")).to_have_count(2)
    expect(pathway.locator("li[aria-current=step]")).to_contain_text("Cloud Architecture")
    page.screenshot(path=str(ARTIFACTS / "finder-course.png"), full_page=True)
    assert serious_violations(page) == []

    page.get_by_role("button", name="Save this course").click()
    expect(page.get_by_role("status")).to_contain_text("Saved.")
    pathway.get_by_role("button", name="Save this pathway").click()
    expect(page.locator("section.pathway .saved-mark")).to_have_text("Pathway saved")

    page.goto(f"{server}/courses/saved")
    saved = page.locator(".saved-item h2")
    expect(saved).to_have_text(["Cloud Certificate", "Cloud Architecture Foundations"])
    assert serious_violations(page) == []
