"""The course finder: its index of published offers (facts, words, start dates), learners'
saved courses and pathways, and the log of "a saved course opens" e-mails.

Revision ID: 0012_finder
Revises: 0011_award_hooks_and_uploads
Create Date: 2025-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0012_finder"
down_revision = "0011_award_hooks_and_uploads"
branch_labels = None
depends_on = None

timestamp = sa.DateTime(timezone=True)
WORD = sa.String(64).with_variant(sa.String(64, collation="C"), "postgresql")
Document = sa.JSON().with_variant(JSONB(), "postgresql")


def _offer_id() -> sa.Column[int]:
    return sa.Column(
        "offer_id",
        sa.Integer,
        sa.ForeignKey("finder_offers.id", ondelete="CASCADE"),
        primary_key=True,
    )


def _user_id() -> sa.Column[int]:
    return sa.Column(
        "user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False
    )


def upgrade() -> None:
    op.create_table(
        "finder_offers",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("specification_id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column(
            "version_id",
            sa.Integer,
            sa.ForeignKey("specification_versions.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("institution", sa.String(100), nullable=False),
        sa.Column("title", Document, nullable=False),
        sa.Column("ects", sa.Float, nullable=True),
        sa.Column("hours", sa.Float, nullable=True),
        sa.Column("eqf", sa.Integer, nullable=True),
        sa.Column("isced", sa.Text, nullable=False),
        sa.Column("skills", sa.Text, nullable=False),
        sa.Column("deliveries", sa.String(40), nullable=False),
        sa.Column("synchronous", sa.Boolean, nullable=True),
        sa.Column("weekly_hours", sa.Float, nullable=True),
        sa.Column("weekly_hours_stated", sa.Boolean, nullable=False),
        sa.Column("schedule", sa.String(200), nullable=True),
        sa.Column("duration_weeks", sa.Float, nullable=True),
        sa.Column("languages", sa.String(200), nullable=False),
        sa.Column("price", sa.Float, nullable=True),
        sa.Column("currency", sa.String(3), nullable=True),
        sa.Column("funded", sa.Boolean, nullable=False),
        sa.Column("starts", sa.Text, nullable=False),
        sa.Column("target_groups", sa.Text, nullable=False),
        sa.Column("stacking_targets", sa.Text, nullable=False),
        sa.Column("has_prerequisites", sa.Boolean, nullable=False),
        sa.Column("external_qa", sa.Boolean, nullable=False),
        sa.Column("relevance_stated", sa.Boolean, nullable=False),
        sa.Column("published_at", timestamp, nullable=True),
        sa.UniqueConstraint("specification_id"),
        sa.UniqueConstraint("version_id"),
    )
    op.create_index("ix_finder_offers_institution", "finder_offers", ["institution"])
    op.create_table(
        "finder_words",
        sa.Column("word", WORD, primary_key=True),
        _offer_id(),
        sa.Column("lang", sa.String(35), primary_key=True),
        sa.Column("weight", sa.Float, nullable=False),
    )
    op.create_index("ix_finder_words_offer_id", "finder_words", ["offer_id"])
    op.create_table(
        "finder_starts",
        _offer_id(),
        sa.Column("start_date", sa.Date, primary_key=True),
    )
    op.create_table(
        "finder_saved",
        sa.Column("id", sa.Integer, primary_key=True),
        _user_id(),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("ref", sa.String(500), nullable=False),
        sa.Column("title", Document, nullable=False),
        sa.Column("created_at", timestamp, nullable=False),
        sa.UniqueConstraint("user_id", "kind", "ref", name="uq_finder_saved"),
    )
    op.create_index("ix_finder_saved_user_id", "finder_saved", ["user_id"])
    op.create_table(
        "finder_notifications",
        sa.Column("id", sa.Integer, primary_key=True),
        _user_id(),
        sa.Column("specification_id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("start_date", sa.Date, nullable=False),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("sent_at", timestamp, nullable=False),
        sa.UniqueConstraint(
            "user_id", "specification_id", "start_date", name="uq_finder_notification"
        ),
    )
    op.create_index("ix_finder_notifications_user_id", "finder_notifications", ["user_id"])


def downgrade() -> None:
    op.drop_table("finder_notifications")
    op.drop_table("finder_saved")
    op.drop_table("finder_starts")
    op.drop_table("finder_words")
    op.drop_table("finder_offers")
