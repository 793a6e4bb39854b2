"""`POST /credentials/verify` over HTTPS, held to what the VC API verifier suite asserts
(written from the VC API and VC Data Model 2.0): a valid credential is 200; a document that is
not a well-formed credential is 400 ("invalid input") naming the data model check; a
credential whose proof is broken or missing a member is refused naming the proof check (422:
see docs/conformance.md for why this is not 400).
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from vc_api import V2, ConformanceServer, check_statuses, example_credential, issued, verify

from microcred.crypto.data_integrity import sign
from microcred.crypto.did_key import did_key_for
from microcred.crypto.keys import PrivateKey
from microcred.crypto.multikey import encode_public_key

MISSING = object()
# member -> the values the suite tries in its place (MISSING: the member removed).
NOT_A_CREDENTIAL = {
    "@context": [MISSING, "string", {}, None, 10, True, [[]], [{}], [None], [10], [True]],
    "type": [MISSING, "string", {}, None, 10, True, [[]], [{}], [None], [10], [True]],
    "issuer": [MISSING, [], None, 10, True],
    "credentialSubject": [MISSING, "string", None, 10, True, []],
}
BROKEN_PROOF = {
    "proof": [MISSING, "string", None, 10, True, []],
    "proof.type": [MISSING],
    "proof.verificationMethod": [MISSING],
    "proof.proofValue": [MISSING],
    "proof.proofPurpose": [MISSING],
    "proof.cryptosuite": [MISSING],
    "proof.created": [MISSING],  # optional, but signed: removing it changes what was signed
}


def cases(table: dict[str, list[Any]]) -> list[Any]:
    return [
        pytest.param(member, value, id=f"{member}={'missing' if value is MISSING else value!r}")
        for member, values in table.items()
        for value in values
    ]


def replaced(document: dict[str, Any], member: str, value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(document)
    *parents, key = member.split(".")
    node = changed
    for parent in parents:
        node = node[parent]
    if value is MISSING:
        node.pop(key)
    else:
        node[key] = value
    return changed


@pytest.fixture(scope="module")
def signed(conformance_server: ConformanceServer) -> dict[str, Any]:
    with conformance_server.client() as client:
        return issued(client, example_credential(conformance_server.issuers["Ed25519"]))


def test_valid_credential_is_200(conformance_server: ConformanceServer, signed):
    with conformance_server.client(token=False) as client:
        response = verify(client, signed)
    assert response.status_code == 200
    assert response.json()["verified"] is True


@pytest.mark.parametrize(("member", "value"), cases(NOT_A_CREDENTIAL))
def test_document_that_is_not_a_credential_is_400(
    conformance_server: ConformanceServer, signed, member: str, value: Any
):
    with conformance_server.client(token=False) as client:
        response = verify(client, replaced(signed, member, value))
    report = response.json()
    assert response.status_code == 400, report["summary"]
    assert report["verified"] is False
    assert report["failed_check"] in ("data_model", "contexts"), report["summary"]


@pytest.mark.parametrize(("member", "value"), cases(BROKEN_PROOF))
def test_credential_with_a_broken_proof_fails_the_proof_check(
    conformance_server: ConformanceServer, signed, member: str, value: Any
):
    with conformance_server.client(token=False) as client:
        response = verify(client, replaced(signed, member, value))
    report = response.json()
    assert response.status_code in (400, 422), report["summary"]
    assert report["verified"] is False
    assert report["failed_check"] in ("proof", "data_model"), report["summary"]


def test_issuer_url_signed_with_a_did_key_proves_the_signature_not_the_issuer(
    conformance_server: ConformanceServer,
):
    """The W3C vectors name an https issuer and sign with a did:key: the signature is reported
    as verified, and that nothing binds the key to the issuer as a check of its own."""
    key = PrivateKey.generate("Ed25519")
    credential = {
        "@context": [V2],
        "type": ["VerifiableCredential"],
        "issuer": "https://university.example/issuers/565049",
        "credentialSubject": {"id": "did:example:learner", "name": "Jana Nowak"},
    }
    method = f"{did_key_for(key.public_key)}#{encode_public_key(key.public_key)}"
    signed_here = sign(credential, key, suite="eddsa-rdfc-2022", verification_method=method)
    with conformance_server.client(token=False) as client:
        response = verify(client, signed_here)
    checks = check_statuses(response)
    assert checks["proof"] == "ok"
    assert checks["issuer_binding"] == "failed"
    assert response.status_code == 422 and response.json()["failed_check"] == "issuer_binding"
