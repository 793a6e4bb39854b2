"""Credential status: give issued credentials their status entries; revoke, suspend, reinstate;
publish the signed status lists.

- Issuing calls ``allocate_entries`` and ``record_issued`` inside its own transaction, so a
  credential and its status-list entries are stored together or not at all. A bulk chunk
  calls ``allocate_entries_many`` and ``record_issued_many`` (a few statements per chunk), or
  draws its entries ahead (``draw_entries_many``, in memory) and claims them in its
  transaction (``claim_drawn_many``).
- ``revoke`` is final; ``suspend`` can be lifted by ``reinstate``; ``revoke_many`` revokes a
  batch. Each takes a reason and who did it, writes one audit event per credential, and
  re-signs the affected lists in the same transaction. Bad input raises a ``StatusError``
  naming what to fix and changes nothing.
- ``published_list`` returns a signed list credential for the public URL (signing a new list on
  its first fetch); ``fetcher`` reads our own lists from the database and others' over HTTPS.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast
from urllib.parse import urlsplit

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Session

from microcred.config import Settings
from microcred.observability.metrics import CREDENTIALS_REVOKED
from microcred.services.audit import record_event
from microcred.services.issuer_keys import IssuerKeys
from microcred.services.status_allocation import (
    DrawnIndex,
    IndexDraws,
    allocate_indices,
    claim_drawn,
)
from microcred.services.status_publishing import (
    ListSigner,
    is_stale,
    list_url,
    resign,
    signer_for,
)
from microcred.status.bitstring import MIN_ENTRIES
from microcred.status.entry import PURPOSES, REVOCATION, SUSPENSION, StatusEntry
from microcred.status.fetching import StatusListUnavailable
from microcred.store import institutions
from microcred.store.base import utc_now
from microcred.store.catalogue_tables import InstitutionRow
from microcred.store.database import Database
from microcred.store.status_tables import (
    IssuedCredentialRow,
    StatusAllocationRow,
    StatusListRow,
)

FetchList = Callable[[str], dict[str, Any]]


class StatusError(ValueError):
    """A status change or lookup that cannot be done as asked; the message says why."""


class CredentialNotFound(StatusError, LookupError):
    """No credential issued here has that id."""


class StatusChangeRefused(StatusError):
    """The change does not apply to the credential as it stands (e.g. reinstating a revocation)."""


class StatusListNotFound(StatusError, LookupError):
    """No status list is published at that address."""


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


@dataclass(frozen=True)
class DrawnEntries:
    """Status entries drawn for credentials and not yet claimed (see `claim_drawn_many`)."""

    entries: dict[str, list[dict[str, Any]]]  # each credential's ``credentialStatus``
    places: dict[str, dict[str, DrawnIndex]]  # by purpose, by credential


@dataclass(frozen=True)
class PublishedList:
    document: dict[str, Any]
    etag: str


MAX_KEPT_LISTS = 1024


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
        # list_size below 131,072 is for tests that fill lists; verifiers reject such lists.
        self.db = db
        self.keys = keys
        self.settings = settings
        self.list_size = list_size
        self._rng = rng
        # The signed lists last read, by (institution, purpose, number); see `published_list`.
        self._published: dict[tuple[str, str, int], PublishedList] = {}

    # --- issuing ---

    def allocate_entries(
        self,
        session: Session,
        institution: str,
        credential_id: str,
        purposes: tuple[str, ...] = PURPOSES,
    ) -> list[dict[str, Any]]:
        """Claim an entry of each purpose (a revocation and a suspension entry unless told);
        return them for ``credentialStatus``."""
        return self.allocate_entries_many(session, institution, [credential_id], purposes)[
            credential_id
        ]

    def allocate_entries_many(
        self,
        session: Session,
        institution: str,
        credential_ids: list[str],
        purposes: tuple[str, ...] = PURPOSES,
    ) -> dict[str, list[dict[str, Any]]]:
        """Claim an entry of each purpose for each credential, in a few statements; return
        each credential's ``credentialStatus``."""
        unknown = sorted(set(purposes) - set(PURPOSES))
        if unknown:
            raise StatusError(
                f"status purpose {', '.join(unknown)} is not supported here; "
                f"supported: {', '.join(PURPOSES)}"
            )
        institution_id = _institution_id(session, institution)
        entries: dict[str, list[dict[str, Any]]] = {cid: [] for cid in credential_ids}
        for purpose in purposes:
            placed = allocate_indices(
                session,
                institution_id=institution_id,
                purpose=purpose,
                credential_ids=credential_ids,
                list_size=self.list_size,
                rng=self._rng,
            )
            for credential_id, (status_list, index) in zip(credential_ids, placed, strict=True):
                entries[credential_id].append(
                    self._entry(institution, purpose, status_list.list_no, index)
                )
        return entries

    def index_draws(self, session: Session, institution: str) -> dict[str, IndexDraws]:
        """Return, by purpose, the in-memory draws of an institution's status indices that a
        bulk job keeps from chunk to chunk."""
        institution_id = _institution_id(session, institution)
        return {
            purpose: IndexDraws(institution_id, purpose, self.list_size, self._rng)
            for purpose in PURPOSES
        }

    def draw_entries_many(
        self,
        session: Session,
        institution: str,
        draws: dict[str, IndexDraws],
        credential_ids: list[str],
    ) -> DrawnEntries:
        """Draw a revocation and a suspension entry for each credential without claiming
        them (the lists' used indices are read once per list); claim with `claim_drawn_many`."""
        entries: dict[str, list[dict[str, Any]]] = {cid: [] for cid in credential_ids}
        places: dict[str, dict[str, DrawnIndex]] = {}
        for purpose in PURPOSES:
            drawn = draws[purpose].draw(session, len(credential_ids))
            places[purpose] = dict(zip(credential_ids, drawn, strict=True))
            for credential_id, place in places[purpose].items():
                entries[credential_id].append(
                    self._entry(institution, purpose, place.list_no, place.index)
                )
        return DrawnEntries(entries, places)

    def claim_drawn_many(
        self, session: Session, drawn: DrawnEntries, credential_ids: list[str]
    ) -> set[str]:
        """Claim the drawn entries of ``credential_ids``; return those of which another
        process took an index meanwhile: they are left holding no entry."""
        lost: set[str] = set()
        for purpose, places in drawn.places.items():
            lost |= claim_drawn(session, purpose, {cid: places[cid] for cid in credential_ids})
        self.forget_entries(session, sorted(lost))
        return lost

    def _entry(self, institution: str, purpose: str, list_no: int, index: int) -> dict[str, Any]:
        return StatusEntry(self.list_url(institution, purpose, list_no), purpose, index).to_json()

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

    def forget_entries(self, session: Session, credential_ids: list[str]) -> None:
        """Free the entries claimed for credentials that will not be issued after all."""
        if credential_ids:
            session.execute(
                sa.delete(StatusAllocationRow).where(
                    StatusAllocationRow.credential_id.in_(credential_ids)
                )
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
                institution_id=_institution_id(session, institution),
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

    # --- publishing ---

    def published_list(self, institution: str, purpose: str, list_no: int) -> PublishedList:
        """Return the signed list credential; raises ``StatusListNotFound``.

        Every call asks the database which version of the list is signed (a change shows at
        once), but the signed document is read again only when that changed: each status
        check reads two lists. The document returned may be shared: callers must not change it.
        """
        key = (institution, purpose, list_no)
        with self.db.transaction(write=False) as session:
            current = session.execute(
                _list_statement(
                    institution,
                    purpose,
                    list_no,
                    StatusListRow.version,
                    StatusListRow.signed_version,
                    StatusListRow.etag,
                )
            ).first()
            if current is None:
                raise _no_such_list(institution, purpose, list_no)
            version, signed_version, etag = current
            kept = self._published.get(key)
            if kept is not None and signed_version == version and kept.etag == etag:
                return kept
            row = _list_row(session, institution, purpose, list_no)
            if not is_stale(row) and row.signed_document is not None and row.etag:
                return self._keep(key, PublishedList(row.signed_document, row.etag))
        signer = signer_for(self.keys, institution)
        with self.db.transaction() as session:
            row = _list_row(session, institution, purpose, list_no, lock=True)
            if is_stale(row):
                resign(session, row, self.list_url(institution, purpose, list_no), signer)
            assert row.signed_document is not None and row.etag is not None
            return self._keep(key, PublishedList(row.signed_document, row.etag))

    def _keep(self, key: tuple[str, str, int], published: PublishedList) -> PublishedList:
        if len(self._published) >= MAX_KEPT_LISTS and key not in self._published:
            self._published.clear()
        self._published[key] = published
        return published

    def fetcher(self, fallback: FetchList) -> FetchList:
        """Return a ``fetch`` for the status check: our own lists from the database, others'
        through ``fallback`` (normally a ``StatusListFetcher``)."""
        prefix = self.settings.base_url.rstrip("/") + "/status/"

        def fetch(url: str) -> dict[str, Any]:
            if not url.startswith(prefix):
                return fallback(url)
            parts = urlsplit(url).path.rsplit("/", 3)[-3:]
            if len(parts) != 3 or not parts[2].isdigit():
                raise StatusListUnavailable(f"{url} is not a status list address of this instance")
            try:
                return self.published_list(parts[0], parts[1], int(parts[2])).document
            except StatusListNotFound as error:
                raise StatusListUnavailable(str(error)) from error

        return fetch

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


def _institution_id(session: Session, slug: str) -> int:
    row = institutions.institution_by_slug(session, slug)
    if row is None:
        raise StatusError(f"no institution has the slug '{slug}'")
    return row.id


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


def _list_statement(institution: str, purpose: str, list_no: int, *columns: Any) -> sa.Select[Any]:
    return (
        sa.select(*columns)
        .join(InstitutionRow, InstitutionRow.id == StatusListRow.institution_id)
        .where(
            InstitutionRow.slug == institution,
            StatusListRow.purpose == purpose,
            StatusListRow.list_no == list_no,
        )
    )


def _list_row(
    session: Session, institution: str, purpose: str, list_no: int, lock: bool = False
) -> StatusListRow:
    statement = _list_statement(institution, purpose, list_no, StatusListRow)
    row = session.scalars(
        statement.with_for_update(of=StatusListRow) if lock else statement
    ).first()
    if row is None:
        raise _no_such_list(institution, purpose, list_no)
    return row


def _no_such_list(institution: str, purpose: str, list_no: int) -> StatusListNotFound:
    return StatusListNotFound(
        f"there is no {purpose} status list number {list_no} of institution '{institution}'"
    )
