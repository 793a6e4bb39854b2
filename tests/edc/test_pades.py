"""PAdES seals on PDF certificates: sealed with pyHanko at baseline-B, and B-T with a real RFC
3161 authority on 127.0.0.1; the signature dictionary read back by poppler's ``pdfsig`` (what a
viewer's signature panel shows); and the verifier's PDF seal report, apart from any credential."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from fpdf import FPDF
from seal_pki import TimestampAuthority, certificate, seal_certificate, tsa_app

from microcred.crypto import pades, tsa
from microcred.crypto.x509_seal import SealCredentials
from microcred.net import FetchPolicy
from microcred.verify.pdf_seal import check_pdf_seal
from served import served

TODAY = datetime.now(UTC)
LOOPBACK = FetchPolicy(allow_private=True)


@pytest.fixture(scope="module")
def pki():
    """A root; a seal certificate that expires in two days; a TSA with a real clock."""
    root = certificate("Test EU Seal Root", None, path_length=1, not_before=TODAY - timedelta(30))
    sealer = seal_certificate(
        root,
        "Test University seal",
        not_before=TODAY - timedelta(days=10),
        not_after=TODAY + timedelta(days=2),
    )
    authority = TimestampAuthority.on(root, not_before=TODAY - timedelta(30))
    authority.clock = lambda: datetime.now(UTC)
    return root, SealCredentials(sealer.key, [sealer.certificate, root.certificate]), authority


@pytest.fixture(scope="module")
def tsa_url(pki):
    with served(tsa_app(pki[2])) as base:
        yield f"{base}/tsa"


@pytest.fixture(scope="module")
def plain_pdf() -> bytes:
    pdf = FPDF()
    pdf.set_compression(False)  # the text stays findable, to change one byte of it
    pdf.add_page()
    pdf.set_font("helvetica", size=14)
    pdf.cell(text="Certificate of completion: Data Literacy (5 ECTS)")
    return bytes(pdf.output())


@pytest.fixture(scope="module")
def sealed_b(pki, plain_pdf) -> bytes:
    return pades.seal_pdf(plain_pdf, pki[1])


@pytest.fixture(scope="module")
def sealed_t(pki, plain_pdf, tsa_url) -> bytes:
    return pades.seal_pdf(plain_pdf, pki[1], timestamper=pades.PolicyTimeStamper(tsa_url, LOOPBACK))


def test_baseline_b_seal_verifies_as_pades_b_b_by_its_sealer(pki, sealed_b):
    result = check_pdf_seal(sealed_b, [pki[0].certificate])
    assert result.status == "ok", result.reason
    assert result.details["level"] == "PAdES B-B"
    assert "Test University seal" in result.details["signer"]
    assert result.details["time_source"] == "claimed by the sealer"
    assert result.details["intact"] and result.details["covers_whole_file"]


def test_b_t_seal_verifies_with_the_time_of_its_time_stamp(pki, sealed_t):
    result = check_pdf_seal(sealed_t, [pki[0].certificate])
    assert result.status == "ok", result.reason
    assert result.details["level"] == "PAdES B-T"
    assert result.details["time_source"] == "trusted time-stamp"
    assert result.details["timestamp_authority"].endswith("Test time-stamping unit")


def test_expired_seal_certificate_verifies_with_an_earlier_time_stamp_only(pki, sealed_b, sealed_t):
    later = TODAY + timedelta(days=30)  # the seal certificate has expired by then
    stamped = check_pdf_seal(sealed_t, [pki[0].certificate], now=later)
    assert stamped.status == "ok", stamped.reason
    bare = check_pdf_seal(sealed_b, [pki[0].certificate], now=later)
    assert bare.status == "untrusted" and bare.details["intact"]


def test_seal_from_an_unknown_root_is_intact_but_untrusted(sealed_b):
    result = check_pdf_seal(sealed_b, [certificate("Another root", None).certificate])
    assert result.status == "untrusted"
    assert result.reason.startswith("PAdES B-B seal intact, but the sealer is not trusted")


def test_changed_byte_in_the_sealed_range_breaks_the_seal(pki, sealed_b):
    at = sealed_b.index(b"Data Literacy")
    changed = sealed_b[:at] + b"Data Lituracy" + sealed_b[at + len(b"Data Literacy") :]
    result = check_pdf_seal(changed, [pki[0].certificate])
    assert result.status == "failed"
    assert "changed" in result.reason or "cannot be read" in result.reason


def test_unsealed_pdf_and_non_pdf_are_clear_failures(plain_pdf):
    assert check_pdf_seal(plain_pdf, []).reason.startswith("the PDF carries no seal")
    assert check_pdf_seal(b"hello", []).reason == "not a PDF file"
    assert check_pdf_seal(b"%PDF-1.7\n\x00garbage", []).status == "failed"


def test_unreachable_tsa_leaves_no_half_sealed_pdf(pki, plain_pdf):
    with pytest.raises(tsa.TimestampUnavailable):
        pades.seal_pdf(
            plain_pdf,
            pki[1],
            timestamper=pades.PolicyTimeStamper("https://127.0.0.1:9/tsa", FetchPolicy()),
        )


def test_pdfsig_reads_a_pades_signature_dictionary(sealed_t, tmp_path):
    path = tmp_path / "certificate.pdf"
    path.write_bytes(sealed_t)
    assert shutil.which("pdfsig"), "pdfsig comes with poppler-utils: make browser-deps"
    shown = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, check=False)
    assert "Signature #1" in shown.stdout, shown.stdout + shown.stderr
    assert "Signature Type: ETSI.CAdES.detached" in shown.stdout
    assert "Signer Certificate Common Name: Test University seal" in shown.stdout
    assert "Signature Validation: Signature is Valid." in shown.stdout
    assert "Total document signed" in shown.stdout


def test_sealing_and_checking_work_inside_a_running_event_loop(pki, plain_pdf):
    async def inside() -> str:
        sealed = pades.seal_pdf(plain_pdf, pki[1])
        return check_pdf_seal(sealed, [pki[0].certificate]).status

    # In a thread of its own: once a Playwright browser test has run in this worker, its
    # session-long event loop is the main thread's running loop and asyncio.run() refuses there.
    with ThreadPoolExecutor(max_workers=1) as thread:
        assert thread.submit(asyncio.run, inside()).result() == "ok"
