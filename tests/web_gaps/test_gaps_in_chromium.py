"""In Chromium: a designer composes a pathway and sees its credential's compliance; a
recognition officer opens a case from a pasted credential and decides; staff ask a wallet;
a learner confirms a claim and gets a wallet offer. Each page is axe-core clean under its CSP
and photographed to test-artifacts/."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from gaps_support import LAHNTAL, LEARNER, PASSWORD, People, app_request, publish
from playwright.sync_api import Browser, Page, expect

from browser.accessibility import serious_violations
from chromium import ARTIFACTS
from microcred.app import create_app
from microcred.config import Settings
from microcred.http.services import credential_issuer_of
from microcred.services.award_input import LearnerInput
from microcred.services.awards import Awards
from microcred.services.delivery.claims import Claims
from served import free_port, served
from stacking.stacking_support import OTHER_KEY, other_issuer_credential
from waiting import scaled

pytestmark = pytest.mark.browser

STAFF = f"staff@{LAHNTAL}.example"


@dataclass
class Server:
    url: str
    claim_token: str
    claim_code: str


@pytest.fixture
def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    """The app on loopback: one staff member who designs and recognises at TH Lahntal, three
    published modules, and a learner's credential with an open claim (its code known)."""
    monkeypatch.setenv("MICROCRED_KEK", base64.b64encode(bytes(range(32))).decode())
    port = free_port()
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'gaps.db'}",
        secret_key="gaps-browser-key",
        base_url=f"http://127.0.0.1:{port}",
    )
    app = create_app(settings, migrate=True)
    app.state.catalogue.ensure_institution(LAHNTAL, {"en": "TH Lahntal"})
    people = People(app)
    people.staff(STAFF, "designer", LAHNTAL)
    people.accounts.add_role(STAFF, LAHNTAL, "recognition-officer", actor="test setup")
    cleaning = publish(app, LAHNTAL, "Data cleaning", 5)
    publish(app, LAHNTAL, "Data visualisation", 5)
    publish(app, LAHNTAL, "Data science", 15)
    issuer = credential_issuer_of(app_request(app))
    award = Awards(app.state.database, issuer, settings).award(
        cleaning, None, LearnerInput(name="Jana Nowak", email=LEARNER)
    )
    claims = Claims(app.state.database)
    token = claims.open(award.credential_id, LEARNER, "en")
    _claim, code = claims.new_code(token)
    with served(app, port) as url:
        yield Server(url, token, code)


def _page(browser: Browser) -> Page:
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    return page


def _clean_and_photographed(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    assert serious_violations(page) == [], name


def test_designer_composes_a_pathway_and_officer_opens_a_recognition_case(
    server: Server, browser: Browser
) -> None:
    page = _page(browser)
    page.goto(f"{server.url}/login")
    page.fill("#email", STAFF)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Pathways").click()
    page.get_by_role("link", name="New pathway").click()
    page.get_by_label("Title (English)").fill("Data science certificate")
    page.get_by_label("Specification it is awarded from").select_option(
        label="Data science (th-lahntal, 15 ECTS)"
    )
    for row, title in ((0, "Data cleaning"), (1, "Data visualisation")):
        page.locator(f"#f-items-{row}-kind").select_option("component")
        specification = page.locator(f"#f-items-{row}-specification_id")
        expect(specification).to_be_visible()  # the row shows the fields of its kind
        specification.select_option(label=f"{title} (th-lahntal)")
    expect(page.locator("#f-items-0-isced_f")).to_be_hidden()
    page.get_by_label("At least (ECTS in total)").fill("10")
    _clean_and_photographed(page, "gaps-pathway-form")
    page.get_by_role("button", name="Save the pathway").click()

    expect(page.get_by_role("status")).to_contain_text("The pathway was saved.")
    expect(page.get_by_role("heading", name="Data science certificate")).to_be_visible()
    expect(page.locator("#compliance-panel")).to_contain_text("meets")
    expect(page.locator(".rule-tree").first).to_contain_text("At least 10 ECTS in total")
    _clean_and_photographed(page, "gaps-pathway")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Recognition").click()
    page.get_by_label("Module of th-lahntal to recognise it for").select_option(
        label="Data cleaning (5 ECTS)"
    )
    foreign = other_issuer_credential(
        OTHER_KEY,
        title="Data wrangling",
        isced="0613",
        outcomes=["Clean and prepare raw data sets for analysis"],
    )
    page.get_by_label("…or paste it").fill(json.dumps(foreign))
    _clean_and_photographed(page, "gaps-recognition")
    # The page shows the comparison model loading and polls until it is there, as an officer
    # would see it; the case is opened once it is (or at once where no model is installed).
    page.wait_for_selector("#model-state:not([hx-trigger])", timeout=scaled(180) * 1000)
    page.get_by_role("button", name="Verify and compare").click()

    expect(page.get_by_role("heading", name="Data wrangling")).to_be_visible()
    expect(page.get_by_test_id("outcome-pairs")).to_contain_text(
        "Clean and prepare raw data sets for analysis"
    )
    _clean_and_photographed(page, "gaps-recognition-case")
    page.get_by_label("Partial recognition").check()
    page.get_by_label("ECTS granted").fill("2.5")
    page.get_by_label("Reason").fill("Only the data preparation outcomes are covered.")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_role("status")).to_contain_text("The decision was recorded.")
    expect(page.get_by_test_id("decision")).to_have_text("Partial recognition")

    page.get_by_role("link", name="Ask a wallet").click()
    page.get_by_label("At least (ECTS)").fill("5")
    page.get_by_role("button", name="Make the request").click()
    expect(page.get_by_test_id("waiting")).to_be_visible()
    expect(page.get_by_role("img", name="QR code of the presentation request")).to_be_visible()
    _clean_and_photographed(page, "gaps-wallet-verifier")


def test_learner_confirms_a_claim_and_gets_a_wallet_offer(server: Server, browser: Browser) -> None:
    page = _page(browser)
    page.goto(f"{server.url}/claim/{server.claim_token}")
    page.get_by_label("One-time code").fill(server.claim_code)
    page.get_by_role("button", name="Confirm").click()
    page.get_by_label("Also ask for a transaction code").check()
    page.get_by_role("button", name="Send to my wallet").click()
    expect(page.get_by_role("img", name="QR code of the credential offer")).to_be_visible()
    expect(page.get_by_test_id("tx-code")).to_have_text(re.compile(r"^\d{6}$"))
    link = page.get_by_test_id("offer-link").get_attribute("href")
    assert link and link.startswith("openid-credential-offer://")
    _clean_and_photographed(page, "gaps-claim-wallet-offer")
