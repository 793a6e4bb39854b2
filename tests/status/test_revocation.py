"""Issue, verify, revoke, suspend and reinstate: the status a verifier reads from our lists."""

from __future__ import annotations

import copy
from typing import Any

import pytest
import sqlalchemy as sa

from microcred.services.audit import events_for
from microcred.services.status import (
    CredentialNotFound,
    StatusChangeRefused,
    StatusError,
    StatusLists,
)
from microcred.status.check import StatusState, check_credential_status
from microcred.status.entry import read_entry
from microcred.store.database import Database
from microcred.store.status_tables import IssuedCredentialRow, StatusAllocationRow
from microcred.verify import CheckStatus, verify_credential

WHO = "registrar@uni.example"


def status_check(credential: dict[str, Any], local_fetch: Any, resolve_key: Any) -> Any:
    report = verify_credential(credential, resolve_key=resolve_key, fetch_status_list=local_fetch)
    return report.check("status")


def test_issued_credential_carries_a_revocation_and_a_suspension_entry(issue, status) -> None:
    credential = issue()
    entries = [read_entry(e) for e in credential["credentialStatus"]]
    assert [e.purpose for e in entries] == ["revocation", "suspension"]
    for entry in entries:
        assert (
            entry.list_url
            == f"https://credentials.uni.example/status/uni-example/{entry.purpose}/1"
        )
    assert status.status_of(credential["id"]).state == "valid"


def test_issued_credential_verifies_with_status_ok(issue, local_fetch, resolve_key) -> None:
    result = status_check(issue(), local_fetch, resolve_key)
    assert result.status == CheckStatus.ok
    assert result.details["state"] == "valid"


def test_revoked_credential_fails_the_status_check(issue, status, local_fetch, resolve_key) -> None:
    credential = issue()
    status.revoke(credential["id"], reason="plagiarism confirmed", actor=WHO)
    result = status_check(credential, local_fetch, resolve_key)
    assert result.status == CheckStatus.failed
    assert result.details["state"] == "revoked"
    assert result.reason == "the issuer has revoked this credential"
    assert "revoked by its issuer" in result.details["technical"]


def test_revoking_one_credential_leaves_another_valid(issue, status, local_fetch, resolve_key):
    revoked, kept = issue(), issue()
    status.revoke(revoked["id"], reason="issued in error", actor=WHO)
    assert status_check(kept, local_fetch, resolve_key).status == CheckStatus.ok


def test_suspended_then_reinstated_credential_is_valid_again(
    issue, status, local_fetch, resolve_key
) -> None:
    credential = issue()
    status.suspend(credential["id"], reason="appeal pending", actor=WHO)
    suspended = status_check(credential, local_fetch, resolve_key)
    assert suspended.details["state"] == "suspended"
    assert suspended.status == CheckStatus.failed
    after = status.reinstate(credential["id"], reason="appeal upheld", actor=WHO)
    assert after.state == "valid"
    assert status_check(credential, local_fetch, resolve_key).status == CheckStatus.ok


def test_revocation_cannot_be_undone(issue, status, local_fetch, resolve_key) -> None:
    credential = issue()
    status.revoke(credential["id"], reason="fraud", actor=WHO)
    with pytest.raises(StatusChangeRefused, match="cannot be undone"):
        status.reinstate(credential["id"], reason="changed my mind", actor=WHO)
    with pytest.raises(StatusChangeRefused, match="already revoked"):
        status.revoke(credential["id"], reason="again", actor=WHO)
    assert status_check(credential, local_fetch, resolve_key).details["state"] == "revoked"


def test_reinstating_a_credential_that_is_not_suspended_is_refused(issue, status) -> None:
    credential = issue()
    with pytest.raises(StatusChangeRefused, match="only a suspension can be lifted"):
        status.reinstate(credential["id"], reason="no reason", actor=WHO)


@pytest.mark.parametrize(("reason", "actor", "problem"), [("", WHO, "reason"), ("x", " ", "--by")])
def test_a_change_without_reason_or_actor_changes_nothing(
    issue, status, database, reason, actor, problem
) -> None:
    credential = issue()
    with pytest.raises(StatusError, match=problem):
        status.revoke(credential["id"], reason=reason, actor=actor)
    assert status.status_of(credential["id"]).state == "valid"
    assert events_for(database, credential["id"]) == []


