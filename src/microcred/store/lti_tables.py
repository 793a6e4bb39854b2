"""The tables of LTI 1.3: the platforms (LMSs) an institution registered, this tool's signing key,
the logins under way, the deep-linking picks awaiting a choice, and the course links with their
award rule.

A login's ``state`` and ``nonce`` and a pick's token are kept only as SHA-256 hashes, and each is
used once: a replayed launch finds its login used. The tool's private key is kept sealed under
the key-encryption key, like every other private key.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from microcred.store.base import Base, Document, UtcDateTime, utc_now


class LtiPlatformRow(Base):
    """One LMS registration: who signs its launches and where its endpoints are."""

    __tablename__ = "lti_platforms"
    __table_args__ = (sa.UniqueConstraint("issuer", "client_id", name="uq_lti_platform_client"),)

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    institution_id: Mapped[int] = mapped_column(
        sa.ForeignKey("institutions.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(200))
    issuer: Mapped[str] = mapped_column(sa.String(500))
    client_id: Mapped[str] = mapped_column(sa.String(255))
    deployment_ids: Mapped[list[str]] = mapped_column(Document)
    auth_login_url: Mapped[str] = mapped_column(sa.String(1000))
    token_url: Mapped[str] = mapped_column(sa.String(1000))
    jwks_url: Mapped[str] = mapped_column(sa.String(1000))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class LtiToolKeyRow(Base):
    """This tool's RSA key (LTI asks for RS256), sealed under the KEK; the newest one signs."""

    __tablename__ = "lti_tool_keys"

    kid: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    sealed_private_key: Mapped[bytes] = mapped_column(sa.LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class LtiLoginRow(Base):
    """An OIDC login started by a platform, waiting for its launch; used once, expires soon."""

    __tablename__ = "lti_logins"

    state_hash: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    nonce_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    platform_id: Mapped[str] = mapped_column(
        sa.ForeignKey("lti_platforms.id", ondelete="CASCADE"), index=True
    )
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class LtiPickRow(Base):
    """A deep-linking launch waiting for the instructor to pick a micro-credential."""

    __tablename__ = "lti_picks"

    token_hash: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    platform_id: Mapped[str] = mapped_column(
        sa.ForeignKey("lti_platforms.id", ondelete="CASCADE"), index=True
    )
    launch: Mapped[dict[str, Any]] = mapped_column(Document)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class LtiCourseLinkRow(Base):
    """A course linked to a micro-credential, with the rule that earns it and where the roster
    and the grades of the course are read."""

    __tablename__ = "lti_course_links"

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    platform_id: Mapped[str] = mapped_column(
        sa.ForeignKey("lti_platforms.id", ondelete="CASCADE"), index=True
    )
    deployment_id: Mapped[str] = mapped_column(sa.String(255))
    context_id: Mapped[str] = mapped_column(sa.String(255))
    context_title: Mapped[str] = mapped_column(sa.String(500))
    specification_id: Mapped[str] = mapped_column(sa.String(36))
    rule: Mapped[str] = mapped_column(sa.String(20))  # "grade" or "activity"
    threshold: Mapped[float | None] = mapped_column(sa.Float)  # percent, for "grade"
    activity: Mapped[str | None] = mapped_column(sa.String(500))  # line item, for "activity"
    memberships_url: Mapped[str | None] = mapped_column(sa.String(1000))
    lineitems_url: Mapped[str | None] = mapped_column(sa.String(1000))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
