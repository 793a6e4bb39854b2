"""The public verify page in Chromium: a verifier drops a PDF certificate sealed at PAdES B-LTA
(time-stamps and OCSP from servers on 127.0.0.1) and reads two verdicts, one on the credential
inside the PDF and one on the PDF's own seal, with its level, chain and revocation data."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from playwright.sync_api import Browser
from seal_pki import (
    RevocationService,
    TimestampAuthority,
    certificate,
    revocation_pointers,
    seal_certificate,
    tsa_app,
)

from microcred.app import create_app
from microcred.config import Settings
from microcred.crypto import pades
from microcred.crypto.data_integrity import sign
from microcred.crypto.did_key import did_key_for, did_key_verification_method_id
from microcred.crypto.keys import PrivateKey
from microcred.crypto.x509_seal import SealCredentials
from microcred.formats.pdf import CertificateData, render_certificate
from microcred.net import FetchPolicy
from served import served
from support.credentials import credentials
from support.examples import example_specification

pytestmark = pytest.mark.browser
TODAY = datetime.now(UTC)


def signed_credential() -> dict:
    key = PrivateKey.from_secret_bytes("Ed25519", bytes(range(32)))
    did = did_key_for(key.public_key)
    [unsigned] = credentials(1, did)
    method = did_key_verification_method_id(key.public_key)
    return sign(unsigned, key, verification_method=method, suite="eddsa-rdfc-2022")


def certificate_pdf(credential: dict) -> bytes:
    """Return the PDF certificate of ``credential`` as the claim page renders it, unsealed."""
    return render_certificate(
        CertificateData(
            specification=example_specification(),
            learner_name="Learner 0",
            institution_name="TH Lahntal",
            issued_on=datetime(2025, 3, 1, tzinfo=UTC),
            public_url="https://th-lahntal.example/c/1",
            credential_id=credential["id"],
            credential_file=json.dumps(credential).encode(),
            credential_filename="credential.json",
        )
    )


@pytest.fixture
def sealed_pdf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The PDF certificate sealed at B-LTA, in a file; its seal root in the instance's seal
    trust folder (``MICROCRED_SEAL_TRUST_DIR``)."""
    root = certificate("Test EU Seal Root", None, path_length=1, not_before=TODAY - timedelta(30))
    authority = TimestampAuthority.on(root, not_before=TODAY - timedelta(days=30))
    authority.clock = lambda: datetime.now(UTC)
    revocations = RevocationService(root)
    with served(revocations.app()) as base, served(tsa_app(authority)) as tsa_base:
        sealer = seal_certificate(
            root,
            "TH Lahntal seal",
            not_before=TODAY - timedelta(10),
            extra=revocation_pointers(base),
        )
        revocations.known.append(sealer.certificate)
        body = pades.seal_pdf(
            certificate_pdf(signed_credential()),
            SealCredentials(sealer.key, [sealer.certificate, root.certificate]),
            timestamper=pades.PolicyTimeStamper(f"{tsa_base}/tsa", FetchPolicy(allow_private=True)),
            level="B-LTA",
        )
    folder = tmp_path / "seal-roots"
    folder.mkdir()
    (folder / "root.pem").write_bytes(root.certificate.public_bytes(serialization.Encoding.PEM))
    monkeypatch.setenv("MICROCRED_SEAL_TRUST_DIR", str(folder))
    path = tmp_path / "certificate.pdf"
    path.write_bytes(body)
    return path


@pytest.fixture
def base_url(tmp_path: Path, sealed_pdf: Path) -> Iterator[str]:
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'verify.db'}", secret_key="browser-test-key"
    )
    with served(create_app(settings, migrate=True)) as url:
        yield url


def test_dropped_sealed_pdf_shows_the_credential_and_the_pdf_seal_verdicts(
    browser: Browser, base_url: str, sealed_pdf: Path, artifacts: Path
) -> None:
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(f"{base_url}/verify")
        page.set_input_files("#file", str(sealed_pdf))
        page.locator("form[method=post] button[type=submit]").click()
        credential_panel = page.locator("section[aria-labelledby=report-heading]")
        heading = credential_panel.locator("h2").inner_text()
        assert heading == "The credential inside the PDF"
        # No trusted-issuer registry here: intact, from an issuer this instance does not know.
        assert "Issuer not trusted" in credential_panel.inner_text()
        seal = page.get_by_test_id("pdf-seal")
        text = seal.inner_text()
        assert "Seal verified." in text, text
        assert page.get_by_test_id("pdf-seal-level").inner_text() == "PAdES B-LTA"
        assert "CN=TH Lahntal seal → CN=Test EU Seal Root" in text
        assert "CN=TH Lahntal seal: good (OCSP response by CN=Test EU Seal Root" in text
        assert "trusted time-stamp by Common Name: Test time-stamping unit" in text
        assert "advanced seal, trusted (seal trust store)" in text
        # The credential's verdict comes first, the PDF's seal after it.
        assert credential_panel.bounding_box()["y"] < seal.bounding_box()["y"]
        page.screenshot(path=str(artifacts / "verify-sealed-pdf-en-1280.png"), full_page=True)
        page.set_viewport_size({"width": 390, "height": 844})
        page.screenshot(path=str(artifacts / "verify-sealed-pdf-en-390.png"), full_page=True)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the page is {width} px wide on a phone"
    finally:
        context.close()
