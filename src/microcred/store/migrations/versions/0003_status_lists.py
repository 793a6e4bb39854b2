"""Issued credentials, Bitstring Status Lists and their allocations, and the audit log.

Revision ID: 0003_status_lists
Revises: 0002_issuer_keys
Create Date: 2025-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0003_status_lists"
down_revision = "0002_issuer_keys"
branch_labels = None
depends_on = None

document = sa.JSON().with_variant(JSONB(), "postgresql")
timestamp = sa.DateTime(timezone=True)


def _institution() -> sa.Column[int]:
    return sa.Column(
        "institution_id",
        sa.Integer,
        sa.ForeignKey("institutions.id", ondelete="RESTRICT"),
        nullable=False,
    )


def upgrade() -> None:
    op.create_table(
        "issued_credentials",
        sa.Column("id", sa.String(500), primary_key=True),
        _institution(),
        sa.Column("specification_id", sa.String(36), nullable=True),
        sa.Column("specification_version", sa.Integer, nullable=True),
        sa.Column("format", sa.String(40), nullable=False),
        sa.Column("issued_at", timestamp, nullable=False),
        sa.Column("revoked_at", timestamp, nullable=True),
        sa.Column("suspended", sa.Boolean, nullable=False),
        sa.Column("document", document, nullable=False),
    )
    op.create_index(
        "ix_issued_credentials_institution_id", "issued_credentials", ["institution_id"]
    )
    op.create_index(
        "ix_issued_credentials_specification_id", "issued_credentials", ["specification_id"]
    )
    op.create_table(
        "status_lists",
        sa.Column("id", sa.Integer, primary_key=True),
        _institution(),
        sa.Column("purpose", sa.String(20), nullable=False),
        sa.Column("list_no", sa.Integer, nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("full", sa.Boolean, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("signed_version", sa.Integer, nullable=True),
        sa.Column("signed_document", document, nullable=True),
        sa.Column("etag", sa.String(80), nullable=True),
        sa.Column("created_at", timestamp, nullable=False),
        sa.UniqueConstraint("institution_id", "purpose", "list_no", name="uq_status_list_number"),
        sa.CheckConstraint("purpose IN ('revocation', 'suspension')", name="ck_status_purpose"),
        sa.CheckConstraint("size > 0 AND size % 8 = 0", name="ck_status_list_size"),
    )
    op.create_table(
        "status_allocations",
        sa.Column(
            "list_id",
            sa.Integer,
            sa.ForeignKey("status_lists.id", ondelete="RESTRICT"),
            primary_key=True,
        ),
        sa.Column("idx", sa.Integer, primary_key=True),
        sa.Column("purpose", sa.String(20), nullable=False),
        sa.Column("credential_id", sa.String(500), nullable=False),
        sa.Column("is_set", sa.Boolean, nullable=False),
        sa.UniqueConstraint("credential_id", "purpose", name="uq_status_one_entry_per_purpose"),
        sa.CheckConstraint("idx >= 0", name="ck_status_index"),
    )
    op.create_table(
        "audit_events",
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("occurred_at", timestamp, nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("action", sa.String(60), nullable=False),
        sa.Column("target", sa.String(500), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("details", document, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.UniqueConstraint("prev_hash", name="uq_audit_prev_hash"),
        sa.UniqueConstraint("hash", name="uq_audit_hash"),
    )
    op.create_index("ix_audit_events_action", "audit_events", ["action"])
    op.create_index("ix_audit_events_target", "audit_events", ["target"])


def downgrade() -> None:
    op.drop_table("audit_events")
    op.drop_table("status_allocations")
    op.drop_table("status_lists")
    op.drop_table("issued_credentials")
