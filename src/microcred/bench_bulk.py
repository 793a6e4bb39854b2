"""Bulk issuance throughput, end to end: a section of ``make bench`` (BENCHMARKS.md).

From a gradebook CSV of N learners to N stored, signed credentials with their award rows,
status entries and owed hooks run (the application's hooks, as ``microcred issue`` runs them),
as a job: in-process on a temporary SQLite file using every core (the signing pool), and on two
Celery workers (Redis broker, one process each) with PostgreSQL. Beside each figure: the peak
resident memory of the process tree and the load average of the machine.

N is 10,000 in-process and 2,000 on Celery by default, so that ``make bench`` stays within
about five minutes; ``MICROCRED_BENCH_BULK_N`` (and ``MICROCRED_BENCH_CELERY_N``) change them,
e.g. ``MICROCRED_BENCH_BULK_N=100000 python -m microcred.bench_bulk`` for the issue's target.
"""

from __future__ import annotations

import base64
import csv
import io
import logging
import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import sqlalchemy as sa

from microcred.config import Settings
from microcred.domain.examples import example_specification
from microcred.jobs.bulk import bulk_job
from microcred.jobs.context import JobContext
from microcred.jobs.model import JobView, job_view
from microcred.jobs.running import run_job
from microcred.services.app_awards import app_hooks
from microcred.services.awards import Awards
from microcred.services.bulk.gradebook import read_gradebook
from microcred.services.bulk.preview import preview_gradebook
from microcred.services.bulk.signing import shared_pool, signing_processes
from microcred.services.catalogue import Catalogue
from microcred.services.issuer_keys import IssuerKeys
from microcred.services.issuing import CredentialIssuer
from microcred.store.database import Database

KEK = bytes(range(32))
PG_URL = os.environ.get(
    "MICROCRED_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REDIS_URL = "redis://127.0.0.1:6379/14"
PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def in_process_n() -> int:
    return int(os.environ.get("MICROCRED_BENCH_BULK_N", "10000"))


def celery_n() -> int:
    return int(os.environ.get("MICROCRED_BENCH_CELERY_N", "2000"))


@dataclass(frozen=True)
class Run:
    runner: str
    awards: int
    seconds: float
    peak_rss: int  # bytes, the whole process tree
    load: tuple[float, float, float]  # load average (1, 5, 15 min) at the end

    @property
    def rate(self) -> float:
        return self.awards / self.seconds


def _gradebook(count: int) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["name", "email"])
    for n in range(count):
        writer.writerow([f"Learner {n}", f"learner{n}@example.org"])
    return buffer.getvalue().encode()


def _prepared(url: str, count: int) -> tuple[JobContext, JobView]:
    database = Database(url)
    database.upgrade()
    settings = Settings(database_url=url, base_url="https://bench.example")
    catalogue = Catalogue(database)
    catalogue.ensure_institution("bench", {"en": "Bench University"}, None)
    spec_id = catalogue.publish(catalogue.create("bench", example_specification()).id).id
    issuer = CredentialIssuer(catalogue, IssuerKeys(database, settings, kek=KEK), settings)
    awards = Awards(database, issuer, settings)
    for hook in app_hooks(awards):  # as `microcred issue` runs them
        awards.register(hook)
    record = awards.issuable(spec_id, None)
    awards.prepare(record)
    preview = preview_gradebook(
        read_gradebook(_gradebook(count), "bench.csv"),
        record,
        awarded_on=date.today(),
        today=date.today(),
    )
    job = bulk_job(database, "bulk-award", preview, record, actor="bench")
    return JobContext(db=database, awards=awards), job


def tree_rss(root: int) -> int:
    """Return the resident memory of ``root`` and every process below it, in bytes."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(parent, []).append(int(entry))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
        except OSError:
            continue
        todo += children.get(pid, [])
    return total


@contextmanager
def peak_rss(root: int) -> Iterator[Callable[[], int]]:
    """Sample the process tree's memory every 0.2 s; yield a function giving the peak."""
    peak = [tree_rss(root)]
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(0.2):
            peak[0] = max(peak[0], tree_rss(root))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        yield lambda: peak[0]
    finally:
        stop.set()
        sampler.join()


@contextmanager
def every_core() -> Iterator[None]:
    """Let this process (and the signing pool it starts) use every core; `make bench` pins
    itself to one core for the per-credential figures."""
    if not hasattr(os, "sched_setaffinity"):
        yield
        return
    pinned = os.sched_getaffinity(0)
    os.sched_setaffinity(0, set(range(os.cpu_count() or 1)))
    try:
        yield
    finally:
        os.sched_setaffinity(0, pinned)


def in_process_on_sqlite(count: int) -> Run:
    with tempfile.TemporaryDirectory() as folder, every_core():
        context, job = _prepared(f"sqlite:///{Path(folder) / 'bench.db'}", count)
        with peak_rss(os.getpid()) as peak:
            started = time.perf_counter()
            done = run_job(context, job.id)
            seconds = time.perf_counter() - started
            pool = shared_pool()
            if pool is not None:
                pool.close()  # the pool's memory is counted; the next run starts its own
        context.db.dispose()
    assert done.done == count, done
    return Run(
        f"in-process, SQLite, {signing_processes()} signing processes",
        count,
        seconds,
        peak(),
        os.getloadavg(),
    )


