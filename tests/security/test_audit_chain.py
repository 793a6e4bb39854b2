"""The audit log cannot be rewritten without the KEK, and signed checkpoints catch the loss of
its newest events: each tamper case is detected, a correct log verifies."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC
from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from microcred.cli.main import app as cli
from microcred.config import Settings
from microcred.crypto.jcs import canonicalize
from microcred.crypto.jose import sign_jws
from microcred.crypto.keyed_chain import derive_chain_key
from microcred.crypto.keys import PrivateKey
from microcred.services.audit import (
    GENESIS,
    AuditEvent,
    checkpoint_now,
    event_hash,
    record_event,
    verify_chain,
)
from microcred.services.audit_checkpoints import (
    CHECKPOINT_TYPE,
    CheckpointError,
    check_signer_in_document,
    read_checkpoint,
)
from microcred.services.issuer_keys import IssuerKeys
from microcred.store.audit_tables import AuditCheckpointRow, AuditEventRow
from microcred.store.database import Database
from security.conftest import KEK

BASE_URL = "https://credentials.uni.example"
CHAIN_KEY = derive_chain_key(KEK)


def record(database: Database, count: int) -> None:
    """Record ``count`` status changes, one transaction each."""
    for number in range(count):
        with database.transaction() as session:
            record_event(
                session,
                actor="registrar",
                action="credential.revoke",
                target=f"urn:uuid:{number}",
                reason=f"reason {number}",
            )


def instance_keys(database: Database) -> IssuerKeys:
    """Return the key service with the instance's own signing key made."""
    keys = IssuerKeys(
        database, Settings(database_url=str(database.url), base_url=BASE_URL), kek=KEK
    )
    keys.ensure_key(None)
    return keys


def rows(database: Database) -> list[AuditEvent]:
    with database.transaction(write=False) as session:
        return [
            AuditEvent.from_row(row)
            for row in session.scalars(sa.select(AuditEventRow).order_by(AuditEventRow.seq))
        ]


def rewrite(database: Database, events: list[AuditEvent], chain_value) -> None:  # type: ignore[no-untyped-def]
    """Store ``events`` with every link recomputed by ``chain_value``, as a forger would."""
    prev = GENESIS
    with database.transaction() as session:
        session.execute(sa.delete(AuditEventRow))
        for event in events:
            draft = AuditEvent(**{**event.__dict__, "prev_hash": prev, "hash": ""})
            value = chain_value(draft)
            session.add(AuditEventRow(**{**draft.__dict__, "hash": value}))
            session.flush()
            prev = value


def delete_events(database: Database, condition: sa.ColumnElement[bool]) -> None:
    with database.transaction() as session:
        session.execute(sa.delete(AuditEventRow).where(condition))


def test_a_correct_log_with_checkpoints_verifies(database: Database) -> None:
    instance_keys(database)
    record(database, 3)
    checkpoint_now(database, KEK)
    record(database, 2)
    verdict = verify_chain(database)
    assert verdict.intact, verdict.problem
    assert (verdict.events, verdict.checkpoints) == (5, 1)


def test_an_edited_event_with_its_plain_sha256_chain_recomputed_is_detected(
    database: Database,
) -> None:
    record(database, 4)
    events = rows(database)
    forged = [*events[:1], AuditEvent(**{**events[1].__dict__, "reason": "never happened"})]

    def plain_sha256(event: AuditEvent) -> str:
        fields = {k: v for k, v in event.__dict__.items() if k != "hash"}
        moment = event.occurred_at.astimezone(UTC).isoformat(timespec="microseconds")
        fields["occurred_at"] = moment.replace("+00:00", "Z")
        return hashlib.sha256(canonicalize(fields)).hexdigest()

    rewrite(database, [*forged, *events[2:]], plain_sha256)
    verdict = verify_chain(database)
    assert not verdict.intact and verdict.broken_at == 1
    assert "HMAC does not match" in (verdict.problem or "")


