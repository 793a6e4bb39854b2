"""Hooks owed to awards: recorded with the award, run once after the commit, run again after a
crash, never by two processes at once; the app resumes jobs and owed hooks when it starts."""

from __future__ import annotations

import base64
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from microcred.app import create_app
from microcred.config import Settings
from microcred.jobs.bulk import bulk_job
from microcred.jobs.context import JobContext
from microcred.jobs.inprocess import InProcessRunner
from microcred.jobs.model import job_view
from microcred.services.award_hooks import hook_name, owed_count
from microcred.services.award_input import LearnerInput
from microcred.services.awards import AwardRecord, Awards
from microcred.services.bulk.gradebook import read_gradebook
from microcred.services.bulk.preview import preview_gradebook
from microcred.services.catalogue import Catalogue
from microcred.services.issuer_keys import IssuerKeys
from microcred.services.issuing import CredentialIssuer
from microcred.store.awards_tables import AwardHookRow
from microcred.store.base import utc_now
from microcred.store.database import Database
from support.examples import example_specification
from waiting import wait_for

KEK = bytes(range(32))
SLUG = "uni-example"
JANA = LearnerInput(name="Jana Nowak", email="jana@example.org")


class Inbox:
    """A hook that remembers every award it was called with (an e-mail sender stand-in)."""

    def __init__(self) -> None:
        self.sent: list[str] = []
        self.fail_next = 0

    def on_issued(self, award: AwardRecord) -> None:
        if self.fail_next:
            self.fail_next -= 1
            raise ConnectionError("mail server down")
        self.sent.append(award.id)


@pytest.fixture
def awards(database: Database) -> Awards:
    settings = Settings(database_url=str(database.url))
    catalogue = Catalogue(database)
    issuer = CredentialIssuer(catalogue, IssuerKeys(database, settings, kek=KEK), settings)
    return Awards(database, issuer, settings)


@pytest.fixture
def spec_id(awards: Awards) -> str:
    catalogue = awards.issuer.catalogue
    catalogue.ensure_institution(SLUG, {"en": "Example University"})
    return catalogue.publish(catalogue.create(SLUG, example_specification()).id).id


def _committed_without_hooks(awards: Awards, spec_id: str, learner: LearnerInput) -> str:
    """Store an award as a process killed right after its commit leaves it: hooks not run."""
    record = awards.issuable(spec_id, None)
    awards.prepare(record)
    with awards.db.transaction() as session:
        award, _ = awards.award_in(session, record, learner)
    return award.id


def test_award_records_its_owed_hook_and_runs_it_once(awards: Awards, spec_id: str) -> None:
    inbox = Inbox()
    awards.register(inbox.on_issued)
    awards.register(Inbox().on_issued)  # the same hook by name: registered once
    assert len(awards.on_issued) == 1
    award = awards.award(spec_id, None, JANA)
    assert inbox.sent == [award.id]
    assert owed_count(awards.db) == 0
    assert awards.run_owed_hooks() is True
    assert inbox.sent == [award.id]


def test_hook_owed_when_the_process_died_after_the_commit_runs_at_the_next_resume(
    awards: Awards, spec_id: str
) -> None:
    inbox = Inbox()
    awards.register(inbox.on_issued)
    award_id = _committed_without_hooks(awards, spec_id, JANA)
    assert owed_count(awards.db) == 1 and inbox.sent == []
    awards.run_owed_hooks()
    assert inbox.sent == [award_id]
    awards.run_owed_hooks()
    assert inbox.sent == [award_id]  # not twice


def test_failing_hook_stays_owed_with_its_error_and_is_not_lost(
    awards: Awards, spec_id: str
) -> None:
    inbox = Inbox()
    inbox.fail_next = 2
    awards.register(inbox.on_issued)
    award = awards.award(spec_id, None, JANA)  # one try: fails, the award stands
    assert inbox.sent == []
    with awards.db.transaction(write=False) as session:
        row = session.get_one(AwardHookRow, (award.id, next(iter(_names(awards)))))
        assert (row.done_at, row.tries, row.claimed_at) == (None, 1, None)
        assert "mail server down" in (row.error or "")
    assert awards.run_owed_hooks(tries=3) is True  # fails once more, then sends
    assert inbox.sent == [award.id]


