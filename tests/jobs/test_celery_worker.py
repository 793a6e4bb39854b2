"""The same bulk award on a real Celery worker with Redis and PostgreSQL: the worker is killed
with SIGKILL half-way, a new one takes the job up, and every learner holds one credential."""

from __future__ import annotations

import os
import random
import signal
import sys
import time
from datetime import date
from pathlib import Path

import pytest
import redis
from processes import Setup

sys.path.insert(0, str(Path(__file__).parents[1] / "awards"))
from gradebooks import gradebook_csv  # noqa: E402

from microcred.jobs.bulk import bulk_job  # noqa: E402
from microcred.jobs.celery_app import make_celery  # noqa: E402
from microcred.jobs.model import job_view  # noqa: E402
from microcred.services.bulk.gradebook import read_gradebook  # noqa: E402
from microcred.services.bulk.preview import preview_gradebook  # noqa: E402

LEARNERS = 200
REDIS = "redis://127.0.0.1:6379"


def wait_for(condition: object, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.postgres
@pytest.mark.parametrize("fresh_database_url", ["postgresql"], indirect=True)
def test_celery_worker_killed_half_way_is_made_good_by_the_next(
    setup: Setup, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MICROCRED_JOB_CHUNK_SIZE", "20")  # the job is cut here: many chunks
    broker = f"{REDIS}/{random.randint(8, 15)}"  # a database of Redis of its own
    redis.Redis.from_url(broker).flushdb()
    setup.env.update(
        MICROCRED_BROKER_URL=broker,
        MICROCRED_JOB_QUEUE=f"microcred-test-{os.getpid()}",
    )
    os.environ["MICROCRED_JOB_QUEUE"] = setup.env["MICROCRED_JOB_QUEUE"]
    from microcred.jobs import celery_app

    celery_app.celery = make_celery(broker)
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

    first = setup.run("worker", "--concurrency", "1")
    try:
        wait_for(
            lambda: first.poll() is not None or setup.awards_count() >= LEARNERS // 3,
            120,
            "a third of the awards",
        )
        assert first.poll() is None, first.communicate()[1].decode()[-3000:]
        os.kill(first.pid, signal.SIGKILL)
        first.wait(10)
        killed_at = setup.awards_count()
        assert killed_at < LEARNERS

        second = setup.run("worker", "--concurrency", "1")
        try:
            wait_for(lambda: job_view(setup.database, job.id).finished, 180, "the job to finish")
        finally:
            second.send_signal(signal.SIGTERM)
            second.wait(30)
    finally:
        if first.poll() is None:
            first.kill()
        redis.Redis.from_url(broker).flushdb()
    done = job_view(setup.database, job.id)
    assert (done.state, done.failed) == ("done", 0)
    assert done.done + done.unchanged == LEARNERS
    setup.assert_one_verified_credential_per_learner(LEARNERS)
