"""The verify page in Chromium: a person drops the PDF certificate, the badge PNG or the JSON
they were given, in English and German, on a laptop (1280 px) and a phone (390 px), and reads
a plain sentence first, then the checks; nothing overflows and the console stays clean."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Browser, ConsoleMessage
from test_verify_intake import certificate_pdf

from microcred.app import create_app
from microcred.config import Settings
from microcred.formats.baking import bake_png
from served import served

pytestmark = pytest.mark.browser

SENTENCES = {
    "en": "Jana Nowak holds Data Literacy for Public Administration (5 ECTS, EQF 6) from "
    "Lahntal University of Applied Sciences, issued 1 Mar 2025 — verified.",
    "de": "Jana Nowak hat Datenkompetenz für die öffentliche Verwaltung (5 ECTS, EQR 6) von "
    "Lahntal University of Applied Sciences erworben, ausgestellt am 01.03.2025 — bestätigt.",
}
CHECK_HEADING = {"en": "Signature", "de": "Signatur"}


@pytest.fixture
def base_url(tmp_path: Path, issuer_did: str) -> Iterator[str]:
    trusted = tmp_path / "trusted.json"
    trusted.write_text(json.dumps({"issuers": [{"id": issuer_did, "name": "TH Lahntal"}]}))
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'verify.db'}",
        secret_key="browser-test-key",
        trusted_issuers_file=str(trusted),
    )
    with served(create_app(settings, migrate=True)) as url:
        yield url


def _counts(message: ConsoleMessage) -> bool:
    """True for a console error of this page's own making.

    Every page of the site logs one CSP refusal of the inline style the vendored htmx adds
    for its indicators, and a 404 for /favicon.ico (base.html, not this page); those two are
    left to the layout's tests.
    """
    source = message.location.get("url", "")
    site_wide = source.endswith(("/htmx.min.js", "/favicon.ico"))
    return message.type == "error" and not site_wide


def files(credential: dict, folder: Path) -> dict[str, Path]:
    """Write the three things a learner may hand over; return them by kind."""
    image = io.BytesIO()
    Image.new("RGB", (64, 64), "teal").save(image, format="PNG")
    written = {
        "pdf": ("certificate.pdf", certificate_pdf(credential)),
        "png": ("badge.png", bake_png(image.getvalue(), credential)),
        "json": ("credential.json", json.dumps(credential).encode()),
    }
    paths = {}
    for kind, (name, body) in written.items():
        paths[kind] = folder / name
        paths[kind].write_bytes(body)
    return paths


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("lang", ["en", "de"])
def test_dropped_pdf_png_and_json_read_as_a_sentence_then_the_checks(
    browser: Browser,
    base_url: str,
    credential: dict,
    tmp_path: Path,
    artifacts: Path,
    lang: str,
    width: int,
) -> None:
    context = browser.new_context(
        locale="de-DE" if lang == "de" else "en-GB", viewport={"width": width, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if _counts(m) else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    try:
        for kind, path in files(credential, tmp_path).items():
            page.goto(f"{base_url}/verify?lang={lang}")
            page.set_input_files("#file", str(path))
            page.locator("form[method=post] button[type=submit]").click()
            sentence = page.get_by_test_id("verify-sentence")
            assert sentence.inner_text() == SENTENCES[lang], kind
            table = page.locator("table").first
            assert CHECK_HEADING[lang] in table.inner_text()
            # The sentence is read before the table.
            assert sentence.bounding_box()["y"] < table.bounding_box()["y"]
            page.screenshot(
                path=str(artifacts / f"verify-{kind}-{lang}-{width}.png"), full_page=True
            )
            overflow = page.evaluate("document.documentElement.scrollWidth")
            assert overflow <= width, f"{kind}: the page is {overflow} px wide at {width} px"
    finally:
        context.close()
    assert problems == []


def test_a_word_document_gets_a_sentence_in_german(
    browser: Browser, base_url: str, tmp_path: Path, artifacts: Path
) -> None:
    context = browser.new_context(locale="de-DE", viewport={"width": 390, "height": 844})
    page = context.new_page()
    document = tmp_path / "lebenslauf.docx"
    document.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 8)
    try:
        page.goto(f"{base_url}/verify?lang=de")
        page.set_input_files("#file", str(document))
        page.locator("form[method=post] button[type=submit]").click()
        alert = page.locator(".notice.bad").first.inner_text()
        assert "Das ist kein Nachweis." in alert
        assert "UTF-8" not in alert and "JSON" not in alert.split("(")[0]
        page.screenshot(path=str(artifacts / "verify-garbage-de-390.png"), full_page=True)
    finally:
        context.close()
