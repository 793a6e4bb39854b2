"""The table of institutions' branding: two colours and an optional logo, one row each.

An institution without a row uses the default colours and no logo. The logo is kept as its
bytes (PNG or JPEG, size-capped by services.branding) with its media type.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from microcred.store.base import Base, UtcDateTime, utc_now


class InstitutionBrandRow(Base):
    __tablename__ = "institution_brands"

    institution_id: Mapped[int] = mapped_column(
        sa.ForeignKey("institutions.id", ondelete="CASCADE"), primary_key=True
    )
    primary_colour: Mapped[str] = mapped_column(sa.String(7))
    accent_colour: Mapped[str] = mapped_column(sa.String(7))
    logo: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    logo_type: Mapped[str | None] = mapped_column(sa.String(20))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now, onupdate=utc_now)
