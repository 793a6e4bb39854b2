"""Allocating status list indices in the database, safely when many processes issue at once.

A claim is an INSERT of (list, index) that does nothing on conflict: the primary key decides,
so two transactions can never hold the same index, and an index is only used once its
credential commits (a rolled-back issue frees it again). No lock is taken on the list row, so
parallel issuers do not queue behind one another. The open list of an institution and
purpose is the lowest-numbered one not yet full; a new one is added when none is left.
"""

from __future__ import annotations

import random
from typing import cast

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from microcred.status.allocation import free_index, random_indices
from microcred.status.bitstring import MIN_ENTRIES
from microcred.store.status_tables import StatusAllocationRow, StatusListRow
from microcred.store.tables import utc_now


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
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(table)
        .values(**values)
        .on_conflict_do_nothing(index_elements=key)
        .returning(table.c[key[0]])
    )
    # RETURNING gives a row only when the row was inserted (rowcount is not reliable here).
    return session.execute(statement).first() is not None
