"""Institutions name their Open Badges 2.0 issuer Profiles, whose badges they may re-issue.

Revision ID: 0017_institution_ob2_issuers
Revises: 0016_p384_issuer_keys
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0017_institution_ob2_issuers"
down_revision = "0016_p384_issuer_keys"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("institutions") as batch:
        batch.add_column(
            sa.Column("ob2_issuers", sa.JSON().with_variant(JSONB(), "postgresql"), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("institutions") as batch:
        batch.drop_column("ob2_issuers")
