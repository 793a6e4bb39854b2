"""Accounts: users, memberships (user × institution × role), sessions, API tokens, OIDC identities.

Revision ID: 0004_accounts
Revises: 0003_status_lists
Create Date: 2025-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_accounts"
down_revision = "0003_status_lists"
branch_labels = None
depends_on = None

timestamp = sa.DateTime(timezone=True)


def _user() -> sa.Column[int]:
    return sa.Column(
        "user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False
    )


def _created() -> sa.Column[object]:
    return sa.Column("created_at", timestamp, nullable=False)


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("email", sa.String(320), nullable=False, unique=True),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=True),
        sa.Column("is_operator", sa.Boolean, nullable=False),
        sa.Column("is_active", sa.Boolean, nullable=False),
        _created(),
    )
    op.create_table(
        "memberships",
        sa.Column("id", sa.Integer, primary_key=True),
        _user(),
        sa.Column(
            "institution_id",
            sa.Integer,
            sa.ForeignKey("institutions.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("role", sa.String(40), nullable=False),
        _created(),
        sa.UniqueConstraint("user_id", "institution_id", "role", name="uq_membership"),
    )
    op.create_table(
        "sessions",
        sa.Column("id_hash", sa.String(64), primary_key=True),
        _user(),
        _created(),
        sa.Column("expires_at", timestamp, nullable=False),
    )
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer, primary_key=True),
        _user(),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("prefix", sa.String(20), nullable=False),
        sa.Column("scopes", sa.String(200), nullable=False),
        _created(),
        sa.Column("last_used_at", timestamp, nullable=True),
        sa.Column("revoked_at", timestamp, nullable=True),
    )
    op.create_table(
        "oidc_identities",
        sa.Column("id", sa.Integer, primary_key=True),
        _user(),
        sa.Column("issuer", sa.String(500), nullable=False),
        sa.Column("subject", sa.String(255), nullable=False),
        sa.Column("email", sa.String(320), nullable=False),
        _created(),
        sa.UniqueConstraint("issuer", "subject", name="uq_oidc_identity"),
    )
    for table in ("memberships", "sessions", "api_tokens", "oidc_identities"):
        op.create_index(f"ix_{table}_user_id", table, ["user_id"])
    op.create_index("ix_memberships_institution_id", "memberships", ["institution_id"])
    op.create_index("ix_sessions_expires_at", "sessions", ["expires_at"])


def downgrade() -> None:
    for table in ("oidc_identities", "api_tokens", "sessions", "memberships", "users"):
        op.drop_table(table)
