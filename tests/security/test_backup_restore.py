"""Backup then restore into an empty database reproduces every credential, which still verifies.

Round trips: SQLite to SQLite, PostgreSQL to PostgreSQL, SQLite to PostgreSQL.
"""

from __future__ import annotations

import base64
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from microcred.app import create_app
from microcred.cli.main import app as cli
from microcred.services.audit import verify_chain
from microcred.services.backup import BackupError, backup, read_manifest, restore
from microcred.services.issuer_keys import IssuerKeys
from microcred.store.database import Database
from microcred.store.status_tables import IssuedCredentialRow
from schemas import postgres_schema
from security.issued_world import LEARNERS, issued_world, settings_for, verify_over_api


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_target(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """An empty database (not migrated) to restore into, on SQLite or PostgreSQL."""
    if request.param == "sqlite":
        db = Database(f"sqlite:///{tmp_path / 'restored.db'}")
        yield db
        db.dispose()
        return
    for url in postgres_schema(request.getfixturevalue("postgres_url")):
        db = Database(url)
        yield db
        db.dispose()


def issued_documents(database: Database) -> dict[str, Any]:
    with database.transaction(write=False) as session:
        rows = session.scalars(sa.select(IssuedCredentialRow))
        return {row.id: row.document for row in rows}


def table_counts(database: Database) -> dict[str, int]:
    with database.engine.connect() as connection:
        names = sa.inspect(connection).get_table_names()
        return {
            name: connection.execute(
                sa.select(sa.func.count()).select_from(sa.table(name))
            ).scalar_one()
            for name in names
            if name != "alembic_version"
        }


def filled_instance(database: Database) -> tuple[list[str], str]:
    """Issue a credential to each learner, revoke the last; return the ids and the revoked."""
    world = issued_world(database)
    ids = [world.award(name, email).credential_id for name, email in LEARNERS]
    world.issuer.status.revoke(ids[-1], reason="issued in error", actor="registrar@example")
    return ids, ids[-1]


def test_backup_then_restore_reproduces_every_credential_which_still_verifies(
    database: Database, empty_target: Database, tmp_path: Path
) -> None:
    ids, revoked = filled_instance(database)
    archive = tmp_path / "instance.mcbackup"
    made = backup(database, archive)
    assert made.rows == sum(table_counts(database).values())

    restore(empty_target, archive)

    assert issued_documents(empty_target) == issued_documents(database)
    before, after = table_counts(database), table_counts(empty_target)
    assert after.pop("audit_events") == before.pop("audit_events") + 1  # the restore itself
    assert after == before
    app = create_app(settings_for(empty_target), empty_target)
    for credential_id, document in issued_documents(empty_target).items():
        status, report = verify_over_api(app, document)
        if credential_id == revoked:
            assert status == 422, "a revoked credential must stay revoked after a restore"
        else:
            assert status == 200, json.dumps(report)[:2000]
    verdict = verify_chain(empty_target)
    assert verdict.intact, verdict.problem
    # The restored instance still signs with the restored (sealed) keys under the same KEK.
    keys = IssuerKeys(empty_target, settings_for(empty_target))
    assert (
        keys.signing_key("th-lahntal")[1]
        == IssuerKeys(database, settings_for(database)).signing_key("th-lahntal")[1]
    )
    assert len(ids) == 3


@pytest.mark.postgres
def test_a_sqlite_backup_restores_into_postgresql(tmp_path: Path, postgres_url: str) -> None:
    source = Database(f"sqlite:///{tmp_path / 'source.db'}")
    source.upgrade()
    ids, revoked = filled_instance(source)
    archive = tmp_path / "from-sqlite.mcbackup"
    backup(source, archive)
    for url in postgres_schema(postgres_url):
        target = Database(url)
        restore(target, archive)
        assert issued_documents(target) == issued_documents(source)
        app = create_app(settings_for(target), target)
        statuses = {i: verify_over_api(app, d)[0] for i, d in issued_documents(target).items()}
        assert statuses == {i: (422 if i == revoked else 200) for i in ids}
        assert verify_chain(target).intact
        # New rows after a restore get fresh ids (the sequences moved past the restored ones).
        issued_world_again = issued_world(target)
        issued_world_again.award("New Learner", "new.learner@example.org")
        target.dispose()


def test_the_backup_holds_sealed_keys_and_no_key_encryption_key(
    database: Database, tmp_path: Path
) -> None:
    filled_instance(database)
    archive = tmp_path / "instance.mcbackup"
    backup(database, archive)
    with zipfile.ZipFile(archive) as opened:
        manifest = json.loads(opened.read("manifest.json"))
        keys = [json.loads(line) for line in opened.read("tables/issuer_keys.jsonl").splitlines()]
        everything = b"".join(opened.read(name) for name in opened.namelist())
    assert manifest["kek_included"] is False
    assert manifest["schema_revision"] == database.current_revision()
    assert keys and all(k["sealed_private_key"] for k in keys)
    kek = bytes(range(32))
    assert kek not in everything and base64.b64encode(kek) not in everything


def test_restore_refuses_a_database_that_holds_data_and_changes_nothing(
    database: Database, tmp_path: Path
) -> None:
    filled_instance(database)
    archive = tmp_path / "instance.mcbackup"
    backup(database, archive)
    before = table_counts(database)
    with pytest.raises(BackupError, match="not empty"):
        restore(database, archive)
    assert table_counts(database) == before


def test_a_damaged_backup_is_refused_before_anything_is_written(
    database: Database, tmp_path: Path
) -> None:
    filled_instance(database)
    archive, damaged = tmp_path / "good.mcbackup", tmp_path / "damaged.mcbackup"
    backup(database, archive)
    with zipfile.ZipFile(archive) as good, zipfile.ZipFile(damaged, "w") as bad:
        for name in good.namelist():
            data = good.read(name)
            if name == "tables/awards.jsonl":
                data = data.replace(b"Jana Nowak", b"Jane Nowak")
            bad.writestr(name, data)
    target = Database(f"sqlite:///{tmp_path / 'target.db'}")
    with pytest.raises(BackupError, match="awards.jsonl does not match its checksum"):
        restore(target, damaged)
    assert sa.inspect(target.engine).get_table_names() == []
    with pytest.raises(BackupError, match="not a microcred backup"):
        read_manifest(_text_file(tmp_path))


def _text_file(tmp_path: Path) -> Path:
    path = tmp_path / "notes.txt"
    path.write_text("not a backup")
    return path


def test_backup_and_restore_commands_round_trip(tmp_path: Path) -> None:
    source_url = f"sqlite:///{tmp_path / 'source.db'}"
    source = Database(source_url)
    source.upgrade()
    filled_instance(source)
    archive = tmp_path / "cli.mcbackup"
    runner = CliRunner()
    made = runner.invoke(cli, ["--db", source_url, "backup", str(archive)])
    assert made.exit_code == 0, made.output
    assert "key-encryption key is not in the backup" in made.output
    again = runner.invoke(cli, ["--db", source_url, "backup", str(archive)])
    assert again.exit_code == 2 and "--force" in again.output
    target_url = f"sqlite:///{tmp_path / 'target.db'}"
    restored = runner.invoke(cli, ["--db", target_url, "restore", str(archive)])
    assert restored.exit_code == 0, restored.output
    assert issued_documents(Database(target_url)) == issued_documents(source)
    refused = runner.invoke(cli, ["--db", target_url, "restore", str(archive)])
    assert refused.exit_code == 2 and "not empty" in refused.output


def test_backup_file_is_readable_by_its_owner_only(database: Database, tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.mcbackup"
    backup(database, fresh)
    assert fresh.stat().st_mode & 0o777 == 0o600

    # An existing file (say, last night's, left 0644 by an older release) is narrowed too.
    existing = tmp_path / "existing.mcbackup"
    existing.write_bytes(b"old")
    existing.chmod(0o644)
    backup(database, existing)
    assert existing.stat().st_mode & 0o777 == 0o600
    assert read_manifest(existing).rows == read_manifest(fresh).rows
