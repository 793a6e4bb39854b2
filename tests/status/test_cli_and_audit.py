"""``microcred credential`` and ``microcred audit verify``, and the audit log's hash chain."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from microcred.cli.main import app
from microcred.services.audit import verify_chain
from microcred.store.audit_tables import AuditEventRow
from microcred.store.database import Database

KEK = base64.b64encode(bytes(range(32))).decode()


@pytest.fixture
def run(database: Database, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("MICROCRED_KEK", KEK)
    monkeypatch.setenv("MICROCRED_BASE_URL", "https://credentials.uni.example")
    url = database.url.render_as_string(hide_password=False)

    def invoke(*args: str):  # type: ignore[no-untyped-def]
        return CliRunner().invoke(app, ["--db", url, *args])

    return invoke


def test_cli_revokes_and_shows_the_status(run, issue) -> None:
    credential = issue()
    result = run("credential", "revoke", credential["id"], "--reason", "fraud", "--by", "registrar")
    assert result.exit_code == 0, result.output
    assert f"{credential['id']}: revoked" in result.output
    shown = run("credential", "status", credential["id"])
    assert (
        "revoked" in shown.output and "revocation: https://credentials.uni.example" in shown.output
    )


def test_cli_refuses_to_reinstate_a_revoked_credential_with_exit_1(run, issue) -> None:
    credential = issue()
    run("credential", "revoke", credential["id"], "--reason", "fraud", "--by", "registrar")
    result = run("credential", "reinstate", credential["id"], "--reason", "oops", "--by", "me")
    assert result.exit_code == 1
    assert "cannot be undone" in result.output


def test_cli_bulk_revokes_ids_from_a_file(run, issue, status, tmp_path: Path) -> None:
    first, second = issue(), issue()
    ids = tmp_path / "ids.txt"
    ids.write_text(f"# withdrawn course\n{first['id']}\n\n{second['id']}\n", encoding="utf-8")
    result = run(
        "credential", "revoke", "--file", str(ids), "--reason", "withdrawn", "--by", "dean"
    )
    assert result.exit_code == 0, result.output
    assert "2 revoked, 0 already revoked" in result.output
    assert status.status_of(second["id"]).state == "revoked"


def test_cli_unknown_id_is_bad_input_exit_2(run, issue) -> None:
    issue()
    result = run("credential", "suspend", "urn:uuid:nope", "--reason", "x", "--by", "y")
    assert result.exit_code == 2
    assert "urn:uuid:nope" in result.output


def test_audit_chain_verifies_and_detects_an_edited_row(run, issue, status, database) -> None:
    credential = issue()
    status.suspend(credential["id"], reason="appeal pending", actor="registrar")
    status.reinstate(credential["id"], reason="appeal upheld", actor="registrar")
    status.revoke(credential["id"], reason="fraud", actor="dean")
    assert verify_chain(database).intact
    ok = run("audit", "verify")
    assert ok.exit_code == 0 and "3 event(s)" in ok.output
    with database.transaction() as session:
        session.execute(
            sa.update(AuditEventRow).where(AuditEventRow.seq == 2).values(reason="never happened")
        )
    verdict = verify_chain(database)
    assert not verdict.intact and verdict.broken_at == 2
    tampered = run("audit", "verify")
    assert tampered.exit_code == 1
    assert "event 2 was changed" in tampered.output


def test_audit_chain_detects_a_deleted_row(issue, status, database) -> None:
    credential = issue()
    status.suspend(credential["id"], reason="appeal pending", actor="registrar")
    status.reinstate(credential["id"], reason="appeal upheld", actor="registrar")
    with database.transaction() as session:
        session.execute(sa.delete(AuditEventRow).where(AuditEventRow.seq == 1))
    verdict = verify_chain(database)
    assert not verdict.intact and verdict.broken_at == 2
