"""A learner's personal data: export everything held about an e-mail address, and erase it.

**Export** gathers every row that names the person: their account (memberships, API tokens,
sign-in sessions, single sign-on identities), their awards with the signed credentials, claim
links, public-page settings, wallet offers and wallet items, and any other table that names the
address (stacked awards, recognition cases, saved courses...). Secrets are left out (password
and token hashes, sealed keys): they are ours to protect, not information about the person.

**Erasure** keeps every credential verifiable and drops the person from our records:

- awards are pseudonymised: name, e-mail, institutional id, DID, date of birth and language are
  cleared and the idempotency key (derived from the e-mail) is replaced, so nothing links the
  award to the person any more; the result (grade, date) stays for the institution's records;
- the stored signed copy of each credential is replaced by its SHA-256 digest: the signed
  document is the learner's, and it still verifies (issuer key, status list and validity do
  not depend on our copy); with the digest we can still tell a copy shown to us is one we
  issued. Its status entry stays, so it can still be revoked;
- the public page of each credential is switched off, claim links and wallet offers deleted;
- the account is deleted with everything that belongs to it (sessions, tokens, wallet);
- other tables that name the address have it cleared (or replaced by an opaque marker where a
  value is required).

The audit log records the erasure under a random erasure id with counts only. Earlier audit
events are not edited (the log is hash-chained, and is kept as the accountability record).
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from microcred.crypto.jcs import canonicalize
from microcred.services.audit import record_event
from microcred.services.backup import column_kind, encode_value, typed_tables
from microcred.store.database import Database

# Columns that hold someone's e-mail address, in any table.
EMAIL_COLUMNS = ("email", "learner_email", "learner", "created_by")
# Columns never exported: secrets we keep for the person, not information about them.
SECRET_COLUMNS = {
    "password_hash",
    "token_hash",
    "id_hash",
    "code_hash",
    "tx_code_hash",
    "sealed_private_key",
}
AWARD_FIELDS_CLEARED = (
    "learner_name",
    "learner_email",
    "learner_institutional_id",
    "learner_did",
    "learner_date_of_birth",
    "learner_language",
)
# Tables whose rows are deleted (not pseudonymised) when they name the person.
DELETED_TABLES = ("credential_claims", "wallet_access_tokens", "wallet_credentials")


class PersonalDataError(ValueError):
    """A request about personal data that cannot be done as given; the message says why."""


@dataclass(frozen=True)
class Erasure:
    """What an erasure changed; ``erasure_id`` is the audit log's name for it."""

    erasure_id: str
    awards: int
    credentials: int
    account_deleted: bool
    rows_changed: int


def normalised_email(email: str) -> str:
    address = email.strip().lower()
    if "@" not in address or len(address) > 320 or any(c.isspace() for c in address):
        raise PersonalDataError(f"{email!r} is not an e-mail address; give the learner's address")
    return address


class PersonalData:
    """Export and erase what this instance holds about one person, found by e-mail address."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def export(self, email: str) -> dict[str, Any]:
        """Return every row that names ``email`` (secrets left out), table by table, as JSON."""
        address = normalised_email(email)
        schema = self._schema()
        tables: dict[str, list[dict[str, Any]]] = {}
        with self.db.engine.connect() as connection:
            found = _Found.of(connection, schema, address)
            for table in schema.values():
                condition = found.condition(table)
                if condition is None:
                    continue
                rows = connection.execute(sa.select(table).where(condition)).mappings().all()
                if rows:
                    tables[table.name] = [_exported(table, row) for row in rows]
        return {
            "subject": address,
            "exported_at": _now(),
            "note": (
                "Everything this microcred instance holds about this e-mail address. "
                "'issued_credentials' holds the signed credentials as issued."
            ),
            "tables": tables,
        }

    def erase(self, email: str, *, actor: str, reason: str) -> Erasure:
        """Erase the person behind ``email`` as the module describes; return what changed."""
        address = normalised_email(email)
        schema = self._schema()
        erasure_id = f"erasure:{uuid.uuid4()}"
        with self.db.transaction() as session:
            connection = session.connection()
            found = _Found.of(connection, schema, address)
            changed = _erase(connection, schema, found)
            record_event(
                session,
                actor=actor,
                action="learner.erased",
                target=erasure_id,
                reason=reason,
                details={
                    "awards": len(found.award_ids),
                    "credentials": len(found.credential_ids),
                    "account_deleted": found.user_id is not None,
                    "rows_changed": changed,
                },
            )
        return Erasure(
            erasure_id,
            len(found.award_ids),
            len(found.credential_ids),
            found.user_id is not None,
            changed,
        )

    def _schema(self) -> dict[str, sa.Table]:
        return {table.name: table for table in typed_tables(self.db.engine)}


@dataclass(frozen=True)
class _Found:
    """The person's keys in the database: account id, awards, credentials, wallet offers."""

    email: str
    user_id: int | None
    award_ids: list[str]
    credential_ids: list[str]
    offer_ids: list[str]

    @classmethod
    def of(cls, connection: sa.Connection, schema: dict[str, sa.Table], email: str) -> _Found:
        users, awards = schema["users"], schema["awards"]
        user_id = connection.execute(
            sa.select(users.c.id).where(sa.func.lower(users.c.email) == email)
        ).scalar()
        rows = connection.execute(
            sa.select(awards.c.id, awards.c.credential_id).where(
                sa.func.lower(awards.c.learner_email) == email
            )
        ).all()
        award_ids = [str(row.id) for row in rows]
        offer_ids: list[str] = []
        if "credential_offers" in schema and award_ids:
            offers = schema["credential_offers"]
            offer_ids = [
                str(i)
                for i in connection.execute(
                    sa.select(offers.c.id).where(offers.c.award_id.in_(award_ids))
                ).scalars()
            ]
        return cls(email, user_id, award_ids, [row.credential_id for row in rows], offer_ids)

    def condition(self, table: sa.Table) -> sa.ColumnElement[bool] | None:
        """Return the rows of ``table`` that are about this person (None: none can be)."""
        columns = table.c
        conditions: list[sa.ColumnElement[bool]] = []
        for name in EMAIL_COLUMNS:
            if name in columns and isinstance(columns[name].type, sa.String):
                conditions.append(sa.func.lower(columns[name]) == self.email)
        if self.user_id is not None and "user_id" in columns and table.name != "users":
            conditions.append(columns.user_id == self.user_id)
        links = {
            "award_id": self.award_ids,
            "credential_id": self.credential_ids,
            "offer_id": self.offer_ids,
        }
        for name, ids in links.items():
            if name in columns and ids:
                conditions.append(columns[name].in_(ids))
        if table.name == "issued_credentials" and self.credential_ids:
            conditions.append(columns.id.in_(self.credential_ids))
        if table.name in ("awards", "credential_offers"):
            ids = self.award_ids if table.name == "awards" else self.offer_ids
            if ids:
                conditions.append(columns.id.in_(ids))
        if table.name == "audit_events" or not conditions:
            return None
        return sa.or_(*conditions)


