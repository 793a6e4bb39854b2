"""Batched bulk awards: a chunk is checked, allocated, signed (in the signing pool) and stored
in a few statements, and gives the same credentials as awarding one learner at a time."""

from __future__ import annotations

import os
import signal
import sys
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from processes import Setup

from waiting import wait_for

sys.path.insert(0, str(Path(__file__).parents[1] / "awards"))
from gradebooks import gradebook_csv  # noqa: E402

from microcred.crypto.compiled.shape import read_shape  # noqa: E402
from microcred.jobs.bulk import bulk_job  # noqa: E402
from microcred.jobs.running import run_job  # noqa: E402
from microcred.services.award_input import LearnerInput  # noqa: E402
from microcred.services.awards import AwardError, AwardRecord  # noqa: E402
from microcred.services.bulk.awarding import AwardRequest, award_many  # noqa: E402
from microcred.services.bulk.gradebook import read_gradebook  # noqa: E402
from microcred.services.bulk.preview import preview_gradebook  # noqa: E402
from microcred.services.bulk.signing import shared_pool, signing_processes  # noqa: E402
from microcred.store.awards_tables import AwardHookRow, AwardRow  # noqa: E402
from microcred.store.database import Database  # noqa: E402
from microcred.store.status_tables import (  # noqa: E402
    IssuedCredentialRow,
    StatusAllocationRow,
    StatusListRow,
)

LEARNERS = 45  # three chunks of 20 (the setup's chunk size) with the last one short


def _run_bulk(setup: Setup, learners: int) -> tuple[str, int, int]:
    context = setup.context_with_kek()
    context.awards.on_issued.append(_note_award)
    record = context.awards.issuable(setup.spec_id, None)
    context.awards.prepare(record)
    today = date.today()
    preview = preview_gradebook(
        read_gradebook(gradebook_csv(learners, bad={}), "grades.csv"),
        record,
        awarded_on=today,
        today=today,
    )
    job = bulk_job(setup.database, "bulk-award", preview, record, actor="test")
    done = run_job(context, job.id)
    assert done.state == "done", done.error
    return done.id, done.done, done.unchanged


NOTED: list[str] = []


def _note_award(award: AwardRecord) -> None:
    NOTED.append(award.id)


@pytest.fixture
def two_signing_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MICROCRED_SIGNING_PROCESSES", "2")
    monkeypatch.setenv("MICROCRED_JOB_CHUNK_SIZE", "20")
    NOTED.clear()


@pytest.mark.postgres
@pytest.mark.parametrize("fresh_database_url", ["sqlite", "postgresql"], indirect=True)
def test_batched_job_signed_in_the_pool_gives_credentials_that_verify_with_two_random_entries(
    setup: Setup, two_signing_processes: None
) -> None:
    _, done, unchanged = _run_bulk(setup, LEARNERS)

    assert (done, unchanged) == (LEARNERS, 0)
    setup.assert_one_verified_credential_per_learner(LEARNERS)
    with setup.database.transaction(write=False) as session:
        documents = session.scalars(sa.select(IssuedCredentialRow.document)).all()
        allocations = session.execute(
            sa.select(
                StatusAllocationRow.credential_id,
                StatusAllocationRow.purpose,
                StatusAllocationRow.list_id,
                StatusAllocationRow.idx,
            )
        ).all()
    assert len(allocations) == 2 * LEARNERS
    assert len({(a.list_id, a.idx) for a in allocations}) == 2 * LEARNERS
    stored = {(a.credential_id, a.purpose): str(a.idx) for a in allocations}
    for document in documents:
        entries = document["credentialStatus"]
        assert sorted(e["statusPurpose"] for e in entries) == ["revocation", "suspension"]
        for entry in entries:
            assert stored[(document["id"], entry["statusPurpose"])] == entry["statusListIndex"]
    revocation = sorted(a.idx for a in allocations if a.purpose == "revocation")
    # Random, not handed out in order: 45 consecutive indices from 131,072 would be a fluke.
    assert revocation[-1] - revocation[0] > LEARNERS