def test_an_edited_event_rechained_under_another_key_is_detected(database: Database) -> None:
    record(database, 3)
    events = rows(database)
    forged = AuditEvent(**{**events[2].__dict__, "actor": "someone else"})
    rewrite(database, [*events[:2], forged], lambda event: event_hash(event, bytes(32)))
    verdict = verify_chain(database)
    assert not verdict.intact and verdict.broken_at == 1


def test_a_deleted_event_in_the_middle_is_detected(database: Database) -> None:
    record(database, 4)
    delete_events(database, AuditEventRow.seq == 2)
    verdict = verify_chain(database)
    assert not verdict.intact and verdict.broken_at == 3
    assert "deleted or inserted" in (verdict.problem or "")


def test_deleting_the_newest_events_is_detected_against_the_last_checkpoint(
    database: Database,
) -> None:
    instance_keys(database)
    record(database, 5)
    checkpoint_now(database, KEK)
    delete_events(database, AuditEventRow.seq > 3)
    verdict = verify_chain(database)
    assert not verdict.intact
    assert "counted 5 event(s) but the log has 3" in (verdict.problem or "")


def test_a_log_rewritten_by_a_key_holder_differs_from_the_checkpoint(database: Database) -> None:
    instance_keys(database)
    record(database, 3)
    checkpoint_now(database, KEK)
    events = rows(database)
    forged = AuditEvent(**{**events[0].__dict__, "reason": "edited"})
    rewrite(database, [forged, *events[1:]], lambda event: event_hash(event, CHAIN_KEY))
    verdict = verify_chain(database)
    assert not verdict.intact
    assert "event 3 is not the one the checkpoint" in (verdict.problem or "")


def test_a_checkpoint_signed_by_a_key_not_the_instances_fails(database: Database) -> None:
    instance_keys(database)
    record(database, 2)
    made = checkpoint_now(database, KEK)
    stranger = PrivateKey.generate()
    header = {"typ": CHECKPOINT_TYPE, "kid": made.signer, "jwk": stranger.public_key.to_jwk()}
    payload = json.loads(json.dumps(_claims(made.token)))
    with database.transaction() as session:
        session.execute(
            sa.update(AuditCheckpointRow).values(token=sign_jws(header, payload, stranger))
        )
    verdict = verify_chain(database)
    assert not verdict.intact and "not a key of this instance" in (verdict.problem or "")


def test_another_kek_is_named_as_the_cause(database: Database) -> None:
    instance_keys(database)
    checkpoint_now(database, KEK)
    verdict = verify_chain(database, chain_key=derive_chain_key(bytes(32)))
    assert not verdict.intact and "another chain key" in (verdict.problem or "")


