"""The same bulk award on a real Celery worker with PostgreSQL, on Redis and on RabbitMQ: the
worker is killed with SIGKILL half-way, a new one takes the job up, and every learner holds one
credential."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest
from brokers import Broker
from processes import Setup

from waiting import kill, stop, wait_for

sys.path.insert(0, str(Path(__file__).parents[1] / "awards"))
from gradebooks import gradebook_csv  # noqa: E402

from microcred.jobs import celery_app  # noqa: E402
from microcred.jobs.bulk import bulk_job  # noqa: E402
from microcred.jobs.model import job_view  # noqa: E402
from microcred.services.bulk.gradebook import read_gradebook  # noqa: E402
from microcred.services.bulk.preview import preview_gradebook  # noqa: E402

LEARNERS = 200


@pytest.mark.postgres
@pytest.mark.parametrize("fresh_database_url", ["postgresql"], indirect=True)
def test_celery_worker_killed_half_way_is_made_good_by_the_next(
    setup: Setup, broker: Broker, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MICROCRED_JOB_CHUNK_SIZE", "20")  # the job is cut here: many chunks
    monkeypatch.setenv("MICROCRED_JOB_QUEUE", broker.queue)
    setup.env.update(broker.env())
    monkeypatch.setattr(celery_app, "celery", celery_app.make_celery(broker.url))
    context = setup.context_with_kek()
    record = context.awards.issuable(setup.spec_id, None)
    context.awards.prepare(record)
    today = date.today()
    preview = preview_gradebook(
        read_gradebook(gradebook_csv(LEARNERS, bad={}), "grades.csv"),
        record,
        awarded_on=today,
        today=today,
    )
    job = bulk_job(setup.database, "bulk-award", preview, record, actor="test")
    celery_app.CeleryRunner(context).submit(job.id)

    # Each worker leads a process group of its own, so SIGKILL takes its pool process too.
    first = setup.run("worker", "--concurrency", "1", start_new_session=True)
    try:
        wait_for(
            lambda: first.poll() is not None or setup.awards_count() >= LEARNERS // 3,
            240,
            "a third of the awards",
        )
        assert first.poll() is None, first.communicate()[1].decode()[-3000:]
        kill(first, group=True)
        killed_at = setup.awards_count()
        assert killed_at < LEARNERS, "the job ended before the kill: use more learners"

        second = setup.run("worker", "--concurrency", "1", start_new_session=True)
        try:
            wait_for(lambda: job_view(setup.database, job.id).finished, 180, "the job to finish")
        finally:
            stop(second, group=True)  # how fast the worker shuts down is not what this tests
    finally:
        kill(first, group=True)
    done = job_view(setup.database, job.id)
    assert (done.state, done.failed) == ("done", 0)
    assert done.done + done.unchanged == LEARNERS
    setup.assert_one_verified_credential_per_learner(LEARNERS)
