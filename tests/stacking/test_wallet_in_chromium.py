"""In Chromium: a learner signs in, finds their credential in the wallet, adds one from another
issuer, shares both by link; the link opens logged out, then stops working once revoked."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from stacking_support import (
    LEARNER,
    OTHER_KEY,
    component_spec,
    other_issuer_credential,
    other_issuer_did,
)

from api.app_fixtures import app_on_sqlite
from chromium import ARTIFACTS
from microcred.services.accounts import Accounts
from microcred.services.award_input import LearnerInput
from microcred.services.awards import Awards
from microcred.services.issuer_keys import IssuerKeys
from microcred.services.issuing import CredentialIssuer
from served import free_port, served

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"


@dataclass
class Server:
    url: str
    title: str


@pytest.fixture
def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    """The app on loopback, with one credential issued to the learner's e-mail; the other
    institution's issuer is trusted through a registry file."""
    registry = tmp_path / "trusted.json"
    registry.write_text(
        json.dumps({"issuers": [{"id": other_issuer_did(), "name": "Koivula UAS"}]})
    )
    port = free_port()
    monkeypatch.setenv("MICROCRED_TRUSTED_ISSUERS", str(registry))
    monkeypatch.setenv("MICROCRED_BASE_URL", f"http://127.0.0.1:{port}")
    monkeypatch.setenv("MICROCRED_KEK", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")
    app = app_on_sqlite(tmp_path / "wallet.db")
    settings = app.state.settings
    catalogue = app.state.catalogue
    record = catalogue.create("th-lahntal", component_spec("Data cleaning", 5))
    spec_id = catalogue.publish(record.id).id
    issuer = CredentialIssuer(catalogue, IssuerKeys(app.state.database, settings), settings)
    Awards(app.state.database, issuer, settings).award(
        spec_id, None, LearnerInput(name="Jana Nowak", email=LEARNER)
    )
    Accounts(app.state.database).create_user(LEARNER, actor="test setup", password=PASSWORD)
    with served(app, port) as url:
        yield Server(url=url, title="Data cleaning")


def new_page(browser: Browser) -> Page:
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    return page


def test_learner_shares_wallet_credentials_by_link_that_opens_logged_out(
    server: Server, browser: Browser, tmp_path: Path
) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    learner = new_page(browser)
    learner.goto(f"{server.url}/wallet")
    learner.fill("#email", LEARNER)
    learner.fill("#password", PASSWORD)
    learner.get_by_role("button", name="Sign in").click()
    expect(learner.get_by_role("heading", name="Your wallet")).to_be_visible()
    ours = learner.get_by_role("row").filter(has_text=server.title)
    expect(ours).to_contain_text("Verified")

    foreign = other_issuer_credential(OTHER_KEY)
    upload = tmp_path / "statistics.json"
    upload.write_text(json.dumps(foreign))
    learner.set_input_files("#import-file", str(upload))
    learner.get_by_role("button", name="Verify and add").click()
    expect(learner.get_by_role("status")).to_contain_text("Imported: Statistics for data analysis")

    learner.get_by_label(f"Share {server.title}").check()
    learner.get_by_label("Share Statistics for data analysis").check()
    learner.fill("#share-label", "Job application")
    learner.get_by_role("button", name="Create share link").click()
    link = learner.locator("#new-share-link").get_attribute("href")
    assert link and link.startswith(f"{server.url}/shared/mcs_")
    learner.screenshot(path=str(ARTIFACTS / "stacking-wallet.png"), full_page=True)

    visitor = new_page(browser)  # a fresh context: no session cookie
    visitor.goto(link)
    expect(visitor.get_by_role("heading", name="Shared credentials")).to_be_visible()
    for title in (server.title, "Statistics for data analysis"):
        section = visitor.locator("section").filter(has_text=title)
        expect(section).to_contain_text("verified: every check passed")
    expect(visitor.get_by_role("link", name="Sign in")).to_be_visible()  # not signed in
    visitor.screenshot(path=str(ARTIFACTS / "stacking-shared-link.png"), full_page=True)

    learner.goto(f"{server.url}/wallet")
    learner.get_by_role("row").filter(has_text="Job application").get_by_role(
        "button", name="Revoke"
    ).click()
    expect(learner.get_by_role("row").filter(has_text="Job application")).to_contain_text("revoked")
    response = visitor.goto(link)
    assert response is not None and response.status == 404
    expect(visitor.get_by_role("alert")).to_contain_text("revoked by its owner")
