"""Three outcomes that never read alike: verified, invalid (a check failed) and indeterminate (a
check could not be made), each with its own report outcome, HTTP status and exit code; and the
issuer's trust reported beside the outcome, not folded into it."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.exc import OperationalError
from typer.testing import CliRunner
from verify_support import CHECKED_AT, explained, unsigned_credential

from api.app_fixtures import api_token
from microcred import deadline
from microcred.app import create_app
from microcred.cli.main import app as cli_app
from microcred.config import Settings
from microcred.crypto.data_integrity import sign
from microcred.crypto.did_document import did_document
from microcred.crypto.did_key import did_key_for, did_key_verification_method_id
from microcred.crypto.did_web import forget_cached_did_documents
from microcred.crypto.jose import issue_vc_jwt
from microcred.crypto.keys import PrivateKey
from microcred.crypto.sd_jwt import issue_sd_jwt
from microcred.services.accounts import Accounts
from microcred.services.verifier import InstanceVerifier
from microcred.status.fetching import StatusListUnavailable
from microcred.verify import CheckStatus, TrustRegistry, verify_credential, verify_presentation
from microcred.verify.pipeline import run_checks
from microcred.verify.report import CheckResult, Outcome, Trust
from microcred.verify.subject import Subject
from served import free_port

STRANGER = PrivateKey.from_secret_bytes("Ed25519", bytes(range(1, 33)))


@pytest.fixture(autouse=True)
def _no_kept_did_documents() -> Iterator[None]:
    forget_cached_did_documents()
    yield
    forget_cached_did_documents()


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'microcred.db'}", secret_key="k")
    with TestClient(create_app(settings, migrate=True)) as client:
        yield client


def _did_web(port: int) -> str:
    return f"did:web:127.0.0.1%3A{port}"


def _signed_by_did_web(did: str, key: PrivateKey) -> dict[str, Any]:
    return sign(
        unsigned_credential(did),
        key,
        suite="eddsa-rdfc-2022",
        verification_method=f"{did}#key-1",
    )


def _unreachable_did() -> str:
    """Return a did:web on a loopback port nobody listens on."""
    return _did_web(free_port())


def _api(client: TestClient, credential: Any) -> Any:
    return client.post("/credentials/verify", json={"verifiableCredential": credential})


def _cli(tmp_path: Path, credential: Any) -> Any:
    path = tmp_path / "credential.json"
    path.write_text(credential if isinstance(credential, str) else json.dumps(credential))
    return CliRunner().invoke(
        cli_app,
        ["--db", f"sqlite:///{tmp_path / 'none.db'}", "verify", str(path), "--json"],
        env={"COLUMNS": "200", "MICROCRED_TRUSTED_ISSUERS": ""},
    )


# --- indeterminate: the key could not be had ---


def test_unreachable_did_web_key_is_indeterminate_424_and_exit_2(
    client, tmp_path, issuer_key, private_fetches
):
    credential = _signed_by_did_web(_unreachable_did(), issuer_key)

    report = verify_credential(credential)
    assert report.outcome == Outcome.indeterminate
    assert report.check("proof").status == CheckStatus.indeterminate
    assert report.summary.startswith("could not be checked: proof: ")
    assert report.verified is False

    response = _api(client, credential)
    assert response.status_code == 424
    assert response.json()["outcome"] == "indeterminate"
    assert response.json()["failed_check"] == "proof"

    result = _cli(tmp_path, credential)
    assert result.exit_code == 2, result.output
    assert json.loads(result.stdout)["outcome"] == "indeterminate"


def test_vc_jwt_whose_kid_cannot_be_fetched_is_indeterminate(issuer_key, private_fetches):
    did = _unreachable_did()
    token = issue_vc_jwt(unsigned_credential(did), issuer_key, kid=f"{did}#key-1")
    report = verify_credential(token)
    assert report.outcome == Outcome.indeterminate
    assert "could not fetch" in explained(report.check("proof"))


def test_sd_jwt_vc_whose_issuer_key_cannot_be_fetched_is_indeterminate(issuer_key, private_fetches):
    did = _unreachable_did()
    header = {"typ": "dc+sd-jwt", "alg": "EdDSA", "kid": f"{did}#key-1"}
    payload = {"iss": did, "vct": "https://example.org/credentials/micro", "iat": 1740000000}
    token = issue_sd_jwt(payload, {"title": "Data Literacy"}, issuer_key, header=header)
    report = verify_credential(token)
    assert report.check("proof").status == CheckStatus.indeterminate
    assert report.outcome == Outcome.indeterminate


def test_key_refused_by_the_address_policy_is_indeterminate_not_forged(client, issuer_key):
    credential = _signed_by_did_web(_unreachable_did(), issuer_key)
    response = _api(client, credential)
    assert response.status_code == 424
    assert "key could not be fetched" in response.json()["summary"]
    proof = next(check for check in response.json()["checks"] if check["name"] == "proof")
    assert "address not allowed" in proof["details"]["technical"]


def test_a_did_method_not_supported_here_is_indeterminate(issuer_key):
    credential = _signed_by_did_web("did:example:issuer", issuer_key)
    report = verify_credential(credential)
    assert report.outcome == Outcome.indeterminate
    assert "only did:key and did:web are supported" in explained(report.check("proof"))


# --- indeterminate: the time budget ran out ---


def test_json_ld_work_stopped_by_the_time_budget_is_indeterminate(credential, monkeypatch):
    def out_of_time(document: Any) -> None:
        raise deadline.DeadlineExceeded("the time budget of 10 s ran out")

    monkeypatch.setattr("microcred.verify.safe_mode.check_safe", out_of_time)
    report = verify_credential(credential)
    assert report.outcome == Outcome.indeterminate
    assert report.check("safe_mode").status == CheckStatus.indeterminate
    assert report.check("safe_mode").reason.endswith("took too long and was stopped")
    assert report.check("safe_mode").details["technical"] == "the time budget of 10 s ran out"


def test_a_budget_run_out_inside_a_library_error_is_still_indeterminate(credential):
    def wrapped(subject: Subject) -> CheckResult:
        try:
            deadline.Deadline(at=0.0, seconds=10).check()
        except deadline.DeadlineExceeded as error:
            raise ValueError("the library gave up") from error
        raise AssertionError("unreachable")

    subject = Subject(
        given=credential, now=CHECKED_AT, trust=TrustRegistry(), resolve_key=lambda _: None
    )
    (result,) = run_checks(subject, [("parse", wrapped, ())])
    assert result.status == CheckStatus.indeterminate
    assert result.reason == "this check took too long and was stopped"
    assert result.details["technical"] == "the time budget of 10 s ran out"


# --- invalid: a check failed ---


def test_tampered_signature_is_invalid_422_and_exit_1(client, tmp_path, credential):
    credential["credentialSubject"]["achievement"]["name"] = "Forged"

    report = verify_credential(credential)
    assert report.outcome == Outcome.invalid
    assert report.check("proof").status == CheckStatus.failed

    response = _api(client, credential)
    assert response.status_code == 422
    assert response.json()["outcome"] == "invalid"

    result = _cli(tmp_path, credential)
    assert result.exit_code == 1, result.output
    assert json.loads(result.stdout)["outcome"] == "invalid"


def test_a_fetched_did_document_without_the_key_is_invalid_not_indeterminate(
    loopback, issuer_key, private_fetches
):
    port = int(loopback["base"].decode().rsplit(":", 1)[1])
    did = _did_web(port)
    loopback["/.well-known/did.json"] = json.dumps(
        did_document(did, [STRANGER.public_key])
    ).encode()
    report = verify_credential(_signed_by_did_web(did, issuer_key))
    assert report.outcome == Outcome.invalid
    assert report.check("proof").status == CheckStatus.failed


def test_a_failed_check_outweighs_one_that_could_not_be_made(issuer_did, sign_as, trust):
    unsigned = unsigned_credential(issuer_did)
    unsigned["validUntil"] = "2025-05-01T00:00:00Z"  # expired a month before CHECKED_AT
    unsigned["credentialStatus"] = _status_entry("https://lists.example/status/1")
    report = verify_credential(
        sign_as(unsigned), now=CHECKED_AT, trust=trust, fetch_status_list=_unreachable_list
    )
    assert report.check("status").status == CheckStatus.indeterminate
    assert report.check("validity").status == CheckStatus.failed
    assert report.outcome == Outcome.invalid
    assert report.failed_check == "validity"


# --- indeterminate: the status list could not be had ---


def test_unreachable_status_list_is_indeterminate(issuer_did, sign_as, trust):
    unsigned = unsigned_credential(issuer_did)
    unsigned["credentialStatus"] = _status_entry("https://lists.example/status/1")
    report = verify_credential(
        sign_as(unsigned), now=CHECKED_AT, trust=trust, fetch_status_list=_unreachable_list
    )
    assert report.outcome == Outcome.indeterminate
    assert report.failed_check == "status"
    assert report.summary.startswith("could not be checked: status: the issuer's status list")
    assert report.check("status").details["technical"].startswith("status unknown:")


def test_unreadable_status_entry_is_the_credentials_fault_so_invalid(issuer_did, sign_as, trust):
    unsigned = unsigned_credential(issuer_did)
    unsigned["credentialStatus"] = {"type": "BitstringStatusListEntry"}  # no list, no index
    report = verify_credential(
        sign_as(unsigned), now=CHECKED_AT, trust=trust, fetch_status_list=_unreachable_list
    )
    assert report.check("status").status == CheckStatus.failed
    assert report.outcome == Outcome.invalid


# --- verified, and the issuer's trust beside it ---


def test_good_credential_is_verified_200_and_exit_0(client, tmp_path, credential):
    response = _api(client, credential)
    assert response.status_code == 200
    assert response.json()["outcome"] == "verified"
    assert response.json()["verified"] is True

    result = _cli(tmp_path, credential)
    assert result.exit_code == 0, result.output


def test_trust_is_reported_beside_the_outcome(credential, trust):
    trusted = verify_credential(credential, trust=trust)
    untrusted = verify_credential(credential, trust=TrustRegistry())
    assert (trusted.outcome, trusted.trust) == (Outcome.verified, Trust.trusted)
    assert (untrusted.outcome, untrusted.trust) == (Outcome.verified, Trust.untrusted)
    forged = dict(credential, name="Forged")
    assert verify_credential(forged, trust=trust).trust == Trust.unknown  # issuer not proven
    dumped = untrusted.model_dump(mode="json")
    assert (dumped["outcome"], dumped["trust"], dumped["verified"]) == (
        "verified",
        "untrusted",
        True,
    )


def test_a_presentation_carrying_a_credential_that_could_not_be_checked_is_indeterminate(
    client, issuer_key, private_fetches
):
    presentation = _presentation_of(_signed_by_did_web(_unreachable_did(), issuer_key))
    report = verify_presentation(presentation, "c-1")
    assert report.outcome == Outcome.indeterminate
    assert report.failed_check == "credential[0].proof"

    response = client.post(
        "/presentations/verify",
        json={"verifiablePresentation": presentation, "options": {"challenge": "c-1"}},
    )
    assert response.status_code == 424
    assert response.json()["outcome"] == "indeterminate"


def test_the_api_documents_a_status_for_each_outcome(client):
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/credentials/verify", "/presentations/verify"):
        responses = paths[path]["post"]["responses"]
        assert {"200", "400", "422", "424", "503"} <= set(responses)
        assert "indeterminate" in responses["424"]["description"].lower()


def _presentation_of(credential: dict[str, Any]) -> dict[str, Any]:
    """Return a presentation of `credential` signed by a holder's did:key, challenge c-1."""
    return sign(
        {
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "type": ["VerifiablePresentation"],
            "holder": did_key_for(STRANGER.public_key),
            "verifiableCredential": [credential],
        },
        STRANGER,
        suite="eddsa-rdfc-2022",
        verification_method=did_key_verification_method_id(STRANGER.public_key),
        proof_purpose="authentication",
        challenge="c-1",
    )


