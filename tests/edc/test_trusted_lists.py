"""EU trusted lists: a LOTL and national lists built and XAdES-signed here, served on 127.0.0.1,
fetched by `microcred trust refresh` with the LOTL signer pinned; the EDC seal report's verdict
("qualified seal by <TSP>, <country>", "advanced seal, trusted", "untrusted")."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from fpdf import FPDF
from seal_pki import NOW, Authority, certificate, seal_certificate
from starlette.applications import Starlette
from starlette.responses import Response
from starlette.routing import Route
from trusted_lists_support import Pointer, Service, lotl_xml, national_xml, signed
from typer.testing import CliRunner

from microcred.cli.main import app as cli
from microcred.config import Settings
from microcred.crypto import jades, pades, trusted_list
from microcred.crypto.trusted_list import TrustedListError, read_trusted_list
from microcred.crypto.x509_seal import QC_STATEMENTS, SealCredentials
from microcred.services.verifier import InstanceVerifier
from microcred.verify.pipeline import verify_credential
from microcred.verify.report import CheckStatus
from served import free_port, served

PAYLOAD = json.dumps({"type": ["VerifiableCredential", "EuropeanDigitalCredential"]}).encode()
# QCStatements: QcCompliance, and QcType { id-etsi-qct-eseal } (ETSI EN 319 412-5)
_COMPLIANCE = bytes.fromhex("3008" + "06060400" + "8e460101")
_QC_TYPE = bytes.fromhex("3013" + "06060400" + "8e460106" + "3009" + "06070400" + "8e46010602")
QUALIFIED_SEAL = x509.UnrecognizedExtension(
    QC_STATEMENTS, bytes([0x30, len(_COMPLIANCE + _QC_TYPE)]) + _COMPLIANCE + _QC_TYPE
)


@pytest.fixture(scope="module")
def world():
    """Signers, a German qualified CA listed for e-seals, and an unlisted CA."""
    return {
        "lotl": certificate("Test LOTL signer", None, ca=False, fresh_key=True),
        "de": certificate("Test DE TL signer", None, ca=False, fresh_key=True),
        "at": certificate("Test AT TL signer", None, ca=False, fresh_key=True),
        "impostor": certificate("Impostor signer", None, ca=False, fresh_key=True),
        "qca": certificate("Test Qualified CA DE", None, path_length=0, fresh_key=True),
        "other": certificate("Unlisted CA", None, path_length=0, fresh_key=True),
    }


@pytest.fixture
def lists_served(world):
    """Serve a LOTL pointing to DE (properly signed) and AT (signed by the wrong key)."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    pointers = [
        Pointer("DE", f"{base}/tl-de.xml", world["de"].certificate),
        Pointer("DE", f"{base}/tl-de.pdf", world["de"].certificate, "application/pdf"),
        Pointer("AT", f"{base}/tl-at.xml", world["at"].certificate),
    ]
    files = {
        "/lotl.xml": signed(lotl_xml(pointers), world["lotl"].key, world["lotl"].certificate),
        "/tl-de.xml": signed(
            national_xml("DE", [Service("Test Trust Services GmbH", world["qca"].certificate)]),
            world["de"].key,
            world["de"].certificate,
        ),
        "/tl-at.xml": signed(
            national_xml("AT", [Service("Impostor TSP", world["other"].certificate)]),
            world["impostor"].key,
            world["impostor"].certificate,
        ),
    }

    async def serve(request):
        return Response(files[request.url.path], media_type="application/vnd.etsi.tsl+xml")

    app = Starlette(routes=[Route(path, serve) for path in files])
    with served(app, port):
        yield base, files


@pytest.fixture
def configured(world, lists_served, tmp_path, monkeypatch):
    """The environment `microcred trust refresh` and the verifier read."""
    base, _ = lists_served
    pinned = tmp_path / "lotl-signers.pem"
    pinned.write_bytes(world["lotl"].certificate.public_bytes(serialization.Encoding.PEM))
    monkeypatch.setenv("MICROCRED_TRUSTED_LIST_URL", f"{base}/lotl.xml")
    monkeypatch.setenv("MICROCRED_TRUSTED_LIST_SIGNERS", str(pinned))
    monkeypatch.setenv("MICROCRED_TRUSTED_LIST_DIR", str(tmp_path / "lists"))
    monkeypatch.setenv("MICROCRED_FETCH_ALLOW_PRIVATE", "true")
    return tmp_path / "lists"


