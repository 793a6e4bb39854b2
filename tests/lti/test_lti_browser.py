"""In Chromium: an instructor adds microcred to a course in the test LMS, picks the
micro-credential and its rule, returns to the course; the LMS's gradebook fills in; a registrar
reads the grades from the LMS set-up page and sees the awards appear."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from lti.conftest import World, staff_session
from lti.lms_platform import Member

pytestmark = pytest.mark.browser


def test_launch_link_push_grades_and_see_the_awards(
    page: Page, world: World, artifacts: Path
) -> None:
    platform = world.platform
    page.goto(f"{platform.url}/start?hint=browser-dl&message_type=LtiDeepLinkingRequest")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Data Literacy 101")
    page.check("#rule-grade")
    page.fill("#threshold", "60")
    page.fill("#activity", "Project")
    page.get_by_role("button", name="Link it to the course").click()
    expect(page.get_by_test_id("rule")).to_contain_text("at least 60")
    page.get_by_role("button", name="Return to the course").click()
    expect(page.locator("#linked li")).to_have_count(1)

    # The course's gradebook, as the LMS has it when the term ends.
    platform.members = [
        Member("u-dora", "Dora Dietz", "dora@student.example"),
        Member("u-emil", "Emil Engel", "emil@student.example"),
    ]
    platform.grades = {"Project": (20.0, {"u-dora": 17.0, "u-emil": 9.0})}

    # A registrar of the institution, signed in.
    page.context.add_cookies(
        [{"name": "microcred_session", "value": staff_session(world), "url": world.url}]
    )
    page.goto(f"{world.url}/institutions/th-lahntal/lms")
    expect(page.get_by_test_id("tool-urls")).to_contain_text(f"{world.url}/lti/jwks.json")
    row = page.get_by_test_id("course-links").locator("tbody tr").first
    expect(row).to_contain_text("final grade (Project) at least 60 %")
    page.screenshot(path=artifacts / "lti-setup.png", full_page=True)
    row.get_by_role("button", name="Read grades and award").click()

    expect(page.locator("#job-progress[data-state='done']")).to_have_count(1, timeout=30_000)
    expect(page.get_by_test_id("done")).to_have_text("1")
    page.get_by_role("link", name="Recipients of this job").click()
    expect(page.locator("main")).to_contain_text("dora@student.example")
    expect(page.locator("main")).not_to_contain_text("emil@student.example")
