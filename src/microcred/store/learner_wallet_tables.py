"""The tables of a learner's wallet: imported credentials, share links and the holder key.

Credentials issued here are not copied: they are found by the learner's e-mail on the
awards. ``wallet_imports`` keeps credentials from elsewhere (a file, a URL, a baked badge),
each with its digest and the last verification. ``wallet_share_links`` store only the
SHA-256 of the link's token, with an expiry and a revocation. ``wallet_holder_keys`` keep one
did:key per learner for signing presentations, sealed under the key-encryption key.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from microcred.store.base import Base, Document, UtcDateTime, utc_now


def _user_id() -> Mapped[int]:
    return mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)


class WalletImportRow(Base):
    __tablename__ = "wallet_imports"
    __table_args__ = (sa.UniqueConstraint("user_id", "digest", name="uq_wallet_import_digest"),)

    id: Mapped[str] = mapped_column(
        sa.Uuid(as_uuid=False), primary_key=True, default=lambda: str(uuid.uuid4())
    )
    user_id: Mapped[int] = _user_id()
    credential_id: Mapped[str] = mapped_column(sa.String(500))
    source: Mapped[str] = mapped_column(sa.String(20))  # file, url, baked
    document: Mapped[Any] = mapped_column(Document)  # a JSON object or a compact JWS
    digest: Mapped[str] = mapped_column(sa.String(64))  # SHA-256 hex of the bytes as held
    verdict: Mapped[str] = mapped_column(sa.String(40))
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    checked_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    added_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class WalletShareLinkRow(Base):
    __tablename__ = "wallet_share_links"

    id: Mapped[str] = mapped_column(
        sa.Uuid(as_uuid=False), primary_key=True, default=lambda: str(uuid.uuid4())
    )
    user_id: Mapped[int] = _user_id()
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    credential_ids: Mapped[list[str]] = mapped_column(sa.JSON)
    label: Mapped[str] = mapped_column(sa.String(200), default="")
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class WalletHolderKeyRow(Base):
    __tablename__ = "wallet_holder_keys"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    did: Mapped[str] = mapped_column(sa.String(200))
    verification_method: Mapped[str] = mapped_column(sa.String(300))
    sealed_private_key: Mapped[bytes] = mapped_column(sa.LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
