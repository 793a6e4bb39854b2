"""Verification events for institutions' analytics: day, institution, specification, the
credential's id hashed, channel and result; nothing about the learner or the verifier.

Revision ID: 0014_verification_events
Revises: 0013_key_location
Create Date: 2025-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014_verification_events"
down_revision = "0013_key_location"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "verification_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column(
            "institution_id",
            sa.Integer,
            sa.ForeignKey("institutions.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("specification_id", sa.String(36), nullable=True),
        sa.Column("specification_version", sa.Integer, nullable=True),
        sa.Column("credential_hash", sa.String(64), nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("result", sa.String(40), nullable=False),
        sa.CheckConstraint(
            "channel IN ('api', 'page', 'public-page', 'wallet')",
            name="ck_verification_event_channel",
        ),
    )
    op.create_index(
        "ix_verification_events_institution_day", "verification_events", ["institution_id", "day"]
    )


def downgrade() -> None:
    op.drop_index("ix_verification_events_institution_day", "verification_events")
    op.drop_table("verification_events")
