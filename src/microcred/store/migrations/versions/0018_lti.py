"""LTI 1.3: registered platforms, the tool's sealed key, logins, deep-linking picks, course links.

Revision ID: 0018_lti
Revises: 0017_institution_ob2_issuers
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0018_lti"
down_revision = "0017_institution_ob2_issuers"
branch_labels = None
depends_on = None

Document = sa.JSON().with_variant(JSONB(), "postgresql")
WHEN = sa.DateTime(timezone=True)


def _platform_column() -> sa.Column[str]:
    return sa.Column(
        "platform_id",
        sa.String(36),
        sa.ForeignKey("lti_platforms.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )


def upgrade() -> None:
    op.create_table(
        "lti_platforms",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column(
            "institution_id",
            sa.Integer,
            sa.ForeignKey("institutions.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("issuer", sa.String(500), nullable=False),
        sa.Column("client_id", sa.String(255), nullable=False),
        sa.Column("deployment_ids", Document, nullable=False),
        sa.Column("auth_login_url", sa.String(1000), nullable=False),
        sa.Column("token_url", sa.String(1000), nullable=False),
        sa.Column("jwks_url", sa.String(1000), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.UniqueConstraint("issuer", "client_id", name="uq_lti_platform_client"),
    )
    op.create_table(
        "lti_tool_keys",
        sa.Column("kid", sa.String(64), primary_key=True),
        sa.Column("sealed_private_key", sa.LargeBinary, nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
    )
    op.create_table(
        "lti_logins",
        sa.Column("state_hash", sa.String(64), primary_key=True),
        sa.Column("nonce_hash", sa.String(64), nullable=False, unique=True),
        _platform_column(),
        sa.Column("expires_at", WHEN, nullable=False),
        sa.Column("used_at", WHEN, nullable=True),
    )
    op.create_table(
        "lti_picks",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        _platform_column(),
        sa.Column("launch", Document, nullable=False),
        sa.Column("expires_at", WHEN, nullable=False),
        sa.Column("used_at", WHEN, nullable=True),
    )
    op.create_table(
        "lti_course_links",
        sa.Column("id", sa.String(36), primary_key=True),
        _platform_column(),
        sa.Column("deployment_id", sa.String(255), nullable=False),
        sa.Column("context_id", sa.String(255), nullable=False),
        sa.Column("context_title", sa.String(500), nullable=False),
        sa.Column("specification_id", sa.String(36), nullable=False),
        sa.Column("rule", sa.String(20), nullable=False),
        sa.Column("threshold", sa.Float, nullable=True),
        sa.Column("activity", sa.String(500), nullable=True),
        sa.Column("memberships_url", sa.String(1000), nullable=True),
        sa.Column("lineitems_url", sa.String(1000), nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
    )


def downgrade() -> None:
    for table in ("lti_course_links", "lti_picks", "lti_logins", "lti_tool_keys", "lti_platforms"):
        op.drop_table(table)
