"""The downloads: the PDF certificate (QR code, attached credential) and the baked badges."""

from __future__ import annotations

import io
import json
import subprocess
from pathlib import Path

import pytest
import zxingcpp
from delivery_support import confirm_claim, verify_here
from PIL import Image
from pypdf import PdfReader

from delivery.conftest import SLUG, World
from microcred.formats.baking import BakingError, bake_png, bake_svg, png_chunks, unbake
from microcred.services.delivery.links import public_page_url
from microcred.services.seal_certificates import SealCertificates
from microcred.verify.pdf_seal import check_pdf_seal
from microcred.verify.report import CheckStatus

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def pdf_page_png(pdf: bytes, tmp_path: Path, resolution: int = 150) -> Path:
    """Render the PDF's first page with poppler's pdftoppm; return the PNG's path."""
    source = tmp_path / "certificate.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            str(resolution),
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(source),
            str(tmp_path / "page"),
        ],
        check=True,
    )
    return tmp_path / "page.png"


def test_certificate_qr_code_opens_the_public_page_and_its_attached_json_verifies(
    world: World, tmp_path: Path
) -> None:
    award = world.award()
    path = confirm_claim(world)
    pdf = world.client.get(f"{path}/certificate.pdf")
    assert pdf.headers["content-type"] == "application/pdf"

    codes = zxingcpp.read_barcodes(Image.open(pdf_page_png(pdf.content, tmp_path)))
    assert [code.text for code in codes] == [
        public_page_url(world.settings.base_url, award.credential_id)
    ]

    attachments = PdfReader(io.BytesIO(pdf.content)).attachments
    assert list(attachments) == ["credential.json"]
    credential = json.loads(attachments["credential.json"][0])
    assert credential["id"] == award.credential_id
    report = verify_here(world, credential)
    assert report.verified, report.summary


def test_certificate_shows_the_eu_standard_elements(world: World) -> None:
    world.award()
    path = confirm_claim(world)
    reader = PdfReader(io.BytesIO(world.client.get(f"{path}/certificate.pdf").content))
    assert len(reader.pages) == 2
    assert reader.pages[0].mediabox.width > reader.pages[0].mediabox.height  # landscape
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    for expected in (
        "Certificate of achievement",
        "Jana Nowak",
        "Data Literacy for Public Administration",
        "TH Lahntal",
        "Germany",
        "5 ECTS",
        "EQF 6",
        "Learning outcomes",
        "Analyse administrative data sets",
        "Type of assessment",
        "Form of participation",
        "Type of quality assurance",
        "Stackability",
        "Valid until",
    ):
        assert expected in text, f"the certificate lacks {expected!r}"


def test_certificate_is_in_the_learners_language(world: World, tmp_path: Path) -> None:
    world.award(language="de")
    path = confirm_claim(world)
    pdf = world.client.get(f"{path}/certificate.pdf").content
    text = " ".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
    assert "Datenkompetenz für die öffentliche Verwaltung" in text
    assert "Hiermit wird bestätigt, dass" in text
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "certificate-de.png").write_bytes(pdf_page_png(pdf, tmp_path, 80).read_bytes())


@pytest.mark.parametrize("name", ["badge.png", "badge.svg"])
def test_baked_badge_round_trips_through_the_verifier(world: World, name: str) -> None:
    award = world.award()
    path = confirm_claim(world)
    image = world.client.get(f"{path}/{name}").content
    baked = unbake(image)
    assert isinstance(baked, dict)
    assert baked["id"] == award.credential_id
    report = verify_here(world, image)  # the verifier reads the image itself
    assert report.verified, report.summary
    assert report.check("proof").status == CheckStatus.ok


def test_baking_again_replaces_the_credential_so_an_image_carries_one(world: World) -> None:
    world.award()
    path = confirm_claim(world)
    image = world.client.get(f"{path}/badge.png").content
    again = bake_png(image, {"id": "urn:uuid:00000000-0000-4000-8000-000000000000"})
    credential_chunks = [data for kind, data in png_chunks(again) if kind == b"iTXt"]
    assert len(credential_chunks) == 1
    assert unbake(again) == {"id": "urn:uuid:00000000-0000-4000-8000-000000000000"}
    svg = bake_svg(bake_svg('<svg xmlns="http://www.w3.org/2000/svg"></svg>', "a.b.c"), "d.e.f")
    assert svg.count("<openbadges:credential") == 1
    assert unbake(svg) == "d.e.f"  # a vc+jwt travels in the verify attribute


def test_a_json_value_containing_the_cdata_end_survives_svg_baking() -> None:
    credential = {"name": "tricky ]]> value", "id": "urn:uuid:1"}
    svg = bake_svg('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>', credential)
    assert unbake(svg) == credential


def test_a_tampered_baked_png_fails_to_parse_with_the_reason(world: World) -> None:
    world.award()
    path = confirm_claim(world)
    image = bytearray(world.client.get(f"{path}/badge.png").content)
    position = image.find(b"openbadgecredential") + 40
    image[position] ^= 0x01
    with pytest.raises(BakingError, match="CRC"):
        unbake(bytes(image))
    report = verify_here(world, bytes(image))
    assert report.failed_check == "parse"
    assert "carries no credential that can be read" in report.check("parse").reason
    assert "CRC" in report.check("parse").details["technical"]


def test_a_png_without_a_credential_says_so() -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, format="PNG")
    with pytest.raises(BakingError, match="no Open Badges credential"):
        unbake(buffer.getvalue())


def test_certificate_is_pades_sealed_once_the_institution_has_a_seal_certificate(
    world: World,
) -> None:
    world.award()
    path = confirm_claim(world)
    unsealed = world.client.get(f"{path}/certificate.pdf").content
    assert check_pdf_seal(unsealed, []).reason.startswith("the PDF carries no seal")

    seals = SealCertificates(world.app.state.database, world.settings)
    _, root = seals.create_test(SLUG)
    sealed = world.client.get(f"{path}/certificate.pdf").content
    result = check_pdf_seal(sealed, [root])
    assert result.status == CheckStatus.ok, result.reason
    assert result.details["level"] == "PAdES B-B"
    assert "microcred TEST seal" in result.details["signer"]
    # The credential travels inside, unchanged by the seal's incremental update.
    assert "credential.json" in PdfReader(io.BytesIO(sealed)).attachments
