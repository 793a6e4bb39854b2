"""Chunks prepared ahead: status entries drawn in memory before the chunk's transaction are
claimed in it, an index taken meanwhile is drawn again, and a chunk whose transaction fails is
done again whole."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from processes import Setup
from test_bulk_batch_perf import NOTED, _run_bulk, two_signing_processes

from microcred.services.award_input import LearnerInput
from microcred.services.bulk.awarding import AwardRequest, award_many, prepare_awards
from microcred.services.status import StatusLists
from microcred.services.status_allocation import IndexDraws
from microcred.status.entry import REVOCATION
from microcred.store.awards_tables import AwardHookRow
from microcred.store.status_tables import (
    IssuedCredentialRow,
    StatusAllocationRow,
    StatusListRow,
)

LEARNERS = 45  # three chunks of 20 with the last one short
__all__ = ["two_signing_processes"]  # a fixture used here


def _allocations(setup: Setup) -> list[Any]:
    with setup.database.transaction(write=False) as session:
        return list(
            session.execute(
                sa.select(
                    StatusAllocationRow.credential_id,
                    StatusAllocationRow.purpose,
                    StatusAllocationRow.list_id,
                    StatusAllocationRow.idx,
                )
            ).all()
        )


def _assert_documents_carry_their_allocations(setup: Setup) -> None:
    stored = {(a.credential_id, a.purpose): str(a.idx) for a in _allocations(setup)}
    with setup.database.transaction(write=False) as session:
        documents = session.scalars(sa.select(IssuedCredentialRow.document)).all()
    for document in documents:
        for entry in document["credentialStatus"]:
            assert stored[(document["id"], entry["statusPurpose"])] == entry["statusListIndex"]


@pytest.mark.postgres
@pytest.mark.parametrize("fresh_database_url", ["sqlite", "postgresql"], indirect=True)
def test_an_index_another_process_claims_after_the_draw_is_drawn_again_and_never_shared(
    setup: Setup,
) -> None:
    context = setup.context_with_kek()
    record = context.awards.issuable(setup.spec_id, None)
    context.awards.prepare(record)
    requests = [
        AwardRequest(LearnerInput(name=f"L {n}", email=f"d{n}@example.org")) for n in range(5)
    ]
    draws: dict[str, dict[str, IndexDraws]] = {}
    with setup.database.transaction() as session:
        prepared = prepare_awards(context.awards, session, record, requests, draws)
    first = next(iter(prepared.new.values())).data.credential_id
    taken = prepared.drawn.places[REVOCATION][first]
    with setup.database.transaction() as session:  # another process claims it first
        session.add(
            StatusAllocationRow(
                list_id=taken.list_id,
                idx=taken.index,
                purpose=REVOCATION,
                credential_id="urn:uuid:issued-elsewhere",
                is_set=False,
            )
        )

    with setup.database.transaction() as session:
        results = award_many(context.awards, session, record, requests, prepared=prepared)

    assert [isinstance(r, tuple) and r[1] for r in results] == [True] * 5
    allocations = _allocations(setup)
    assert len({(a.list_id, a.idx) for a in allocations}) == len(allocations) == 2 * 5 + 1
    mine = {(a.purpose, a.list_id, a.idx) for a in allocations if a.credential_id == first}
    assert (REVOCATION, taken.list_id, taken.index) not in mine and len(mine) == 2
    _assert_documents_carry_their_allocations(setup)
    setup.assert_one_verified_credential_per_learner(5)


@pytest.mark.parametrize("fresh_database_url", ["sqlite"], indirect=True)
def test_drawn_indices_are_distinct_random_free_ones_and_fill_one_list_after_another(
    setup: Setup,
) -> None:
    context = setup.context_with_kek()
    status = StatusLists(
        setup.database, context.awards.issuer.keys, context.awards.settings, list_size=16
    )
    with setup.database.transaction() as session:
        status.entries.allocate(session, "uni-example", ["urn:uuid:before"])
        used_before = session.scalar(
            sa.select(StatusAllocationRow.idx).where(StatusAllocationRow.purpose == REVOCATION)
        )
        ahead = status.entries.drawing_ahead(session, "uni-example")
        credentials = [f"urn:uuid:drawn-{number}" for number in range(40)]
        drawn = list(ahead.draw(session, credentials).places[REVOCATION].values())
        lists = session.execute(
            sa.select(StatusListRow.list_no, StatusListRow.full)
            .where(StatusListRow.purpose == REVOCATION)
            .order_by(StatusListRow.list_no)
        ).all()

    per_list = [[d.index for d in drawn if d.list_no == n] for n in (1, 2, 3)]
    assert [len(indices) for indices in per_list] == [15, 16, 9]  # one was used before
    assert used_before not in per_list[0]
    assert all(len(set(indices)) == len(indices) for indices in per_list)
    assert per_list[1] != sorted(per_list[1])  # drawn at random, not handed out in order
    assert [(n, full) for n, full in lists] == [(1, True), (2, True), (3, False)]


@pytest.mark.parametrize("fresh_database_url", ["sqlite"], indirect=True)
def test_a_chunk_whose_transaction_fails_is_done_again_whole_and_issues_nothing_twice(
    setup: Setup, two_signing_processes: None
) -> None:
    inserts: list[int] = []

    def fail_the_second_chunk_once(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        if statement.startswith("INSERT INTO awards"):
            inserts.append(1)
            if len(inserts) == 5:  # the second chunk's awards (four parts per chunk), once
                raise sa.exc.OperationalError(statement, None, RuntimeError("disk I/O error"))

    sa.event.listen(setup.database.engine, "before_cursor_execute", fail_the_second_chunk_once)
    try:
        _, done, unchanged = _run_bulk(setup, LEARNERS)
    finally:
        sa.event.remove(setup.database.engine, "before_cursor_execute", fail_the_second_chunk_once)

    assert len(inserts) > 5, "the failure happened inside a chunk"
    assert (done, unchanged) == (LEARNERS, 0)
    allocations = _allocations(setup)
    assert len({(a.list_id, a.idx) for a in allocations}) == len(allocations) == 2 * LEARNERS
    assert len(NOTED) == len(set(NOTED)) == LEARNERS
    with setup.database.transaction(write=False) as session:
        owed = session.scalar(sa.select(sa.func.count()).where(AwardHookRow.done_at.is_(None)))
    assert owed == 0
    _assert_documents_carry_their_allocations(setup)
    setup.assert_one_verified_credential_per_learner(LEARNERS)
