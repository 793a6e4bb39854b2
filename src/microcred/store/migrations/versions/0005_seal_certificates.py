"""Seal certificates: each institution's e-seal certificate chain, its key sealed under the KEK.

Revision ID: 0005_seal_certificates
Revises: 0004_accounts
Create Date: 2025-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_seal_certificates"
down_revision = "0004_accounts"
branch_labels = None
depends_on = None

timestamp = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "seal_certificates",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "institution_id",
            sa.Integer,
            sa.ForeignKey("institutions.id", ondelete="RESTRICT"),
            nullable=False,
        ),
        sa.Column("subject", sa.String(1000), nullable=False),
        sa.Column("organisation_identifier", sa.String(200), nullable=True),
        sa.Column("chain_pem", sa.Text, nullable=False),
        sa.Column("sealed_private_key", sa.LargeBinary, nullable=False),
        sa.Column("is_test", sa.Boolean, nullable=False),
        sa.Column("not_after", timestamp, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("created_at", timestamp, nullable=False),
        sa.CheckConstraint("status IN ('active', 'retired')", name="ck_seal_certificate_status"),
    )
    op.create_index("ix_seal_certificates_institution_id", "seal_certificates", ["institution_id"])
    op.create_index(
        "uq_one_active_seal_per_institution",
        "seal_certificates",
        ["institution_id"],
        unique=True,
        sqlite_where=sa.text("status = 'active'"),
        postgresql_where=sa.text("status = 'active'"),
    )


def downgrade() -> None:
    op.drop_table("seal_certificates")
