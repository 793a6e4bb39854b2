"""The audit log: record who did what to which credential and why; verify nothing was edited.

Events form a hash chain: each one's ``hash`` is SHA-256 over the RFC 8785 canonical JSON of
its fields, ``prev_hash`` included, and the first one follows ``GENESIS``. Editing, deleting or
reordering any row (other than cutting off the newest ones) breaks the chain at that row;
``verify_chain`` reports the head hash, which can be written down elsewhere to catch that too.
Appending takes a lock (PostgreSQL) or the write lock (SQLite) so the chain never forks.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from microcred.crypto.jcs import canonicalize
from microcred.store.audit_tables import AuditEventRow
from microcred.store.database import Database

GENESIS = "0" * 64
# pg_advisory_xact_lock key for "appending to the audit log" (any constant; this one spells it).
_APPEND_LOCK = 0x61756469


class AuditInputError(ValueError):
    """An event that cannot be recorded as given; the message says what to fix."""


@dataclass(frozen=True)
class AuditEvent:
    seq: int
    occurred_at: datetime
    actor: str
    action: str
    target: str
    reason: str
    details: dict[str, Any] = field(default_factory=dict)
    prev_hash: str = GENESIS
    hash: str = ""

    @classmethod
    def from_row(cls, row: AuditEventRow) -> AuditEvent:
        return cls(
            seq=row.seq,
            occurred_at=row.occurred_at,
            actor=row.actor,
            action=row.action,
            target=row.target,
            reason=row.reason,
            details=dict(row.details or {}),
            prev_hash=row.prev_hash,
            hash=row.hash,
        )


@dataclass(frozen=True)
class ChainVerdict:
    """Whether the audit chain is intact; if not, the first event where it breaks and why."""

    intact: bool
    events: int
    head: str
    broken_at: int | None = None
    problem: str | None = None


def event_hash(event: AuditEvent) -> str:
    """Return the hex SHA-256 of the canonical JSON of the event's fields (``hash`` excluded)."""
    fields = {
        "seq": event.seq,
        "occurred_at": _timestamp(event.occurred_at),
        "actor": event.actor,
        "action": event.action,
        "target": event.target,
        "reason": event.reason,
        "details": event.details,
        "prev_hash": event.prev_hash,
    }
    return hashlib.sha256(canonicalize(fields)).hexdigest()


def record_event(
    session: Session,
    *,
    actor: str,
    action: str,
    target: str,
    reason: str,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event in the caller's transaction and return it, hashed into the chain."""
    actor, reason = actor.strip(), reason.strip()
    if not actor:
        raise AuditInputError("say who did it: the actor (--by) must not be empty")
    if not reason:
        raise AuditInputError("give a reason: it must not be empty")
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sa.select(sa.func.pg_advisory_xact_lock(_APPEND_LOCK)))
    last = session.execute(
        sa.select(AuditEventRow.seq, AuditEventRow.hash).order_by(AuditEventRow.seq.desc()).limit(1)
    ).first()
    draft = AuditEvent(
        seq=(last.seq + 1) if last else 1,
        occurred_at=datetime.now(UTC),
        actor=actor,
        action=action,
        target=target,
        reason=reason,
        details=details or {},
        prev_hash=last.hash if last else GENESIS,
    )
    event = AuditEvent(**{**draft.__dict__, "hash": event_hash(draft)})
    session.add(AuditEventRow(**event.__dict__))
    session.flush()
    return event


def events_for(db: Database, target: str) -> list[AuditEvent]:
    """Return every event about ``target``, oldest first."""
    with db.transaction(write=False) as session:
        rows = session.scalars(
            sa.select(AuditEventRow)
            .where(AuditEventRow.target == target)
            .order_by(AuditEventRow.seq)
        )
        return [AuditEvent.from_row(row) for row in rows]


def verify_chain(db: Database) -> ChainVerdict:
    """Return whether every event's hash matches its fields and links to the one before."""
    expected_prev, count = GENESIS, 0
    with db.transaction(write=False) as session:
        rows = session.scalars(sa.select(AuditEventRow).order_by(AuditEventRow.seq))
        for count, row in enumerate(rows, start=1):
            event = AuditEvent.from_row(row)
            problem = _link_problem(event, expected_prev, count)
            if problem:
                return ChainVerdict(
                    False, count, expected_prev, broken_at=event.seq, problem=problem
                )
            expected_prev = event.hash
    return ChainVerdict(True, count, expected_prev)


def _link_problem(event: AuditEvent, expected_prev: str, position: int) -> str | None:
    if event.seq != position:
        return f"event {event.seq} is in position {position}: an event was deleted or inserted"
    if event.prev_hash != expected_prev:
        return f"event {event.seq} does not follow the event before it (prev_hash differs)"
    if event_hash(event) != event.hash:
        return f"event {event.seq} was changed after it was recorded (its hash does not match)"
    return None


def _timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")
