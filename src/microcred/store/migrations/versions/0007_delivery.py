"""Delivery to learners: claim links with hashed tokens and one-time codes; public pages.

Revision ID: 0007_delivery
Revises: 0006_awards_and_jobs
Create Date: 2025-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_delivery"
down_revision = "0006_awards_and_jobs"
branch_labels = None
depends_on = None

timestamp = sa.DateTime(timezone=True)


def _credential_id(primary_key: bool = False) -> sa.Column[str]:
    return sa.Column(
        "credential_id",
        sa.String(500),
        sa.ForeignKey("issued_credentials.id", ondelete="RESTRICT"),
        nullable=False,
        primary_key=primary_key,
    )


def upgrade() -> None:
    op.create_table(
        "credential_claims",
        sa.Column("id", sa.Uuid(as_uuid=False), primary_key=True),
        _credential_id(),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("language", sa.String(35), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("code_hash", sa.String(64), nullable=True),
        sa.Column("code_expires_at", timestamp, nullable=True),
        sa.Column("code_sent_at", timestamp, nullable=True),
        sa.Column("code_attempts", sa.Integer, nullable=False),
        sa.Column("confirmed_at", timestamp, nullable=True),
        sa.Column("emailed_at", timestamp, nullable=True),
        sa.Column("created_at", timestamp, nullable=False),
        sa.UniqueConstraint("credential_id"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_table(
        "public_credential_pages",
        _credential_id(primary_key=True),
        sa.Column("visible", sa.Boolean, nullable=False),
        sa.Column("changed_at", timestamp, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("public_credential_pages")
    op.drop_table("credential_claims")
