"""Issuer keys: each institution's signing keys, private halves sealed under the KEK.

Revision ID: 0002_issuer_keys
Revises: 0001_catalogue
Create Date: 2025-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_issuer_keys"
down_revision = "0001_catalogue"
branch_labels = None
depends_on = None

timestamp = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "issuer_keys",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "institution_id",
            sa.Integer,
            sa.ForeignKey("institutions.id", ondelete="RESTRICT"),
            nullable=True,
        ),
        sa.Column("did", sa.String(500), nullable=False),
        sa.Column("verification_method", sa.String(700), nullable=False, unique=True),
        sa.Column("key_type", sa.String(20), nullable=False),
        sa.Column("public_key_multibase", sa.String(200), nullable=False),
        sa.Column("sealed_private_key", sa.LargeBinary, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("created_at", timestamp, nullable=False),
        sa.Column("retired_at", timestamp, nullable=True),
        sa.CheckConstraint("status IN ('active', 'retired')", name="ck_issuer_key_status"),
        sa.CheckConstraint("key_type IN ('Ed25519', 'P-256')", name="ck_issuer_key_type"),
    )
    op.create_index("ix_issuer_keys_institution_id", "issuer_keys", ["institution_id"])
    op.create_index("ix_issuer_keys_did", "issuer_keys", ["did"])
    op.create_index(
        "uq_one_active_key_per_institution",
        "issuer_keys",
        ["institution_id"],
        unique=True,
        sqlite_where=sa.text("status = 'active'"),
        postgresql_where=sa.text("status = 'active'"),
    )


def downgrade() -> None:
    op.drop_index("uq_one_active_key_per_institution", table_name="issuer_keys")
    op.drop_index("ix_issuer_keys_did", table_name="issuer_keys")
    op.drop_index("ix_issuer_keys_institution_id", table_name="issuer_keys")
    op.drop_table("issuer_keys")
