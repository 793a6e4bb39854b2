"""Giving credentials their status entries: the one place that allocates status-list indices.

``allocate`` claims an entry of each purpose for each credential, inside the caller's
transaction, so a credential and its entries are stored together or not at all (one credential
is a list of one). A bulk job that signs a chunk while the one before is stored draws its
entries ahead instead: ``drawing_ahead`` gives the job's ``DrawsAhead``, which draws in memory
and later claims what it drew (an index another process took meanwhile is reported, never
shared). ``forget`` frees the entries of credentials that will not be issued after all.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from microcred.services.status_allocation import (
    DrawnIndex,
    IndexDraws,
    allocate_indices,
    claim_drawn,
)
from microcred.services.status_errors import StatusError
from microcred.services.status_publishing import list_url
from microcred.status.bitstring import MIN_ENTRIES
from microcred.status.entry import PURPOSES, StatusEntry
from microcred.store import institutions
from microcred.store.database import Database
from microcred.store.status_tables import StatusAllocationRow

Entries = dict[str, list[dict[str, Any]]]  # each credential's ``credentialStatus``, by id


@dataclass(frozen=True)
class DrawnEntries:
    """Status entries drawn for credentials and not yet claimed (see `DrawsAhead.claim`)."""

    entries: Entries
    places: dict[str, dict[str, DrawnIndex]]  # by purpose, by credential


class StatusEntries:
    """The status entries of an instance's credentials: in lists under ``base_url``."""

    def __init__(
        self,
        db: Database,
        base_url: str,
        *,
        list_size: int = MIN_ENTRIES,
        rng: random.Random | None = None,
    ) -> None:
        # list_size below 131,072 is for tests that fill lists; verifiers reject such lists.
        self.db = db
        self.base_url = base_url
        self.list_size = list_size
        self._rng = rng

    def allocate(
        self,
        session: Session,
        institution: str,
        credential_ids: list[str],
        purposes: tuple[str, ...] = PURPOSES,
    ) -> Entries:
        """Claim an entry of each purpose (a revocation and a suspension entry unless told) for
        each credential, in a few statements; return each credential's ``credentialStatus``."""
        unknown = sorted(set(purposes) - set(PURPOSES))
        if unknown:
            raise StatusError(
                f"status purpose {', '.join(unknown)} is not supported here; "
                f"supported: {', '.join(PURPOSES)}"
            )
        institution_id = institution_id_of(session, institution)
        entries: Entries = {cid: [] for cid in credential_ids}
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
                    self.entry(institution, purpose, status_list.list_no, index)
                )
        return entries

    def drawing_ahead(self, session: Session, institution: str) -> DrawsAhead:
        """Return the draws a bulk job keeps from chunk to chunk for ``institution``."""
        institution_id = institution_id_of(session, institution)
        draws = {
            purpose: IndexDraws(institution_id, purpose, self.list_size, self._rng)
            for purpose in PURPOSES
        }
        return DrawsAhead(self, institution, draws)

    def forget(self, session: Session, credential_ids: list[str]) -> None:
        """Free the entries claimed for credentials that will not be issued after all."""
        if credential_ids:
            session.execute(
                sa.delete(StatusAllocationRow).where(
                    StatusAllocationRow.credential_id.in_(credential_ids)
                )
            )

    def entry(self, institution: str, purpose: str, list_no: int, index: int) -> dict[str, Any]:
        """Return the ``credentialStatus`` entry of ``index`` in a list of ``institution``."""
        url = list_url(self.base_url, institution, purpose, list_no)
        return StatusEntry(url, purpose, index).to_json()


class DrawsAhead:
    """A bulk job's in-memory draws of an institution's status indices, one per purpose."""

    def __init__(
        self, entries: StatusEntries, institution: str, draws: dict[str, IndexDraws]
    ) -> None:
        self._entries = entries
        self.institution = institution
        self._draws = draws

    def draw(self, session: Session, credential_ids: list[str]) -> DrawnEntries:
        """Draw a revocation and a suspension entry for each credential without claiming
        them (the lists' used indices are read once per list); claim them with `claim`."""
        entries: Entries = {cid: [] for cid in credential_ids}
        places: dict[str, dict[str, DrawnIndex]] = {}
        for purpose, draws in self._draws.items():
            drawn = draws.draw(session, len(credential_ids))
            places[purpose] = dict(zip(credential_ids, drawn, strict=True))
            for credential_id, place in places[purpose].items():
                entries[credential_id].append(
                    self._entries.entry(self.institution, purpose, place.list_no, place.index)
                )
        return DrawnEntries(entries, places)

    def claim(self, session: Session, drawn: DrawnEntries, credential_ids: list[str]) -> set[str]:
        """Claim the drawn entries of ``credential_ids``; return those of which another
        process took an index meanwhile: they are left holding no entry."""
        lost: set[str] = set()
        for purpose, places in drawn.places.items():
            lost |= claim_drawn(session, purpose, {cid: places[cid] for cid in credential_ids})
        self._entries.forget(session, sorted(lost))
        return lost


def institution_id_of(session: Session, slug: str) -> int:
    """Return the row id of the institution ``slug``; StatusError when there is none."""
    row = institutions.institution_by_slug(session, slug)
    if row is None:
        raise StatusError(f"no institution has the slug '{slug}'")
    return row.id
