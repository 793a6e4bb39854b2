"""In Chromium: the mapping report reads at a glance, without JavaScript, and passes axe-core."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from api.app_fixtures import OPERATOR_EMAIL, STAFF_PASSWORD, app_on_sqlite
from browser.accessibility import serious_violations
from microcred.services.accounts import Accounts
from microcred.services.mapping.demo import seed_mapping_demo
from served import served

pytestmark = pytest.mark.browser


@pytest.fixture
def mapped_url(tmp_path: Path) -> Iterator[str]:
    app = app_on_sqlite(tmp_path / "mapping.db")
    seed_mapping_demo(app.state.catalogue)
    Accounts(app.state.database).create_user(
        OPERATOR_EMAIL, password=STAFF_PASSWORD, operator=True, actor="test setup"
    )
    with served(app) as url:
        yield url


def log_in(page: Page, base_url: str) -> None:
    """Sign in as the operator, who sees every institution's drafts (the survey is drafts)."""
    page.goto(f"{base_url}/login")
    page.fill("#email", OPERATOR_EMAIL)
    page.fill("#password", STAFF_PASSWORD)
    page.click("button[type=submit]")


def test_mapping_report_shows_its_charts_without_javascript(
    browser: Browser, mapped_url: str, artifacts: Path
) -> None:
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    log_in(page, mapped_url)
    response = page.goto(f"{mapped_url}/mapping")
    assert response is not None and response.status == 200, page.content()[:500]
    charts = page.locator("svg[role=img]")
    assert charts.count() == 14
    heat_map = page.locator("#chart-definitions")
    box = heat_map.bounding_box()
    assert box is not None and box["width"] > 500 and box["height"] > 250
    assert "44/66" in (heat_map.text_content() or "")
    assert page.locator("#chart-ects rect").count() > 5
    page.locator("#definitions").screenshot(path=str(artifacts / "mapping-definitions.png"))
    page.screenshot(path=str(artifacts / "mapping-page.png"), full_page=True)
    context.close()


def test_mapping_page_has_no_serious_accessibility_violations(
    browser: Browser, mapped_url: str
) -> None:
    page = browser.new_page()
    log_in(page, mapped_url)
    page.goto(f"{mapped_url}/mapping")
    assert serious_violations(page) == []
