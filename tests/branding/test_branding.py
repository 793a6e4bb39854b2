"""Branding: an administrator sets colours and a logo; pages, the claim e-mail and the PDF
certificate carry them; other institutions' administrators and bad input change nothing."""

from __future__ import annotations

import io
import re

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader

from branding.conftest import ADMIN_A, ADMIN_B, OTHER_SLUG, png_logo, signed_in_client
from delivery.conftest import BASE_URL, SLUG, World, html_part
from delivery.delivery_support import confirm_claim, csrf_token
from microcred.services.branding import (
    DEFAULT_PRIMARY,
    MAX_LOGO_BYTES,
    Branding,
    checked_colour,
    contrast_ratio,
)
from microcred.services.catalogue import InvalidInput

PRIMARY = "#8b0000"
ACCENT = "#1a4d2e"
BRANDING = f"/institutions/{SLUG}/branding"


def set_colours(client: TestClient, slug: str, primary: str, accent: str) -> object:
    page = client.get(f"/institutions/{slug}/branding")
    form = {"csrf_token": csrf_token(page.text), "primary_colour": primary, "accent_colour": accent}
    return client.post(f"/institutions/{slug}/branding", data=form)


def upload_logo(client: TestClient, slug: str, content: bytes, name: str = "logo.png") -> object:
    page = client.get(f"/institutions/{slug}/branding")
    return client.post(
        f"/institutions/{slug}/branding/logo",
        data={"csrf_token": csrf_token(page.text)},
        files={"logo": (name, content, "application/octet-stream")},
    )


def branded(world: World) -> TestClient:
    admin = signed_in_client(world, ADMIN_A)
    assert set_colours(admin, SLUG, PRIMARY, ACCENT).status_code == 200  # type: ignore[attr-defined]
    assert upload_logo(admin, SLUG, png_logo()).status_code == 200  # type: ignore[attr-defined]
    return admin


def test_contrast_ratio_follows_wcag() -> None:
    assert contrast_ratio("#000000") == pytest.approx(21.0)
    assert contrast_ratio("#ffffff") == pytest.approx(1.0)
    assert contrast_ratio("#767676") == pytest.approx(4.54, abs=0.01)


def test_low_contrast_colour_is_refused_with_its_ratio() -> None:
    with pytest.raises(InvalidInput, match=r"1\.\d\d:1 with white; WCAG AA needs at least 4\.5"):
        checked_colour("the primary colour", "#ffcc00")


def test_colour_not_written_as_hex_is_refused() -> None:
    with pytest.raises(InvalidInput, match="#rrggbb"):
        checked_colour("the accent colour", "red")


def test_administrator_sets_colours_served_in_the_brand_stylesheet(world: World) -> None:
    branded(world)
    css = world.client.get(f"/institutions/{SLUG}/brand.css")
    assert css.status_code == 200
    assert css.headers["content-type"].startswith("text/css")
    assert f"--brand: {PRIMARY}" in css.text
    assert f"--brand-dark: {ACCENT}" in css.text


def test_public_credential_page_links_the_brand_stylesheet_and_shows_the_logo(
    world: World,
) -> None:
    branded(world)
    award = world.award()
    page = world.client.get(f"/credentials/{award.credential_id}")
    assert page.status_code == 200
    assert re.search(
        rf'<link rel="stylesheet" href="/institutions/{SLUG}/brand\.css\?v=\d+">', page.text
    )
    logo_src = re.search(
        rf'<img class="brand-logo" src="(/institutions/{SLUG}/logo\?v=\d+)"', page.text
    )
    assert logo_src, "the page shows no logo"
    logo = world.client.get(logo_src.group(1))
    assert logo.headers["content-type"] == "image/png"
    assert logo.content == png_logo()


def test_specification_and_claim_pages_carry_the_brand(world: World) -> None:
    branded(world)
    world.award()
    spec_page = world.client.get(f"/specifications/{world.spec_id}")
    assert f"/institutions/{SLUG}/brand.css" in spec_page.text
    claim_page = world.client.get(confirm_claim(world))
    assert f"/institutions/{SLUG}/brand.css" in claim_page.text
    assert f"/institutions/{SLUG}/logo" in claim_page.text


