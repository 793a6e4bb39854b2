"""`microcred verify FILE|URL|-`: check a credential and print the report as a table.

It verifies as this installation does (`services.verifier.InstanceVerifier`): the trusted-issuers
file plus, when the installation's database can be read, our own institutions, their keys and
status lists. Exit codes (one per outcome; the issuer's trust is printed, not coded):

- 0 verified (trusted or not: see "issuer" in the output, ``trust`` in ``--json``)
- 1 invalid: a check failed (forged, revoked, expired, malformed...)
- 2 indeterminate: could not be checked (a key or status list not fetched, a budget run out)
- 3 usage or input error: bad arguments, no such file, link not fetched, bad trusted-issuers file
- 4 any other error
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from typer.core import TyperCommand

if TYPE_CHECKING:
    from microcred.services.verifier import InstanceVerifier
    from microcred.store.database import Database
    from microcred.verify import TrustRegistry, VerificationReport

# The outcomes and check statuses of `microcred.verify.report` by their values: that package
# (the whole pipeline) is imported only when a credential is verified.
EXIT_CODES = {"verified": 0, "invalid": 1, "indeterminate": 2}
EXIT_USAGE = 3
EXIT_OTHER = 4
STYLES = {
    "ok": "green",
    "failed": "bold red",
    "skipped": "dim",
    "untrusted": "yellow",
    "warning": "yellow",
    "indeterminate": "bold yellow",
}
OUTCOME_STYLES = {"verified": "bold green", "invalid": "bold red", "indeterminate": "bold yellow"}


# Click's UsageError as Typer raises it (Typer may bundle its own click; it exports only the
# subclass BadParameter).
UsageError = cast("type[Exception]", typer.BadParameter.__base__)


class VerifyCommand(TyperCommand):
    """The verify command, whose usage errors exit with `EXIT_USAGE` (click's default is 2,
    which here means indeterminate)."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except UsageError as error:
            error.exit_code = EXIT_USAGE  # type: ignore[attr-defined]
            raise


def register(app: typer.Typer) -> None:
    """Add ``microcred verify`` to the command line."""
    app.command("verify", cls=VerifyCommand)(verify)


def verify(
    ctx: typer.Context,
    source: str = typer.Argument(
        ..., metavar="SOURCE", help="A credential file, an http(s) link, or - for stdin."
    ),
    trusted_issuers: Path | None = typer.Option(
        None,
        "--trusted-issuers",
        help="TOML or JSON list of trusted issuers (default: MICROCRED_TRUSTED_ISSUERS).",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> None:
    """Verify a credential (JSON-LD, vc+jwt, PDF certificate, baked PNG/SVG) and print each check.

    Exit codes: 0 verified (the issuer may be untrusted: see the output), 1 invalid (a check
    failed), 2 indeterminate (could not be checked: a key or status list not fetched, a budget
    run out), 3 usage or input error, 4 other error.
    """
    from sqlalchemy.exc import SQLAlchemyError

    from microcred.verify import TrustRegistryError
    from microcred.verify.fetch import FetchError

    errors = Console(stderr=True, highlight=False, emoji=False)
    try:
        listed = _listed(trusted_issuers)
        data = read_source(source)
    except (OSError, FetchError, TrustRegistryError) as error:
        errors.print(f"[bold red]Error:[/] {escape(_message(error))}")
        raise typer.Exit(EXIT_USAGE) from None
    try:
        report = _instance_verifier(ctx, listed, errors).verify(data)
    except SQLAlchemyError as error:  # the installation's database answered with an error
        errors.print(f"[bold red]Error:[/] the database cannot be read: {escape(str(error))}")
        raise typer.Exit(EXIT_OTHER) from None
    if as_json:
        sys.stdout.write(report.model_dump_json(indent=2) + "\n")
    else:
        print_report(report, source)
    raise typer.Exit(EXIT_CODES[report.outcome])


def read_source(source: str) -> bytes:
    """Return the bytes of a file, a link's body or stdin, at most one byte over the cap."""
    from microcred.verify.fetch import fetch_credential
    from microcred.verify.parse import MAX_FILE_BYTES

    if source == "-":
        return sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
    if "://" in source:  # a link: only http(s) ones are fetched
        return fetch_credential(source)
    with Path(source).open("rb") as file:
        return file.read(MAX_FILE_BYTES + 1)


def print_report(report: VerificationReport, source: str) -> None:
    console = Console(highlight=False, emoji=False)
    table = Table(title=escape(source), title_justify="left")
    table.add_column("check", style="bold", no_wrap=True)
    table.add_column("status", no_wrap=True)
    table.add_column("reason", overflow="fold")
    for check in report.checks:
        style = STYLES[check.status]
        table.add_row(check.name, f"[{style}]{check.status}[/]", escape(check.reason))
    console.print(table)
    console.print(f"[{OUTCOME_STYLES[report.outcome]}]{escape(report.summary)}[/]")
    console.print(f"outcome: {report.outcome}; issuer: {report.trust}")


def _listed(path: Path | None) -> TrustRegistry:
    """Return the trusted issuers of ``--trusted-issuers``, else of the settings' file."""
    from microcred.config import Settings
    from microcred.verify import TrustRegistry

    chosen = str(path) if path else Settings().trusted_issuers_file
    return TrustRegistry.load(chosen) if chosen else TrustRegistry()


def _instance_verifier(
    ctx: typer.Context, listed: TrustRegistry, errors: Console
) -> InstanceVerifier:
    """Return this installation's verifier: with its database when there is one to read."""
    # Imported here, as the other commands do: `microcred --help` need not load the services.
    from microcred.config import Settings
    from microcred.services.issuer_keys import IssuerKeys
    from microcred.services.status import StatusLists
    from microcred.services.verifier import InstanceVerifier

    url = str(getattr(ctx.find_root().obj, "database_url", None) or Settings().database_url)
    settings = Settings(database_url=url)
    database = _installation_database(url, errors)
    if database is None:
        return InstanceVerifier(None, None, settings, trust=listed)
    keys = IssuerKeys(database, settings)
    return InstanceVerifier(keys, StatusLists(database, keys, settings), settings, trust=listed)


def _installation_database(url: str, errors: Console) -> Database | None:
    """Return the installation's database if one exists and is up to date, else None (saying
    so on stderr when there is a database that cannot be used).

    A SQLite file that does not exist is not created: verifying must not leave a database
    behind where there was no installation.
    """
    from sqlalchemy import make_url
    from sqlalchemy.exc import SQLAlchemyError

    from microcred.store.database import Database

    parsed = make_url(url)
    missing_file = not parsed.database or not Path(parsed.database).expanduser().is_file()
    if parsed.get_backend_name() == "sqlite" and missing_file:
        return None
    database = Database(url)
    try:
        current = database.is_current()
    except SQLAlchemyError:  # unreachable or not a microcred database
        current = False
    if not current:
        database.dispose()
        errors.print(
            "[yellow]Note:[/] the database cannot be read or is not up to date; this "
            "installation's own issuers, keys and status lists are not consulted"
        )
        return None
    return database


def _message(error: Exception) -> str:
    if isinstance(error, OSError):
        return f"{error.filename or ''}: {error.strerror or error}".lstrip(": ")
    return str(error)
