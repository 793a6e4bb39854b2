"""Credential status: record issued credentials; revoke, suspend, reinstate; publish the signed
status lists.

- Issuing takes its entries from ``entries`` (a ``StatusEntries``: the one place that
  allocates) and calls ``record_issued`` (``record_issued_many`` for a bulk chunk) inside its
  own transaction, so a credential and its status-list entries are stored together or not at
  all.
- ``revoke`` is final; ``suspend`` can be lifted by ``reinstate``; ``revoke_many`` revokes a
  batch. Each takes a reason and who did it, writes one audit event per credential, and
  re-signs the affected lists in the same transaction. Bad input raises a ``StatusError``
  naming what to fix and changes nothing.
- ``published`` (a ``PublishedLists``) gives the signed list credential for the public URL
  (signing a new list on its first fetch), and a ``fetcher`` that reads our own lists from the
  database and others' over HTTPS.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Session

from microcred.config import Settings
from microcred.observability.metrics import CREDENTIALS_REVOKED
from microcred.services.audit import record_event
from microcred.services.issuer_keys import IssuerKeys
from microcred.services.published_lists import PublishedLists
from microcred.services.status_entries import StatusEntries, institution_id_of
from microcred.services.status_errors import (
    CredentialNotFound,
    StatusChangeRefused,
    StatusError,
    StatusListNotFound,
)
from microcred.services.status_publishing import (
    ListSigner,
    list_url,
    resign,
    signer_for,
)
from microcred.status.bitstring import MIN_ENTRIES
from microcred.status.entry import REVOCATION, SUSPENSION, StatusEntry
from microcred.store.base import utc_now
from microcred.store.catalogue_tables import InstitutionRow
from microcred.store.database import Database
from microcred.store.status_tables import (
    IssuedCredentialRow,
    StatusAllocationRow,
    StatusListRow,
)

# The errors of a status change are the service's own: callers catch them from here.
__all__ = [
    "BulkRevocation",
    "CredentialNotFound",
    "CredentialStatus",
    "StatusChangeRefused",
    "StatusError",
    "StatusListNotFound",
    "StatusLists",
]


@dataclass(frozen=True)
class CredentialStatus:
    """Where an issued credential stands, and its status-list entries."""

    credential_id: str
    institution: str
    issued_at: datetime
    revoked_at: datetime | None
    suspended: bool
    entries: tuple[StatusEntry, ...]

    @property
    def state(self) -> str:
        """Return "revoked", "suspended" or "valid"."""
        if self.revoked_at is not None:
            return "revoked"
        return "suspended" if self.suspended else "valid"


@dataclass(frozen=True)
class BulkRevocation:
    """What a bulk revocation did: the credentials it revoked and those revoked before."""

    revoked: list[str]
    already_revoked: list[str]


class StatusLists:
    """The status of every credential this instance issued, and the lists that publish it."""

    def __init__(
        self,
        db: Database,
        keys: IssuerKeys,
        settings: Settings,
        *,
        list_size: int = MIN_ENTRIES,
        rng: random.Random | None = None,
    ) -> None:
        self.db = db
        self.keys = keys
        self.settings = settings
        # list_size below 131,072 is for tests that fill lists; verifiers reject such lists.
        self.entries = StatusEntries(db, settings.base_url, list_size=list_size, rng=rng)
        self.published = PublishedLists(db, keys, settings.base_url)

    # --- recording what was issued ---

    def record_issued_many(
        self,
        session: Session,
        *,
        institution_id: int,
        json_documents: dict[str, str],
        format: str,
        specification_id: str | None = None,
        specification_version: int | None = None,
    ) -> None:
        """Store signed credentials given as JSON text (by id) with one multi-row INSERT, as
        `record_issued` stores one."""
        if not json_documents:
            return
        now = utc_now()
        table = cast(sa.Table, IssuedCredentialRow.__table__)
        text = sa.bindparam("document", type_=sa.Text)
        is_postgresql = session.get_bind().dialect.name == "postgresql"
        # The text is stored as it is: SQLite keeps JSON as text; PostgreSQL parses it.
        statement = sa.insert(table).values(
            document=sa.cast(text, JSONB) if is_postgresql else text
        )
        session.connection().execute(
            statement,
            [
                {
                    "id": credential_id,
                    "institution_id": institution_id,
                    "specification_id": specification_id,
                    "specification_version": specification_version,
                    "format": format,
                    "issued_at": now,
                    "suspended": False,
                    "document": document,
                }
                for credential_id, document in json_documents.items()
            ],
        )

    def record_issued(
        self,
        session: Session,
        *,
        credential_id: str,
        institution: str,
        document: dict[str, Any] | str,
        format: str,
        specification_id: str | None = None,
        specification_version: int | None = None,
    ) -> None:
        """Store a signed credential so that it can be found, revoked and suspended by id."""
        session.add(
            IssuedCredentialRow(
                id=credential_id,
                institution_id=institution_id_of(session, institution),
                specification_id=specification_id,
                specification_version=specification_version,
                format=format,
                issued_at=utc_now(),
                suspended=False,
                document=document,
            )
        )
        session.flush()

    # --- reading ---

    def is_recorded(self, session: Session, credential_id: str) -> bool:
        """True when a credential with this id was issued here."""
        statement = sa.select(IssuedCredentialRow.id).where(IssuedCredentialRow.id == credential_id)
        return session.scalar(statement) is not None

    def status_of(self, credential_id: str) -> CredentialStatus:
        """Return where a credential stands; raises ``CredentialNotFound``."""
        with self.db.transaction(write=False) as session:
            row = _credential(session, credential_id)
            return self._status(session, row)

    def list_url(self, institution: str, purpose: str, list_no: int) -> str:
        return list_url(self.settings.base_url, institution, purpose, list_no)

    # --- changing ---

    def revoke(self, credential_id: str, *, reason: str, actor: str) -> CredentialStatus:
        """Revoke a credential for good; raises ``StatusChangeRefused`` if it already is."""
        return self._change_one(credential_id, "revoke", reason, actor)

    def suspend(self, credential_id: str, *, reason: str, actor: str) -> CredentialStatus:
        """Suspend a credential until it is reinstated."""
        return self._change_one(credential_id, "suspend", reason, actor)

    def reinstate(self, credential_id: str, *, reason: str, actor: str) -> CredentialStatus:
        """Lift a suspension; a revoked credential can never be reinstated."""
        return self._change_one(credential_id, "reinstate", reason, actor)

    def revoke_many(
        self, credential_ids: Iterable[str], *, reason: str, actor: str
    ) -> BulkRevocation:
        """Revoke every listed credential in one transaction; those revoked before are skipped.

        An unknown id refuses the whole batch (``CredentialNotFound`` names each one).
        """
        ids = sorted({i.strip() for i in credential_ids if i.strip()})
        if not ids:
            raise StatusError("no credential ids given: list one id per line")
        done = self._change(ids, "revoke", reason, actor, skip_unchanged=True)
        return BulkRevocation(
            revoked=[i for i in ids if i in done], already_revoked=[i for i in ids if i not in done]
        )

    def _change_one(
        self, credential_id: str, action: str, reason: str, actor: str
    ) -> CredentialStatus:
        self._change([credential_id.strip()], action, reason, actor, skip_unchanged=False)
        return self.status_of(credential_id.strip())

    def _change(
        self, ids: list[str], action: str, reason: str, actor: str, *, skip_unchanged: bool
    ) -> set[str]:
        _check_who_and_why(reason, actor)
        signers = self._signers_for(ids)
        changed: set[str] = set()
        lists: dict[int, StatusListRow] = {}
        with self.db.transaction() as session:
            for credential_id in ids:
                row = _credential(session, credential_id, lock=True)
                refusal = _refusal(row, action)
                if refusal and skip_unchanged:
                    continue
                if refusal:
                    raise StatusChangeRefused(refusal)
                status_list = _apply(session, row, action)
                lists[status_list.id] = status_list
                record_event(
                    session,
                    actor=actor,
                    action=f"credential.{action}",
                    target=credential_id,
                    reason=reason,
                    details={"list": status_list.id},
                )
                changed.add(credential_id)
            for list_id in sorted(lists):
                self._bump_and_resign(session, lists[list_id], signers)
        if action == "revoke":
            CREDENTIALS_REVOKED.inc(len(changed))
        return changed

    def _signers_for(self, ids: list[str]) -> dict[int, ListSigner]:
        """Look the credentials up and prepare their institutions' signers before writing."""
        with self.db.transaction(write=False) as session:
            rows = session.execute(
                sa.select(IssuedCredentialRow.id, InstitutionRow.id, InstitutionRow.slug)
                .join(InstitutionRow, InstitutionRow.id == IssuedCredentialRow.institution_id)
                .where(IssuedCredentialRow.id.in_(ids))
            ).all()
        missing = sorted(set(ids) - {r[0] for r in rows})
        if missing:
            raise CredentialNotFound(
                f"no credential issued here has the id {', '.join(missing)}; nothing was changed"
            )
        return {iid: signer_for(self.keys, slug) for iid, slug in {(r[1], r[2]) for r in rows}}

    def _bump_and_resign(
        self, session: Session, status_list: StatusListRow, signers: dict[int, ListSigner]
    ) -> None:
        # The UPDATE locks the list row: concurrent changes to one list re-sign one at a time,
        # each seeing the bits the other committed.
        session.execute(
            sa.update(StatusListRow)
            .where(StatusListRow.id == status_list.id)
            .values(version=StatusListRow.version + 1)
        )
        session.refresh(status_list)
        slug = _slug(session, status_list.institution_id)
        url = self.list_url(slug, status_list.purpose, status_list.list_no)
        resign(session, status_list, url, signers[status_list.institution_id])

    def _status(self, session: Session, row: IssuedCredentialRow) -> CredentialStatus:
        slug = _slug(session, row.institution_id)
        allocations = session.execute(
            sa.select(StatusAllocationRow.purpose, StatusAllocationRow.idx, StatusListRow.list_no)
            .join(StatusListRow, StatusListRow.id == StatusAllocationRow.list_id)
            .where(StatusAllocationRow.credential_id == row.id)
            .order_by(StatusAllocationRow.purpose)
        ).all()
        entries = tuple(
            StatusEntry(self.list_url(slug, purpose, list_no), purpose, index)
            for purpose, index, list_no in allocations
        )
        return CredentialStatus(
            credential_id=row.id,
            institution=slug,
            issued_at=row.issued_at,
            revoked_at=row.revoked_at,
            suspended=row.suspended,
            entries=entries,
        )


