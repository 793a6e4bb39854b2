"""The seal_certificates table: each institution's e-seal certificate chain and its sealed key.

The private key is stored only sealed under the key-encryption key (see crypto.x509_seal).
At most one certificate per institution is active, the one that seals EDCs; replaced ones
are kept, marked retired.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from microcred.store.base import Base, UtcDateTime, utc_now


class SealCertificateRow(Base):
    __tablename__ = "seal_certificates"
    __table_args__ = (
        sa.CheckConstraint("status IN ('active', 'retired')", name="ck_seal_certificate_status"),
        sa.Index(
            "uq_one_active_seal_per_institution",
            "institution_id",
            unique=True,
            sqlite_where=sa.text("status = 'active'"),
            postgresql_where=sa.text("status = 'active'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = mapped_column(
        sa.ForeignKey("institutions.id", ondelete="RESTRICT"), index=True
    )
    subject: Mapped[str] = mapped_column(sa.String(1000))
    organisation_identifier: Mapped[str | None] = mapped_column(sa.String(200))
    chain_pem: Mapped[str] = mapped_column(sa.Text)  # the seal certificate first
    sealed_private_key: Mapped[bytes] = mapped_column(sa.LargeBinary)
    is_test: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    not_after: Mapped[datetime] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(sa.String(20), default="active")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
