"""Claims: the link a learner gets by e-mail, and the one-time code that proves the inbox is theirs.

The link carries a random token; only its SHA-256 is stored. Opening the link lets the learner
ask for a six-digit code, sent to the same address; the code is stored as an HMAC keyed by
the token (a copy of the database cannot test codes without the link), expires after
CODE_LIFETIME and allows MAX_ATTEMPTS tries, after which a new code must be asked for.
A new code cannot be asked for more often than every CODE_INTERVAL.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from microcred.store.base import utc_now
from microcred.store.database import Database
from microcred.store.delivery_tables import CredentialClaimRow
from microcred.store.status_tables import IssuedCredentialRow

CODE_LIFETIME = timedelta(minutes=15)
CODE_INTERVAL = timedelta(seconds=30)
MAX_ATTEMPTS = 5
CODE_DIGITS = 6


class ClaimError(ValueError):
    """A claim step that cannot be done as asked; the message tells the learner what to do."""


class ClaimNotFound(ClaimError, LookupError):
    """The link is not (or no longer) valid."""


class CodeRefused(ClaimError):
    """The code is wrong, expired or used up."""


@dataclass(frozen=True)
class Claim:
    id: str
    credential_id: str
    email: str
    language: str
    confirmed_at: datetime | None
    code_expires_at: datetime | None
    attempts_left: int
    emailed_at: datetime | None = None


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _hash_code(token: str, code: str) -> str:
    return hmac.new(token.encode("utf-8"), code.encode("ascii"), hashlib.sha256).hexdigest()


def _claim(row: CredentialClaimRow) -> Claim:
    return Claim(
        id=row.id,
        credential_id=row.credential_id,
        email=row.email,
        language=row.language,
        confirmed_at=row.confirmed_at,
        code_expires_at=row.code_expires_at,
        attempts_left=max(0, MAX_ATTEMPTS - row.code_attempts) if row.code_hash else 0,
        emailed_at=row.emailed_at,
    )


class Claims:
    def __init__(self, db: Database) -> None:
        self.db = db

    def open(self, credential_id: str, email: str, language: str) -> str:
        """Return a new claim token for the credential; an earlier link stops working."""
        email = email.strip()
        if "@" not in email:
            raise ClaimError(f"{email!r} is not an e-mail address; the claim link needs one")
        token = secrets.token_urlsafe(32)
        with self.db.transaction() as session:
            if session.get(IssuedCredentialRow, credential_id) is None:
                raise ClaimNotFound(f"no credential issued here has the id {credential_id!r}")
            row = session.scalar(
                sa.select(CredentialClaimRow).where(
                    CredentialClaimRow.credential_id == credential_id
                )
            )
            if row is None:
                row = CredentialClaimRow(credential_id=credential_id, code_attempts=0)
                session.add(row)
            row.email, row.language, row.token_hash = email, language, hash_token(token)
            row.code_hash, row.code_expires_at, row.code_attempts = None, None, 0
        return token

    def find(self, token: str) -> Claim:
        """Return the claim a link's token opens; raises `ClaimNotFound`."""
        with self.db.transaction(write=False) as session:
            return _claim(_row(session, token))

    def by_credential(self, credential_id: str) -> Claim | None:
        with self.db.transaction(write=False) as session:
            row = session.scalar(
                sa.select(CredentialClaimRow).where(
                    CredentialClaimRow.credential_id == credential_id
                )
            )
            return _claim(row) if row is not None else None

    def by_credentials(self, credential_ids: list[str]) -> dict[str, Claim]:
        """Return the claims of these credentials, by credential id (those without none)."""
        if not credential_ids:
            return {}
        with self.db.transaction(write=False) as session:
            rows = session.scalars(
                sa.select(CredentialClaimRow).where(
                    CredentialClaimRow.credential_id.in_(credential_ids)
                )
            )
            return {row.credential_id: _claim(row) for row in rows}

    def mark_emailed(self, token: str) -> None:
        with self.db.transaction() as session:
            _row(session, token).emailed_at = utc_now()

    def new_code(self, token: str, now: datetime | None = None) -> tuple[Claim, str]:
        """Return the claim and a new one-time code for it (the earlier code stops working)."""
        now = now or utc_now()
        code = "".join(secrets.choice("0123456789") for _ in range(CODE_DIGITS))
        with self.db.transaction() as session:
            row = _row(session, token, lock=True)
            if row.code_sent_at is not None and now - row.code_sent_at < CODE_INTERVAL:
                wait = int((CODE_INTERVAL - (now - row.code_sent_at)).total_seconds()) + 1
                raise ClaimError(f"a code was sent just now; wait {wait} seconds for another")
            row.code_hash = _hash_code(token, code)
            row.code_expires_at = now + CODE_LIFETIME
            row.code_sent_at = now
            row.code_attempts = 0
            return _claim(row), code

    def confirm(self, token: str, code: str, now: datetime | None = None) -> Claim:
        """Return the confirmed claim when ``code`` is right; raises `CodeRefused` otherwise.

        A wrong code uses up one try; the last wrong try voids the code.
        """
        now = now or utc_now()
        code = code.strip().replace(" ", "")
        with self.db.transaction() as session:
            row = _row(session, token, lock=True)
            if row.code_hash is None:
                raise CodeRefused("there is no code to confirm: ask for a new code")
            if row.code_expires_at is None or now >= row.code_expires_at:
                row.code_hash = None
                refusal = "the code has expired: ask for a new code"
            elif hmac.compare_digest(row.code_hash, _hash_code(token, code)):
                row.code_hash, row.code_expires_at = None, None
                row.confirmed_at = now
                return _claim(row)
            else:
                row.code_attempts += 1
                left = MAX_ATTEMPTS - row.code_attempts
                if left <= 0:
                    row.code_hash = None
                    refusal = "the code is wrong and no tries are left: ask for a new code"
                else:
                    refusal = f"the code is wrong; {left} {'try' if left == 1 else 'tries'} left"
        raise CodeRefused(refusal)  # raised after the commit, so the used try is counted


def claim_state(claim: Claim | None, credential_expired: bool) -> str:
    """Return where a credential's claim stands, for its registrar.

    "claimed" once the learner confirmed the address; otherwise "expired" when the credential's
    validity has ended (there is nothing left worth claiming), "waiting" when a link is out,
    and "unsent" when no link was ever made (no e-mail address, or no mail server).
    """
    if claim is not None and claim.confirmed_at is not None:
        return "claimed"
    if credential_expired:
        return "expired"
    return "waiting" if claim is not None else "unsent"


def _row(session: Session, token: str, lock: bool = False) -> CredentialClaimRow:
    statement = sa.select(CredentialClaimRow).where(
        CredentialClaimRow.token_hash == hash_token(token)
    )
    if lock:
        statement = statement.with_for_update()
    row = session.scalar(statement)
    if row is None:
        raise ClaimNotFound(
            "this claim link is not valid; use the newest link you received by e-mail"
        )
    return row
