"""The VC API's analytics recorder under concurrent requests: a caller queues its check and goes
on (or waits for its commit when it asks), rows of callers that came meanwhile share one
transaction, a full queue drops and counts, and what is recorded is what
`record_verification` records."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa
from analytics_support import EMIL, JANA, World

from microcred.services.analytics import Channel, credential_hash
from microcred.services.analytics.grouped import GroupedRecorder
from microcred.services.analytics.recording import verification_of
from microcred.store.analytics_tables import VerificationEventRow
from microcred.verify.report import Verdict, VerificationReport, ok
from waiting import wait_for

TRUSTED = VerificationReport(
    verdict=Verdict.verified,
    failed_check=None,
    checks=[ok("issuer_trust", "TH Lahntal is a trusted issuer (own institution)")],
)
CALLERS = 12


def recorded(world: World, credential_id: str) -> int:
    with world.database.transaction(write=False) as session:
        return int(
            session.scalar(
                sa.select(sa.func.count())
                .select_from(VerificationEventRow)
                .where(VerificationEventRow.credential_hash == credential_hash(credential_id))
            )
            or 0
        )


def test_each_caller_returns_once_its_row_is_committed(world: World) -> None:
    awards = [world.award(world.part_one, JANA), world.award(world.part_two, EMIL)]
    recorder = GroupedRecorder(world.database)
    seen: list[tuple[bool, int]] = []

    def check(number: int) -> None:
        credential = world.document(awards[number % 2].credential_id)
        added = recorder.record(verification_of(credential, TRUSTED, Channel.api), wait=True)
        seen.append((added, recorded(world, credential["id"])))

    callers = [threading.Thread(target=check, args=(n,)) for n in range(CALLERS)]
    for caller in callers:
        caller.start()
    for caller in callers:
        caller.join(timeout=60)
    assert len(seen) == CALLERS
    assert all(added and count >= 1 for added, count in seen)
    assert [recorded(world, award.credential_id) for award in awards] == [CALLERS // 2] * 2


def test_another_issuers_credential_and_an_untrusted_copy_are_not_recorded(world: World) -> None:
    award = world.award(world.part_one, JANA)
    recorder = GroupedRecorder(world.database)
    stranger = {"id": "urn:uuid:6a1b3c9e-0000-4000-8000-000000000001", "issuer": "did:key:z6"}
    untrusted = VerificationReport(verdict=Verdict.failed, failed_check="proof", checks=[])
    assert recorder.record(verification_of(stranger, TRUSTED, Channel.api), wait=True) is False
    ours = world.document(award.credential_id)
    assert verification_of(ours, untrusted, Channel.api) is None
    assert recorder.record(None) is False
    assert recorded(world, award.credential_id) == 0
    assert recorder.transactions == 1  # the stranger's check was looked up, and not written


@pytest.mark.parametrize("fresh_database_url", ["sqlite"], indirect=True)
def test_checks_that_arrive_while_a_write_waits_share_one_transaction(world: World) -> None:
    award = world.award(world.part_one, JANA)
    credential = world.document(award.credential_id)
    recorder = GroupedRecorder(world.database)
    callers = [
        threading.Thread(
            target=recorder.record, args=(verification_of(credential, TRUSTED, Channel.api),)
        )
        for _ in range(CALLERS)
    ]
    with world.database.transaction() as session:  # holds SQLite's write lock
        session.execute(sa.text("SELECT 1"))
        for caller in callers:
            caller.start()
        wait_for(lambda: recorder.queued >= CALLERS - 1, 20, "the checks to queue", interval=0.01)
    for caller in callers:
        caller.join(timeout=60)
    assert recorder.flush(timeout=60)
    assert recorded(world, award.credential_id) == CALLERS
    # The first check waited for the lock alone; every other one came meanwhile.
    assert recorder.transactions == 2


@pytest.mark.parametrize("fresh_database_url", ["sqlite"], indirect=True)
def test_a_caller_does_not_wait_for_the_write(world: World) -> None:
    """While the database is locked, record returns at once; flush waits for the row."""
    award = world.award(world.part_one, JANA)
    credential = world.document(award.credential_id)
    recorder = GroupedRecorder(world.database)
    with world.database.transaction() as session:  # holds SQLite's write lock
        session.execute(sa.text("SELECT 1"))
        assert recorder.record(verification_of(credential, TRUSTED, Channel.api)) is True
        assert recorder.flush(timeout=0.2) is False  # the writer waits for the lock
    assert recorder.flush(timeout=60)
    assert recorded(world, award.credential_id) == 1


@pytest.mark.parametrize("fresh_database_url", ["sqlite"], indirect=True)
def test_a_full_queue_drops_and_counts_instead_of_slowing_the_caller(world: World) -> None:
    award = world.award(world.part_one, JANA)
    credential = world.document(award.credential_id)
    recorder = GroupedRecorder(world.database, max_queued=3)
    with world.database.transaction() as session:  # the writer cannot write meanwhile
        session.execute(sa.text("SELECT 1"))
        queued = [
            recorder.record(verification_of(credential, TRUSTED, Channel.api)) for _ in range(5)
        ]
    assert queued == [True, True, True, False, False]
    assert recorder.dropped == 2
    assert recorder.flush(timeout=60)
    assert recorded(world, award.credential_id) == 3
