"""The audit log: who did what to which credential, when and why; append-only, hash-chained.

Each event stores the hash of the one before it (``prev_hash``) and its own ``hash`` over the
canonical JSON (RFC 8785) of its fields, so editing, deleting or reordering a row breaks the
chain (``services.audit.verify_chain``). ``prev_hash`` is unique: two writers can never both
append after the same event.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from microcred.store.tables import Base, Document, UtcDateTime


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
