"""The audit log: who did what to which credential, when and why; append-only, hash-chained.

Each event stores the chain value of the one before it (``prev_hash``) and its own ``hash``: an
HMAC-SHA256, under a key derived from the KEK, over the canonical JSON (RFC 8785) of its fields.
Editing, deleting or reordering a row breaks the chain (``services.audit.verify_chain``), and
mending it needs the key. ``prev_hash`` is unique: two writers can never both append after the
same event. Signed checkpoints (``audit_checkpoints``) record the head and the number of events
from time to time, so cutting off the newest events shows too.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from microcred.store.base import Base, Document, UtcDateTime


class AuditEventRow(Base):
    __tablename__ = "audit_events"
    __table_args__ = (
        sa.UniqueConstraint("prev_hash", name="uq_audit_prev_hash"),
        sa.UniqueConstraint("hash", name="uq_audit_hash"),
    )

    seq: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime)
    actor: Mapped[str] = mapped_column(sa.String(200))
    action: Mapped[str] = mapped_column(sa.String(60), index=True)
    target: Mapped[str] = mapped_column(sa.String(500), index=True)
    reason: Mapped[str] = mapped_column(sa.Text)
    details: Mapped[dict[str, Any]] = mapped_column(Document)
    prev_hash: Mapped[str] = mapped_column(sa.String(64))
    hash: Mapped[str] = mapped_column(sa.String(64))


class AuditCheckpointRow(Base):
    """A signed statement "the log had ``events`` events ending in ``head``" (a compact JWS)."""

    __tablename__ = "audit_checkpoints"

    id: Mapped[int] = mapped_column(primary_key=True)
    events: Mapped[int] = mapped_column(index=True)
    head: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    verification_method: Mapped[str] = mapped_column(sa.String(700))
    token: Mapped[str] = mapped_column(sa.Text)
