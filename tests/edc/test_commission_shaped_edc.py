"""A sealed EDC shaped like the Commission's signed samples (JAdES RS256, x5c, crit naming
adoTst) read by the verifier: intact with an untrusted test sealer; one changed character
breaks the seal; a header member the verifier does not understand is named, apart from the
signature."""

from __future__ import annotations

import copy

import pytest
from seal_pki import (
    TimestampAuthority,
    certificate,
    commission_shaped_seal,
    seal_certificate,
)

from microcred.crypto import jades
from microcred.domain.validation import parse_specification
from microcred.services.demo import demo_entries
from microcred.services.edc import issue_edc
from microcred.verify import verify_credential

SPEC_URL = "https://credentials.uni.example/specifications/1"


@pytest.fixture(scope="module")
def pki():
    root = certificate("Test EDC Seal Root", None, path_length=1)
    return root, seal_certificate(root), TimestampAuthority.on(root)


@pytest.fixture
def edc_payload(award, issuer, seal) -> bytes:
    published = next(entry for entry in demo_entries() if entry.publish)
    spec = parse_specification(published.data)
    sealed = issue_edc(spec, award, issuer, seal, spec_url=SPEC_URL).document
    return jades.payload_of(sealed).encode()


def test_commission_shaped_edc_reads_intact_with_an_untrusted_sealer(pki, edc_payload):
    root, sealer, tsa = pki
    report = verify_credential(commission_shaped_seal(edc_payload, sealer, root, tsa))
    seal = report.check("seal")
    assert seal.status == "untrusted", seal.reason
    assert seal.reason.startswith("seal intact, but the sealer is not trusted")
    assert seal.details["signature_valid"] and seal.details["seal_intact"]
    assert [t["kind"] for t in seal.details["timestamps"]] == ["content", "signature"]
    assert report.check("format").status == "ok"


def test_one_changed_character_of_a_commission_shaped_edc_breaks_the_seal(pki, edc_payload):
    root, sealer, tsa = pki
    sealed = commission_shaped_seal(edc_payload, sealer, root, tsa)
    changed = copy.deepcopy(sealed)
    changed["payload"] = sealed["payload"].replace("Ana Andromeda", "Ana Andromedb", 1)
    assert changed["payload"] != sealed["payload"]
    report = verify_credential(changed, seal_roots=[root.certificate])
    assert report.verdict == "failed" and report.failed_check == "seal"
    assert report.check("seal").reason.startswith("seal broken: the signature does not match")


def test_unknown_critical_member_is_not_accepted_though_the_signature_verifies(pki, edc_payload):
    root, sealer, tsa = pki
    sealed = commission_shaped_seal(
        edc_payload, sealer, root, tsa, crit=["sigT", "adoTst", "srAts"], srAts={}
    )
    report = verify_credential(sealed, seal_roots=[root.certificate])
    seal = report.check("seal")
    assert seal.status == "failed" and seal.details["signature_valid"] is True
    assert seal.reason.startswith("seal not accepted: the signature verifies, but crit names")
