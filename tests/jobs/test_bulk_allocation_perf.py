"""Batch allocation under concurrency: four processes on PostgreSQL claim status indices a
chunk at a time, filling one list and spilling into the next; no index is shared or lost."""

from __future__ import annotations

import multiprocessing
import time

import pytest
import sqlalchemy as sa

from microcred.services.status_allocation import allocate_indices
from microcred.store.catalogue_tables import InstitutionRow
from microcred.store.database import Database
from microcred.store.status_tables import StatusAllocationRow, StatusListRow

PROCESSES = 4
CHUNKS = 11
CHUNK = 100
LIST_SIZE = 4096  # 4,400 entries: the first list fills up and the rest go to a second one


def _allocate_chunks(url: str, institution_id: int, worker: int) -> None:
    db = Database(url)
    try:
        for chunk in range(CHUNKS):
            ids = [f"urn:test:{worker}:{chunk}:{n}" for n in range(CHUNK)]
            for attempt in range(10):  # as the job runner does: a deadlocked chunk runs again
                try:
                    with db.transaction() as session:
                        placed = allocate_indices(
                            session,
                            institution_id=institution_id,
                            purpose="revocation",
                            credential_ids=ids,
                            list_size=LIST_SIZE,
                        )
                        assert len(placed) == CHUNK
                    break
                except sa.exc.OperationalError:
                    time.sleep(0.1 * (attempt + 1))
            else:
                raise AssertionError(f"chunk {chunk} of worker {worker} never committed")
    finally:
        db.dispose()


@pytest.mark.postgres
@pytest.mark.parametrize("fresh_database_url", ["postgresql"], indirect=True)
def test_four_processes_claiming_chunks_get_distinct_indices_and_lose_none(
    fresh_database_url: str,
) -> None:
    database = Database(fresh_database_url)
    database.upgrade()
    with database.transaction() as session:
        row = InstitutionRow(slug="chunky-uni", name={"en": "Chunky University"})
        session.add(row)
        session.flush()
        institution_id = row.id
    context = multiprocessing.get_context("spawn")
    workers = [
        context.Process(target=_allocate_chunks, args=(fresh_database_url, institution_id, w))
        for w in range(PROCESSES)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=600)
    assert [w.exitcode for w in workers] == [0] * PROCESSES
    with database.transaction(write=False) as session:
        rows = session.execute(
            sa.select(
                StatusListRow.list_no,
                StatusAllocationRow.idx,
                StatusAllocationRow.credential_id,
            ).join(StatusListRow, StatusListRow.id == StatusAllocationRow.list_id)
        ).all()
        lists = session.execute(
            sa.select(StatusListRow.list_no, StatusListRow.full).order_by(StatusListRow.list_no)
        ).all()
    database.dispose()
    total = PROCESSES * CHUNKS * CHUNK
    assert len(rows) == total
    assert len({(r.list_no, r.idx) for r in rows}) == total
    assert len({r.credential_id for r in rows}) == total
    assert [tuple(row) for row in lists] == [(1, True), (2, False)]
    assert sum(1 for r in rows if r.list_no == 1) == LIST_SIZE
    assert all(0 <= r.idx < LIST_SIZE for r in rows)
