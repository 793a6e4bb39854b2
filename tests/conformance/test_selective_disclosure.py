"""ecdsa-sd-2023 over HTTPS, as the vc-di-ecdsa suite drives it: the issuer signs a base proof
with mandatory pointers, the holder derives (`POST /credentials/derive`, the suite's vcHolder),
the verifier accepts the derived credential and refuses a base proof or a changed derived one.
Written from the ECDSA cryptosuites specification (§3.3 ecdsa-sd-2023).

The specification fixes a derived proof's base signature and statement signatures at 64
bytes (P-256); a P-384 issuer asking for this suite is refused (docs/conformance.md).
"""

from __future__ import annotations

import base64
import copy
from typing import Any

import pytest
from vc_api import ConformanceServer, check_statuses, example_credential, issue, issued, verify

from microcred.crypto import cbor

BASE_HEADER, DERIVED_HEADER = b"\xd9\x5d\x00", b"\xd9\x5d\x01"
MANDATORY = ["/issuer", "/validFrom"]


def proof_bytes(proof_value: str) -> bytes:
    """Return the bytes of a multibase base64url-no-pad (`u`) proof value."""
    assert proof_value.startswith("u")
    text = proof_value[1:]
    assert "=" not in text and "+" not in text and "/" not in text
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@pytest.fixture(scope="module")
def base(conformance_server: ConformanceServer) -> dict[str, Any]:
    credential = example_credential(conformance_server.issuers["P-256"])
    credential["credentialSubject"]["honors"] = "summa cum laude"
    with conformance_server.client() as client:
        return issued(client, credential, cryptosuite="ecdsa-sd-2023", mandatoryPointers=MANDATORY)


def derive(conformance_server: ConformanceServer, credential: Any, pointers: Any):
    body = {"verifiableCredential": credential, "options": {"selectivePointers": pointers}}
    with conformance_server.client(token=False) as client:
        return client.post("/credentials/derive", json=body)


@pytest.fixture(scope="module")
def derived(conformance_server: ConformanceServer, base: dict[str, Any]) -> dict[str, Any]:
    response = derive(conformance_server, base, ["/credentialSubject/alumniOf"])
    assert response.status_code == 201, response.text
    credential: dict[str, Any] = response.json()["verifiableCredential"]
    return credential


def test_base_proof_is_cbor_after_the_base_header(base: dict[str, Any]):
    proof = base["proof"]
    assert proof["type"] == "DataIntegrityProof" and proof["cryptosuite"] == "ecdsa-sd-2023"
    assert proof["proofPurpose"] == "assertionMethod"
    data = proof_bytes(proof["proofValue"])
    assert data[:3] == BASE_HEADER
    signature, public_key, hmac_key, signatures, pointers = cbor.decode(data[3:])
    assert len(signature) == 64 and len(hmac_key) == 32
    assert public_key[:2] == b"\x80\x24" and len(public_key) == 35  # a P-256 Multikey
    assert signatures and all(len(each) == 64 for each in signatures)
    assert pointers == MANDATORY


def test_base_proof_does_not_verify(conformance_server: ConformanceServer, base: dict[str, Any]):
    with conformance_server.client(token=False) as client:
        response = verify(client, base)
    assert response.status_code == 422
    assert response.json()["failed_check"] == "proof"


def test_derived_credential_reveals_the_mandatory_and_selected_claims_only(
    base: dict[str, Any], derived: dict[str, Any]
):
    assert derived["issuer"] == base["issuer"] and derived["validFrom"] == base["validFrom"]
    assert derived["credentialSubject"]["alumniOf"] == base["credentialSubject"]["alumniOf"]
    assert "honors" not in derived["credentialSubject"]
    assert derived["proof"]["cryptosuite"] == "ecdsa-sd-2023"
    data = proof_bytes(derived["proof"]["proofValue"])
    assert data[:3] == DERIVED_HEADER
    signature, public_key, signatures, label_map, mandatory_indexes = cbor.decode(data[3:])
    assert len(signature) == 64 and len(public_key) == 35
    assert all(len(each) == 64 for each in signatures)
    assert all(isinstance(label, int) and len(value) == 32 for label, value in label_map.items())
    assert mandatory_indexes and all(isinstance(index, int) for index in mandatory_indexes)


