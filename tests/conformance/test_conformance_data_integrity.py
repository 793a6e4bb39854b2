"""Data Integrity proofs over HTTPS, held to what the vc-di-eddsa and vc-di-ecdsa suites assert
of an issuer (the proof's representation, its Multikey verification method) and of a verifier
(a valid proof verifies; every changed document, proof option or proof value fails the proof
check), written from the EdDSA and ECDSA cryptosuite specifications.

Each suite is tried with each key type it is defined for: eddsa-* with Ed25519, ecdsa-rdfc-2019
and ecdsa-jcs-2019 with P-256 (SHA-256) and P-384 (SHA-384).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from vc_api import (
    V2,
    ConformanceServer,
    check_statuses,
    example_credential,
    issue,
    issued,
    verify,
)

from microcred.crypto.base58 import b58decode
from microcred.crypto.data_integrity import sign
from microcred.crypto.did_key import did_key_for, resolve_did_key
from microcred.crypto.keys import PrivateKey
from microcred.crypto.multikey import encode_public_key
from microcred.verify.shape import parse_date_time

BASE58 = re.compile(r"^z[1-9A-HJ-NP-Za-km-z]+$")


@dataclass(frozen=True)
class SuiteCase:
    """A cryptosuite with one key type, and what its proofs and keys look like."""

    suite: str
    key_type: str
    multicodec: bytes  # the Multikey header of a public key of this type
    key_length: int  # the compressed public key after the header
    signature_length: int

    @property
    def name(self) -> str:
        return f"{self.suite}-{self.key_type}"


ED25519, P256, P384 = (b"\xed\x01", 32, 64), (b"\x80\x24", 33, 64), (b"\x81\x24", 49, 96)
SUITES = [
    SuiteCase("eddsa-rdfc-2022", "Ed25519", *ED25519),
    SuiteCase("eddsa-jcs-2022", "Ed25519", *ED25519),
    SuiteCase("ecdsa-rdfc-2019", "P-256", *P256),
    SuiteCase("ecdsa-jcs-2019", "P-256", *P256),
    SuiteCase("ecdsa-rdfc-2019", "P-384", *P384),
    SuiteCase("ecdsa-jcs-2019", "P-384", *P384),
]


@pytest.fixture(scope="module", params=SUITES, ids=[case.name for case in SUITES])
def signed(
    request: pytest.FixtureRequest, conformance_server: ConformanceServer
) -> tuple[SuiteCase, dict[str, Any]]:
    case: SuiteCase = request.param
    issuer = conformance_server.issuers[case.key_type]
    with conformance_server.client() as client:
        credential = issued(client, example_credential(issuer), cryptosuite=case.suite)
    return case, credential


def test_proof_is_a_data_integrity_proof_of_the_asked_suite(signed):
    case, credential = signed
    proof = credential["proof"]
    assert proof["type"] == "DataIntegrityProof"
    assert proof["cryptosuite"] == case.suite
    assert proof["proofPurpose"] == "assertionMethod"
    assert "created" not in proof or parse_date_time(proof["created"], zone_required=True)


def test_proof_value_is_a_base58btc_signature_of_the_curve_size(signed):
    case, credential = signed
    value = credential["proof"]["proofValue"]
    assert BASE58.match(value), value
    assert len(b58decode(value[1:])) == case.signature_length


def test_verification_method_is_a_multikey_of_the_issuer(signed):
    case, credential = signed
    method = credential["proof"]["verificationMethod"]
    controller, _, fragment = method.partition("#")
    assert controller == credential["issuer"]
    [key] = resolve_did_key(controller)["verificationMethod"]
    assert key["id"] == method and key["type"] == "Multikey"
    assert key["controller"] == controller
    multibase = key["publicKeyMultibase"]
    assert BASE58.match(multibase) and multibase == fragment
    decoded = b58decode(multibase[1:])
    assert decoded[:2] == case.multicodec
    assert len(decoded) == 2 + case.key_length


def test_issued_credential_verifies(conformance_server: ConformanceServer, signed):
    _, credential = signed
    with conformance_server.client(token=False) as client:
        response = verify(client, credential)
    assert response.status_code == 200, response.json()["summary"]
    assert response.json()["verified"] is True
    assert check_statuses(response)["proof"] == "ok"


Tamper = Callable[[dict[str, Any], SuiteCase], None]


def _other_suite(document: dict[str, Any], case: SuiteCase) -> None:
    swap = {"rdfc": "jcs", "jcs": "rdfc"}
    family, canon, year = case.suite.split("-")
    document["proof"]["cryptosuite"] = f"{family}-{swap[canon]}-{year}"


def _flipped_signature(document: dict[str, Any], case: SuiteCase) -> None:
    value = document["proof"]["proofValue"]
    document["proof"]["proofValue"] = value[:-3] + ("2" if value[-3] != "2" else "3") + value[-2:]


TAMPERINGS: dict[str, Tamper] = {
    "subject-changed": lambda d, _: d["credentialSubject"].update(alumniOf="Another School"),
    "member-added": lambda d, _: d.update(name="Alumni credential"),
    "issuer-changed": lambda d, _: d.update(issuer="did:example:someone-else"),
    "proof-type": lambda d, _: d["proof"].update(type="Ed25519Signature2020"),
    "cryptosuite-unknown": lambda d, _: d["proof"].update(cryptosuite="eddsa-2099"),
    "cryptosuite-other-canonicalization": _other_suite,
    "proof-value-changed": _flipped_signature,
    "proof-value-not-base58": lambda d, _: d["proof"].update(proofValue="z0OIl"),
    "proof-value-not-multibase": lambda d, _: d["proof"].update(proofValue="Qabc"),
    "proof-value-missing": lambda d, _: d["proof"].pop("proofValue"),
    "created-changed": lambda d, _: d["proof"].update(created="2020-01-01T00:00:00Z"),
    "created-not-a-date": lambda d, _: d["proof"].update(created="yesterday"),
    "purpose-changed": lambda d, _: d["proof"].update(proofPurpose="authentication"),
    "method-of-another-key": lambda d, case: d["proof"].update(
        verificationMethod=_method_of(PrivateKey.generate(case.key_type))
    ),
    "proof-missing": lambda d, _: d.pop("proof"),
}


def _method_of(key: PrivateKey) -> str:
    return f"{did_key_for(key.public_key)}#{encode_public_key(key.public_key)}"


@pytest.mark.parametrize("tamper", TAMPERINGS.values(), ids=TAMPERINGS.keys())
def test_changed_credential_fails_the_proof_check(
    conformance_server: ConformanceServer, signed, tamper: Tamper
):
    case, credential = signed
    changed = copy.deepcopy(credential)
    tamper(changed, case)
    with conformance_server.client(token=False) as client:
        response = verify(client, changed)
    report = response.json()
    assert response.status_code == 422, report["summary"]
    assert report["verified"] is False
    assert report["failed_check"] == "proof", report["summary"]


@pytest.mark.parametrize("case", SUITES, ids=[case.name for case in SUITES])
def test_credential_of_a_foreign_did_key_verifies_but_reads_untrusted(
    conformance_server: ConformanceServer, case: SuiteCase
):
    """The suites' verifier tests sign with keys of their own: the proof must verify, while
    trust in the issuer is reported apart from the outcome."""
    key = PrivateKey.generate(case.key_type)
    did = did_key_for(key.public_key)
    credential = {
        "@context": [V2],
        "type": ["VerifiableCredential"],
        "issuer": did,
        "credentialSubject": {"id": "did:example:learner", "name": "Jana Nowak"},
    }
    signed_here = sign(credential, key, suite=case.suite, verification_method=_method_of(key))
    with conformance_server.client(token=False) as client:
        response = verify(client, signed_here)
    report = response.json()
    assert response.status_code == 200, report["summary"]
    assert report["verified"] is True and report["trust"] == "untrusted"
    assert check_statuses(response)["proof"] == "ok"
    assert check_statuses(response)["issuer_binding"] == "ok"


@pytest.mark.parametrize(
    ("key_type", "suite"),
    [("P-384", "eddsa-rdfc-2022"), ("Ed25519", "ecdsa-jcs-2019"), ("P-256", "bbs-2023")],
)
def test_suite_that_does_not_fit_the_key_is_refused(
    conformance_server: ConformanceServer, key_type: str, suite: str
):
    with conformance_server.client() as client:
        response: httpx.Response = issue(
            client, example_credential(conformance_server.issuers[key_type]), cryptosuite=suite
        )
    assert response.status_code == 422, response.text
    assert suite in response.text


@pytest.mark.parametrize(
    ("key_type", "suite"),
    [("Ed25519", "eddsa-rdfc-2022"), ("P-256", "ecdsa-rdfc-2019"), ("P-384", "ecdsa-rdfc-2019")],
)
def test_without_a_cryptosuite_option_the_key_type_chooses_the_suite(
    conformance_server: ConformanceServer, key_type: str, suite: str
):
    """The VC Data Model suite's issuers send no options: every key must sign without them."""
    with conformance_server.client() as client:
        credential = issued(client, example_credential(conformance_server.issuers[key_type]))
        response = verify(client, credential)
    assert credential["proof"]["cryptosuite"] == suite
    assert response.status_code == 200, response.json()["summary"]
