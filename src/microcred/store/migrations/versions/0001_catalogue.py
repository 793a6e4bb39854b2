"""The catalogue: institutions, specifications and their versions.

Revision ID: 0001_catalogue
Revises:
Create Date: 2025-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0001_catalogue"
down_revision = None
branch_labels = None
depends_on = None

document = sa.JSON().with_variant(JSONB(), "postgresql")
timestamp = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "institutions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("slug", sa.String(100), nullable=False, unique=True),
        sa.Column("name", document, nullable=False),
        sa.Column("country", sa.String(200), nullable=True),
        sa.Column("is_higher_education", sa.Boolean, nullable=False),
        sa.Column("created_at", timestamp, nullable=False),
    )
    op.create_table(
        "specifications",
        sa.Column("id", sa.Uuid(as_uuid=False), primary_key=True),
        sa.Column(
            "institution_id",
            sa.Integer,
            sa.ForeignKey("institutions.id", ondelete="RESTRICT"),
            nullable=False,
        ),
        sa.Column("created_at", timestamp, nullable=False),
    )
    op.create_index("ix_specifications_institution_id", "specifications", ["institution_id"])
    op.create_table(
        "specification_versions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "specification_id",
            sa.Uuid(as_uuid=False),
            sa.ForeignKey("specifications.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("document", document, nullable=False),
        sa.Column("title_text", sa.Text, nullable=False),
        sa.Column("ects", sa.Float, nullable=True),
        sa.Column("eqf_level", sa.Integer, nullable=True),
        sa.Column("isced_codes", sa.Text, nullable=False),
        sa.Column("modes", sa.Text, nullable=False),
        sa.Column("compliant", sa.Boolean, nullable=False),
        sa.Column("error_count", sa.Integer, nullable=False),
        sa.Column("warning_count", sa.Integer, nullable=False),
        sa.Column("created_at", timestamp, nullable=False),
        sa.Column("updated_at", timestamp, nullable=False),
        sa.Column("published_at", timestamp, nullable=True),
        sa.UniqueConstraint("specification_id", "version", name="uq_specification_version"),
        sa.CheckConstraint("version >= 1", name="ck_version_positive"),
        sa.CheckConstraint(
            "status IN ('draft', 'published', 'archived')", name="ck_version_status"
        ),
    )
    op.create_index("ix_specification_versions_status", "specification_versions", ["status"])
    op.create_index("ix_specification_versions_ects", "specification_versions", ["ects"])
    op.create_index("ix_specification_versions_eqf_level", "specification_versions", ["eqf_level"])
    op.create_index(
        "uq_one_draft_per_specification",
        "specification_versions",
        ["specification_id"],
        unique=True,
        sqlite_where=sa.text("status = 'draft'"),
        postgresql_where=sa.text("status = 'draft'"),
    )


def downgrade() -> None:
    op.drop_table("specification_versions")
    op.drop_index("ix_specifications_institution_id", table_name="specifications")
    op.drop_table("specifications")
    op.drop_table("institutions")
