"""Allocating status list indices in the database, safely when many processes issue at once.

A claim is an INSERT of (list, index) that does nothing on conflict: the primary key decides,
so two transactions can never hold the same index, and an index is only used once its
credential commits (a rolled-back issue frees it again). No lock is taken on the list row, so
parallel issuers do not queue behind one another. The open list of an institution and
purpose is the lowest-numbered one not yet full; a new one is added when none is left.

`allocate_indices` claims indices for a whole chunk of credentials at once: it draws random
candidates, asks which of them are taken in one query, and claims the free ones with one
multi-row INSERT; the few that another transaction claimed meanwhile are drawn again.

`IndexDraws` draws a bulk job's indices before the transaction that claims them, from what
this process knows to be taken (read once per list), so that a chunk can be signed while the
one before is stored; `claim_drawn` then claims them, and the primary key still decides: an
index another process took meanwhile is reported, never shared.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from microcred.status.allocation import free_index, random_indices
from microcred.status.bitstring import MIN_ENTRIES
from microcred.store.base import utc_now
from microcred.store.status_tables import StatusAllocationRow, StatusListRow

RANDOM_ROUNDS = 4


def allocate_index(
    session: Session,
    *,
    institution_id: int,
    purpose: str,
    credential_id: str,
    list_size: int = MIN_ENTRIES,
    rng: random.Random | None = None,
) -> tuple[StatusListRow, int]:
    """Claim a random free index for ``credential_id`` and return its list and the index."""
    while True:
        status_list = open_list(session, institution_id, purpose, list_size)
        for index in random_indices(status_list.size, rng=rng):
            if _claim(session, status_list.id, index, purpose, credential_id):
                return status_list, index
        # The random draws kept hitting used indices: the list is nearly full.
        taken = session.scalars(
            sa.select(StatusAllocationRow.idx).where(StatusAllocationRow.list_id == status_list.id)
        ).all()
        index_or_none = free_index(status_list.size, set(taken), rng=rng)
        if index_or_none is None:
            session.execute(
                sa.update(StatusListRow).where(StatusListRow.id == status_list.id).values(full=True)
            )
        elif _claim(session, status_list.id, index_or_none, purpose, credential_id):
            return status_list, index_or_none


def allocate_indices(
    session: Session,
    *,
    institution_id: int,
    purpose: str,
    credential_ids: list[str],
    list_size: int = MIN_ENTRIES,
    rng: random.Random | None = None,
) -> list[tuple[StatusListRow, int]]:
    """Claim a random free index for each of ``credential_ids``; return (list, index) in order."""
    placed: dict[str, tuple[StatusListRow, int]] = {}
    waiting = list(dict.fromkeys(credential_ids))
    while waiting:
        status_list = open_list(session, institution_id, purpose, list_size)
        candidates = _free_candidates(session, status_list, len(waiting), rng)
        if not candidates:
            session.execute(
                sa.update(StatusListRow).where(StatusListRow.id == status_list.id).values(full=True)
            )
            continue
        pairs = dict(zip(waiting, candidates, strict=False))
        claimed = _claim_many(session, status_list.id, purpose, pairs)
        for credential_id, index in pairs.items():
            if index in claimed:
                placed[credential_id] = (status_list, index)
        # Those whose index another transaction claimed meanwhile are drawn again.
        waiting = [credential_id for credential_id in waiting if credential_id not in placed]
    return [placed[credential_id] for credential_id in credential_ids]


def _free_candidates(
    session: Session, status_list: StatusListRow, wanted: int, rng: random.Random | None
) -> list[int]:
    """Return up to ``wanted`` distinct random indices of the list that no one holds now."""
    draw = rng or secrets.SystemRandom()
    free: dict[int, None] = {}  # in the order drawn
    free_share = 1.0  # of the last draw; more candidates are drawn as the list fills up
    for _ in range(RANDOM_ROUNDS):
        missing = wanted - len(free)
        count = min(status_list.size, int(missing / max(free_share, 0.05) * 1.25) + 16)
        candidates = draw.sample(range(status_list.size), count)
        taken = set(
            session.scalars(
                sa.select(StatusAllocationRow.idx).where(
                    StatusAllocationRow.list_id == status_list.id,
                    StatusAllocationRow.idx.in_(candidates),
                )
            )
        )
        found = [index for index in candidates if index not in taken]
        free_share = len(found) / count
        free.update(dict.fromkeys(found))
        if len(free) >= wanted:
            return list(free)[:wanted]
    # The draws keep hitting used indices: the list is nearly full, so list what is free.
    used = set(
        session.scalars(
            sa.select(StatusAllocationRow.idx).where(StatusAllocationRow.list_id == status_list.id)
        )
    )
    every_free = [index for index in range(status_list.size) if index not in used]
    return draw.sample(every_free, min(wanted, len(every_free)))


@dataclass(frozen=True)
class DrawnIndex:
    """An index drawn for a credential before it is claimed: its list (row id and number)."""

    list_id: int
    list_no: int
    index: int


class IndexDraws:
    """Random indices of an institution's open list for one purpose, drawn in memory.

    The indices used in a list are read once, when the list is first drawn from; after that
    this process remembers what it drew. Another process may claim one of them meanwhile:
    `claim_drawn` says which, and those are allocated again.
    """

    def __init__(
        self,
        institution_id: int,
        purpose: str,
        list_size: int = MIN_ENTRIES,
        rng: random.Random | None = None,
    ) -> None:
        self.institution_id = institution_id
        self.purpose = purpose
        self.list_size = list_size
        self._draw = rng or secrets.SystemRandom()
        self._list: StatusListRow | None = None
        self._used = bytearray()  # one byte per index of the open list: 1 when taken
        self._free = 0

    def draw(self, session: Session, count: int) -> list[DrawnIndex]:
        """Return ``count`` distinct random indices nobody held when they were read."""
        drawn: list[DrawnIndex] = []
        while len(drawn) < count:
            status_list = self._open(session)
            wanted = min(count - len(drawn), self._free)
            drawn += [
                DrawnIndex(status_list.id, status_list.list_no, index)
                for index in self._take(wanted)
            ]
            if self._free == 0:  # the next draw opens the next list
                session.execute(
                    sa.update(StatusListRow)
                    .where(StatusListRow.id == status_list.id)
                    .values(full=True)
                )
                self._list = None
        return drawn

    def note_taken(self, list_id: int, indices: list[int]) -> None:
        """Remember indices of the open list claimed by other means (a re-allocation)."""
        if self._list is not None and self._list.id == list_id:
            for index in indices:
                if not self._used[index]:
                    self._used[index] = 1
                    self._free -= 1

    def _open(self, session: Session) -> StatusListRow:
        if self._list is None:
            self._list = open_list(session, self.institution_id, self.purpose, self.list_size)
            self._used = bytearray(self._list.size)
            for index in session.scalars(
                sa.select(StatusAllocationRow.idx).where(
                    StatusAllocationRow.list_id == self._list.id
                )
            ):
                self._used[index] = 1
            self._free = self._list.size - sum(self._used)
        return self._list

    def _take(self, count: int) -> list[int]:
        """Mark ``count`` random free indices taken and return them (count <= free ones)."""
        size = len(self._used)
        if self._free - count < size // 4:  # nearly full: draw from the free ones listed
            free = [index for index in range(size) if not self._used[index]]
            taken = self._draw.sample(free, count)
        else:  # mostly free: random draws seldom hit a taken index
            chosen: dict[int, None] = {}  # in the order drawn: no pattern follows the rows
            while len(chosen) < count:
                index = self._draw.randrange(size)
                if not self._used[index]:
                    chosen[index] = None
            taken = list(chosen)
        for index in taken:
            self._used[index] = 1
        self._free -= count
        return taken


def claim_drawn(session: Session, purpose: str, drawn: dict[str, DrawnIndex]) -> set[str]:
    """Claim each credential's drawn index; return the credentials whose index was taken
    meanwhile (they hold no entry for ``purpose`` then)."""
    lists: dict[int, dict[str, int]] = {}
    for credential_id, place in drawn.items():
        lists.setdefault(place.list_id, {})[credential_id] = place.index
    lost: set[str] = set()
    for list_id, indices in sorted(lists.items()):
        claimed = _claim_many(session, list_id, purpose, indices)
        lost.update(cid for cid, index in indices.items() if index not in claimed)
    return lost


def _claim_many(session: Session, list_id: int, purpose: str, indices: dict[str, int]) -> set[int]:
    """INSERT one allocation per (credential, index), skipping taken indices; return those
    inserted. Rows go in index order, so two transactions claiming overlapping indices wait
    for each other in the same order."""
    table = cast(sa.Table, StatusAllocationRow.__table__)
    rows = [
        {
            "list_id": list_id,
            "idx": index,
            "purpose": purpose,
            "credential_id": credential_id,
            "is_set": False,
        }
        for credential_id, index in sorted(indices.items(), key=lambda pair: pair[1])
    ]
    insert = _dialect_insert(session)
    statement = (
        insert(table)
        .on_conflict_do_nothing(index_elements=["list_id", "idx"])
        .returning(table.c.idx)
    )
    # executemany with RETURNING: SQLAlchemy sends it as multi-row INSERTs ("insertmanyvalues").
    return set(session.connection().execute(statement, rows).scalars())


def open_list(session: Session, institution_id: int, purpose: str, size: int) -> StatusListRow:
    """Return the institution's lowest-numbered list for ``purpose`` that is not full."""
    while True:
        found = session.scalars(
            sa.select(StatusListRow)
            .where(
                StatusListRow.institution_id == institution_id,
                StatusListRow.purpose == purpose,
                StatusListRow.full.is_(False),
            )
            .order_by(StatusListRow.list_no)
            .limit(1)
        ).first()
        if found is not None:
            return found
        highest = session.scalar(
            sa.select(sa.func.max(StatusListRow.list_no)).where(
                StatusListRow.institution_id == institution_id, StatusListRow.purpose == purpose
            )
        )
        _insert_ignoring_conflict(
            session,
            cast(sa.Table, StatusListRow.__table__),
            ["institution_id", "purpose", "list_no"],
            institution_id=institution_id,
            purpose=purpose,
            list_no=(highest or 0) + 1,
            size=size,
            full=False,
            version=1,
            created_at=utc_now(),
        )


def _claim(session: Session, list_id: int, index: int, purpose: str, credential_id: str) -> bool:
    return _insert_ignoring_conflict(
        session,
        cast(sa.Table, StatusAllocationRow.__table__),
        ["list_id", "idx"],
        list_id=list_id,
        idx=index,
        purpose=purpose,
        credential_id=credential_id,
        is_set=False,
    )


def _insert_ignoring_conflict(
    session: Session, table: sa.Table, key: list[str], **values: object
) -> bool:
    """INSERT a row unless one with the same ``key`` exists; return True when it was inserted."""
    insert = _dialect_insert(session)
    statement = (
        insert(table)
        .values(**values)
        .on_conflict_do_nothing(index_elements=key)
        .returning(table.c[key[0]])
    )
    # RETURNING gives a row only when the row was inserted (rowcount is not reliable here).
    return session.execute(statement).first() is not None


def _dialect_insert(session: Session) -> Callable[[sa.Table], Any]:
    """Return the INSERT of the session's database that knows ON CONFLICT DO NOTHING."""
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
