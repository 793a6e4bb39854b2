"""Our status lists as the world reads them: signed list credentials, and a status-check fetch.

A list whose signature is missing or stale is signed on its first read (see
``status_publishing``); the signed documents last read are kept in memory, checked against
the database's version on every read, so a change shows at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa
from sqlalchemy.orm import Session

from microcred.services.issuer_keys import IssuerKeys
from microcred.services.status_errors import StatusListNotFound
from microcred.services.status_publishing import is_stale, list_url, resign, signer_for
from microcred.status.fetching import StatusListUnavailable
from microcred.store.catalogue_tables import InstitutionRow
from microcred.store.database import Database
from microcred.store.status_tables import StatusListRow

FetchList = Callable[[str], dict[str, Any]]


@dataclass(frozen=True)
class PublishedList:
    """A signed list credential and its entity tag (for conditional GETs)."""

    document: dict[str, Any]
    etag: str


MAX_KEPT_LISTS = 1024


class PublishedLists:
    """The signed status lists of the institutions of this instance, under ``base_url``."""

    def __init__(self, db: Database, keys: IssuerKeys, base_url: str) -> None:
        self.db = db
        self.keys = keys
        self.base_url = base_url
        # The signed lists last read, by (institution, purpose, number); see `signed_list`.
        self._published: dict[tuple[str, str, int], PublishedList] = {}

    def signed_list(self, institution: str, purpose: str, list_no: int) -> PublishedList:
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
                resign(session, row, list_url(self.base_url, institution, purpose, list_no), signer)
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
        prefix = self.base_url.rstrip("/") + "/status/"

        def fetch(url: str) -> dict[str, Any]:
            if not url.startswith(prefix):
                return fallback(url)
            parts = urlsplit(url).path.rsplit("/", 3)[-3:]
            if len(parts) != 3 or not parts[2].isdigit():
                raise StatusListUnavailable(f"{url} is not a status list address of this instance")
            try:
                return self.signed_list(parts[0], parts[1], int(parts[2])).document
            except StatusListNotFound as error:
                raise StatusListUnavailable(str(error)) from error

        return fetch


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
