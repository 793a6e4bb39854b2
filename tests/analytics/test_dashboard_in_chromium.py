"""In Chromium: an auditor opens the analytics dashboard and sees its charts drawn on the
server (no JavaScript needed), each with its table, and the page passes axe-core."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from analytics_support import JANA, SLUG, World
from playwright.sync_api import Browser, Page
from test_counts import play_scenario

from browser.accessibility import serious_violations
from conftest import make_world
from microcred.services.analytics import Channel, record_verification
from microcred.store.database import Database
from microcred.verify import VerificationReport
from served import served

pytestmark = pytest.mark.browser
AUDITOR = "auditor@th-lahntal.example"


def busier_year(world: World) -> None:
    """Add claims and checks spread over the months of 2025, so the chart has a shape."""
    award = world.award(world.part_two, ("Lea Graf", "lea.graf@example.org"))
    document = world.document(award.credential_id)
    answer = world.client.post("/credentials/verify", json={"verifiableCredential": document})
    report = VerificationReport.model_validate(answer.json())  # our verifier's own report
    for month in range(1, 12):
        for _ in range(month % 4 + 1):
            channel = Channel.api if month % 2 else Channel.public_page
            record_verification(
                world.database, document, report, channel, today=date(2025, month, 10)
            )
    world.claim(award.credential_id, "lea.graf@example.org", datetime(2025, 6, 3, tzinfo=UTC))


@pytest.fixture
def dashboard_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    database = Database(f"sqlite:///{tmp_path / 'analytics.db'}")
    database.upgrade()
    world = make_world(database, monkeypatch)
    with world.client:
        play_scenario(world)
        busier_year(world)
    with served(world.app) as url:
        yield url
    database.dispose()


def log_in(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/login")
    page.fill("#email", AUDITOR)
    page.fill("#password", "correct horse battery staple")
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)


def test_dashboard_shows_three_charts_with_tables_without_javascript(
    browser: Browser, dashboard_url: str, artifacts: Path
) -> None:
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    log_in(page, dashboard_url)
    response = page.goto(f"{dashboard_url}/analytics?institution={SLUG}")
    assert response is not None and response.status == 200, page.content()[:500]
    page.screenshot(path=str(artifacts / "analytics-dashboard.png"), full_page=True)
    charts = page.locator("svg[role=img]")
    assert charts.count() == 3
    over_time = page.locator("#chart-over-time")
    box = over_time.bounding_box()
    assert box is not None and box["width"] > 500 and box["height"] > 250
    assert over_time.locator("rect").count() > 15  # columns of several months
    assert page.locator("#over-time table tbody tr").count() >= 11
    assert "Data cleaning" in (page.locator("#chart-per-specification").text_content() or "")
    assert JANA[1] not in page.content()
    context.close()


def test_dashboard_has_no_serious_accessibility_violations(
    browser: Browser, dashboard_url: str
) -> None:
    page = browser.new_page()
    log_in(page, dashboard_url)
    page.goto(f"{dashboard_url}/analytics?institution={SLUG}")
    assert serious_violations(page) == []
    page.close()
