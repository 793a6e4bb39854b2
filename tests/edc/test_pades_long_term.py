"""PAdES B-LT and B-LTA on PDF certificates: a DSS with the chains and the OCSP answer fetched
from a responder on 127.0.0.1 at sealing time, a document time-stamp over it, and the verifier
judging it all offline a month later, once the seal certificate and the signature time-stamp's
authority have expired."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import UTC, datetime, timedelta

import pytest
from fpdf import FPDF
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from seal_pki import (
    RevocationService,
    TimestampAuthority,
    certificate,
    revocation_pointers,
    seal_certificate,
    tsa_app,
)

from microcred.crypto import pades
from microcred.crypto.x509_seal import SealCredentials
from microcred.net import FetchPolicy
from microcred.verify.pdf_seal import check_pdf_seal
from served import served

TODAY = datetime.now(UTC)
MONTH_LATER = TODAY + timedelta(days=30)
LOOPBACK = FetchPolicy(allow_private=True)


def authority(root, name_days: int):
    """Return a TSA on ``root`` whose certificate ends in ``name_days`` days, real clock."""
    made = TimestampAuthority.on(
        root, not_before=TODAY - timedelta(days=30), not_after=TODAY + timedelta(days=name_days)
    )
    made.clock = lambda: datetime.now(UTC)
    return made


@pytest.fixture(scope="module")
def pki():
    """A root with its OCSP responder and CRL served; a short-lived TSA (5 days) for signature
    time-stamps and a long-lived one for archive time-stamps, each served; yields a dict."""
    root = certificate(
        "Test EU Seal Root", None, path_length=1, not_before=TODAY - timedelta(days=30)
    )
    revocations = RevocationService(root)
    short, long = authority(root, 5), authority(root, 3650)
    with (
        served(revocations.app()) as base,
        served(tsa_app(short)) as short_base,
        served(tsa_app(long)) as long_base,
    ):
        yield {
            "root": root,
            "revocations": revocations,
            "base": base,
            "short": pades.PolicyTimeStamper(f"{short_base}/tsa", LOOPBACK),
            "long": pades.PolicyTimeStamper(f"{long_base}/tsa", LOOPBACK),
        }


def sealer(pki, name: str = "Test University seal") -> SealCredentials:
    """Return the credentials of a seal certificate that ends in two days and names the
    root's OCSP responder and CRL."""
    made = seal_certificate(
        pki["root"],
        name,
        not_before=TODAY - timedelta(days=10),
        not_after=TODAY + timedelta(days=2),
        extra=revocation_pointers(pki["base"]),
    )
    pki["revocations"].known.append(made.certificate)
    return SealCredentials(made.key, [made.certificate, pki["root"].certificate])


@pytest.fixture(scope="module")
def plain_pdf() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=14)
    pdf.cell(text="Certificate of completion: Data Literacy (5 ECTS)")
    return bytes(pdf.output())


@pytest.fixture(scope="module")
def sealed_lt(pki, plain_pdf) -> bytes:
    """B-LT, its signature time-stamp by the short-lived authority."""
    return pades.seal_pdf(plain_pdf, sealer(pki), timestamper=pki["short"], level="B-LT")


@pytest.fixture(scope="module")
def sealed_lta(pki, sealed_lt) -> bytes:
    """The B-LT file with an archive time-stamp by the long-lived authority over its DSS."""
    return pades.add_document_timestamp(sealed_lt, pki["long"])


def test_b_lt_seal_carries_its_chain_and_an_ocsp_answer_in_a_dss(pki, sealed_lt):
    result = check_pdf_seal(sealed_lt, [pki["root"].certificate])
    assert result.status == "ok", result.reason
    details = result.details
    assert details["level"] == "PAdES B-LT" and details["validation_data"], str(details)
    assert details["chain"] == ["CN=Test University seal", "CN=Test EU Seal Root"]
    [finding] = details["revocation"]
    assert finding["status"] == "good"
    assert finding["source"].startswith("OCSP response by CN=Test EU Seal Root")
    assert details["archive_time"] is None and details["archive_timestamps"] == 0
    assert details["trusted_list"] == "advanced seal, trusted (seal trust store)"


def test_b_lta_seal_made_in_one_call_verifies_with_its_archive_time(pki, plain_pdf):
    sealed = pades.seal_pdf(plain_pdf, sealer(pki), timestamper=pki["long"], level="B-LTA")
    result = check_pdf_seal(sealed, [pki["root"].certificate])
    assert result.status == "ok", result.reason
    assert result.reason.startswith("PAdES B-LTA seal intact")
    details = result.details
    assert details["archive_authority"].endswith("Test time-stamping unit")
    archived = datetime.fromisoformat(details["archive_time"])
    assert datetime.fromisoformat(details["time"]) <= archived <= datetime.now(UTC)
    assert details["time_source"] == "trusted time-stamp"


