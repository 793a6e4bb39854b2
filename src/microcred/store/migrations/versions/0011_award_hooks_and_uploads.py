"""Hooks owed to awards (run again after a crash) and bulk uploads waiting for confirmation.

Revision ID: 0011_award_hooks_and_uploads
Revises: 0010_stacking
Create Date: 2025-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0011_award_hooks_and_uploads"
down_revision = "0010_stacking"
branch_labels = None
depends_on = None

document = sa.JSON().with_variant(JSONB(), "postgresql")
timestamp = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "award_hooks",
        sa.Column(
            "award_id",
            sa.Uuid(as_uuid=False),
            sa.ForeignKey("awards.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("hook", sa.String(200), primary_key=True),
        sa.Column("job_id", sa.String(36), nullable=True),
        sa.Column("created_at", timestamp, nullable=False),
        sa.Column("claimed_by", sa.String(200), nullable=True),
        sa.Column("claimed_at", timestamp, nullable=True),
        sa.Column("tries", sa.Integer, nullable=False),
        sa.Column("error", sa.Text, nullable=True),
        sa.Column("done_at", timestamp, nullable=True),
    )
    op.create_index("ix_award_hooks_job_id", "award_hooks", ["job_id"])
    op.create_index("ix_award_hooks_done_at", "award_hooks", ["done_at"])
    op.create_table(
        "job_uploads",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("institution", sa.String(100), nullable=False),
        sa.Column("specification_id", sa.String(36), nullable=False),
        sa.Column("filename", sa.String(300), nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=False),
        sa.Column("options", document, nullable=False),
        sa.Column("created_by", sa.String(320), nullable=False),
        sa.Column("created_at", timestamp, nullable=False),
    )
    op.create_index("ix_job_uploads_institution", "job_uploads", ["institution"])
    op.create_index("ix_job_uploads_created_at", "job_uploads", ["created_at"])


def downgrade() -> None:
    op.drop_table("job_uploads")
    op.drop_table("award_hooks")
