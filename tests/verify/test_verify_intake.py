"""Verify accepts what people have: the PDF certificate, a baked PNG or SVG, JSON and a
vc+jwt; anything else gets a sentence saying what to drop, never a parser's error."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from typing import Any

import pytest
from fpdf import FPDF
from PIL import Image
from verify_support import CHECKED_AT, ISSUED, explained

from microcred.formats.baking import bake_png, bake_svg
from microcred.formats.pdf import CertificateData, render_certificate
from microcred.formats.pdf.attachment import MAX_PDF_BYTES
from microcred.verify import verify_credential
from microcred.verify.parse import NOT_A_CREDENTIAL
from microcred.verify.report import CheckStatus, Verdict
from microcred.verify.statement import credential_statement
from support.examples import example_specification


def certificate_pdf(credential: dict[str, Any] | None, filename: str = "credential.json") -> bytes:
    """Return a certificate PDF as the claim page gives it, with ``credential`` attached."""
    data = CertificateData(
        specification=example_specification(),
        learner_name="Jana Nowak",
        institution_name="TH Lahntal",
        issued_on=ISSUED,
        public_url="https://th-lahntal.example/c/1",
        credential_id=str((credential or {}).get("id", "urn:uuid:0")),
        credential_file=json.dumps(credential).encode() if credential else b"not a credential",
        credential_filename=filename,
    )
    return render_certificate(data)


def plain_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "teal").save(out, format="PNG")
    return out.getvalue()


def verify(given: Any, trust: Any) -> Any:
    return verify_credential(given, trust=trust, now=CHECKED_AT)


def test_pdf_certificate_verifies_by_its_attached_credential(credential, trust, no_network):
    report = verify(certificate_pdf(credential), trust)
    assert report.verdict == Verdict.verified, report.summary


def test_pdf_whose_attached_credential_was_changed_fails_the_proof(credential, trust, no_network):
    credential["credentialSubject"]["achievement"]["name"] = "Forged"
    report = verify(certificate_pdf(credential), trust)
    assert report.verdict == Verdict.failed and report.failed_check == "proof"


def test_pdf_without_a_credential_says_what_to_drop_instead(trust):
    pdf = FPDF()
    pdf.add_page()
    report = verify(bytes(pdf.output()), trust)
    assert report.failed_check == "parse"
    assert "has no credential attached" in explained(report.check("parse"))


def test_pdf_with_something_else_attached_is_not_read_as_a_credential(trust):
    report = verify(certificate_pdf(None, filename="notes.txt"), trust)
    assert "has no credential attached" in explained(report.check("parse"))


def test_damaged_pdf_is_explained(trust):
    report = verify(b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\n%%EOF garbage", trust)
    assert report.failed_check == "parse"
    reason = explained(report.check("parse"))
    assert "no credential attached" in reason or "cannot be read" in reason


def test_pdf_over_the_size_limit_is_refused_with_its_size(trust):
    report = verify(b"%PDF-1.7\n" + b" " * MAX_PDF_BYTES, trust)
    assert "the limit is 8,388,608 bytes" in explained(report.check("parse"))


@pytest.mark.parametrize("image", ["png", "svg"])
def test_baked_badge_image_verifies(image, credential, trust, no_network):
    baked = (
        bake_png(plain_png(), credential)
        if image == "png"
        else bake_svg('<svg xmlns="http://www.w3.org/2000/svg"></svg>', credential).encode()
    )
    report = verify(baked, trust)
    assert report.verdict == Verdict.verified, report.summary


@pytest.mark.parametrize(
    "garbage",
    [b"\x00\x01\x02binary", "hello, I am a CV", "<html><body>a web page</body></html>"],
    ids=["binary", "prose", "html"],
)
def test_garbage_gets_a_sentence_not_a_parser_error(garbage, trust):
    check = verify(garbage, trust).check("parse")
    assert check.status == CheckStatus.failed
    assert check.reason == NOT_A_CREDENTIAL
    assert "Expecting" not in check.reason and "line 1" not in check.reason


def test_broken_json_says_where_and_what_to_do(credential, trust):
    text = json.dumps(credential)[:200]
    check = verify(text, trust).check("parse")
    assert check.reason.startswith("The credential's text is damaged near line 1, column")
    assert "Expecting" not in check.reason
    assert "not valid JSON" in check.details["technical"]  # the detail stays for the API


def test_statement_names_holder_title_credits_level_issuer_and_date(credential):
    statement = credential_statement(credential, "en")
    assert statement is not None
    assert statement.holder == "Jana Nowak"
    assert statement.title == example_specification().title["en"]
    assert statement.issuer == "Lahntal University of Applied Sciences"
    assert statement.ects == example_specification().workload.ects
    assert statement.issued == ISSUED.date()


def test_statement_of_something_that_names_no_achievement_is_none():
    assert credential_statement({"type": ["VerifiableCredential"]}, "en") is None
    assert credential_statement(["not", "an", "object"], "en") is None


def test_statement_does_not_show_a_hashed_name(credential):
    subject = credential["credentialSubject"]
    for identifier in subject["identifier"]:
        identifier["hashed"] = True
    statement = credential_statement(credential, "en")
    assert statement is not None and statement.holder == ""


def test_statement_reads_the_eqf_level_and_falls_back_to_issuance_date(credential):
    credential["credentialSubject"]["achievement"]["eqfLevel"] = "http://data.europa.eu/snb/eqf/5"
    del credential["validFrom"]
    credential["issuanceDate"] = datetime(2026, 12, 5, tzinfo=UTC).isoformat()
    statement = credential_statement(credential, "de")
    assert statement is not None and statement.eqf == 5
    assert statement.issued == datetime(2026, 12, 5).date()
