"""Migration 0016 re-chains an existing audit log under the KEK's chain key and says, in one
more event, what the old plain SHA-256 chain was; the downgrade restores the plain chain."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command

from microcred.crypto.jcs import canonicalize
from microcred.crypto.keyed_chain import derive_chain_key
from microcred.services.audit import GENESIS, verify_chain
from microcred.store.audit_tables import AuditEventRow
from microcred.store.base import Document, UtcDateTime
from microcred.store.database import Database

KEK = bytes(range(32))
BEFORE = "0015_institution_brands"
OLD_EVENTS = sa.table(
    "audit_events",
    *(sa.column(name) for name in ("seq", "actor", "action", "target", "reason")),
    sa.column("occurred_at", UtcDateTime),
    sa.column("details", Document),
    sa.column("prev_hash"),
    sa.column("hash"),
)


@pytest.fixture
def old_database(
    fresh_database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[Database]:
    """A database at revision 0015, the KEK in the environment, the data directory private."""
    monkeypatch.setenv("MICROCRED_KEK", base64.b64encode(KEK).decode())
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    db = Database(fresh_database_url)
    db.upgrade(BEFORE)
    yield db
    db.dispose()


def plain_sha256(fields: dict[str, Any]) -> str:
    return hashlib.sha256(canonicalize(fields)).hexdigest()


def store_old_chain(db: Database, count: int) -> str:
    """Store ``count`` events chained with plain SHA-256, as revision 0015 did; return the head."""
    prev = GENESIS
    moment = datetime(2025, 6, 1, 9, 30, 0, 123456, tzinfo=UTC)
    with db.engine.begin() as connection:
        for seq in range(1, count + 1):
            row = {
                "seq": seq,
                "actor": "registrar",
                "action": "credential.revoke",
                "target": f"urn:uuid:{seq}",
                "reason": "fraud",
                "details": {"purpose": "revocation"},
            }
            fields = {**row, "occurred_at": "2025-06-01T09:30:00.123456Z", "prev_hash": prev}
            value = plain_sha256(fields)
            connection.execute(
                sa.insert(OLD_EVENTS).values(**row, occurred_at=moment, prev_hash=prev, hash=value)
            )
            prev = value
    return prev


def newest_event(db: Database) -> AuditEventRow:
    with db.transaction(write=False) as session:
        row = session.scalars(
            sa.select(AuditEventRow).order_by(AuditEventRow.seq.desc()).limit(1)
        ).one()
        return row


def test_upgrade_rechains_the_log_under_the_kek_and_records_the_old_head(
    old_database: Database,
) -> None:
    old_head = store_old_chain(old_database, 3)
    old_database.upgrade()
    verdict = verify_chain(old_database, chain_key=derive_chain_key(KEK))
    assert verdict.intact, verdict.problem
    assert verdict.events == 4
    keyed = newest_event(old_database)
    assert keyed.action == "audit.chain_keyed"
    assert keyed.details == {
        "events": 3,
        "sha256_head": old_head,
        "sha256_chain_intact": True,
        "sha256_chain_broken_at": None,
    }
    assert not verify_chain(old_database, chain_key=derive_chain_key(bytes(32))).intact


def test_upgrade_records_that_the_old_chain_was_already_broken(old_database: Database) -> None:
    store_old_chain(old_database, 3)
    with old_database.engine.begin() as connection:
        connection.execute(
            sa.update(OLD_EVENTS).where(OLD_EVENTS.c.seq == 2).values(reason="edited")
        )
    old_database.upgrade()
    details = newest_event(old_database).details
    assert details["sha256_chain_intact"] is False
    assert details["sha256_chain_broken_at"] == 2


def test_upgrading_an_empty_log_needs_no_kek_and_makes_none(
    old_database: Database, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("MICROCRED_KEK")
    old_database.upgrade()
    assert old_database.is_current()
    assert not (tmp_path / "data").exists()


def test_downgrade_restores_the_plain_sha256_chain(old_database: Database) -> None:
    store_old_chain(old_database, 2)
    old_database.upgrade()
    config = old_database.alembic_config()
    with old_database.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, BEFORE)
    with old_database.engine.connect() as connection:
        rows = connection.execute(sa.select(OLD_EVENTS).order_by(OLD_EVENTS.c.seq)).all()
    assert [row.action for row in rows][-1] == "audit.chain_keyed"
    prev = GENESIS
    for row in rows:
        moment = row.occurred_at.isoformat(timespec="microseconds").replace("+00:00", "Z")
        fields = {
            **{name: getattr(row, name) for name in ("seq", "actor", "action", "target")},
            "reason": row.reason,
            "details": row.details,
            "occurred_at": moment,
            "prev_hash": prev,
        }
        assert row.prev_hash == prev and row.hash == plain_sha256(fields)
        prev = row.hash
    assert "audit_checkpoints" not in sa.inspect(old_database.engine).get_table_names()