def test_derived_credential_verifies(
    conformance_server: ConformanceServer, derived: dict[str, Any]
):
    with conformance_server.client(token=False) as client:
        response = verify(client, derived)
    assert response.status_code == 200, response.json()["summary"]
    assert check_statuses(response)["proof"] == "ok"


def test_mandatory_claims_alone_derive_but_leave_no_subject(
    conformance_server: ConformanceServer, base: dict[str, Any]
):
    response = derive(conformance_server, base, [])
    assert response.status_code == 201, response.text
    revealed = response.json()["verifiableCredential"]
    assert "credentialSubject" not in revealed
    with conformance_server.client(token=False) as client:
        response = verify(client, revealed)
    # The credential it leaves has no subject, which VC 2.0 requires: it fails there, and
    # the proof is not looked at; the same base with a subject claim revealed verifies.
    assert response.json()["failed_check"] == "data_model"
    data_model = next(c for c in response.json()["checks"] if c["name"] == "data_model")
    assert "credentialSubject" in data_model["details"]["technical"]


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d["credentialSubject"].update(alumniOf="Another School"),
        lambda d: d["credentialSubject"].update(honors="summa cum laude"),
        lambda d: d.update(validFrom="2024-01-01T00:00:00Z"),
        lambda d: d["proof"].update(proofValue=d["proof"]["proofValue"][:-4] + "AAAA"),
    ],
    ids=["revealed-claim-changed", "hidden-claim-added", "mandatory-claim-changed", "proof"],
)
def test_changed_derived_credential_fails_the_proof_check(
    conformance_server: ConformanceServer, derived: dict[str, Any], change: Any
):
    changed = copy.deepcopy(derived)
    change(changed)
    with conformance_server.client(token=False) as client:
        response = verify(client, changed)
    assert response.status_code == 422
    assert response.json()["failed_check"] == "proof"


def test_pointer_that_names_nothing_cannot_be_derived(
    conformance_server: ConformanceServer, base: dict[str, Any]
):
    response = derive(conformance_server, base, ["/credentialSubject/favouriteColour"])
    assert response.status_code == 422
    assert "selectivePointers" in response.text


def test_credential_without_a_base_proof_cannot_be_derived(
    conformance_server: ConformanceServer,
):
    with conformance_server.client() as client:
        signed = issued(client, example_credential(conformance_server.issuers["P-256"]))
    response = derive(conformance_server, signed, ["/credentialSubject/alumniOf"])
    assert response.status_code == 422
    assert "ecdsa-sd-2023" in response.text


@pytest.mark.parametrize(
    ("pointers", "status_code"), [("/issuer", 400), ([1], 400), (["/credentialSubject/x"], 422)]
)
def test_bad_mandatory_pointers_are_refused(
    conformance_server: ConformanceServer, pointers: Any, status_code: int
):
    with conformance_server.client() as client:
        response = issue(
            client,
            example_credential(conformance_server.issuers["P-256"]),
            cryptosuite="ecdsa-sd-2023",
            mandatoryPointers=pointers,
        )
    assert response.status_code == status_code, response.text
    assert "mandatoryPointers" in response.text


def test_p384_issuer_cannot_sign_ecdsa_sd_2023(conformance_server: ConformanceServer):
    with conformance_server.client() as client:
        response = issue(
            client,
            example_credential(conformance_server.issuers["P-384"]),
            cryptosuite="ecdsa-sd-2023",
            mandatoryPointers=["/issuer"],
        )
    assert response.status_code == 422
    assert "P-256" in response.text
