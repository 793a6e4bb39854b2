"""The tables of wallet delivery (OpenID4VCI) and presentation requests (OpenID4VP).

- ``credential_offers``: one offer of an award to a wallet. The pre-authorised code and the
  optional transaction code are stored only hashed (SHA-256 of the code; the transaction
  code's HMAC keyed by the pre-authorised code, so a copy of the database alone cannot test
  codes). A code expires (``expires_at``), is redeemed once (``redeemed_at``), and a wrong
  transaction code counts in ``tx_code_attempts`` until the offer is spent.
- ``wallet_access_tokens``: access tokens granted for an offer, hashed, with their expiry.
- ``wallet_nonces``: `c_nonce` values handed out by the nonce endpoint, hashed, used once.
- ``wallet_credentials``: each credential issued through an offer, with the configuration
  asked for and the holder key's JWK thumbprint; one per offer and configuration.
- ``presentation_requests``: one OpenID4VP request (the transaction): what it asks for (at
  least ``min_ects`` ECTS, optionally in ISCED-F ``field``), its nonce, and the result once
  the wallet answered (``answered_at``; a second answer is refused).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from microcred.store.base import Base, UtcDateTime, utc_now


class CredentialOfferRow(Base):
    __tablename__ = "credential_offers"

    id: Mapped[str] = mapped_column(
        sa.Uuid(as_uuid=False), primary_key=True, default=lambda: str(uuid.uuid4())
    )
    award_id: Mapped[str] = mapped_column(
        sa.ForeignKey("awards.id", ondelete="RESTRICT"), index=True
    )
    code_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    tx_code_hash: Mapped[str | None] = mapped_column(sa.String(64))
    tx_code_attempts: Mapped[int] = mapped_column(sa.Integer, default=0)
    configuration_ids: Mapped[list[str]] = mapped_column(sa.JSON)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    redeemed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class WalletAccessTokenRow(Base):
    __tablename__ = "wallet_access_tokens"

    token_hash: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    offer_id: Mapped[str] = mapped_column(
        sa.ForeignKey("credential_offers.id", ondelete="CASCADE"), index=True
    )
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class WalletNonceRow(Base):
    __tablename__ = "wallet_nonces"

    nonce_hash: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class WalletCredentialRow(Base):
    __tablename__ = "wallet_credentials"
    __table_args__ = (
        sa.UniqueConstraint("offer_id", "configuration_id", name="uq_wallet_credential_offer"),
    )

    credential_id: Mapped[str] = mapped_column(
        sa.ForeignKey("issued_credentials.id", ondelete="RESTRICT"), primary_key=True
    )
    offer_id: Mapped[str] = mapped_column(
        sa.ForeignKey("credential_offers.id", ondelete="RESTRICT"), index=True
    )
    configuration_id: Mapped[str] = mapped_column(sa.String(100))
    holder_key_thumbprint: Mapped[str] = mapped_column(sa.String(64))
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class PresentationRequestRow(Base):
    __tablename__ = "presentation_requests"

    id: Mapped[str] = mapped_column(
        sa.Uuid(as_uuid=False), primary_key=True, default=lambda: str(uuid.uuid4())
    )
    nonce: Mapped[str] = mapped_column(sa.String(64))
    min_ects: Mapped[float] = mapped_column(sa.Float)
    field: Mapped[str | None] = mapped_column(sa.String(10))
    created_by: Mapped[str | None] = mapped_column(sa.String(320))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    verified: Mapped[bool | None] = mapped_column(sa.Boolean)
    result: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
