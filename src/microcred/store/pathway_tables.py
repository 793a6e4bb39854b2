"""The tables of stacking: pathways a designer composed, and the stacked awards they produced.

- ``pathways``: one pathway (its rules as JSON, see `microcred.domain.pathways`), owned by an
  institution, naming the specification its stacked credential is awarded from.
- ``pathway_awards``: a stacked credential awarded to one learner through one pathway; unique
  per pathway and learner, so a pathway awards a learner once however often it is evaluated.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from microcred.store.base import Base, Document, UtcDateTime, utc_now


class PathwayRow(Base):
    __tablename__ = "pathways"

    id: Mapped[str] = mapped_column(
        sa.Uuid(as_uuid=False), primary_key=True, default=lambda: str(uuid.uuid4())
    )
    institution_id: Mapped[int] = mapped_column(
        sa.ForeignKey("institutions.id", ondelete="RESTRICT"), index=True
    )
    title: Mapped[dict[str, str]] = mapped_column(Document)
    target_specification_id: Mapped[str] = mapped_column(sa.String(36))
    requirement: Mapped[dict[str, Any]] = mapped_column(Document)
    auto_award: Mapped[bool] = mapped_column(sa.Boolean, default=True)
    created_by: Mapped[str] = mapped_column(sa.String(320))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class PathwayAwardRow(Base):
    __tablename__ = "pathway_awards"
    __table_args__ = (
        sa.UniqueConstraint("pathway_id", "learner_email", name="uq_pathway_award_learner"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pathway_id: Mapped[str] = mapped_column(sa.ForeignKey("pathways.id", ondelete="RESTRICT"))
    learner_email: Mapped[str] = mapped_column(sa.String(320))
    award_id: Mapped[str] = mapped_column(sa.ForeignKey("awards.id", ondelete="RESTRICT"))
    components: Mapped[list[str]] = mapped_column(sa.JSON)  # credential ids cited as evidence
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