def sealed_by(issuer: Authority, *, qualified: bool) -> dict:
    extra = (QUALIFIED_SEAL,) if qualified else ()
    sealer = seal_certificate(
        issuer,
        "Universität Teststadt seal",
        not_before=NOW - timedelta(days=1),
        not_after=NOW + timedelta(days=3650),
        extra=extra,
    )
    return jades.seal(PAYLOAD, SealCredentials(sealer.key, [sealer.certificate]), NOW)


def test_lotl_signature_is_checked_with_the_pinned_certificate_only(world, lists_served):
    _, files = lists_served
    lotl = read_trusted_list(files["/lotl.xml"], [world["lotl"].certificate])
    assert lotl.is_lotl and [p.territory for p in lotl.pointers if p.is_xml] == ["DE", "AT"]
    with pytest.raises(TrustedListError, match="does not verify with a pinned certificate"):
        read_trusted_list(files["/lotl.xml"], [world["impostor"].certificate])
    changed = files["/lotl.xml"].replace(b"tl-de.xml", b"tl-xx.xml", 1)
    with pytest.raises(TrustedListError, match="does not verify"):
        read_trusted_list(changed, [world["lotl"].certificate])


def test_refresh_keeps_the_lists_whose_signatures_verify(configured):
    result = CliRunner().invoke(cli, ["trust", "refresh"])
    assert result.exit_code == 1, result.output  # AT is not kept
    assert "LOTL #1 verified" in result.output
    assert "DE" in result.output and "verified" in result.output
    assert "not kept" in result.output
    assert sorted(p.name for p in configured.iterdir()) == ["lotl.xml", "tl-DE.xml"]


def test_refresh_without_a_pinned_signer_changes_nothing(configured, monkeypatch):
    monkeypatch.delenv("MICROCRED_TRUSTED_LIST_SIGNERS")
    result = CliRunner().invoke(cli, ["trust", "refresh"])
    assert result.exit_code == 2 and "MICROCRED_TRUSTED_LIST_SIGNERS" in result.output
    assert not configured.exists()


def test_seal_by_a_listed_qualified_ca_reads_qualified_seal_by_the_tsp(world, configured):
    assert CliRunner().invoke(cli, ["trust", "refresh"]).exit_code == 1
    sealed = sealed_by(world["qca"], qualified=True)
    seal = verify_credential(sealed, seal_roots=[], now=NOW).check("seal")
    assert seal.status == CheckStatus.ok, seal.reason
    assert seal.details["trusted_list"] == "qualified seal by Test Trust Services GmbH, DE"


def test_non_qualified_certificate_of_a_listed_ca_reads_advanced_and_trusted(world, configured):
    CliRunner().invoke(cli, ["trust", "refresh"])
    sealed = sealed_by(world["qca"], qualified=False)
    seal = verify_credential(sealed, seal_roots=[], now=NOW).check("seal")
    assert seal.details["trusted_list"] == "advanced seal, trusted (Test Trust Services GmbH, DE)"


def test_ca_of_a_list_that_did_not_verify_is_untrusted(world, configured):
    CliRunner().invoke(cli, ["trust", "refresh"])
    sealed = sealed_by(world["other"], qualified=True)
    seal = verify_credential(sealed, seal_roots=[], now=NOW).check("seal")
    assert seal.status == CheckStatus.untrusted
    assert seal.details["trusted_list"] == "untrusted"


def test_cached_list_changed_on_disk_is_not_believed(world, configured):
    CliRunner().invoke(cli, ["trust", "refresh"])
    path = configured / "tl-DE.xml"
    path.write_bytes(path.read_bytes().replace(b"Test Trust Services", b"Evil Trust Services", 1))
    lists = trusted_list.load_cache(configured, [world["lotl"].certificate])
    assert lists.lotl is not None and lists.lists == []


def test_pdf_sealed_by_a_listed_qualified_ca_reads_qualified_on_the_instance_verifier(
    world, configured
):
    CliRunner().invoke(cli, ["trust", "refresh"])
    sealer = seal_certificate(world["qca"], "Universität Teststadt seal", extra=(QUALIFIED_SEAL,))
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="Certificate")
    sealed = pades.seal_pdf(bytes(pdf.output()), SealCredentials(sealer.key, [sealer.certificate]))
    result = InstanceVerifier(None, None, Settings()).verify_pdf_seal(sealed)
    assert result.status == CheckStatus.ok, result.reason
    assert result.details["trusted_list"] == "qualified seal by Test Trust Services GmbH, DE"