def test_expired_seal_verifies_a_month_later_only_with_an_earlier_archive_time_stamp(
    pki, sealed_lt, sealed_lta
):
    roots = [pki["root"].certificate]
    archived = check_pdf_seal(sealed_lta, roots, now=MONTH_LATER)
    assert archived.status == "ok", archived.reason
    assert archived.details["level"] == "PAdES B-LTA"
    assert archived.details["judged_at"] == archived.details["time"]  # the signature time-stamp
    # Without it, the signature time-stamp's authority has expired too: nothing proves the
    # seal existed while its certificate was valid.
    bare = check_pdf_seal(sealed_lt, roots, now=MONTH_LATER)
    assert bare.status == "untrusted" and bare.details["intact"], bare.reason
    assert bare.details["level"] == "PAdES B-B"


def test_seal_certificate_revoked_before_sealing_fails_at_b_lt(pki, plain_pdf):
    credentials = sealer(pki, "Compromised seal")
    serial = credentials.certificate.serial_number
    pki["revocations"].revoked[serial] = TODAY - timedelta(days=1)
    sealed = pades.seal_pdf(plain_pdf, credentials, timestamper=pki["short"], level="B-LT")
    result = check_pdf_seal(sealed, [pki["root"].certificate])
    assert result.status == "failed"
    assert "CN=Compromised seal was revoked by then" in result.reason
    assert result.details["level"] == "PAdES B-T"
    assert result.details["revocation"][0]["status"] == "revoked"


def test_b_lt_asks_for_a_time_stamped_seal(pki, plain_pdf):
    unstamped = pades.seal_pdf(plain_pdf, sealer(pki))
    with pytest.raises(pades.PadesError, match="signature time-stamp"):
        pades.add_validation_data(unstamped, [pki["root"].certificate])
    with pytest.raises(pades.PadesError, match="B-T, B-LT or B-LTA"):
        pades.seal_pdf(plain_pdf, sealer(pki), timestamper=pki["long"], level="B-X")  # type: ignore[arg-type]


def test_pdfsig_lists_the_seal_and_the_archive_time_stamp(sealed_lta, tmp_path):
    path = tmp_path / "certificate.pdf"
    path.write_bytes(sealed_lta)
    assert shutil.which("pdfsig"), "pdfsig comes with poppler-utils: make browser-deps"
    shown = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, check=False)
    seal, stamp = shown.stdout.split("Signature #2:")
    assert "Signature Type: ETSI.CAdES.detached" in seal, shown.stdout
    assert "Signature Validation: Signature is Valid." in seal
    assert "Not total document signed" in seal  # the DSS and the time-stamp came after
    assert "Signer Certificate Common Name: Test time-stamping unit" in stamp
    assert "Total document signed" in stamp and "Not total" not in stamp


def test_archive_time_stamp_renewed_before_its_authority_expires_still_counts(pki, sealed_lt):
    roots = [pki["root"].certificate]
    # The first archive time-stamp comes from the short-lived authority too; by next month
    # only its renewal by the long-lived one proves it was made while that was valid.
    first = pades.add_document_timestamp(sealed_lt, pki["short"])
    renewed = pades.add_document_timestamp(first, pki["long"])
    result = check_pdf_seal(renewed, roots, now=MONTH_LATER)
    assert result.status == "ok", result.reason
    assert result.details["level"] == "PAdES B-LTA"
    assert result.details["archive_timestamps"] == 2
    lapsed = check_pdf_seal(first, roots, now=MONTH_LATER)
    assert lapsed.status == "untrusted" and lapsed.details["archive_time"] is None
    assert lapsed.details["archive_problem"]


def test_page_changed_in_a_later_revision_of_a_b_lta_pdf_fails(pki, sealed_lta):
    writer = IncrementalPdfFileWriter(io.BytesIO(sealed_lta), strict=False)
    page_ref, _resources = writer.find_page_for_modification(0)
    page = page_ref.get_object()
    forged = b"BT /F1 24 Tf 72 700 Td (Data Literacy: 30 ECTS) Tj ET"
    page["/Contents"] = writer.add_object(generic.StreamObject(stream_data=forged))
    writer.mark_update(page_ref)
    changed = io.BytesIO()
    writer.write(changed)
    result = check_pdf_seal(changed.getvalue(), [pki["root"].certificate])
    assert result.status == "failed"
    assert result.reason == "the PDF was changed after it was sealed"
