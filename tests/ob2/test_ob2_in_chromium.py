"""In Chromium: a verifier drops an Open Badges 2.0 baked badge on the verify page and reads the
report check by check; a learner adds the badge to the wallet, where it shows verified."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from api.app_fixtures import app_on_sqlite
from microcred.services.accounts import Accounts
from served import free_port, served
from support.ob2_host import Ob2Host, png_with_openbadges, serving

pytestmark = pytest.mark.browser

LEARNER = "jana@example.org"
PASSWORD = "correct horse battery staple"


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, Ob2Host]]:
    """The app on loopback (allowed to fetch from loopback) and an OB 2.0 issuer it trusts."""
    with serving() as host:
        host.email = LEARNER
        host.publish_issuer()
        registry = tmp_path / "trusted.json"
        issuers = [{"id": host.url("/issuer"), "name": "Hochschule Lahntal"}]
        registry.write_text(json.dumps({"issuers": issuers}))
        port = free_port()
        monkeypatch.setenv("MICROCRED_TRUSTED_ISSUERS", str(registry))
        monkeypatch.setenv("MICROCRED_BASE_URL", f"http://127.0.0.1:{port}")
        monkeypatch.setenv("MICROCRED_FETCH_ALLOW_PRIVATE", "true")
        monkeypatch.setenv("MICROCRED_KEK", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")
        app = app_on_sqlite(tmp_path / "ob2.db")
        Accounts(app.state.database).create_user(LEARNER, actor="test setup", password=PASSWORD)
        with served(app, port) as url:
            yield url, host


def test_ob2_badge_verifies_on_the_page_and_joins_the_wallet(
    site: tuple[str, Ob2Host], page: Page, artifacts: Path, tmp_path: Path
) -> None:
    url, host = site
    badge = tmp_path / "data-literacy.png"
    badge.write_bytes(png_with_openbadges(host.hosted()["id"]))

    verifier = learner = page  # the verify page is public; the same browser then signs in
    verifier.goto(f"{url}/verify")
    verifier.set_input_files("#file", str(badge))
    verifier.get_by_role("button", name="Verify").first.click()
    checks = verifier.get_by_role("row")
    expect(checks.filter(has_text="verification")).to_contain_text("where the issuer allows")
    expect(checks.filter(has_text="ob2_limits")).to_contain_text("Open Badges 2.0 cannot prove")
    verifier.screenshot(path=str(artifacts / "ob2-verify-page.png"), full_page=True)

    learner.goto(f"{url}/wallet")
    learner.fill("#email", LEARNER)
    learner.fill("#password", PASSWORD)
    learner.get_by_role("button", name="Sign in").click()
    learner.set_input_files("#import-file", str(badge))
    learner.get_by_role("button", name="Verify and add").click()
    expect(learner.get_by_role("status")).to_contain_text("Imported: Data Literacy Foundations")
    row = learner.get_by_role("row").filter(has_text="Data Literacy Foundations")
    expect(row).to_contain_text("Verified")
    expect(row).to_contain_text("Hochschule Lahntal")
    learner.screenshot(path=str(artifacts / "ob2-wallet.png"), full_page=True)
