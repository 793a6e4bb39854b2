"""Bulk issuance throughput, end to end: a section of ``make bench`` (BENCHMARKS.md).

From a gradebook CSV of N learners to N stored, signed credentials with their award rows and
status entries, as a job: in-process on a temporary SQLite file, and on two Celery workers
(Redis broker, one process each) with PostgreSQL. N is 1,000 rather than the 10,000 the issue
names, so that ``make bench`` stays within a few minutes at today's ~20 ms per signature;
credentials/s does not depend on N (every chunk costs the same).
"""

from __future__ import annotations

import base64
import csv
import io
import os
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path

import sqlalchemy as sa

from microcred.config import Settings
from microcred.domain.examples import example_specification
from microcred.jobs.bulk import bulk_job
from microcred.jobs.context import JobContext
from microcred.jobs.model import JobView, job_view
from microcred.jobs.running import run_job
from microcred.services.awards import Awards
from microcred.services.bulk.gradebook import read_gradebook
from microcred.services.bulk.preview import preview_gradebook
from microcred.services.catalogue import Catalogue
from microcred.services.issuer_keys import IssuerKeys
from microcred.services.issuing import CredentialIssuer
from microcred.store.database import Database

N = 1000
KEK = bytes(range(32))
PG_URL = os.environ.get(
    "MICROCRED_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REDIS_URL = "redis://127.0.0.1:6379/14"


def _gradebook(count: int) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["name", "email"])
    for n in range(count):
        writer.writerow([f"Learner {n}", f"learner{n}@example.org"])
    return buffer.getvalue().encode()


def _prepared(url: str) -> tuple[JobContext, JobView]:
    database = Database(url)
    database.upgrade()
    settings = Settings(database_url=url, base_url="https://bench.example")
    catalogue = Catalogue(database)
    catalogue.ensure_institution("bench", {"en": "Bench University"}, None)
    spec_id = catalogue.publish(catalogue.create("bench", example_specification()).id).id
    issuer = CredentialIssuer(catalogue, IssuerKeys(database, settings, kek=KEK), settings)
    awards = Awards(database, issuer, settings)
    record = awards.issuable(spec_id, None)
    awards.prepare(record)
    preview = preview_gradebook(
        read_gradebook(_gradebook(N), "bench.csv"),
        record,
        awarded_on=date.today(),
        today=date.today(),
    )
    job = bulk_job(database, "bulk-award", preview, record, actor="bench")
    return JobContext(db=database, awards=awards), job


def in_process_on_sqlite() -> float:
    with tempfile.TemporaryDirectory() as folder:
        context, job = _prepared(f"sqlite:///{Path(folder) / 'bench.db'}")
        started = time.perf_counter()
        done = run_job(context, job.id)
        seconds = time.perf_counter() - started
        context.db.dispose()
    assert done.done == N, done
    return N / seconds


def two_celery_workers_on_postgresql() -> float:
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(PG_URL)
    with admin.begin() as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    url = sa.make_url(PG_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    url_text = url.render_as_string(hide_password=False)
    workers: list[subprocess.Popen[bytes]] = []
    try:
        context, job = _prepared(url_text)
        env = {
            **os.environ,
            "MICROCRED_DATABASE_URL": url_text,
            "MICROCRED_BROKER_URL": REDIS_URL,
            "MICROCRED_KEK": base64.b64encode(KEK).decode(),
            "MICROCRED_BASE_URL": "https://bench.example",
            "MICROCRED_JOB_QUEUE": f"bench-{schema}",
        }
        command = [
            str(Path(sys.executable).parent / "microcred"),
            "worker",
            "--loglevel",
            "warning",
        ]
        all_cores = os.sched_getaffinity(0) | set(range(os.cpu_count() or 1))
        started = time.perf_counter()
        workers = [
            subprocess.Popen(
                command,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                preexec_fn=lambda: os.sched_setaffinity(0, all_cores),
            )
            for _ in range(2)
        ]
        while not job_view(context.db, job.id).finished:  # workers take unfinished jobs up
            time.sleep(0.2)
        seconds = time.perf_counter() - started
        done = job_view(context.db, job.id)
        context.db.dispose()
    finally:
        for worker in workers:
            worker.terminate()
            worker.wait(30)
        with admin.begin() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()
    assert done.done == N, done
    return N / seconds


def measure_bulk() -> str:
    """Return the bulk issuance section of BENCHMARKS.md."""
    rows = [("in-process, SQLite", in_process_on_sqlite())]
    try:
        rows.append(("2 Celery workers (Redis), PostgreSQL", two_celery_workers_on_postgresql()))
    except (sa.exc.OperationalError, OSError) as error:
        rows.append((f"2 Celery workers: not measured ({type(error).__name__})", 0.0))
    lines = [
        "## Bulk issuance, end to end",
        "",
        f"A gradebook of {N:,} learners awarded as one job: reading, checking, rendering, "
        "signing (eddsa-rdfc-2022), status entries, award rows, commits per chunk of "
        "100. The Celery figure includes the workers' start-up.",
        "",
        "| runner | credentials/s |",
        "| --- | ---: |",
    ]
    lines += [f"| {name} | {rate:.1f} |" for name, rate in rows]
    return "\n".join(lines) + "\n"
