"""Browser sessions: a random id in a cookie, its SHA-256 in the database, an expiry, a logout.

Signing in always starts a new session (a new id), so an id planted before login is worthless.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from microcred.domain.accounts import Principal
from microcred.services.accounts import load_principal
from microcred.services.secret_tokens import new_secret, secret_hash
from microcred.store.accounts_tables import SessionRow
from microcred.store.base import utc_now
from microcred.store.database import Database

DEFAULT_LIFETIME = timedelta(hours=8)


class Sessions:
    def __init__(self, db: Database, lifetime: timedelta = DEFAULT_LIFETIME) -> None:
        self.db = db
        self.lifetime = lifetime

    def start(self, user_id: int, replacing: str | None = None) -> str:
        """Return the id of a new session for ``user_id``; the session ``replacing`` ends."""
        session_id = new_secret()
        now = utc_now()
        with self.db.transaction() as session:
            if replacing:
                session.execute(sa.delete(SessionRow).where(_is(replacing)))
            # Expired rows of anyone are cleared here, so the table does not grow without end.
            session.execute(sa.delete(SessionRow).where(SessionRow.expires_at <= now))
            session.add(
                SessionRow(
                    id_hash=secret_hash(session_id),
                    user_id=user_id,
                    created_at=now,
                    expires_at=now + self.lifetime,
                )
            )
        return session_id

    def principal(self, session_id: str) -> Principal | None:
        """Return who is signed in with ``session_id``; None when unknown or expired."""
        with self.db.transaction(write=False) as session:
            row = session.scalars(sa.select(SessionRow).where(_is(session_id))).first()
            if row is None or row.expires_at <= utc_now():
                return None
            return load_principal(session, row.user_id)

    def end(self, session_id: str) -> None:
        """Sign the session out (nothing happens for an unknown id)."""
        with self.db.transaction() as session:
            session.execute(sa.delete(SessionRow).where(_is(session_id)))


def _is(session_id: str) -> sa.ColumnElement[bool]:
    return SessionRow.id_hash == secret_hash(session_id)
