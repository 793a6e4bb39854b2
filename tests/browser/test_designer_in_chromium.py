"""In Chromium: design a course, watch the compliance panel, publish it, find it, check a11y."""

from __future__ import annotations

from pathlib import Path

import pytest
from accessibility import serious_violations
from playwright.sync_api import Page

from api.app_fixtures import INSTITUTION, STAFF_EMAIL, STAFF_PASSWORD

pytestmark = pytest.mark.browser

SNB = "http://data.europa.eu/snb"
GERMANY = "http://publications.europa.eu/resource/authority/country/DEU"
TITLE = "Open Data for Newsrooms"
PANEL_COUNT = "#compliance-panel [data-testid=error-count]"


def _error_count(page: Page) -> int:
    return int(page.get_attribute(PANEL_COUNT, "data-count") or "-1")


def _wait_for_fewer_errors(page: Page, than: int) -> int:
    """Wait until the compliance panel shows fewer than ``than`` errors; return how many."""
    page.wait_for_function(
        "n => Number(document.querySelector("
        "'#compliance-panel [data-testid=error-count]').dataset.count) < n",
        arg=than,
    )
    return _error_count(page)


def _wait_for_no_errors(page: Page) -> None:
    page.wait_for_selector("#compliance-panel [data-testid=error-count][data-count='0']")


def _fill_description(page: Page) -> None:
    page.select_option("#f-institution", INSTITUTION)
    page.fill("[id='f-title.en']", TITLE)
    page.fill("[id='f-title.de']", "Offene Daten für Redaktionen")
    page.check("input[name='learner_identification.required[]'][value='full_name']")
    page.check("input[name='learner_identification.required[]'][value='email']")
    page.select_option("#f-issuer_countries", GERMANY)
    page.fill("[id='f-awarding_bodies.0.name.en']", "TH Lahntal")
    page.select_option("[id='f-awarding_bodies.0.country']", GERMANY)
    page.check("input[name='awarding_bodies.0.is_higher_education']")
    page.fill(
        "[id='f-learning_outcomes.0.text.en']",
        "Find and evaluate open data sets that can support a news story.",
    )
    page.fill(
        "[id='f-learning_outcomes.1.text.en']",
        "Analyse a data set with a spreadsheet and report the findings accurately.",
    )
    page.select_option("[id='f-level.eqf']", f"{SNB}/eqf/6")
    page.check(f"input[name='assessment.types[]'][value='{SNB}/assessment/795dac4096']")
    page.check(f"input[name='participation.modes[]'][value='{SNB}/learning-assessment/920fbb3cbe']")


def _log_in(page: Page, base_url: str, path: str) -> None:
    """Sign in through the login page, which then goes on to ``path``."""
    page.goto(f"{base_url}{path}")
    assert serious_violations(page) == []  # the login page the redirect led to
    page.fill("#email", STAFF_EMAIL)
    page.fill("#password", STAFF_PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(f"{base_url}{path}")


def test_design_publish_and_find_a_course(page: Page, base_url: str, artifacts: Path) -> None:
    _log_in(page, base_url, "/designer")
    assert page.locator("h1").inner_text() == "Design a micro-credential"
    empty_form_errors = _error_count(page)
    assert empty_form_errors > 2

    _fill_description(page)
    before_workload = _wait_for_fewer_errors(page, empty_form_errors)
    assert page.locator("#compliance-panel").get_by_text("MC-M07").count() > 0
    assert page.locator("#compliance-panel").get_by_text("MC-M11").count() > 0

    page.fill("[id='f-workload.ects']", "5")
    page.fill("[id='f-workload.hours']", "135")
    after_workload = _wait_for_fewer_errors(page, before_workload)
    page.check(f"input[name='quality_assurance.types[]'][value='{SNB}/accreditation/bb4618238e']")
    page.check("input[name='quality_assurance.internal']")
    _wait_for_fewer_errors(page, after_workload)
    _wait_for_no_errors(page)
    page.screenshot(path=artifacts / "designer.png", full_page=True)
    assert serious_violations(page) == []

    page.click("button[value='save']")
    page.wait_for_url("**/specifications/*?saved=1")
    assert page.locator("h1").inner_text() == TITLE
    page.click("a:has-text('Publish')")  # publishing asks once more on a page of its own
    page.wait_for_url("**/specifications/*/publish")
    assert serious_violations(page) == []
    page.click("button:has-text('Yes, publish it')")
    page.wait_for_url("**/specifications/*?published=1")
    assert page.get_by_text("The specification is published in the catalogue.").is_visible()
    page.screenshot(path=artifacts / "specification.png", full_page=True)
    assert serious_violations(page) == []

    page.goto(f"{base_url}/")
    page.fill("#f-text", "newsroom")
    page.select_option("#f-status", "published")
    page.click("button:has-text('Search')")
    page.wait_for_url("**/?text=newsroom*")
    results = page.locator(".result h2 a")
    assert results.count() == 1
    assert results.first.inner_text() == TITLE
    page.screenshot(path=artifacts / "catalogue.png", full_page=True)
    assert serious_violations(page) == []


def test_pages_in_german_pass_axe(page: Page, base_url: str, artifacts: Path) -> None:
    _log_in(page, base_url, "/designer?lang=de")
    assert page.locator("h1").inner_text() == "Micro-Credential entwerfen"
    assert serious_violations(page) == []
    page.goto(f"{base_url}/")
    assert page.locator("html").get_attribute("lang") == "de"  # remembered in the cookie
    page.screenshot(path=artifacts / "catalogue-de.png", full_page=True)
    assert serious_violations(page) == []
