"""The issuer_keys table: each institution's signing keys, the private half sealed under the KEK.

A row with no institution belongs to the instance itself (the DID of the base URL). At most one
key per owner is active, the one that signs; retired keys stay so that credentials they signed
still verify.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from microcred.store.base import Base, UtcDateTime, utc_now


class KeyStatus(StrEnum):
    active = "active"
    retired = "retired"


class IssuerKeyRow(Base):
    __tablename__ = "issuer_keys"
    __table_args__ = (
        sa.CheckConstraint("status IN ('active', 'retired')", name="ck_issuer_key_status"),
        sa.CheckConstraint("key_type IN ('Ed25519', 'P-256', 'P-384')", name="ck_issuer_key_type"),
        # One signing key per institution, enforced by the database itself.
        sa.Index(
            "uq_one_active_key_per_institution",
            "institution_id",
            unique=True,
            sqlite_where=sa.text("status = 'active'"),
            postgresql_where=sa.text("status = 'active'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("institutions.id", ondelete="RESTRICT"), index=True
    )
    did: Mapped[str] = mapped_column(sa.String(500), index=True)
    verification_method: Mapped[str] = mapped_column(sa.String(700), unique=True)
    key_type: Mapped[str] = mapped_column(sa.String(20))
    public_key_multibase: Mapped[str] = mapped_column(sa.String(200))
    sealed_private_key: Mapped[bytes] = mapped_column(sa.LargeBinary)  # empty for an HSM key
    # Where the private key lives: "sealed" (above, under the KEK) or a PKCS#11 URI.
    key_location: Mapped[str] = mapped_column(sa.String(500), default="sealed")
    status: Mapped[str] = mapped_column(sa.String(20), default=KeyStatus.active)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    retired_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