def _erase(connection: sa.Connection, schema: dict[str, sa.Table], found: _Found) -> int:
    tables = schema
    changed = 0
    for name in DELETED_TABLES:
        if name in tables:
            condition = found.condition(tables[name])
            if condition is not None:
                changed += connection.execute(sa.delete(tables[name]).where(condition)).rowcount
    if found.offer_ids:
        offers = tables["credential_offers"]
        changed += connection.execute(
            sa.delete(offers).where(offers.c.id.in_(found.offer_ids))
        ).rowcount
    changed += _pseudonymise_awards(connection, tables["awards"], found.award_ids)
    changed += _replace_signed_copies(connection, tables["issued_credentials"], found)
    changed += _hide_public_pages(connection, tables, found.credential_ids)
    for table in schema.values():
        if table.name not in ("users", "awards", "audit_events", *DELETED_TABLES):
            changed += _clear_addresses(connection, table, found.email)
    if found.user_id is not None:
        users = tables["users"]
        # Memberships, sessions, tokens, identities and the wallet go with it (ON DELETE CASCADE).
        changed += connection.execute(sa.delete(users).where(users.c.id == found.user_id)).rowcount
    return changed


def _pseudonymise_awards(connection: sa.Connection, awards: sa.Table, ids: list[str]) -> int:
    for award_id in ids:
        cleared: dict[str, Any] = {name: None for name in AWARD_FIELDS_CLEARED}
        cleared["idempotency_key"] = hashlib.sha256(f"erased {award_id}".encode()).hexdigest()
        connection.execute(sa.update(awards).where(awards.c.id == award_id).values(cleared))
    return len(ids)


def _replace_signed_copies(connection: sa.Connection, credentials: sa.Table, found: _Found) -> int:
    rows = connection.execute(
        sa.select(credentials.c.id, credentials.c.document).where(
            credentials.c.id.in_(found.credential_ids)
        )
    ).all()
    for row in rows:
        document = row.document
        data = document.encode("utf-8") if isinstance(document, str) else canonicalize(document)
        tombstone = {
            "erased": True,
            "erasedAt": _now(),
            "sha256": hashlib.sha256(data).hexdigest(),
            "note": "personal data erased; the learner holds the signed credential",
        }
        connection.execute(
            sa.update(credentials).where(credentials.c.id == row.id).values(document=tombstone)
        )
    return len(rows)


def _hide_public_pages(connection: sa.Connection, tables: Any, credential_ids: list[str]) -> int:
    if "public_credential_pages" not in tables or not credential_ids:
        return 0
    pages = tables["public_credential_pages"]
    connection.execute(sa.delete(pages).where(pages.c.credential_id.in_(credential_ids)))
    now = datetime.now(UTC)
    connection.execute(
        sa.insert(pages),
        [{"credential_id": i, "visible": False, "changed_at": now} for i in credential_ids],
    )
    return len(credential_ids)


def _clear_addresses(connection: sa.Connection, table: sa.Table, email: str) -> int:
    changed = 0
    for name in EMAIL_COLUMNS:
        column = table.c.get(name)
        if column is None or not isinstance(column.type, sa.String):
            continue
        rows = connection.execute(
            sa.select(*table.primary_key.columns).where(sa.func.lower(column) == email)
        ).all()
        for row in rows:
            # An opaque marker where a value is required (and may have to be unique).
            value = None if column.nullable else f"erased:{uuid.uuid4().hex}"
            match = sa.and_(*(c == row._mapping[c.name] for c in table.primary_key.columns))
            connection.execute(sa.update(table).where(match).values({name: value}))
            changed += 1
    return changed


def _exported(table: sa.Table, row: sa.RowMapping) -> dict[str, Any]:
    return {
        column.name: encode_value(column_kind(column.type), row[column.name])
        for column in table.columns
        if column.name not in SECRET_COLUMNS and column_kind(column.type) != "bytes"
    }


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
