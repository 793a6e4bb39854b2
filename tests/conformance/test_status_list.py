"""Bitstring Status List over HTTPS, as its suite drives an issuer and a verifier: issue with
`options.credentialStatus`, dereference `statusListCredential`, set and clear the status with
`POST /credentials/status`, and see the verifier follow. Written from Bitstring Status List
v1.0 (§2.1 BitstringStatusListEntry, §2.2 BitstringStatusListCredential, §3 algorithms).
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from vc_api import (
    ConformanceServer,
    bit,
    check_statuses,
    decoded_list,
    example_credential,
    issue,
    issued,
    verify,
)

from microcred.verify.shape import is_iri

MINIMUM_BITS = 131_072  # 16 KB: the smallest list §2.2 allows, for group privacy


def issued_with_status(server: ConformanceServer, purpose: str) -> dict[str, Any]:
    with server.client() as client:
        return issued(
            client,
            example_credential(server.issuers["Ed25519"]),
            credentialStatus={"type": "BitstringStatusList", "statusPurpose": purpose},
        )


def set_status(
    server: ConformanceServer, credential: dict[str, Any], purpose: str, value: bool
) -> httpx.Response:
    body = {
        "credentialId": credential["id"],
        "credentialStatus": {"type": "BitstringStatusList", "statusPurpose": purpose},
        "status": value,
    }
    with server.client() as client:
        return client.post("/credentials/status", json=body)


def status_bit(server: ConformanceServer, entry: dict[str, Any]) -> int:
    with server.client(token=False) as client:
        status_list = client.get(entry["statusListCredential"]).json()
    bits = decoded_list(status_list["credentialSubject"]["encodedList"])
    return bit(bits, int(entry["statusListIndex"]))


@pytest.fixture(scope="module", params=["revocation", "suspension"])
def with_status(request: pytest.FixtureRequest, conformance_server: ConformanceServer):
    return request.param, issued_with_status(conformance_server, request.param)


def test_entry_has_the_members_the_specification_requires(with_status):
    purpose, credential = with_status
    [entry] = credential["credentialStatus"]
    assert entry["type"] == "BitstringStatusListEntry"
    assert entry["statusPurpose"] == purpose
    assert is_iri(entry["id"]) and is_iri(entry["statusListCredential"])
    # statusListIndex is an integer written as a string (§2.1).
    assert isinstance(entry["statusListIndex"], str) and entry["statusListIndex"].isdigit()


def test_status_list_credential_dereferences_to_a_signed_list(
    conformance_server: ConformanceServer, with_status
):
    purpose, credential = with_status
    [entry] = credential["credentialStatus"]
    assert entry["statusListCredential"].startswith(conformance_server.base)
    with conformance_server.client(token=False) as client:
        response = client.get(entry["statusListCredential"])
        assert response.status_code == 200
        status_list = response.json()
        verified = verify(client, status_list)
    assert "BitstringStatusListCredential" in status_list["type"]
    subject = status_list["credentialSubject"]
    assert subject["type"] == "BitstringStatusList"
    assert subject["statusPurpose"] == purpose
    assert len(decoded_list(subject["encodedList"])) * 8 >= MINIMUM_BITS
    assert status_list["issuer"] == credential["issuer"]
    assert verified.status_code == 200, verified.json()["summary"]


def test_set_status_fails_verification_and_clearing_a_suspension_restores_it(
    conformance_server: ConformanceServer,
):
    for purpose in ("revocation", "suspension"):
        credential = issued_with_status(conformance_server, purpose)
        [entry] = credential["credentialStatus"]
        with conformance_server.client(token=False) as client:
            assert verify(client, credential).status_code == 200
        assert status_bit(conformance_server, entry) == 0

        assert set_status(conformance_server, credential, purpose, True).status_code == 200
        assert status_bit(conformance_server, entry) == 1
        with conformance_server.client(token=False) as client:
            response = verify(client, credential)
        assert response.status_code == 422
        assert response.json()["failed_check"] == "status"
        assert check_statuses(response)["proof"] == "ok"

        cleared = set_status(conformance_server, credential, purpose, False)
        if purpose == "revocation":
            assert cleared.status_code == 409  # a revocation is final (§2.1: revocation)
            continue
        assert cleared.status_code == 200
        assert status_bit(conformance_server, entry) == 0
        with conformance_server.client(token=False) as client:
            assert verify(client, credential).status_code == 200


@pytest.mark.parametrize(
    ("option", "status_code"),
    [
        ({"type": "BitstringStatusList", "statusPurpose": "message"}, 400),
        ({"type": "StatusList2021", "statusPurpose": "revocation"}, 400),
        ({"type": "BitstringStatusList"}, 400),
        ("revocation", 400),
    ],
    ids=["message", "other-type", "no-purpose", "not-an-object"],
)
def test_status_option_that_cannot_be_met_is_refused(
    conformance_server: ConformanceServer, option: Any, status_code: int
):
    with conformance_server.client() as client:
        credential = example_credential(conformance_server.issuers["Ed25519"])
        response = issue(client, credential, credentialStatus=option)
    assert response.status_code == status_code, response.text
    assert "options.credentialStatus" in response.text


@pytest.mark.parametrize(
    ("body", "status_code"),
    [
        (
            {
                "credentialId": "urn:uuid:00000000-0000-4000-8000-000000000000",
                "credentialStatus": {"type": "BitstringStatusList", "statusPurpose": "revocation"},
                "status": True,
            },
            404,
        ),
        ({"credentialId": "urn:uuid:1"}, 400),
        ({"credentialStatus": {"type": "BitstringStatusList"}, "status": True}, 400),
        ([], 400),
    ],
    ids=["unknown-credential", "no-status", "no-id", "not-an-object"],
)
def test_status_update_that_cannot_be_made_is_refused(
    conformance_server: ConformanceServer, body: Any, status_code: int
):
    with conformance_server.client() as client:
        response = client.post("/credentials/status", json=body)
    assert response.status_code == status_code, response.text


def test_status_update_needs_the_token(conformance_server: ConformanceServer):
    credential = issued_with_status(conformance_server, "suspension")
    body = {
        "credentialId": credential["id"],
        "credentialStatus": {"type": "BitstringStatusList", "statusPurpose": "suspension"},
        "status": True,
    }
    with conformance_server.client(token=False) as client:
        assert client.post("/credentials/status", json=body).status_code == 401
