"""``microcred award``, ``microcred issue --csv`` and ``microcred worker``.

- ``award SPEC_ID --name ... --email ...`` awards one learner (idempotent: the same learner and
  attempt again prints the award made before).
- ``issue --csv FILE --spec ID`` previews a gradebook (every bad row with its reasons), asks to
  go on (``--yes`` does not ask), then awards the good rows as a job with a progress bar. The
  job runs in this process, or on Celery workers when MICROCRED_BROKER_URL is set. Running the
  same command again after a crash resumes the job; nobody is awarded twice.
- ``worker`` starts a Celery worker for jobs (MICROCRED_BROKER_URL and a shared database).
"""

from __future__ import annotations

import os
import time
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from microcred.cli.common import (
    EXIT_NOT_COMPLIANT,
    CommandError,
    command_settings,
    open_database,
    translate_errors,
)
from microcred.cli.console import err, out

if TYPE_CHECKING:
    from microcred.jobs.context import JobContext

SPEC = typer.Option(..., "--spec", help="The specification's id.")
VERSION = typer.Option(None, "--version", help="Version to award (default: the published one).")


def register(app: typer.Typer) -> None:
    """Add ``award``, ``issue`` and ``worker`` to the ``microcred`` command."""
    app.command("award")(award)
    app.command("issue")(issue)
    app.command("worker")(worker)


def _award_problems() -> tuple[type[Exception], ...]:
    """Return the errors of a refused award or an unreadable gradebook (exit code 2)."""
    from microcred.services.awards import AwardError
    from microcred.services.bulk.gradebook import GradebookUnreadable
    from microcred.services.issuing import IssuingError

    return (AwardError, IssuingError, GradebookUnreadable)


def _context(ctx: typer.Context) -> JobContext:
    from microcred.jobs.context import job_context

    return job_context(command_settings(ctx), open_database(ctx))


def _date(text: str | None, option: str) -> date | None:
    from microcred.services.bulk.preview import parse_date

    if text is None:
        return None
    parsed = parse_date(text)
    if parsed is None:
        raise CommandError(f"{option}: {text!r} is not a date; use 2025-03-01")
    return parsed


@translate_errors(bad_input=_award_problems)
def award(
    ctx: typer.Context,
    spec_id: str = typer.Argument(..., metavar="SPEC_ID", help="The specification's id."),
    name: str | None = typer.Option(None, "--name", help="The learner's full name."),
    email: str | None = typer.Option(None, "--email", help="The learner's e-mail address."),
    institutional_id: str | None = typer.Option(None, "--institutional-id"),
    did: str | None = typer.Option(None, "--did", help="The learner's DID."),
    date_of_birth: str | None = typer.Option(None, "--date-of-birth"),
    language: str | None = typer.Option(None, "--language", help="For e-mails, e.g. 'de'."),
    grade: str | None = typer.Option(None, "--grade"),
    awarded_on: str | None = typer.Option(None, "--awarded-on", help="Default: today."),
    attempt: int = typer.Option(1, "--attempt", help="A second attempt is a new award."),
    version: int | None = VERSION,
) -> None:
    """Award a published specification to one learner and print the credential's id."""
    from pydantic import ValidationError

    from microcred.services.award_input import LearnerInput

    try:
        learner = LearnerInput(
            name=name,
            email=email,
            institutional_id=institutional_id,
            did=did,
            date_of_birth=_date(date_of_birth, "--date-of-birth"),
            language=language,
        )
    except ValidationError as error:
        raise CommandError(str(error.errors()[0]["msg"])) from None
    awards = _context(ctx).awards
    record, made_now = awards.award_once(
        spec_id,
        version,
        learner,
        grade=grade,
        awarded_on=_date(awarded_on, "--awarded-on"),
        attempt=attempt,
    )
    out().print(f"{'Awarded' if made_now else 'Already awarded'}: award {record.id}")
    out().print(f"credential {escape(record.credential_id)}")