def test_unbranded_page_links_no_brand_stylesheet_for_another_institution(world: World) -> None:
    branded(world)
    award = world.award()
    page = world.client.get(f"/credentials/{award.credential_id}")
    assert f"/institutions/{OTHER_SLUG}/" not in page.text


def test_claim_email_carries_the_logo_and_colour(world: World) -> None:
    branded(world)
    world.award()
    html = html_part(world.inbox.wait_for(1)[0])
    assert f'<img src="{BASE_URL}/institutions/{SLUG}/logo?v=' in html
    assert f"border-top:6px solid {PRIMARY}" in html
    assert f"background:{PRIMARY}" in html


def test_pdf_certificate_contains_the_logo_image_and_the_colour(world: World) -> None:
    branded(world)
    world.award()
    path = confirm_claim(world)
    pdf = world.client.get(f"{path}/certificate.pdf")
    assert pdf.status_code == 200
    first = PdfReader(io.BytesIO(pdf.content)).pages[0]
    sizes = [(image.image.width, image.image.height) for image in first.images if image.image]
    assert (120, 40) in sizes, f"no 120×40 logo among the page's images {sizes}"
    content = first.get_contents().get_data()  # type: ignore[union-attr]
    assert re.search(rb"\b0\.545\d* 0(\.0+)? 0(\.0+)? RG", content), "no frame in #8b0000"


def test_administrator_of_another_institution_cannot_change_the_branding(world: World) -> None:
    branded(world)
    other = signed_in_client(world, ADMIN_B)
    assert other.get(BRANDING).status_code == 403
    own = other.get(f"/institutions/{OTHER_SLUG}/branding")
    token = csrf_token(own.text)
    form = {"csrf_token": token, "primary_colour": "#000000", "accent_colour": "#000000"}
    assert other.post(BRANDING, data=form).status_code == 403
    files = {"logo": ("x.png", png_logo(10, 10), "image/png")}
    assert (
        other.post(f"{BRANDING}/logo", data={"csrf_token": token}, files=files).status_code == 403
    )
    brand = Branding(world.app.state.database).brand_of(SLUG)
    assert (brand.primary_colour, brand.accent_colour) == (PRIMARY, ACCENT)
    assert Branding(world.app.state.database).logo_of(SLUG) == (png_logo(), "image/png")


def test_unknown_institution_branding_page_is_404(world: World) -> None:
    admin = signed_in_client(world, ADMIN_A)
    assert admin.get("/institutions/nowhere/branding").status_code == 404


def test_low_contrast_colour_is_refused_on_the_page_and_nothing_changes(world: World) -> None:
    admin = branded(world)
    refused = set_colours(admin, SLUG, "#ffcc00", ACCENT)
    assert refused.status_code == 422  # type: ignore[attr-defined]
    assert "1.51:1 with white" in refused.text  # type: ignore[attr-defined]
    assert Branding(world.app.state.database).brand_of(SLUG).primary_colour == PRIMARY


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG" + b"\0" * MAX_LOGO_BYTES, "at most 256 KiB"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "PNG or JPEG"),
        (b"GIF89a not really", "PNG or JPEG"),
    ],
    ids=["oversized", "svg", "not-an-image"],
)
def test_oversized_or_non_image_logo_is_refused_and_nothing_changes(
    world: World, content: bytes, message: str
) -> None:
    admin = branded(world)
    refused = upload_logo(admin, SLUG, content, "logo.svg")
    assert refused.status_code == 422  # type: ignore[attr-defined]
    assert message in refused.text  # type: ignore[attr-defined]
    assert Branding(world.app.state.database).logo_of(SLUG) == (png_logo(), "image/png")


def test_institution_without_branding_gets_the_default_colours(world: World) -> None:
    css = world.client.get(f"/institutions/{OTHER_SLUG}/brand.css")
    assert f"--brand: {DEFAULT_PRIMARY}" in css.text
    assert world.client.get(f"/institutions/{OTHER_SLUG}/logo").status_code == 404
