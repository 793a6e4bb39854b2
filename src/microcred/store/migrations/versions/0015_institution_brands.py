"""Institutions' branding: primary and accent colours and an optional PNG or JPEG logo.

Revision ID: 0015_institution_brands
Revises: 0014_verification_events
Create Date: 2025-12-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015_institution_brands"
down_revision = "0014_verification_events"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "institution_brands",
        sa.Column(
            "institution_id",
            sa.Integer,
            sa.ForeignKey("institutions.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("primary_colour", sa.String(7), nullable=False),
        sa.Column("accent_colour", sa.String(7), nullable=False),
        sa.Column("logo", sa.LargeBinary, nullable=True),
        sa.Column("logo_type", sa.String(20), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("institution_brands")
