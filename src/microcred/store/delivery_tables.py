"""The tables of delivery to learners: claim links with one-time codes, and public pages.

- ``credential_claims``: one row per delivered credential. The claim link's token and the
  one-time code are stored only as hashes (the token's SHA-256; the code's HMAC keyed by the
  token, so a copy of the database alone cannot test codes). A code expires
  (``code_expires_at``) and allows a few tries (``code_attempts``); ``confirmed_at`` is when
  the learner last proved they read the e-mail.
- ``public_credential_pages``: whether a credential's public page is shown. No row means the
  default (shown); the learner turns it off and on from the claim page.
"""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from microcred.store.base import Base, UtcDateTime, utc_now


class CredentialClaimRow(Base):
    __tablename__ = "credential_claims"

    id: Mapped[str] = mapped_column(
        sa.Uuid(as_uuid=False), primary_key=True, default=lambda: str(uuid.uuid4())
    )
    credential_id: Mapped[str] = mapped_column(
        sa.ForeignKey("issued_credentials.id", ondelete="RESTRICT"), unique=True
    )
    email: Mapped[str] = mapped_column(sa.String(320))
    language: Mapped[str] = mapped_column(sa.String(35))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    code_hash: Mapped[str | None] = mapped_column(sa.String(64))
    code_expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    code_sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    code_attempts: Mapped[int] = mapped_column(sa.Integer, default=0)
    confirmed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    emailed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class PublicCredentialPageRow(Base):
    __tablename__ = "public_credential_pages"

    credential_id: Mapped[str] = mapped_column(
        sa.ForeignKey("issued_credentials.id", ondelete="RESTRICT"), primary_key=True
    )
    visible: Mapped[bool] = mapped_column(sa.Boolean)
    changed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
