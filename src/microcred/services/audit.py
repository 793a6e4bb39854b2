"""The audit log: record who did what to which credential and why; verify nothing was edited.

Events form a keyed hash chain: each one's ``hash`` is an HMAC-SHA256 over the RFC 8785
canonical JSON of its fields, ``prev_hash`` included, under the chain key derived from the
installed KEK (`microcred.crypto.keyed_chain`); the first one follows ``GENESIS``. Editing,
deleting or reordering any row breaks the chain at that row, and only a holder of the KEK can
compute a mended one. Cutting off the newest events leaves a shorter valid chain: signed
checkpoints (`audit_checkpoints`), made every ``audit_checkpoint_every`` events and on demand,
catch that. Appending takes a lock (PostgreSQL) or the write lock (SQLite) so the chain never
forks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from microcred.config import Settings, default_data_dir
from microcred.crypto.key_encryption_key import install_kek
from microcred.crypto.keyed_chain import GENESIS, chain_key_id, chain_value, derive_chain_key
from microcred.services.audit_checkpoints import (
    Checkpoint,
    CheckpointError,
    newest_checkpoint,
    sign_checkpoint,
    sign_checkpoint_if_due,
    stored_checkpoints,
)
from microcred.store.audit_tables import AuditEventRow
from microcred.store.database import Database

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
    checkpoints: int = 0  # how many checkpoints the log was compared with


def installed_chain_key() -> bytes:
    """Return the audit chain key derived from the installed KEK (`install_kek`)."""
    return derive_chain_key(install_kek(default_data_dir()))


def event_hash(event: AuditEvent, chain_key: bytes) -> str:
    """Return the hex HMAC-SHA256 of the canonical JSON of the event's fields (``hash``
    excluded) under ``chain_key``."""
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
    return chain_value(chain_key, fields)


def record_event(
    session: Session,
    *,
    actor: str,
    action: str,
    target: str,
    reason: str,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event in the caller's transaction and return it, hashed into the chain; sign
    a checkpoint when the log reaches a multiple of ``audit_checkpoint_every`` events."""
    actor, reason = actor.strip(), reason.strip()
    if not actor:
        raise AuditInputError("say who did it: the actor (--by) must not be empty")
    if not reason:
        raise AuditInputError("give a reason: it must not be empty")
    kek = install_kek(default_data_dir())
    chain_key = derive_chain_key(kek)
    _lock_for_append(session)
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
    event = AuditEvent(**{**draft.__dict__, "hash": event_hash(draft, chain_key)})
    session.add(AuditEventRow(**event.__dict__))
    session.flush()
    every = Settings().audit_checkpoint_every
    sign_checkpoint_if_due(session, events=event.seq, every=every, kek=kek, chain_key=chain_key)
    return event


def _lock_for_append(session: Session) -> None:
    """Hold the append lock until the transaction ends (SQLite: the write lock does that)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sa.select(sa.func.pg_advisory_xact_lock(_APPEND_LOCK)))


def events_for(db: Database, target: str) -> list[AuditEvent]:
    """Return every event about ``target``, oldest first."""
    with db.transaction(write=False) as session:
        rows = session.scalars(
            sa.select(AuditEventRow)
            .where(AuditEventRow.target == target)
            .order_by(AuditEventRow.seq)
        )
        return [AuditEvent.from_row(row) for row in rows]


def verify_chain(
    db: Database, chain_key: bytes | None = None, anchors: Sequence[Checkpoint] = ()
) -> ChainVerdict:
    """Return whether every event's HMAC matches its fields under ``chain_key`` (default: the
    installed one) and links to the one before, and whether the log agrees with every stored
    checkpoint and every one of ``anchors`` (checkpoints kept outside the database)."""
    key = installed_chain_key() if chain_key is None else chain_key
    expected_prev, count = GENESIS, 0
    with db.transaction(write=False) as session:
        try:
            checkpoints = [*stored_checkpoints(session), *anchors]
        except CheckpointError as error:
            return ChainVerdict(False, 0, GENESIS, problem=str(error))
        wanted = {checkpoint.events for checkpoint in checkpoints}
        heads = {0: GENESIS}
        rows = session.scalars(sa.select(AuditEventRow).order_by(AuditEventRow.seq))
        for count, row in enumerate(rows, start=1):
            event = AuditEvent.from_row(row)
            problem = _link_problem(event, expected_prev, count, key)
            if problem:
                return ChainVerdict(
                    False, count, expected_prev, broken_at=event.seq, problem=problem
                )
            expected_prev = event.hash
            if event.seq in wanted:
                heads[event.seq] = event.hash
    for checkpoint in checkpoints:
        problem = _checkpoint_problem(checkpoint, count, heads, key)
        if problem:
            return ChainVerdict(False, count, expected_prev, problem=problem)
    return ChainVerdict(True, count, expected_prev, checkpoints=len(checkpoints))


def _checkpoint_problem(
    checkpoint: Checkpoint, events: int, heads: dict[int, str], chain_key: bytes
) -> str | None:
    made = checkpoint.checkpointed_at.astimezone(UTC).isoformat(timespec="seconds")
    when = f"the checkpoint of {made.replace('+00:00', 'Z')}"
    if checkpoint.chain_key_id != chain_key_id(chain_key):
        return (
            f"{when} was made under another chain key: the KEK is not the one the log was kept with"
        )
    if checkpoint.events > events:
        return (
            f"{when} counted {checkpoint.events} event(s) but the log has {events}: "
            "the newest events were deleted"
        )
    if heads.get(checkpoint.events) != checkpoint.head:
        return f"event {checkpoint.events} is not the one {when} signed: the log was rewritten"
    return None


def _link_problem(
    event: AuditEvent, expected_prev: str, position: int, chain_key: bytes
) -> str | None:
    if event.seq != position:
        return f"event {event.seq} is in position {position}: an event was deleted or inserted"
    if event.prev_hash != expected_prev:
        return f"event {event.seq} does not follow the event before it (prev_hash differs)"
    if event_hash(event, chain_key) != event.hash:
        return f"event {event.seq} was changed after it was recorded (its HMAC does not match)"
    return None


def _timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def checkpoint_now(db: Database, kek: bytes | None = None) -> Checkpoint:
    """Sign and store a checkpoint of the log as it stands; return it.

    Raises `CheckpointError` when the instance has no signing key (``microcred keys create``
    makes one). The append lock is held, so the head and the count belong together.
    """
    kek = install_kek(default_data_dir()) if kek is None else kek
    with db.transaction() as session:
        _lock_for_append(session)
        checkpoint = sign_checkpoint(session, kek, derive_chain_key(kek))
    if checkpoint is None:
        raise CheckpointError(
            "the instance has no signing key to sign checkpoints with; "
            "make one with 'microcred keys create'"
        )
    return checkpoint


def newest_checkpoint_of(db: Database) -> Checkpoint:
    """Return the checkpoint made last; `CheckpointError` when there is none yet."""
    with db.transaction(write=False) as session:
        checkpoint = newest_checkpoint(session)
    if checkpoint is None:
        raise CheckpointError("no checkpoint yet; make one with 'microcred audit checkpoint'")
    return checkpoint
