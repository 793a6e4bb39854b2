"""The table of verification events: one row each time our verifier or a public page checked
one of this instance's credentials.

No IP address, no user agent, nothing about the learner: the credential is kept only as the
SHA-256 of its id (to count distinct credentials verified), and the time only as the UTC day.
Everything else an institution's analytics count (issued, claimed, revoked, stacked) is read
from the tables where it already happens.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from microcred.store.base import Base

CHANNELS = ("api", "page", "public-page", "wallet")


class VerificationEventRow(Base):
    __tablename__ = "verification_events"
    __table_args__ = (
        sa.CheckConstraint(
            "channel IN ('api', 'page', 'public-page', 'wallet')",
            name="ck_verification_event_channel",
        ),
        sa.Index("ix_verification_events_institution_day", "institution_id", "day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(sa.Date)
    institution_id: Mapped[int] = mapped_column(
        sa.ForeignKey("institutions.id", ondelete="CASCADE")
    )
    specification_id: Mapped[str | None] = mapped_column(sa.String(36))
    specification_version: Mapped[int | None] = mapped_column(sa.Integer)
    credential_hash: Mapped[str] = mapped_column(sa.String(64))
    channel: Mapped[str] = mapped_column(sa.String(20))
    result: Mapped[str] = mapped_column(sa.String(40))