def test_a_hook_claimed_by_a_live_process_is_left_alone_until_its_lease_runs_out(
    awards: Awards, spec_id: str
) -> None:
    inbox = Inbox()
    awards.register(inbox.on_issued)
    award_id = _committed_without_hooks(awards, spec_id, JANA)
    with awards.db.transaction() as session:
        session.execute(
            sa.update(AwardHookRow).values(claimed_by="other-host:1", claimed_at=utc_now())
        )
    awards.run_owed_hooks()
    assert inbox.sent == []  # another process is running it
    with awards.db.transaction() as session:
        stale = utc_now() - timedelta(hours=1)
        session.execute(sa.update(AwardHookRow).values(claimed_at=stale))
    awards.run_owed_hooks()
    assert inbox.sent == [award_id]


def test_resumed_job_first_runs_the_hooks_its_committed_chunks_owe(
    awards: Awards, spec_id: str, database: Database
) -> None:
    inbox = Inbox()
    awards.register(inbox.on_issued)
    record = awards.issuable(spec_id, None)
    data = b"name,email\nJana Nowak,jana@example.org\nOla Berg,ola@example.org\n"
    preview = preview_gradebook(
        read_gradebook(data, "g.csv"), record, awarded_on=date(2025, 3, 1), today=date.today()
    )
    job = bulk_job(database, "bulk-award", preview, record, actor="test")
    # The first learner's award committed with the job's id, then the process died.
    with database.transaction() as session:
        awards.prepare(record)
        first, _ = awards.award_in(session, record, preview.accepted[0].learner, job_id=job.id)
    assert owed_count(database, job.id) == 1
    runner = InProcessRunner(JobContext(db=database, awards=awards))
    try:
        assert runner.resume_unfinished() == 1
        runner.wait_idle()
    finally:
        runner.stop()
    finished = job_view(database, job.id)
    assert (finished.state, finished.done, finished.unchanged) == ("done", 1, 1)
    assert sorted(inbox.sent) == sorted({first.id, *(a.id for a in awards.list(SLUG))})
    assert len(inbox.sent) == 2 and owed_count(database) == 0


def _names(awards: Awards) -> list[str]:
    return [hook_name(hook) for hook in awards.on_issued]


def test_app_start_resumes_an_unfinished_job_and_stop_ends_the_runner(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MICROCRED_KEK", base64.b64encode(KEK).decode())
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'app.db'}", secret_key="k")
    app = create_app(settings, migrate=True)
    catalogue = app.state.catalogue
    catalogue.ensure_institution(SLUG, {"en": "Example University"})
    spec_id = catalogue.publish(catalogue.create(SLUG, example_specification()).id).id
    record = catalogue.get(spec_id)
    data = b"name,email\n" + b"".join(b"L %d,l%d@example.org\n" % (i, i) for i in range(5))
    preview = preview_gradebook(
        read_gradebook(data, "g.csv"), record, awarded_on=date(2025, 3, 1), today=date.today()
    )
    # A job a killed server left queued (its key made): nobody calls the API this time.
    IssuerKeys(app.state.database, app.state.settings).ensure_key(SLUG)
    job = bulk_job(app.state.database, "bulk-award", preview, record, actor="test")
    with TestClient(app):
        runner = app.state.job_runner
        wait_for(
            lambda: job_view(app.state.database, job.id).finished, 60, "the job to resume at start"
        )
    finished = job_view(app.state.database, job.id)
    assert (finished.state, finished.done, finished.failed) == ("done", 5, 0)
    assert app.state.job_runner is None
    assert runner.running is False
