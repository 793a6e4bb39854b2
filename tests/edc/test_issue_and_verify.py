"""Every demo micro-credential becomes a sealed EDC that conforms to SHACL generic-full and
verifies; a changed byte breaks the seal; a missing mandatory property is named."""

from __future__ import annotations

import base64
import copy
import json
import socket
from datetime import timedelta
from typing import Any

import pytest

from microcred.domain.compliance import check
from microcred.domain.specification import Specification
from microcred.domain.validation import parse_specification
from microcred.formats.elm.errors import ElmRenderError
from microcred.formats.elm.render import render_edc
from microcred.formats.elm.shacl import validate_edc
from microcred.formats.ob3 import IssuerProfile
from microcred.services.demo import demo_entries
from microcred.services.edc import EdcRefused, issue_edc, seal_edc
from microcred.verify import TrustedIssuer, TrustRegistry, verify_credential

SPEC_URL = "https://credentials.uni.example/specifications/1"


def issuable_demo_specifications() -> list[tuple[str, Specification]]:
    """The published demo specifications and the drafts that comply."""
    found = []
    for entry in demo_entries():
        spec = parse_specification(entry.data)
        if entry.publish or check(spec).compliant:
            found.append((entry.source, spec))
    return found


DEMO = issuable_demo_specifications()


@pytest.mark.parametrize(("source", "spec"), DEMO, ids=[source for source, _ in DEMO])
def test_demo_specification_issues_an_edc_that_conforms_and_whose_seal_verifies(
    source, spec, award, issuer, seal, root
):
    sealed = issue_edc(spec, award, issuer, seal, spec_url=SPEC_URL)
    assert sealed.shacl.conforms, sealed.shacl.summary()
    assert sealed.shacl.profile == "generic-full"
    trust = TrustRegistry([TrustedIssuer(issuer.id, "University of Kaltenbach")])
    report = verify_credential(sealed.document, seal_roots=[root], trust=trust)
    assert report.verdict == "verified", report.summary
    seal_check = report.check("seal")
    assert seal_check.details["seal_intact"] and seal_check.details["sealer_trusted"]
    assert report.check("format").status == "ok"


def test_at_least_the_five_published_demo_specifications_are_covered():
    assert len(DEMO) >= 5


def test_changing_one_byte_of_the_payload_breaks_the_seal(award, issuer, seal, root):
    sealed = issue_edc(DEMO[0][1], award, issuer, seal, spec_url=SPEC_URL).document
    changed = copy.deepcopy(sealed)
    changed["payload"] = changed["payload"].replace("Ana Andromeda", "Ana Andromedb", 1)
    report = verify_credential(changed, seal_roots=[root])
    assert report.verdict == "failed"
    assert report.failed_check == "seal"
    assert report.check("seal").details["seal_intact"] is False
    assert report.check("accreditation").status == "skipped"


def test_intact_seal_from_an_unknown_root_reads_as_untrusted_not_forged(award, issuer, seal):
    sealed = issue_edc(DEMO[0][1], award, issuer, seal, spec_url=SPEC_URL).document
    report = verify_credential(json.dumps(sealed), seal_roots=[])
    assert report.verdict == "verified_untrusted_issuer"
    assert report.check("seal").details == report.check("seal").details | {
        "seal_intact": True,
        "sealer_trusted": False,
        "qualified_certificate": False,
    }


def test_expired_edc_fails_expiry(award, issuer, seal, root):
    award = award.model_copy(update={"valid_until": award.issued_on + timedelta(days=30)})
    sealed = issue_edc(DEMO[0][1], award, issuer, seal, spec_url=SPEC_URL).document
    later = award.issued_on + timedelta(days=60)
    report = verify_credential(sealed, seal_roots=[root], now=later)
    assert report.check("validity").status == "failed"
    assert "expired" in report.check("validity").reason


def test_edc_missing_issued_fails_format_naming_the_property(award, issuer):
    credential = render_edc(DEMO[0][1], award, with_legal_id(issuer), spec_url=SPEC_URL)
    del credential["issued"]
    report = validate_edc(credential)
    assert not report.conforms
    assert [f.path for f in report.failures] == ["cred:issued"]
    verified = verify_credential(credential)
    assert verified.check("format").status == "failed"
    assert "cred:issued" in verified.check("format").reason


def test_awarding_body_without_legal_name_fails_format(award, issuer):
    credential = render_edc(DEMO[0][1], award, with_legal_id(issuer), spec_url=SPEC_URL)
    body = credential["credentialSubject"]["hasClaim"]["awardedBy"]["awardingBody"][0]
    del body["legalName"]
    report = validate_edc(credential)
    assert "rov:legalName" in {f.path for f in report.failures}


def test_nonconforming_edc_is_never_sealed(award, issuer, seal):
    credential = render_edc(DEMO[0][1], award, with_legal_id(issuer), spec_url=SPEC_URL)
    del credential["displayParameter"]
    with pytest.raises(EdcRefused) as refused:
        seal_edc(credential, seal)
    assert "elm:displayParameter" in str(refused.value)


def test_issuer_without_legal_identifier_or_country_is_refused_with_the_field(award, issuer):
    with pytest.raises(ElmRenderError) as missing_id:
        render_edc(DEMO[0][1], award, issuer, spec_url=SPEC_URL)
    assert missing_id.value.where == "issuer.legal_identifier"
    no_country = issuer.model_copy(update={"country": None, "legal_identifier": "VATDE-1"})
    with pytest.raises(ElmRenderError) as missing_country:
        render_edc(DEMO[0][1], award, no_country, spec_url=SPEC_URL)
    assert missing_country.value.where == "issuer.country"


def test_unsigned_edc_reads_as_unsealed(award, issuer):
    credential = render_edc(DEMO[0][1], award, with_legal_id(issuer), spec_url=SPEC_URL)
    report = verify_credential(credential)
    assert report.check("format").status == "ok"
    assert report.check("seal").status == "failed"
    assert "not sealed" in report.check("seal").reason


def test_no_network_is_touched_while_issuing_and_verifying(monkeypatch, award, issuer, seal, root):
    attempts: list[Any] = []

    def refuse(self: socket.socket, address: Any) -> None:
        attempts.append(address)
        raise OSError("network access in a test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    sealed = issue_edc(DEMO[0][1], award, issuer, seal, spec_url=SPEC_URL)
    report = verify_credential(sealed.document, seal_roots=[root])
    assert report.check("format").status == "ok"
    assert report.check("seal").status == "ok"
    assert attempts == []


def test_page_image_is_a_png(award, issuer):
    credential = render_edc(DEMO[0][1], award, with_legal_id(issuer), spec_url=SPEC_URL)
    image = credential["displayParameter"]["individualDisplay"]["displayDetail"]["image"]
    assert base64.b64decode(image["content"]).startswith(b"\x89PNG\r\n\x1a\n")
    assert image["contentType"]["id"].endswith("/file-type/PNG")


def with_legal_id(issuer: IssuerProfile) -> IssuerProfile:
    return issuer.model_copy(update={"legal_identifier": "VATDE-123456789"})
