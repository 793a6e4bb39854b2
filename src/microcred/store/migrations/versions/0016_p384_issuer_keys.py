"""Issuer keys may be P-384 as well as Ed25519 and P-256 (ECDSA cryptosuites over SHA-384).

Revision ID: 0016_p384_issuer_keys
Revises: 0016_audit_keyed_chain
Create Date: 2026-12-05
"""

from __future__ import annotations

from alembic import op

revision = "0016_p384_issuer_keys"
down_revision = "0016_audit_keyed_chain"
branch_labels = None
depends_on = None

_CONSTRAINT = "ck_issuer_key_type"


def _allow_key_types(condition: str) -> None:
    with op.batch_alter_table("issuer_keys") as batch:
        batch.drop_constraint(_CONSTRAINT, type_="check")
        batch.create_check_constraint(_CONSTRAINT, condition)


def upgrade() -> None:
    _allow_key_types("key_type IN ('Ed25519', 'P-256', 'P-384')")


def downgrade() -> None:
    # A database holding P-384 keys cannot go back: the old constraint would refuse those rows.
    _allow_key_types("key_type IN ('Ed25519', 'P-256')")