def test_a_checkpoint_is_signed_every_n_events(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MICROCRED_AUDIT_CHECKPOINT_EVERY", "2")
    instance_keys(database)
    record(database, 5)
    with database.transaction(write=False) as session:
        counted = session.scalars(
            sa.select(AuditCheckpointRow.events).order_by(AuditCheckpointRow.id)
        ).all()
    assert counted == [2, 4]
    assert verify_chain(database).checkpoints == 2


def test_without_an_instance_key_events_are_recorded_and_checkpoint_says_what_to_do(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MICROCRED_AUDIT_CHECKPOINT_EVERY", "1")
    record(database, 2)
    assert verify_chain(database).events == 2
    with pytest.raises(CheckpointError, match="microcred keys create"):
        checkpoint_now(database, KEK)


def test_a_changed_checkpoint_token_does_not_read(database: Database) -> None:
    instance_keys(database)
    token = checkpoint_now(database, KEK).token
    header, payload, signature = token.split(".")
    changed = _claims(token) | {"events": 99}
    forged = ".".join([header, _b64(json.dumps(changed)), signature])
    with pytest.raises(CheckpointError, match="signature does not match"):
        read_checkpoint(forged)
    with pytest.raises(CheckpointError, match="three dot-separated parts"):
        read_checkpoint("not a token")


def test_the_did_document_ties_the_checkpoint_key_to_the_instance(database: Database) -> None:
    keys = instance_keys(database)
    made = checkpoint_now(database, KEK)
    check_signer_in_document(made, keys.did_document(None))
    keys.rotate(None)
    rotated = keys.did_document(None)
    check_signer_in_document(made, rotated)  # a retired key still asserts what it signed
    rotated["verificationMethod"] = [
        method for method in rotated["verificationMethod"] if method["id"] != made.signer
    ]
    with pytest.raises(CheckpointError, match="does not list"):
        check_signer_in_document(made, rotated)


# --- the command line ---


@pytest.fixture
def run(database: Database, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("MICROCRED_BASE_URL", BASE_URL)
    url = database.url.render_as_string(hide_password=False)

    def invoke(*args: str):  # type: ignore[no-untyped-def]
        return CliRunner().invoke(cli, ["--db", url, *args])

    return invoke


def test_cli_checkpoints_exports_and_verifies_offline(
    run, database: Database, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    keys = instance_keys(database)
    record(database, 3)
    made = run("audit", "checkpoint")
    assert made.exit_code == 0, made.output
    assert "3 event(s)" in said(made)
    exported = tmp_path / "checkpoint.jws"
    assert run("audit", "export-checkpoint", "--out", str(exported)).exit_code == 0
    document = tmp_path / "did.json"
    document.write_text(json.dumps(keys.did_document(None)), encoding="utf-8")
    database.dispose()
    offline = CliRunner().invoke(
        cli, ["audit", "verify-checkpoint", str(exported), "--did-document", str(document)]
    )
    assert offline.exit_code == 0, offline.output
    assert "key listed in the DID document" in said(offline) and "3 event(s)" in said(offline)
    verified = run("audit", "verify", "--checkpoint", str(exported))
    assert verified.exit_code == 0 and "agrees with 2 checkpoint(s)" in said(verified)


def test_cli_verify_with_an_exported_checkpoint_catches_truncation_with_checkpoints_deleted(
    run, database: Database, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    instance_keys(database)
    record(database, 4)
    exported = tmp_path / "checkpoint.jws"
    run("audit", "checkpoint")
    run("audit", "export-checkpoint", "--out", str(exported))
    delete_events(database, AuditEventRow.seq == 4)
    with database.transaction() as session:
        session.execute(sa.delete(AuditCheckpointRow))
    assert run("audit", "verify").exit_code == 0  # the database alone cannot tell
    caught = run("audit", "verify", "--checkpoint", str(exported))
    assert caught.exit_code == 1
    assert "the newest events were deleted" in said(caught)


def test_cli_refuses_a_damaged_checkpoint_file_and_a_missing_checkpoint(
    run, database: Database, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    damaged = tmp_path / "damaged.jws"
    damaged.write_bytes(b"\xff\xfe not text")
    result = CliRunner().invoke(cli, ["audit", "verify-checkpoint", str(damaged)])
    assert result.exit_code == 2 and "not a text file" in said(result)
    damaged.write_text("a.b.c", encoding="utf-8")
    result = CliRunner().invoke(cli, ["audit", "verify-checkpoint", str(damaged)])
    assert result.exit_code == 2 and "not a valid audit checkpoint" in said(result)
    missing = run("audit", "export-checkpoint", "--out", str(tmp_path / "none.jws"))
    assert missing.exit_code == 2 and "no checkpoint yet" in said(missing)
    keyless = run("audit", "checkpoint")
    assert keyless.exit_code == 2 and "microcred keys create" in said(keyless)


def test_cli_verify_with_an_unusable_kek_says_so_and_changes_nothing(
    run, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    record(database, 2)
    before = rows(database)
    monkeypatch.setenv("MICROCRED_KEK", "not base64!")
    result = run("audit", "verify")
    assert result.exit_code == 2 and "MICROCRED_KEK is not valid base64" in said(result)
    assert rows(database) == before


def said(result) -> str:  # type: ignore[no-untyped-def]
    """Return what a command printed with its line wrapping undone."""
    return " ".join(result.output.split())


def _claims(token: str) -> dict[str, object]:
    from microcred.crypto.jose import b64url_decode

    claims = json.loads(b64url_decode(token.split(".")[1]))
    assert isinstance(claims, dict)
    return claims


def _b64(text: str) -> str:
    from microcred.crypto.jose import b64url_encode

    return b64url_encode(text.encode("utf-8"))
