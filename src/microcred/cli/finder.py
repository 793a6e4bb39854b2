"""``microcred finder``: rebuild the finder's index; e-mail learners whose saved course opens.

    microcred finder reindex
    microcred finder notify [--today 2026-03-02] [--language de] [--dry-run]

``notify`` is meant to run daily (cron): a learner hears once per saved course and start date,
when that date is less than 30 days away.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import typer

from microcred.cli.common import CommandError, open_catalogue, translate_errors
from microcred.cli.console import out

finder_app = typer.Typer(help="The learners' course finder.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add ``microcred finder`` to the command line."""
    app.add_typer(finder_app, name="finder")


@finder_app.command("reindex")
@translate_errors()
def reindex(ctx: typer.Context) -> None:
    """Rebuild the finder's index of published courses from the catalogue."""
    from microcred.services.finder import Finder

    finder = Finder(open_catalogue(ctx).db)
    count = finder.index.reindex()
    out().print(f"{count} published course(s) in the finder's index")


@finder_app.command("notify")
@translate_errors()
def notify(
    ctx: typer.Context,
    today: str = typer.Option("", help="the day to judge from, YYYY-MM-DD (default: today, UTC)"),
    language: str = typer.Option("en", help="language of the e-mails (en or de)"),
    dry_run: bool = typer.Option(False, "--dry-run", help="list who would be told; send nothing"),
) -> None:
    """E-mail each learner whose saved course starts within 30 days (once per start date)."""
    from microcred.config import Settings
    from microcred.domain.specification import localise
    from microcred.services.delivery.smtp import MailNotConfigured
    from microcred.services.finder import Finder
    from microcred.services.finder.openings import Openings

    try:
        day = date.fromisoformat(today) if today else datetime.now(UTC).date()
    except ValueError:
        raise CommandError(f"--today '{today}' is not a date; use YYYY-MM-DD") from None
    catalogue = open_catalogue(ctx)
    openings = Openings(Finder(catalogue.db), Settings())
    try:
        found = openings.due(day) if dry_run else openings.notify(day, language)
    except MailNotConfigured as missing:
        raise CommandError(str(missing)) from None
    verb = "would tell" if dry_run else "told"
    for opening in found:
        title = localise(opening.offer.title, language)
        out().print(f"{verb} {opening.email}: '{title}' starts on {opening.start.isoformat()}")
    out().print(f"{len(found)} e-mail(s) {'due' if dry_run else 'sent'}")
