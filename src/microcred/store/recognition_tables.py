"""The table of recognition cases: an external credential weighed against one of our modules.

Each case keeps the credential as received, its verification, the comparison report and the
proposal; the officer's decision (full, partial, none, with ECTS and a note) is written once
and also goes to the audit log.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from microcred.store.base import Base, Document, UtcDateTime, utc_now


class RecognitionCaseRow(Base):
    __tablename__ = "recognition_cases"

    id: Mapped[str] = mapped_column(
        sa.Uuid(as_uuid=False), primary_key=True, default=lambda: str(uuid.uuid4())
    )
    institution_id: Mapped[int] = mapped_column(
        sa.ForeignKey("institutions.id", ondelete="RESTRICT"), index=True
    )
    target_specification_id: Mapped[str] = mapped_column(sa.String(36))
    target_version: Mapped[int] = mapped_column(sa.Integer)
    credential_id: Mapped[str] = mapped_column(sa.String(500))
    credential: Mapped[Any] = mapped_column(Document)
    source: Mapped[str] = mapped_column(sa.String(20))  # verifier, share-link
    learner: Mapped[str] = mapped_column(sa.String(320), default="")
    verdict: Mapped[str] = mapped_column(sa.String(40))
    report: Mapped[dict[str, Any]] = mapped_column(Document)
    proposal: Mapped[str] = mapped_column(sa.String(10))
    decision: Mapped[str | None] = mapped_column(sa.String(10))
    decided_ects: Mapped[float | None] = mapped_column(sa.Float)
    decision_note: Mapped[str] = mapped_column(sa.Text, default="")
    decided_by: Mapped[str | None] = mapped_column(sa.String(320))
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_by: Mapped[str] = mapped_column(sa.String(320))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
