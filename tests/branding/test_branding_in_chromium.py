"""A branded public credential page in Chromium, and the branded PDF certificate as pixels."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Page

from branding.conftest import png_logo
from delivery.conftest import SLUG
from delivery.test_delivery_in_chromium import served  # noqa: F401
from microcred.services.award_input import LearnerInput
from microcred.services.awards import Awards
from microcred.services.branding import Branding
from microcred.services.delivery.delivered import load_delivered
from microcred.services.delivery.documents import certificate_pdf

pytestmark = pytest.mark.browser


def test_branded_public_page_and_certificate_show_the_colour_and_logo(
    served: tuple[str, Awards, str],  # noqa: F811
    page: Page,
    artifacts: Path,
    tmp_path: Path,
) -> None:
    base_url, awards, spec_id = served
    branding = Branding(awards.db)
    branding.set_colours(SLUG, "#8b0000", "#1a4d2e")
    branding.set_logo(SLUG, png_logo(240, 80, "#1a4d2e"))
    award = awards.award(
        spec_id, None, LearnerInput(name="Jana Nowak", email="jana@example.org"), grade=None
    )

    page.goto(f"{base_url}/credentials/{award.credential_id}")
    header = page.locator(".site-header")
    assert header.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(139, 0, 0)"
    logo = page.locator("img.brand-logo")
    assert logo.evaluate("e => e.complete && e.naturalWidth") == 240
    page.screenshot(path=str(artifacts / "branding-public-page.png"), full_page=True)

    issuer = awards.issuer
    delivered = load_delivered(issuer.catalogue, issuer.status, award.credential_id)
    colour, logo_bytes = branding.colour_and_logo(SLUG)
    pdf = tmp_path / "certificate.pdf"
    pdf.write_bytes(certificate_pdf(delivered, base_url, colour, logo_bytes))
    out = artifacts / "branding-certificate"
    subprocess.run(
        ["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(out)],
        check=True,
    )
    with Image.open(f"{out}.png") as image:
        pixels = image.convert("RGB")
        colours = {pixels.getpixel((x, y)) for x in range(image.width) for y in range(0, 120)}
    assert any(r > 110 and g < 40 and b < 40 for r, g, b in colours), "no dark red frame"
    assert any(
        abs(r - 0x1A) < 12 and abs(g - 0x4D) < 12 and abs(b - 0x2E) < 12 for r, g, b in colours
    ), "no logo"