def test_unknown_credential_id_is_named(status, published) -> None:
    with pytest.raises(CredentialNotFound, match="urn:uuid:nope"):
        status.revoke("urn:uuid:nope", reason="x", actor=WHO)


def test_bulk_revocation_revokes_each_and_reports_those_revoked_before(issue, status) -> None:
    first, second, third = issue(), issue(), issue()
    status.revoke(third["id"], reason="earlier", actor=WHO)
    done = status.revoke_many(
        [first["id"], second["id"], third["id"]], reason="course withdrawn", actor=WHO
    )
    assert sorted(done.revoked) == sorted([first["id"], second["id"]])
    assert done.already_revoked == [third["id"]]
    assert {status.status_of(c["id"]).state for c in (first, second, third)} == {"revoked"}


def test_bulk_revocation_with_an_unknown_id_changes_nothing(issue, status, database) -> None:
    credential = issue()
    with pytest.raises(CredentialNotFound, match="urn:uuid:missing"):
        status.revoke_many([credential["id"], "urn:uuid:missing"], reason="x", actor=WHO)
    assert status.status_of(credential["id"]).state == "valid"
    assert events_for(database, credential["id"]) == []


def test_a_revocation_resigns_the_list_at_once_with_a_new_etag(issue, status) -> None:
    credential = issue()
    before = status.published.signed_list("uni-example", "revocation", 1)
    status.revoke(credential["id"], reason="fraud", actor=WHO)
    after = status.published.signed_list("uni-example", "revocation", 1)
    assert after.etag != before.etag
    assert (
        after.document["credentialSubject"]["encodedList"]
        != (before.document["credentialSubject"]["encodedList"])
    )


def test_a_tampered_status_list_fails_its_own_proof(issue, status, resolve_key) -> None:
    credential = issue()
    status.revoke(credential["id"], reason="fraud", actor=WHO)
    genuine = status.published.signed_list("uni-example", "revocation", 1).document
    forged = copy.deepcopy(genuine)
    # Clearing the bits: a forger trying to un-revoke the credential.
    forged["credentialSubject"]["encodedList"] = status.published.signed_list(
        "uni-example", "suspension", 1
    ).document["credentialSubject"]["encodedList"]

    def serve(lists: dict[str, Any]) -> Any:
        return lambda url: lists[url]

    url = genuine["id"]
    result = check_credential_status(
        credential, fetch=serve({url: forged, **_suspension(status)}), resolve_key=resolve_key
    )
    assert result.state == StatusState.unknown
    assert "fails its proof" in result.reason


def _suspension(status: StatusLists) -> dict[str, Any]:
    document = status.published.signed_list("uni-example", "suspension", 1).document
    return {document["id"]: document}


def test_issued_credential_is_stored_with_its_entries_in_one_transaction(
    issue, database: Database
) -> None:
    credential = issue()
    with database.transaction(write=False) as session:
        row = session.get(IssuedCredentialRow, credential["id"])
        assert row is not None and row.document == credential
        purposes = session.scalars(
            sa.select(StatusAllocationRow.purpose).where(
                StatusAllocationRow.credential_id == credential["id"]
            )
        ).all()
    assert sorted(purposes) == ["revocation", "suspension"]


def test_every_change_is_in_the_audit_log_with_who_and_why(issue, status, database) -> None:
    credential = issue()
    status.suspend(credential["id"], reason="appeal pending", actor=WHO)
    status.reinstate(credential["id"], reason="appeal upheld", actor=WHO)
    status.revoke(credential["id"], reason="fraud found later", actor="dean@uni.example")
    events = events_for(database, credential["id"])
    assert [(e.action, e.actor, e.reason) for e in events] == [
        ("credential.suspend", WHO, "appeal pending"),
        ("credential.reinstate", WHO, "appeal upheld"),
        ("credential.revoke", "dean@uni.example", "fraud found later"),
    ]
