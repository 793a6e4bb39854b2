"""The audit log's chain becomes keyed (HMAC-SHA256 under a key derived from the KEK), and
signed checkpoints of it get a table.

Existing events are re-chained under the chain key of the installed KEK. Before that, the old
plain SHA-256 chain is checked, and one more event, ``audit.chain_keyed``, records its head and
whether it was intact, so the change of keying leaves a trace in the log itself. The downgrade
re-chains with plain SHA-256 (and records nothing: the old format has no place for it).

Revision ID: 0016_audit_keyed_chain
Revises: 0015_institution_brands
Create Date: 2026-12-05
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import sqlalchemy as sa
from alembic import op

from microcred.config import current_settings, default_data_dir
from microcred.crypto.jcs import canonicalize
from microcred.crypto.key_encryption_key import install_kek
from microcred.crypto.keyed_chain import chain_value, derive_chain_key
from microcred.store.base import Document, UtcDateTime
from microcred.store.sealed_keys import holds_sealed_keys

revision = "0016_audit_keyed_chain"
down_revision = "0015_institution_brands"
branch_labels = None
depends_on = None

GENESIS = "0" * 64
ChainValue = Callable[[dict[str, Any]], str]

events = sa.table(
    "audit_events",
    sa.column("seq", sa.Integer),
    sa.column("occurred_at", UtcDateTime),
    sa.column("actor", sa.String),
    sa.column("action", sa.String),
    sa.column("target", sa.String),
    sa.column("reason", sa.Text),
    sa.column("details", Document),
    sa.column("prev_hash", sa.String),
    sa.column("hash", sa.String),
)


def upgrade() -> None:
    op.create_table(
        "audit_checkpoints",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("events", sa.Integer, nullable=False),
        sa.Column("head", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("verification_method", sa.String(700), nullable=False),
        sa.Column("token", sa.Text, nullable=False),
    )
    op.create_index("ix_audit_checkpoints_events", "audit_checkpoints", ["events"])
    connection = op.get_bind()
    if connection.execute(sa.select(sa.func.count()).select_from(events)).scalar_one() == 0:
        return
    old_head, broken_at = _verify(connection, _plain_sha256)
    settings = current_settings()
    kek = install_kek(
        settings.kek.get_secret_value(),
        settings.kek_file,
        default_data_dir(),
        lambda: holds_sealed_keys(connection),
    )
    chain_key = derive_chain_key(kek)

    def keyed(fields: dict[str, Any]) -> str:
        return chain_value(chain_key, fields)

    head, count = _rechain(connection, keyed)
    _append(
        connection,
        keyed,
        seq=count + 1,
        prev_hash=head,
        details={
            "events": count,
            "sha256_head": old_head,
            "sha256_chain_intact": broken_at is None,
            "sha256_chain_broken_at": broken_at,
        },
    )


def downgrade() -> None:
    op.drop_index("ix_audit_checkpoints_events", table_name="audit_checkpoints")
    op.drop_table("audit_checkpoints")
    _rechain(op.get_bind(), _plain_sha256)


def _plain_sha256(fields: dict[str, Any]) -> str:
    """The chain value before this revision: SHA-256 of the canonical JSON, no key."""
    return hashlib.sha256(canonicalize(fields)).hexdigest()


def _fields(row: Any, prev_hash: str) -> dict[str, Any]:
    """The fields an event's chain value covers (as ``services.audit.event_hash`` reads them)."""
    moment = row.occurred_at.astimezone(UTC).isoformat(timespec="microseconds")
    return {
        "seq": row.seq,
        "occurred_at": moment.replace("+00:00", "Z"),
        "actor": row.actor,
        "action": row.action,
        "target": row.target,
        "reason": row.reason,
        "details": dict(row.details or {}),
        "prev_hash": prev_hash,
    }


def _rows(connection: sa.Connection) -> Any:
    return connection.execute(sa.select(events).order_by(events.c.seq))


def _verify(connection: sa.Connection, value_of: ChainValue) -> tuple[str, int | None]:
    """Return the chain's head and the first event where it breaks (None: intact)."""
    expected_prev = GENESIS
    for position, row in enumerate(_rows(connection), start=1):
        intact = row.seq == position and row.prev_hash == expected_prev
        if not intact or value_of(_fields(row, row.prev_hash)) != row.hash:
            return row.hash, row.seq
        expected_prev = row.hash
    return expected_prev, None


def _rechain(connection: sa.Connection, value_of: ChainValue) -> tuple[str, int]:
    """Recompute every event's links in order; return the new head and the number of events."""
    prev_hash, rows = GENESIS, list(_rows(connection))
    for row in rows:
        value = value_of(_fields(row, prev_hash))
        connection.execute(
            sa.update(events).where(events.c.seq == row.seq).values(prev_hash=prev_hash, hash=value)
        )
        prev_hash = value
    return prev_hash, len(rows)


def _append(
    connection: sa.Connection,
    value_of: ChainValue,
    *,
    seq: int,
    prev_hash: str,
    details: dict[str, Any],
) -> None:
    row = {
        "seq": seq,
        "occurred_at": datetime.now(UTC),
        "actor": "microcred db upgrade",
        "action": "audit.chain_keyed",
        "target": "audit-log",
        "reason": "the audit chain is now keyed: HMAC-SHA256 under a key derived from the KEK",
        "details": details,
    }
    fields = _fields(SimpleNamespace(**row), prev_hash)
    connection.execute(sa.insert(events).values(**row, prev_hash=prev_hash, hash=value_of(fields)))
