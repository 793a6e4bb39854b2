"""API tokens: ``mc_<random>`` shown once, kept as a SHA-256 hash, with scopes, revocable.

A token acts for its user, narrowed to its scopes: it never allows more than the user's roles.
Creating and revoking are recorded in the audit log (the token's id and prefix, never the value).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from microcred.domain.accounts import Principal, Scope, parse_scopes
from microcred.services.accounts import AccountError, AccountNotFound, load_principal, user_by_email
from microcred.services.audit import record_event
from microcred.services.secret_tokens import new_secret, secret_hash
from microcred.store.accounts_tables import ApiTokenRow, UserRow
from microcred.store.base import utc_now
from microcred.store.database import Database

PREFIX = "mc_"
SHOWN_PREFIX = 10  # "mc_" and 7 random characters, enough to tell tokens apart in a list


@dataclass(frozen=True)
class ApiToken:
    """A token as listed: never its value."""

    id: int
    owner: str  # the user's email
    name: str
    prefix: str
    scopes: frozenset[Scope]
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None

    @classmethod
    def from_row(cls, row: ApiTokenRow, owner: str) -> ApiToken:
        return cls(
            id=row.id,
            owner=owner,
            name=row.name,
            prefix=row.prefix,
            scopes=frozenset(Scope(s) for s in row.scopes.split()),
            created_at=row.created_at,
            last_used_at=row.last_used_at,
            revoked_at=row.revoked_at,
        )


@dataclass(frozen=True)
class NewToken:
    """A token just made: ``value`` is shown to the user this once and stored nowhere."""

    value: str
    token: ApiToken


class ApiTokens:
    def __init__(self, db: Database) -> None:
        self.db = db

    def create(self, owner: str, name: str, scopes: list[str], *, actor: str) -> NewToken:
        """Return a new token of ``owner`` (an email) with ``scopes``; its value is shown once."""
        try:
            chosen = parse_scopes(scopes)
        except ValueError as error:
            raise AccountError(str(error)) from None
        name = name.strip()
        if not name or len(name) > 200:
            raise AccountError("give the token a name of 1-200 characters, e.g. 'gradebook sync'")
        value = new_secret(PREFIX)
        with self.db.transaction() as session:
            user = _owner(session, owner)
            row = ApiTokenRow(
                user_id=user.id,
                name=name,
                token_hash=secret_hash(value),
                prefix=value[:SHOWN_PREFIX],
                scopes=" ".join(sorted(chosen)),
                created_at=utc_now(),
            )
            session.add(row)
            session.flush()
            record_event(
                session,
                actor=actor,
                action="token.create",
                target=f"user:{user.email}",
                reason=f"API token {row.id} '{name}'",
                details={"token": row.id, "prefix": row.prefix, "scopes": sorted(chosen)},
            )
            return NewToken(value, ApiToken.from_row(row, user.email))

    def list(self, owner: str | None = None) -> list[ApiToken]:
        """Return the tokens of ``owner`` (an email), or of everyone, newest first."""
        with self.db.transaction(write=False) as session:
            query = (
                sa.select(ApiTokenRow, UserRow.email)
                .join(UserRow, ApiTokenRow.user_id == UserRow.id)
                .order_by(ApiTokenRow.id.desc())
            )
            if owner is not None:
                query = query.where(ApiTokenRow.user_id == _owner(session, owner).id)
            return [ApiToken.from_row(row, email) for row, email in session.execute(query)]

    def get(self, token_id: int) -> ApiToken:
        with self.db.transaction(write=False) as session:
            row = session.get(ApiTokenRow, token_id)
            if row is None:
                raise AccountNotFound(f"no API token has the id {token_id}")
            return ApiToken.from_row(row, session.get_one(UserRow, row.user_id).email)

    def revoke(self, token_id: int, *, actor: str) -> ApiToken:
        """Return the token, revoked from now on (revoking it again changes nothing)."""
        with self.db.transaction() as session:
            row = session.get(ApiTokenRow, token_id, with_for_update=True)
            if row is None:
                raise AccountNotFound(f"no API token has the id {token_id}")
            owner = session.get_one(UserRow, row.user_id).email
            if row.revoked_at is None:
                row.revoked_at = utc_now()
                session.flush()
                record_event(
                    session,
                    actor=actor,
                    action="token.revoke",
                    target=f"user:{owner}",
                    reason=f"API token {row.id} '{row.name}'",
                    details={"token": row.id, "prefix": row.prefix},
                )
            return ApiToken.from_row(row, owner)

    def principal(self, value: str) -> Principal | None:
        """Return who acts with the token ``value`` (noting its use); None if unknown or revoked."""
        if not value.startswith(PREFIX):
            return None
        with self.db.transaction() as session:
            row = session.scalars(
                sa.select(ApiTokenRow).where(ApiTokenRow.token_hash == secret_hash(value))
            ).first()
            if row is None or row.revoked_at is not None:
                return None
            row.last_used_at = utc_now()
            scopes = frozenset(Scope(s) for s in row.scopes.split())
            return load_principal(session, row.user_id, scopes)


def _owner(session: sa.orm.Session, email: str) -> UserRow:
    user = user_by_email(session, email)
    if user is None:
        raise AccountNotFound(f"no account has the email {email.strip()!r}")
    return user
