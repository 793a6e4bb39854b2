"""Stacking and recognition: pathways and their awards, the learner's wallet (imports, share
links, holder keys), recognition cases.

Revision ID: 0010_stacking
Revises: 0008_wallet
Create Date: 2025-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0010_stacking"
down_revision = "0008_wallet"
branch_labels = None
depends_on = None

timestamp = sa.DateTime(timezone=True)
document = sa.JSON().with_variant(JSONB(), "postgresql")
uuid_type = sa.Uuid(as_uuid=False)


def _user_id(primary_key: bool = False) -> sa.Column[int]:
    return sa.Column(
        "user_id",
        sa.Integer,
        sa.ForeignKey("users.id", ondelete="CASCADE"),
        nullable=False,
        primary_key=primary_key,
    )


def _institution_id() -> sa.Column[int]:
    return sa.Column(
        "institution_id",
        sa.Integer,
        sa.ForeignKey("institutions.id", ondelete="RESTRICT"),
        nullable=False,
    )


def upgrade() -> None:
    op.create_table(
        "pathways",
        sa.Column("id", uuid_type, primary_key=True),
        _institution_id(),
        sa.Column("title", document, nullable=False),
        sa.Column("target_specification_id", sa.String(36), nullable=False),
        sa.Column("requirement", document, nullable=False),
        sa.Column("auto_award", sa.Boolean, nullable=False),
        sa.Column("created_by", sa.String(320), nullable=False),
        sa.Column("created_at", timestamp, nullable=False),
    )
    op.create_index("ix_pathways_institution_id", "pathways", ["institution_id"])
    op.create_table(
        "pathway_awards",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "pathway_id",
            uuid_type,
            sa.ForeignKey("pathways.id", ondelete="RESTRICT"),
            nullable=False,
        ),
        sa.Column("learner_email", sa.String(320), nullable=False),
        sa.Column(
            "award_id", uuid_type, sa.ForeignKey("awards.id", ondelete="RESTRICT"), nullable=False
        ),
        sa.Column("components", sa.JSON, nullable=False),
        sa.Column("created_at", timestamp, nullable=False),
        sa.UniqueConstraint("pathway_id", "learner_email", name="uq_pathway_award_learner"),
    )
    op.create_table(
        "wallet_imports",
        sa.Column("id", uuid_type, primary_key=True),
        _user_id(),
        sa.Column("credential_id", sa.String(500), nullable=False),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("document", document, nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("verdict", sa.String(40), nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("checked_at", timestamp, nullable=False),
        sa.Column("added_at", timestamp, nullable=False),
        sa.UniqueConstraint("user_id", "digest", name="uq_wallet_import_digest"),
    )
    op.create_index("ix_wallet_imports_user_id", "wallet_imports", ["user_id"])
    op.create_table(
        "wallet_share_links",
        sa.Column("id", uuid_type, primary_key=True),
        _user_id(),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("credential_ids", sa.JSON, nullable=False),
        sa.Column("label", sa.String(200), nullable=False),
        sa.Column("expires_at", timestamp, nullable=False),
        sa.Column("revoked_at", timestamp, nullable=True),
        sa.Column("created_at", timestamp, nullable=False),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_index("ix_wallet_share_links_user_id", "wallet_share_links", ["user_id"])
    op.create_table(
        "wallet_holder_keys",
        _user_id(primary_key=True),
        sa.Column("did", sa.String(200), nullable=False),
        sa.Column("verification_method", sa.String(300), nullable=False),
        sa.Column("sealed_private_key", sa.LargeBinary, nullable=False),
        sa.Column("created_at", timestamp, nullable=False),
    )
    op.create_table(
        "recognition_cases",
        sa.Column("id", uuid_type, primary_key=True),
        _institution_id(),
        sa.Column("target_specification_id", sa.String(36), nullable=False),
        sa.Column("target_version", sa.Integer, nullable=False),
        sa.Column("credential_id", sa.String(500), nullable=False),
        sa.Column("credential", document, nullable=False),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("learner", sa.String(320), nullable=False),
        sa.Column("verdict", sa.String(40), nullable=False),
        sa.Column("report", document, nullable=False),
        sa.Column("proposal", sa.String(10), nullable=False),
        sa.Column("decision", sa.String(10), nullable=True),
        sa.Column("decided_ects", sa.Float, nullable=True),
        sa.Column("decision_note", sa.Text, nullable=False),
        sa.Column("decided_by", sa.String(320), nullable=True),
        sa.Column("decided_at", timestamp, nullable=True),
        sa.Column("created_by", sa.String(320), nullable=False),
        sa.Column("created_at", timestamp, nullable=False),
    )
    op.create_index("ix_recognition_cases_institution_id", "recognition_cases", ["institution_id"])


def downgrade() -> None:
    op.drop_table("recognition_cases")
    op.drop_table("wallet_holder_keys")
    op.drop_table("wallet_share_links")
    op.drop_table("wallet_imports")
    op.drop_table("pathway_awards")
    op.drop_table("pathways")
