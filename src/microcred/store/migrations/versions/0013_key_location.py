"""Issuer keys say where their private half lives: sealed in the row, or in an HSM (PKCS#11).

Revision ID: 0013_key_location
Revises: 0012_finder
Create Date: 2025-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013_key_location"
down_revision = "0012_finder"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("issuer_keys") as batch:
        batch.add_column(
            sa.Column("key_location", sa.String(500), nullable=False, server_default="sealed")
        )


def downgrade() -> None:
    with op.batch_alter_table("issuer_keys") as batch:
        batch.drop_column("key_location")