# --- the pages and the wallet ---


@pytest.mark.parametrize(
    ("language", "words"),
    [("en", "Could not be checked"), ("de", "Nicht prüfbar")],
)
def test_verify_page_says_could_not_be_checked_with_424(client, issuer_key, language, words):
    credential = _signed_by_did_web(_unreachable_did(), issuer_key)
    page = client.get("/verify", headers={"Accept-Language": language})
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token
    response = client.post(
        "/verify",
        data={"csrf_token": token.group(1), "credential": json.dumps(credential)},
        headers={"Accept-Language": language},
    )
    assert response.status_code == 424
    assert words in response.text
    assert "Not verified." not in response.text and "Nicht bestätigt." not in response.text


def test_wallet_import_refuses_what_could_not_be_checked_and_says_so(
    client, issuer_key, credential
):
    Accounts(client.app.state.database).create_user("learner@example.org", actor="test setup")
    headers = {"Authorization": f"Bearer {api_token(client.app, 'learner@example.org')}"}
    unchecked = _signed_by_did_web(_unreachable_did(), issuer_key)
    forged = dict(credential, name="Forged")

    refused = client.post(
        "/api/wallet/credentials", json={"credential": unchecked}, headers=headers
    )
    assert refused.status_code == 422
    assert "it could not be checked, so it was not imported" in refused.text
    invalid = client.post("/api/wallet/credentials", json={"credential": forged}, headers=headers)
    assert invalid.status_code == 422
    assert "it does not verify, so it was not imported" in invalid.text
    listed = client.get("/api/wallet/credentials", headers=headers).json()
    assert listed == []  # nothing stored


# --- the command line's other codes ---


def test_usage_error_exits_3_not_2(tmp_path):
    result = CliRunner().invoke(cli_app, ["verify"])  # no credential named
    assert result.exit_code == 3


def test_a_database_that_fails_while_verifying_exits_4(tmp_path, credential, monkeypatch):
    def broken(self: InstanceVerifier, document: Any) -> Any:
        raise OperationalError("SELECT 1", {}, Exception("the server closed the connection"))

    monkeypatch.setattr(InstanceVerifier, "verify", broken)
    result = _cli(tmp_path, credential)
    assert result.exit_code == 4
    assert "the database cannot be read" in result.output


def test_help_names_every_exit_code():
    result = CliRunner().invoke(cli_app, ["verify", "--help"], env={"COLUMNS": "200"})
    for meaning in ("0 verified", "1 invalid", "2 indeterminate", "3 usage", "4 other"):
        assert meaning in " ".join(result.output.split())


def _status_entry(list_url: str) -> dict[str, Any]:
    return {
        "id": f"{list_url}#94567",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "94567",
        "statusListCredential": list_url,
    }


def _unreachable_list(url: str) -> dict[str, Any]:
    raise StatusListUnavailable(f"could not fetch {url}")
