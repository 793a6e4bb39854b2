"""`POST /credentials/issue` over HTTPS, held to what the VC API issuer suite and the VC Data
Model 2.0 suite's issuer tests assert (written from the VC API and VC 2.0 specifications).

The VC API issuer suite expects an error (any 4xx) for each malformed credential; this issuer
answers 400 naming the member, and the tests ask for exactly that. Each VC 2.0 rule is then
taken round trip: the document that keeps it is signed (201) and verified (200), the one that
breaks it is refused by the issuer (400 naming the member) and, signed then broken, by the
verifier's data model check (422) before its proof is even looked at.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from vc_api import (
    SUBJECT,
    V2,
    ConformanceServer,
    check_statuses,
    example_credential,
    issue,
    issued,
    problem_members,
    verify,
)

from verify.vc2_cases import CASES, RuleCase, applied

MALFORMED = {
    "context-missing": ("@context", None),
    "context-a-number": ("@context", 4),
    "context-items-not-urls": ("@context", [{"foo": True}, 4, False, None]),
    "type-missing": ("type", None),
    "type-a-number": ("type", 4),
    "type-items-not-strings": ("type", [2, None, {"foo": True}, False]),
    "issuer-missing": ("issuer", None),
    "issuer-a-number": ("issuer", 4),
    "subject-missing": ("credentialSubject", None),
    "subject-not-objects": ("credentialSubject", [None, True, 4]),
}


@pytest.fixture(scope="module")
def ed25519(conformance_server: ConformanceServer) -> str:
    return conformance_server.issuers["Ed25519"]


def malformed(issuer: str, member: str, value: Any) -> dict[str, Any]:
    credential = example_credential(issuer)
    if value is None:
        del credential[member]
    else:
        credential[member] = value
    return credential


def test_body_without_credential_is_refused(conformance_server: ConformanceServer, ed25519: str):
    with conformance_server.client() as client:
        body = {"verifiableCredential": example_credential(ed25519)}
        response = client.post("/credentials/issue", json=body)
    assert response.status_code == 400
    assert problem_members(response) == ["credential"]


@pytest.mark.parametrize(("member", "value"), MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_credential_is_refused_with_400_naming_the_member(
    conformance_server: ConformanceServer, ed25519: str, member: str, value: Any
):
    with conformance_server.client() as client:
        response = issue(client, malformed(ed25519, member, value))
    assert response.status_code == 400, response.text
    assert any(where.startswith(f"credential.{member}") for where in problem_members(response))


@pytest.mark.parametrize("form", ["string", "object"])
def test_issuer_may_be_a_string_or_an_object_with_an_id(
    conformance_server: ConformanceServer, ed25519: str, form: str
):
    issuer: Any = ed25519 if form == "string" else {"id": ed25519, "name": "Edwards University"}
    with conformance_server.client() as client:
        signed = issued(client, example_credential(issuer))
        verified = verify(client, signed)
    assert signed["issuer"] == issuer
    assert signed["credentialSubject"] == SUBJECT
    assert verified.status_code == 200, verified.text
    assert verified.json()["verified"] is True


def test_issuing_needs_the_token(conformance_server: ConformanceServer, ed25519: str):
    with conformance_server.client(token=False) as client:
        response = issue(client, example_credential(ed25519))
    assert response.status_code == 401


def test_issuer_not_held_here_is_refused(conformance_server: ConformanceServer):
    # The suite's "issuer MAY be a string" sends issuer "foo"; this issuer signs only as its
    # own institutions' DIDs (deliberately: docs/conformance.md).
    with conformance_server.client() as client:
        response = issue(client, example_credential("did:example:foo"))
    assert response.status_code == 422
    assert problem_members(response) == ["credential.issuer"]


def test_unknown_option_is_refused(conformance_server: ConformanceServer, ed25519: str):
    with conformance_server.client() as client:
        response = issue(client, example_credential(ed25519), proofPurpose="authentication")
    assert response.status_code == 422
    assert "not supported: proofPurpose" in response.text


BY_NAME = pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])


@BY_NAME
def test_vc2_rule_kept_is_signed_and_verified(
    conformance_server: ConformanceServer, ed25519: str, case: RuleCase
):
    with conformance_server.client() as client:
        signed = issued(client, applied(case.keeps, ed25519))
        response = verify(client, signed)
    checks = check_statuses(response)
    assert checks["data_model"] == "ok" and checks["proof"] == "ok", response.json()["summary"]
    # An entry of a status type this verifier does not know cannot be checked, and says so;
    # the kept validUntil cases end in 2025 and 2030, the first is past.
    expected_to_fail = {"credentialStatus": "status", "validUntil-before": "validity"}
    failing = [check for prefix, check in expected_to_fail.items() if case.name.startswith(prefix)]
    if failing:
        assert response.json()["failed_check"] == failing[0]
    else:
        assert response.status_code == 200, response.json()["summary"]


@BY_NAME
def test_vc2_rule_broken_is_refused_by_the_issuer(
    conformance_server: ConformanceServer, ed25519: str, case: RuleCase
):
    with conformance_server.client() as client:
        response = issue(client, applied(case.breaks, ed25519))
    assert response.status_code == 400, response.text
    assert f"credential.{case.member}".replace(".[", "[") in problem_members(response)
    assert case.message in response.text


@BY_NAME
def test_vc2_rule_broken_after_signing_fails_the_data_model_check(
    conformance_server: ConformanceServer, ed25519: str, case: RuleCase
):
    with conformance_server.client() as client:
        signed = issued(client, applied(case.keeps, ed25519))
        proof = signed.pop("proof")
        case.breaks(signed)
        signed["proof"] = proof
        response = verify(client, signed)
    report = response.json()
    assert response.status_code in (400, 422), report["summary"]
    assert report["verified"] is False
    # The rule is what fails, not some other check that happens to come first.
    assert report["failed_check"] in ("data_model", "contexts"), report["summary"]
    if report["failed_check"] == "contexts":  # no base context first: nothing else is read
        assert case.member.startswith("@context")
    else:
        assert case.message in report["summary"] or case.message in str(report["checks"])


def test_v2_context_alone_issues_too(conformance_server: ConformanceServer, ed25519: str):
    credential = example_credential(ed25519)
    credential["@context"] = [V2]
    credential["type"] = ["VerifiableCredential"]
    credential["credentialSubject"] = {"id": SUBJECT["id"]}
    with conformance_server.client() as client:
        response = issue(client, credential)
    # A subject of only an id makes no claim: VC 2.0 §4.8.
    assert response.status_code == 400
    assert problem_members(response) == ["credential.credentialSubject"]


@pytest.mark.parametrize(
    ("member", "value"),
    [("issuanceDate", "2025-01-01T00:00:00Z"), ("expirationDate", "2031-01-01T00:00:00.000Z")],
)
def test_vc1_dates_may_be_present(
    conformance_server: ConformanceServer, ed25519: str, member: str, value: str
):
    """The VC API issuer suite sends them: VC 2.0 does not define them, and its base context
    maps such terms to its issuer-dependent vocabulary, so they are signed as given."""
    credential = example_credential(ed25519)
    credential[member] = value
    with conformance_server.client() as client:
        signed = issued(client, credential)
        response = verify(client, signed)
    assert signed[member] == value
    assert response.status_code == 200, response.json()["summary"]


def test_credential_as_json_text_in_a_string_is_refused(
    conformance_server: ConformanceServer, ed25519: str
):
    text = json.dumps(example_credential(ed25519))
    with conformance_server.client() as client:
        response = issue(client, text)
        verified = client.post("/credentials/verify", json={"verifiableCredential": text})
    assert response.status_code == 400
    assert problem_members(response) == ["credential"]
    assert verified.status_code == 400
    assert verified.json()["checks"][0]["details"]["error"] == "PARSING_ERROR"