@translate_errors(bad_input=_award_problems)
def issue(
    ctx: typer.Context,
    csv: Path = typer.Option(..., "--csv", exists=True, dir_okay=False, help="CSV or XLSX file."),
    spec_id: str = SPEC,
    version: int | None = VERSION,
    awarded_on: str | None = typer.Option(None, "--awarded-on", help="Date of rows giving none."),
    by: str = typer.Option("cli", "--by", help="Who is issuing (recorded on the job)."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Issue without asking."),
) -> None:
    """Award a specification to every good row of a gradebook, as a resumable job."""
    from microcred.jobs.bulk import bulk_job
    from microcred.jobs.model import job_failures
    from microcred.services.bulk.gradebook import read_gradebook
    from microcred.services.bulk.preview import preview_gradebook

    context = _context(ctx)
    record = context.awards.issuable(spec_id, version)
    today = date.today()
    with csv.open("rb") as stream:
        gradebook = read_gradebook(stream, csv.name)
    preview = preview_gradebook(
        gradebook, record, awarded_on=_date(awarded_on, "--awarded-on") or today, today=today
    )
    out().print(
        f"{csv.name} ({preview.layout} layout): {len(preview.accepted)} row(s) to award, "
        f"{len(preview.rejected)} with problems"
    )
    if preview.rejected:
        _print_rejected([row.to_failure() for row in preview.rejected])
    if not preview.accepted:
        raise CommandError("no row can be awarded; fix the rows above", EXIT_NOT_COMPLIANT)
    if not yes and not typer.confirm(f"Award {len(preview.accepted)} learner(s)?"):
        raise typer.Exit(1)
    context.awards.prepare(record)
    job = bulk_job(context.db, "bulk-award", preview, record, actor=by)
    job = _run_with_progress(context, job.id)
    out().print(
        f"Job {job.id} {job.state}: {job.done} issued, {job.unchanged} issued before, "
        f"{job.failed} failed"
    )
    if job.failed:
        _print_rejected(job_failures(context.db, job.id))
    if job.state != "done":
        raise typer.Exit(EXIT_NOT_COMPLIANT)


def _run_with_progress(context: Any, job_id: str) -> Any:
    from microcred.jobs.model import job_view
    from microcred.jobs.runner import configured_broker_url
    from microcred.jobs.running import run_job

    columns = (
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[failed]} failed"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=err()) as progress:
        job = job_view(context.db, job_id)
        bar = progress.add_task("Issuing", total=job.total, completed=job.processed, failed=0)

        def show(now: Any) -> None:
            progress.update(bar, completed=now.processed, failed=now.failed)

        if configured_broker_url():
            from microcred.jobs.celery_app import CeleryRunner

            CeleryRunner(context).submit(job_id)
            while not job.finished:
                time.sleep(0.5)
                job = job_view(context.db, job_id)
                show(job)
            return job
        job = run_job(context, job_id, progress=show)
        show(job)
        return job


def _print_rejected(failures: list[dict[str, Any]]) -> None:
    table = Table("row", "problem", show_edge=False, box=None)
    for failure in failures:
        table.add_row(str(failure["row"]), escape(failure["reason"]))
    err().print(table)


@translate_errors()
def worker(
    concurrency: int = typer.Option(1, "--concurrency", "-c", help="Processes in this worker."),
    loglevel: str = typer.Option("info", "--loglevel"),
    name: str = typer.Option(
        "",
        "--name",
        "-n",
        help="Celery node name (default: microcred-<process id>@<host>, unique on this host).",
    ),
) -> None:
    """Start a Celery worker doing jobs (needs MICROCRED_BROKER_URL and a shared database).

    Every worker needs a node name of its own: on RabbitMQ a second worker with the same name
    cannot declare its control queue and stops, so the default includes the process id.
    """
    from microcred.jobs.runner import configured_broker_url

    if not configured_broker_url():
        raise CommandError(
            "set MICROCRED_BROKER_URL (e.g. redis://127.0.0.1:6379/0) to start a worker; "
            "without it jobs run inside 'microcred serve' and 'microcred issue'"
        )
    from microcred.jobs.celery_app import celery

    node = name or f"microcred-{os.getpid()}@%h"
    celery.worker_main(
        [
            "worker",
            f"--concurrency={concurrency}",
            f"--loglevel={loglevel}",
            f"--hostname={node}",
            "--without-gossip",
        ]
    )
