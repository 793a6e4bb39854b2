"""The learner's whole path in a real browser: e-mail link → code → downloads → public page."""

from __future__ import annotations

import base64
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from delivery.conftest import KEK, SLUG, Inbox, claim_path, code_in
from microcred.app import create_app
from microcred.config import Settings
from microcred.services.award_input import LearnerInput
from microcred.services.awards import Awards
from microcred.services.delivery.mailing import ClaimMailer
from microcred.services.issuer_keys import IssuerKeys
from microcred.services.issuing import CredentialIssuer
from served import free_port
from served import served as serve_app
from support.examples import example_specification

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture
def served(
    tmp_path: Path, mail_server: Inbox, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[str, Awards, str]]:
    """Serve the app on a loopback port whose own address is its base URL."""
    monkeypatch.setenv("MICROCRED_KEK", base64.b64encode(KEK).decode())
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'delivery.db'}",
        base_url=base_url,
        secret_key="browser-delivery-key",
        smtp_host="127.0.0.1",
        smtp_port=mail_server.port,
        smtp_starttls=False,
    )
    app = create_app(settings, migrate=True)
    catalogue = app.state.catalogue
    catalogue.ensure_institution(SLUG, {"en": "TH Lahntal"})
    spec = example_specification().model_copy(update={"default_validity": "P3Y"})
    spec_id = catalogue.publish(catalogue.create(SLUG, spec).id).id
    issuer = CredentialIssuer(catalogue, IssuerKeys(app.state.database, settings), settings)
    awards = Awards(app.state.database, issuer, settings)
    awards.on_issued.append(ClaimMailer(catalogue, issuer.status, settings).on_issued)
    with serve_app(app, port):
        yield base_url, awards, spec_id


def test_learner_follows_the_email_link_to_the_public_page(
    served: tuple[str, Awards, str], mail_server: Inbox, page: Page, tmp_path: Path
) -> None:
    base_url, awards, spec_id = served
    awards.award(spec_id, None, LearnerInput(name="Jana Nowak", email="jana@example.org"))
    [claim_mail] = mail_server.wait_for(1)
    page.goto(f"{base_url}{claim_path(claim_mail, base_url)}")
    expect(
        page.get_by_role("heading", name="Data Literacy for Public Administration")
    ).to_be_visible()

    page.get_by_role("button", name="Send me a code").click()
    code = code_in(mail_server.wait_for(2)[1])
    page.get_by_label("One-time code").fill(code)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="Your downloads")).to_be_visible()

    with page.expect_download() as pdf_download:
        page.get_by_role("link", name="PDF certificate").click()
    pdf = tmp_path / "certificate.pdf"
    pdf_download.value.save_as(pdf)
    ARTIFACTS.mkdir(exist_ok=True)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "80",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(pdf),
            str(ARTIFACTS / "certificate"),
        ],
        check=True,
    )
    with page.expect_download() as badge_download:
        page.get_by_role("link", name="Badge image (PNG)").click()
    assert badge_download.value.suggested_filename == "badge.png"

    page.get_by_role("link", name="Open your public page").click()
    expect(
        page.get_by_role("heading", name="Data Literacy for Public Administration")
    ).to_be_visible()
    expect(page.get_by_text("Verified.", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Add to LinkedIn profile")).to_have_attribute(
        "href",
        re.compile(r"^https://www\.linkedin\.com/profile/add\?startTask=CERTIFICATION_NAME&"),
    )
    # The badge on the page is the baked PNG, drawn on request: it must have loaded.
    page.wait_for_function(
        "() => { const img = document.querySelector('aside img');"
        " return img && img.complete && img.naturalWidth === 600; }"
    )
    page.screenshot(path=str(ARTIFACTS / "public-credential-page.png"), full_page=True)
