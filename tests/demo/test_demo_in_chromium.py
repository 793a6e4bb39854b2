"""The demo's claim flow in Chromium: the outbox, the claim e-mail, its link, on a phone too."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from demo_support import seed
from playwright.sync_api import Browser

from microcred.app import create_app
from microcred.config import Settings
from microcred.store.database import Database
from served import free_port, served

LUKAS = "lukas.berger@learner.example"


@pytest.mark.parametrize("width", [1280, 390])
def test_the_claim_email_is_followed_from_the_outbox_without_overflow(
    browser: Browser,
    artifacts: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    width: int,
) -> None:
    monkeypatch.setenv("MICROCRED_KEK", base64.b64encode(bytes(range(32))).decode())
    port = free_port()
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    settings = Settings(
        database_url=url,
        base_url=f"http://127.0.0.1:{port}",
        secret_key="demo-browser-key",
        demo_mode=True,
    )
    app = create_app(settings, Database(url), migrate=True)
    seed(app.state.database, settings)
    context = browser.new_context(viewport={"width": width, "height": 844})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    with served(app, port) as base:
        page.goto(f"{base}/demo/outbox")
        page.screenshot(path=artifacts / f"demo-outbox-{width}.png", full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        row = page.locator("tr", has_text=LUKAS).first
        row.locator("a").click()
        page.wait_for_load_state()
        page.screenshot(path=artifacts / f"demo-message-{width}.png", full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.locator("pre a[href*='/claim/']").click()
        page.wait_for_load_state()
        assert "/claim/" in page.url
        assert "Sustainable Supply Chains" in page.content()
    context.close()
    assert errors == []
