"""In Chromium: a registrar signs in, uploads a gradebook, sees the bad rows in the preview,
confirms, and watches the progress bar finish; axe-core finds nothing serious on either page."""

from __future__ import annotations

import base64
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from accessibility import AXE, BLOCKING
from playwright.sync_api import Page, expect

from api.app_fixtures import STAFF_PASSWORD, add_staff
from microcred.app import create_app
from microcred.config import Settings
from served import free_port, served
from support.examples import example_specification

pytestmark = pytest.mark.browser

INSTITUTION = "th-lahntal"
REGISTRAR = "registrar@th-lahntal.example"
ROWS = 240
BAD_ROWS = {7: "email", 50: "grade"}  # row index -> the field left bad


@pytest.fixture
def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, str]]:
    """Serve the app with a registrar and a published specification; yield (base URL, spec)."""
    monkeypatch.setenv("MICROCRED_KEK", base64.b64encode(bytes(range(32))).decode())
    monkeypatch.setenv("MICROCRED_JOB_CHUNK_SIZE", "20")  # many chunks: the bar moves
    port = free_port()
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'bulk.db'}",
        secret_key="browser-bulk-key",
        base_url=f"http://127.0.0.1:{port}",
    )
    app = create_app(settings, migrate=True)
    app.state.catalogue.ensure_institution(INSTITUTION, {"en": "TH Lahntal"})
    add_staff(app, REGISTRAR, "registrar", INSTITUTION)
    catalogue = app.state.catalogue
    spec_id = catalogue.publish(catalogue.create(INSTITUTION, example_specification()).id).id
    with served(app, port) as url:
        yield url, spec_id


def serious_violations(page: Page) -> list[dict[str, Any]]:
    """Return axe-core's serious or critical violations, run under the page's own CSP.

    The pages forbid inline scripts, so axe is evaluated through the debugging protocol
    rather than added as a script tag.
    """
    assert AXE.exists(), f"{AXE} is missing: run 'npm ci' at the repository root"
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    results: dict[str, Any] = page.evaluate("async () => await axe.run(document)")
    return [
        {"id": v["id"], "help": v["help"], "targets": [n["target"] for n in v["nodes"]][:5]}
        for v in results["violations"]
        if v["impact"] in BLOCKING
    ]


def _gradebook(path: Path) -> Path:
    lines = ["name,email,awarded_on"]
    for index in range(ROWS):
        email = f"learner{index:04d}@example.org"
        if BAD_ROWS.get(index) == "email":
            email = "not-an-address"
        lines.append(f"Learner {index:04d},{email},2025-03-01")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_registrar_uploads_previews_confirms_and_watches_the_job_finish(
    page: Page, server: tuple[str, str], artifacts: Path, tmp_path: Path
) -> None:
    base_url, spec_id = server
    page.goto(f"{base_url}/login?next=/specifications/{spec_id}")
    page.fill("#email", REGISTRAR)
    page.fill("#password", STAFF_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Award, revoke or re-issue from a file").click()

    page.select_option("#f-kind", "bulk-award")
    page.set_input_files("#f-file", str(_gradebook(tmp_path / "grades.csv")))
    page.get_by_role("button", name="Check the file").click()

    expect(page.get_by_test_id("good-rows")).to_have_text(f"{ROWS - 1} rows are ready.")
    rejected = page.get_by_test_id("rejected").locator("tbody tr")
    expect(rejected).to_have_count(1)
    expect(rejected.first).to_contain_text("not an e-mail address")
    page.screenshot(path=artifacts / "bulk-preview.png", full_page=True)
    assert serious_violations(page) == []

    polls: list[str] = []
    page.on(
        "response",
        lambda response: polls.append(response.url) if "/progress" in response.url else None,
    )
    page.get_by_test_id("confirm").click()
    bar = page.locator("progress#job-bar")
    expect(bar).to_be_visible()
    expect(bar).to_have_attribute("max", str(ROWS))
    seen = {int(bar.get_attribute("value") or 0)}
    first_state = page.locator("#job-progress").get_attribute("data-state")
    deadline = time.monotonic() + 180
    while page.locator("#job-progress[data-state='done']").count() == 0:
        assert time.monotonic() < deadline, "the job did not finish"
        seen.add(int(page.locator("progress#job-bar").get_attribute("value") or 0))
        page.wait_for_timeout(300)
    expect(page.get_by_test_id("finished")).to_have_text("The job has finished.")
    expect(page.get_by_test_id("done")).to_have_text(str(ROWS - 1))
    expect(page.get_by_test_id("failed")).to_have_text("1")
    expect(page.get_by_test_id("remaining")).to_have_text("0")
    assert page.locator("progress#job-bar").get_attribute("value") == str(ROWS)
    # Updated live by polling, not only at the end: a page first shown with the job unfinished
    # can only have learnt that it finished by asking for its progress (a job may also have
    # finished before the page was first shown, on a fast machine).
    if first_state != "done":
        assert polls, "the job page never polled its progress"
        assert min(seen) < ROWS, f"the bar was never seen unfinished: {seen}"
    expect(page.get_by_role("link", name="Download failed rows as CSV")).to_be_visible()
    page.screenshot(path=artifacts / "bulk-job-finished.png", full_page=True)
    assert serious_violations(page) == []