def two_celery_workers_on_postgresql(count: int) -> Run:
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(PG_URL)
    with admin.begin() as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    url = sa.make_url(PG_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    url_text = url.render_as_string(hide_password=False)
    workers: list[subprocess.Popen[bytes]] = []
    try:
        context, job = _prepared(url_text, count)
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
            "error",
        ]
        all_cores = set(range(os.cpu_count() or 1))
        with peak_rss(os.getpid()) as peak:
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
    assert done.done == count, done
    return Run("2 Celery workers (Redis), PostgreSQL", count, seconds, peak(), os.getloadavg())


def measure_bulk() -> str:
    """Return the bulk issuance section of BENCHMARKS.md."""
    # Without an SMTP server the claim e-mail hook logs one warning per award; not wanted here.
    logging.getLogger("microcred.services.delivery").setLevel(logging.ERROR)
    runs = [in_process_on_sqlite(in_process_n())]
    failed = ""
    try:
        runs.append(two_celery_workers_on_postgresql(celery_n()))
    except (sa.exc.OperationalError, OSError) as error:
        failed = f"\n2 Celery workers: not measured ({type(error).__name__}: {error}).\n"
    lines = [
        "## Bulk issuance, end to end",
        "",
        "A gradebook of N learners awarded as one job: reading, checking, rendering, signing "
        "(eddsa-rdfc-2022), status entries, award rows and owed hooks, each chunk of 100 "
        "committed in one transaction, then the application's hooks (claim e-mail, pathways) "
        "run. In-process, a pool of signing processes renders and signs while the job's "
        "process claims status entries and stores; the Celery figure includes the workers' "
        "start-up. Memory is the peak of the resident sets summed over the process tree "
        "(shared pages counted in each process; the Celery run is this process and each "
        "worker's main and pool processes). The load average is the machine's (other work "
        "shares its 2 cores).",
        "",
        "| runner | N | seconds | credentials/s | peak RSS MiB | load average (1, 5, 15 min) |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    lines += [
        f"| {run.runner} | {run.awards:,} | {run.seconds:.1f} | {run.rate:.0f} | "
        f"{run.peak_rss / 2**20:.0f} | {', '.join(f'{x:.1f}' for x in run.load)} |"
        for run in runs
    ]
    return "\n".join(lines) + "\n" + failed + "\n" + RECORDED


# Measured by hand (not re-run by `make bench`): the profile that guided the batching, and the
# issue's 100,000-award run. Re-measure with the commands given and update this text.
RECORDED = """\
### 100,000 awards (run by hand)

`MICROCRED_BENCH_BULK_N=100000 python -m microcred.bench_bulk` (in-process part), SQLite, two
signing processes, the application's hooks; 2026-11-29.

| run | seconds | credentials/s | peak RSS MiB | load average at start → end (1 min) |
| --- | ---: | ---: | ---: | --- |
| batched, first allocation (fixed candidate draws) | 369 | 271 | 732 | 3.3 → 7.2 |
| batched, draws growing with the list's fill | 215 | 465 | 736 | 6.4 → 5.2 |

The issue's target, 100,000 in 90 s (1,111/s), is missed by a factor of 2.4 in the better run.
Why: what is left is CPU work, about 2.6 ms per credential in all (measured from /proc over
5,000 credentials): the signing processes 1.36 ms together (rendering 0.2 ms, compiled
eddsa-rdfc-2022 signing and writing JSON the rest), the job's process 1.0 ms (status claims,
three multi-row INSERTs, SQLite commits, the hooks' bookkeeping, SQLAlchemy), the pool's
start-up once. Two idle cores would give at most ~770/s; this machine's cores were shared with
other work (load average 5-7 on 2 cores), so the job got less than half of them. Memory stays
under 1 GiB (sum of the resident sets of the job, the forkserver and two workers; shared
pages counted in each).

### Where the time went before batching

cProfile of the same job (`microcred issue --csv` runs it) over 1,000 learners on SQLite, one
award at a time: 47.6 ms per credential under the profiler. Before batching, `make bench`
measured 93/s in-process (N = 1,000, without the hooks) and 16/s on 2 Celery workers.

| stage | ms per credential (profiled) | what the batch does instead |
| --- | ---: | --- |
| render Open Badges 3.0 | 1.5 | in the signing processes |
| safe-mode expansion check | ~0 | already skipped: rdfc signing of a known, safe shape |
| status entries (two claims, list and institution look-ups) | 5.8 | two claims per chunk |
| opening the sealed signing key, per credential | 3.2 | once per chunk |
| re-reading the specification version and issuer profile | 4.6 | once per chunk |
| signing (eddsa-rdfc-2022, compiled path) | 4.1 | in the signing processes |
| storing credential, award, owed hooks; savepoint; key look-ups | 5.5 | three multi-row INSERTs |
| running the hooks (claim e-mail, pathways) | 1.1 | pathway hook: accounts only |
| marking each hook done: one commit per award and hook | 13.9 | one UPDATE per 500 |

SQLite commits alone took 9.7 ms of it (8 per credential; now about 9 per chunk of 100). The
pathway auto-award hook was not quadratic: per award it looked up the learner's account and
the pathways (two indexed queries) and, for a learner with an account, verified that
learner's own credentials; it now asks once per chunk which learners have an account.
"""


if __name__ == "__main__":
    print(measure_bulk())
