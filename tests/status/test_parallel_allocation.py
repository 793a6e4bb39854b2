"""Allocation under concurrency: 8 issuer processes on PostgreSQL never share or lose an index."""

from __future__ import annotations

import multiprocessing
import random
import time

import pytest
import sqlalchemy as sa

from microcred.services.status_allocation import allocate_index
from microcred.store.catalogue_tables import InstitutionRow
from microcred.store.database import Database
from microcred.store.status_tables import StatusAllocationRow, StatusListRow

PROCESSES = 8
CREDENTIALS = 20_000


def _issue_many(url: str, institution_id: int, worker: int, count: int) -> None:
    db = Database(url)
    try:
        for n in range(count):
            with db.transaction() as session:
                allocate_index(
                    session,
                    institution_id=institution_id,
                    purpose="revocation",
                    credential_id=f"urn:test:{worker}:{n}",
                )
    finally:
        db.dispose()


def _institution(database: Database) -> int:
    with database.transaction() as session:
        row = InstitutionRow(slug="parallel-uni", name={"en": "Parallel University"})
        session.add(row)
        session.flush()
        return row.id


@pytest.mark.postgres
@pytest.mark.parametrize("fresh_database_url", ["postgresql"], indirect=True)
def test_eight_processes_allocate_20000_distinct_indices_and_lose_none(
    fresh_database_url: str,
) -> None:
    database = Database(fresh_database_url)
    database.upgrade()
    institution_id = _institution(database)
    per_process = CREDENTIALS // PROCESSES
    context = multiprocessing.get_context("spawn")
    started = time.perf_counter()
    workers = [
        context.Process(
            target=_issue_many, args=(fresh_database_url, institution_id, w, per_process)
        )
        for w in range(PROCESSES)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=600)
    elapsed = time.perf_counter() - started
    assert [w.exitcode for w in workers] == [0] * PROCESSES
    with database.transaction(write=False) as session:
        rows = session.execute(
            sa.select(
                StatusAllocationRow.list_id,
                StatusAllocationRow.idx,
                StatusAllocationRow.credential_id,
            )
        ).all()
        lists = session.scalars(sa.select(StatusListRow.list_no)).all()
    database.dispose()
    assert len(rows) == CREDENTIALS
    assert len({(r.list_id, r.idx) for r in rows}) == CREDENTIALS
    assert len({r.credential_id for r in rows}) == CREDENTIALS
    assert lists == [1]
    print(f"\n{CREDENTIALS} allocations by {PROCESSES} processes in {elapsed:.1f} s")


def test_indices_are_random_not_sequential(database: Database) -> None:
    institution_id = _institution(database)
    with database.transaction() as session:
        indices = [
            allocate_index(
                session, institution_id=institution_id, purpose="revocation", credential_id=f"c{n}"
            )[1]
            for n in range(20)
        ]
    assert indices != sorted(indices)
    assert max(indices) - min(indices) > 1000


def test_a_full_list_is_followed_by_a_new_one_and_every_index_is_used_once(
    database: Database,
) -> None:
    institution_id = _institution(database)
    rng = random.Random(4)
    with database.transaction() as session:
        placed = [
            allocate_index(
                session,
                institution_id=institution_id,
                purpose="suspension",
                credential_id=f"c{n}",
                list_size=16,
                rng=rng,
            )
            for n in range(40)
        ]
    by_list: dict[int, list[int]] = {}
    for status_list, index in placed:
        by_list.setdefault(status_list.list_no, []).append(index)
    assert sorted(by_list) == [1, 2, 3]
    assert sorted(by_list[1]) == list(range(16))
    assert sorted(by_list[2]) == list(range(16))
    assert len(set(by_list[3])) == 8