@pytest.mark.parametrize("fresh_database_url", ["sqlite"], indirect=True)
def test_batched_job_run_again_issues_nothing_and_every_hook_ran_once(
    setup: Setup, two_signing_processes: None
) -> None:
    _run_bulk(setup, LEARNERS)
    _, done, unchanged = _run_bulk(setup, LEARNERS)

    assert (done, unchanged) == (0, LEARNERS)
    assert setup.awards_count() == LEARNERS
    assert len(NOTED) == len(set(NOTED)) == LEARNERS
    with setup.database.transaction(write=False) as session:
        owed = session.scalar(sa.select(sa.func.count()).where(AwardHookRow.done_at.is_(None)))
    assert owed == 0


@pytest.mark.parametrize("fresh_database_url", ["sqlite"], indirect=True)
def test_a_batch_award_has_the_shape_of_a_single_award(setup: Setup) -> None:
    context = setup.context_with_kek()
    record = context.awards.issuable(setup.spec_id, None)
    context.awards.prepare(record)
    single = context.awards.award(
        setup.spec_id, None, LearnerInput(name="Ada Single", email="ada@example.org"), grade="1.0"
    )
    with setup.database.transaction() as session:
        ((batched, created),) = award_many(
            context.awards,
            session,
            record,
            [AwardRequest(LearnerInput(name="Bo Batch", email="bo@example.org"), grade="2.3")],
        )
    assert created

    def document(award: AwardRecord) -> dict[str, object]:
        with setup.database.transaction(write=False) as session:
            return session.get_one(IssuedCredentialRow, award.credential_id).document

    one, other = document(single), document(batched)
    # The same structure, contexts and value types: only values differ (and both verify).
    assert read_shape(one).key == read_shape(other).key
    assert one["proof"]["cryptosuite"] == other["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    assert batched.attempt == 1 and batched.institution == single.institution
    setup.assert_one_verified_credential_per_learner(2)


@pytest.mark.parametrize("fresh_database_url", ["sqlite"], indirect=True)
def test_a_refused_row_fails_alone_and_a_learner_twice_in_a_chunk_is_awarded_once(
    setup: Setup,
) -> None:
    context = setup.context_with_kek()
    record = context.awards.issuable(setup.spec_id, None)
    context.awards.prepare(record)
    twice = LearnerInput(name="Cy Twice", email="cy@example.org")
    requests = [
        AwardRequest(twice),
        AwardRequest(LearnerInput(name="Di Unknown", email="di@example.org"), grade="A+"),
        AwardRequest(twice),
    ]
    with setup.database.transaction() as session:
        first, refused, again = award_many(context.awards, session, record, requests)

    assert isinstance(refused, AwardError)
    assert "grade" in str(refused)
    assert isinstance(first, tuple) and isinstance(again, tuple)
    assert first[1] is True and again[1] is False
    assert first[0].id == again[0].id
    assert setup.awards_count() == 1
    with setup.database.transaction(write=False) as session:
        assert session.scalar(sa.select(sa.func.count(StatusAllocationRow.idx))) == 2


@pytest.mark.parametrize("fresh_database_url", ["sqlite"], indirect=True)
def test_an_award_made_before_is_returned_unchanged_and_the_rest_are_made(setup: Setup) -> None:
    context = setup.context_with_kek()
    record = context.awards.issuable(setup.spec_id, None)
    context.awards.prepare(record)
    learners = [LearnerInput(name=f"L {n}", email=f"l{n}@example.org") for n in range(3)]
    before = context.awards.award(setup.spec_id, None, learners[1])
    with setup.database.transaction() as session:
        results = award_many(context.awards, session, record, [AwardRequest(x) for x in learners])

    made = [result for result in results if isinstance(result, tuple)]
    assert [created for _, created in made] == [True, False, True]
    assert made[1][0].id == before.id
    assert setup.awards_count() == 3
    setup.assert_one_verified_credential_per_learner(3)


@pytest.mark.postgres
@pytest.mark.parametrize("fresh_database_url", ["postgresql"], indirect=True)
def test_an_award_another_process_commits_while_the_batch_signs_is_kept(setup: Setup) -> None:
    context = setup.context_with_kek()
    record = context.awards.issuable(setup.spec_id, None)
    context.awards.prepare(record)
    context.awards.award(setup.spec_id, None, LearnerInput(name="Opens", email="o@example.org"))
    learners = [LearnerInput(name=f"L {n}", email=f"r{n}@example.org") for n in range(3)]
    other = Database(setup.database.url)  # another connection pool: another "process"
    other_awards = Setup(other, setup.spec_id, setup.env).context_with_kek().awards
    raced: list[AwardRecord] = []

    def award_elsewhere_first(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        if not raced and statement.startswith("INSERT INTO awards"):
            raced.append(other_awards.award(setup.spec_id, None, learners[2]))

    sa.event.listen(setup.database.engine, "before_cursor_execute", award_elsewhere_first)
    try:
        with setup.database.transaction() as session:
            results = award_many(
                context.awards, session, record, [AwardRequest(x) for x in learners]
            )
    finally:
        sa.event.remove(setup.database.engine, "before_cursor_execute", award_elsewhere_first)
        other.dispose()

    assert raced, "the other award was made while the batch was being stored"
    made = [result for result in results if isinstance(result, tuple)]
    assert [created for _, created in made] == [True, True, False]
    assert made[2][0].id == raced[0].id
    assert setup.awards_count() == 4
    setup.assert_one_verified_credential_per_learner(4)


@pytest.mark.parametrize("fresh_database_url", ["sqlite"], indirect=True)
def test_a_signing_process_killed_between_chunks_leaves_the_job_whole(
    setup: Setup, two_signing_processes: None
) -> None:
    _run_bulk(setup, 20)
    pool = shared_pool()
    assert pool is not None and pool._executor is not None
    executor = pool._executor
    for pid in list(executor._processes):  # the pool's worker processes
        os.kill(pid, signal.SIGKILL)
    wait_for(lambda: executor._broken, 60, "the pool to see its processes die")

    _, done, unchanged = _run_bulk(setup, LEARNERS)

    assert (done, unchanged) == (LEARNERS - 20, 20)
    setup.assert_one_verified_credential_per_learner(LEARNERS)


def test_signing_processes_names_the_variable_when_it_is_not_a_number(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MICROCRED_SIGNING_PROCESSES", "two")
    with pytest.raises(ValueError, match=r"MICROCRED_SIGNING_PROCESSES \(signing_processes\)"):
        signing_processes()
    monkeypatch.setenv("MICROCRED_SIGNING_PROCESSES", "0")
    assert shared_pool() is None


@pytest.mark.parametrize("fresh_database_url", ["sqlite"], indirect=True)
def test_no_status_list_or_award_row_is_half_written_by_a_batch(setup: Setup) -> None:
    context = setup.context_with_kek()
    record = context.awards.issuable(setup.spec_id, None)
    context.awards.prepare(record)
    requests = [
        AwardRequest(LearnerInput(name=f"L {n}", email=f"h{n}@example.org")) for n in range(5)
    ]
    with pytest.raises(RuntimeError), setup.database.transaction() as session:
        award_many(context.awards, session, record, requests)
        raise RuntimeError("the chunk's transaction fails after the batch")
    with setup.database.transaction(write=False) as session:
        counts = [
            session.scalar(sa.select(sa.func.count()).select_from(table))
            for table in (AwardRow, IssuedCredentialRow, StatusAllocationRow, AwardHookRow)
        ]
        lists = session.scalar(sa.select(sa.func.count(StatusListRow.id)))
    assert counts == [0, 0, 0, 0]
    assert lists == 0  # the lists the batch opened went with it
