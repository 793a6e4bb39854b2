"""The tables of issued credentials and their status lists.

- ``issued_credentials``: every credential this instance signed, by its id, with the signed
  document, so that it can be found again to revoke or suspend it. Issue 5 adds awards and
  idempotency keys beside it.
- ``status_lists``: one Bitstring Status List per institution, purpose (revocation or
  suspension) and number; ``version`` counts bit changes, and the signed list credential is
  kept with the ``version`` it was signed at, so a stale one is seen at a glance.
- ``status_allocations``: one row per used index of a list. Its primary key (list, index) is
  what keeps two credentials from ever sharing an index, even across processes; ``is_set``
  is the bit itself (revoked, or suspended).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from microcred.store.base import Base, Document, UtcDateTime, utc_now


class IssuedCredentialRow(Base):
    __tablename__ = "issued_credentials"

    id: Mapped[str] = mapped_column(sa.String(500), primary_key=True)  # the credential's id
    institution_id: Mapped[int] = mapped_column(
        sa.ForeignKey("institutions.id", ondelete="RESTRICT"), index=True
    )
    specification_id: Mapped[str | None] = mapped_column(sa.String(36), index=True)
    specification_version: Mapped[int | None] = mapped_column(sa.Integer)
    format: Mapped[str] = mapped_column(sa.String(40))
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    suspended: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    document: Mapped[Any] = mapped_column(Document)  # the signed credential (object or JWS text)


class StatusListRow(Base):
    __tablename__ = "status_lists"
    __table_args__ = (
        sa.UniqueConstraint("institution_id", "purpose", "list_no", name="uq_status_list_number"),
        sa.CheckConstraint("purpose IN ('revocation', 'suspension')", name="ck_status_purpose"),
        sa.CheckConstraint("size > 0 AND size % 8 = 0", name="ck_status_list_size"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = mapped_column(
        sa.ForeignKey("institutions.id", ondelete="RESTRICT")
    )
    purpose: Mapped[str] = mapped_column(sa.String(20))
    list_no: Mapped[int] = mapped_column(sa.Integer)
    size: Mapped[int] = mapped_column(sa.Integer)
    full: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    version: Mapped[int] = mapped_column(sa.Integer, default=1)
    signed_version: Mapped[int | None] = mapped_column(sa.Integer)
    signed_document: Mapped[dict[str, Any] | None] = mapped_column(Document)
    etag: Mapped[str | None] = mapped_column(sa.String(80))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class StatusAllocationRow(Base):
    __tablename__ = "status_allocations"
    __table_args__ = (
        sa.UniqueConstraint("credential_id", "purpose", name="uq_status_one_entry_per_purpose"),
        sa.CheckConstraint("idx >= 0", name="ck_status_index"),
    )

    list_id: Mapped[int] = mapped_column(
        sa.ForeignKey("status_lists.id", ondelete="RESTRICT"), primary_key=True
    )
    idx: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    purpose: Mapped[str] = mapped_column(sa.String(20))
    credential_id: Mapped[str] = mapped_column(sa.String(500))
    is_set: Mapped[bool] = mapped_column(sa.Boolean, default=False)