def _check_who_and_why(reason: str, actor: str) -> None:
    if not reason or not reason.strip():
        raise StatusError("give a reason (--reason): it is recorded in the audit log")
    if not actor or not actor.strip():
        raise StatusError("say who is doing this (--by): it is recorded in the audit log")


def _refusal(row: IssuedCredentialRow, action: str) -> str | None:
    """Say why ``action`` does not apply to the credential as it stands, if it does not."""
    revoked = row.revoked_at
    if revoked is not None:
        when = revoked.strftime("%Y-%m-%dT%H:%M:%SZ")
        if action == "revoke":
            return f"{row.id} was already revoked on {when}"
        return f"{row.id} was revoked on {when}; a revocation is final and cannot be undone"
    if action == "suspend" and row.suspended:
        return f"{row.id} is already suspended"
    if action == "reinstate" and not row.suspended:
        return f"{row.id} is not suspended; only a suspension can be lifted"
    return None


def _apply(session: Session, row: IssuedCredentialRow, action: str) -> StatusListRow:
    """Set the credential's bit for ``action`` and its columns; return the list it is in."""
    purpose = REVOCATION if action == "revoke" else SUSPENSION
    allocation = session.scalars(
        sa.select(StatusAllocationRow).where(
            StatusAllocationRow.credential_id == row.id, StatusAllocationRow.purpose == purpose
        )
    ).first()
    if allocation is None:
        raise StatusChangeRefused(
            f"{row.id} has no {purpose} entry in a status list, so it cannot be {action}d"
        )
    allocation.is_set = action != "reinstate"
    if action == "revoke":
        row.revoked_at = utc_now()
    else:
        row.suspended = action == "suspend"
    session.flush()
    status_list = session.get(StatusListRow, allocation.list_id)
    assert status_list is not None
    return status_list


def _slug(session: Session, institution_id: int) -> str:
    return str(
        session.scalar(sa.select(InstitutionRow.slug).where(InstitutionRow.id == institution_id))
    )


def _credential(session: Session, credential_id: str, lock: bool = False) -> IssuedCredentialRow:
    statement = sa.select(IssuedCredentialRow).where(IssuedCredentialRow.id == credential_id)
    row = session.scalars(statement.with_for_update() if lock else statement).first()
    if row is None:
        raise CredentialNotFound(f"no credential issued here has the id {credential_id!r}")
    return row
