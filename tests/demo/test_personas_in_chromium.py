"""Each persona's first steps on the demo in Chromium, in English and German, on a laptop and a
phone: no raw data, no English on German pages, nothing wider than the screen, no console error.

Screenshots of every page go to test-artifacts/personas/ so people can look at them.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path

import pytest
from demo_support import Seeded, seed
from persona_walks import PERSONAS, Persona, demo_fields, english_on, raw_data_on
from playwright.sync_api import Browser, Page

from microcred.app import create_app
from microcred.config import Settings
from microcred.store.database import Database
from served import free_port, served


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Seeded]]:
    """The seeded demo, served on loopback in demo mode for every walk of this module."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MICROCRED_KEK", base64.b64encode(bytes(range(32))).decode())
        port = free_port()
        url = f"sqlite:///{tmp_path_factory.mktemp('personas') / 'demo.db'}"
        settings = Settings(
            database_url=url,
            base_url=f"http://127.0.0.1:{port}",
            secret_key="persona-walks",
            demo_mode=True,
        )
        app = create_app(settings, Database(url), migrate=True)
        seeded = seed(app.state.database, settings)
        with served(app, port) as base:
            yield base, seeded


def sign_in(page: Page, base: str, seeded: Seeded, email: str, lang: str) -> None:
    page.goto(f"{base}/login?lang={lang}")
    page.fill("#email", email)
    page.fill("#password", seeded.password_of(email))
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_load_state()


def problems_of(page: Page, width: int, lang: str, errors: list[str]) -> list[str]:
    """Return what is wrong with the page as it is shown now."""
    found = [f"console: {error}" for error in errors]
    wide = page.evaluate("document.documentElement.scrollWidth")
    if wide > width:
        found.append(f"{wide} px wide on a {width} px screen")
    text = page.inner_text("body")
    found += [f"raw data: {mark}" for mark in raw_data_on(page.content()) + raw_data_on(text)]
    if lang == "de":
        found += [f"English: {message!r}" for message in english_on(text)]
    return found


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("lang", ["en", "de"])
@pytest.mark.parametrize("persona", PERSONAS, ids=lambda persona: persona.name)
def test_a_persona_walks_the_demo_without_a_broken_page(
    browser: Browser,
    artifacts: Path,
    demo_site: tuple[str, Seeded],
    persona: Persona,
    lang: str,
    width: int,
) -> None:
    base, seeded = demo_site
    fields = demo_fields(seeded)
    folder = artifacts / "personas"
    folder.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": width, "height": 844})
    page = context.new_page()
    page.set_default_timeout(30_000)
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    problems: dict[str, list[str]] = {}
    try:
        if persona.email:
            sign_in(page, base, seeded, persona.email, lang)
        for number, step in enumerate(persona.steps):
            path = step.format(**fields)
            errors.clear()
            response = page.goto(f"{base}{path}{'&' if '?' in path else '?'}lang={lang}")
            page.wait_for_load_state("networkidle")
            status = response.status if response else 0
            assert 0 < status < 400, f"{path}: {status}"
            name = f"{persona.name.replace(' ', '-')}-{lang}-{width}-{number}.png"
            page.screenshot(path=folder / name, full_page=True)
            found = problems_of(page, width, lang, errors)
            if found:
                problems[path] = found
    finally:
        context.close()
    assert problems == {}
