"""Wallet delivery and presentation: credential offers with hashed codes, access tokens,
c_nonces, credentials issued to wallets, and OpenID4VP presentation requests.

Revision ID: 0008_wallet
Revises: 0007_delivery
Create Date: 2025-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_wallet"
down_revision = "0007_delivery"
branch_labels = None
depends_on = None

timestamp = sa.DateTime(timezone=True)


def _offer_id(ondelete: str) -> sa.Column[str]:
    return sa.Column(
        "offer_id",
        sa.Uuid(as_uuid=False),
        sa.ForeignKey("credential_offers.id", ondelete=ondelete),
        nullable=False,
    )


def upgrade() -> None:
    op.create_table(
        "credential_offers",
        sa.Column("id", sa.Uuid(as_uuid=False), primary_key=True),
        sa.Column(
            "award_id",
            sa.Uuid(as_uuid=False),
            sa.ForeignKey("awards.id", ondelete="RESTRICT"),
            nullable=False,
        ),
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("tx_code_hash", sa.String(64), nullable=True),
        sa.Column("tx_code_attempts", sa.Integer, nullable=False),
        sa.Column("configuration_ids", sa.JSON, nullable=False),
        sa.Column("expires_at", timestamp, nullable=False),
        sa.Column("redeemed_at", timestamp, nullable=True),
        sa.Column("created_at", timestamp, nullable=False),
        sa.UniqueConstraint("code_hash"),
    )
    op.create_index("ix_credential_offers_award_id", "credential_offers", ["award_id"])
    op.create_table(
        "wallet_access_tokens",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        _offer_id("CASCADE"),
        sa.Column("expires_at", timestamp, nullable=False),
        sa.Column("created_at", timestamp, nullable=False),
    )
    op.create_index("ix_wallet_access_tokens_offer_id", "wallet_access_tokens", ["offer_id"])
    op.create_table(
        "wallet_nonces",
        sa.Column("nonce_hash", sa.String(64), primary_key=True),
        sa.Column("expires_at", timestamp, nullable=False),
        sa.Column("used_at", timestamp, nullable=True),
    )
    op.create_table(
        "wallet_credentials",
        sa.Column(
            "credential_id",
            sa.String(500),
            sa.ForeignKey("issued_credentials.id", ondelete="RESTRICT"),
            primary_key=True,
        ),
        _offer_id("RESTRICT"),
        sa.Column("configuration_id", sa.String(100), nullable=False),
        sa.Column("holder_key_thumbprint", sa.String(64), nullable=False),
        sa.Column("issued_at", timestamp, nullable=False),
        sa.UniqueConstraint("offer_id", "configuration_id", name="uq_wallet_credential_offer"),
    )
    op.create_index("ix_wallet_credentials_offer_id", "wallet_credentials", ["offer_id"])
    op.create_table(
        "presentation_requests",
        sa.Column("id", sa.Uuid(as_uuid=False), primary_key=True),
        sa.Column("nonce", sa.String(64), nullable=False),
        sa.Column("min_ects", sa.Float, nullable=False),
        sa.Column("field", sa.String(10), nullable=True),
        sa.Column("created_by", sa.String(320), nullable=True),
        sa.Column("created_at", timestamp, nullable=False),
        sa.Column("expires_at", timestamp, nullable=False),
        sa.Column("answered_at", timestamp, nullable=True),
        sa.Column("verified", sa.Boolean, nullable=True),
        sa.Column("result", sa.JSON, nullable=True),
    )


def downgrade() -> None:
    op.drop_table("presentation_requests")
    op.drop_index("ix_wallet_credentials_offer_id", "wallet_credentials")
    op.drop_table("wallet_credentials")
    op.drop_table("wallet_nonces")
    op.drop_index("ix_wallet_access_tokens_offer_id", "wallet_access_tokens")
    op.drop_table("wallet_access_tokens")
    op.drop_index("ix_credential_offers_award_id", "credential_offers")
    op.drop_table("credential_offers")
