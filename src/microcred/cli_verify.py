"""`microcred verify FILE|URL|-`: check a credential and print the report as a table.

Exit codes: 0 verified, 1 failed (forged, expired, malformed...), 2 the input cannot be read
at all (no such file, link unreachable), 3 intact but from an issuer outside the registry.
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from microcred.config import Settings
from microcred.verify import (
    CheckStatus,
    TrustRegistry,
    TrustRegistryError,
    Verdict,
    VerificationReport,
    verify_credential,
)
from microcred.verify.fetch import FetchError, fetch_credential
from microcred.verify.parse import MAX_BYTES

EXIT_CODES = {Verdict.verified: 0, Verdict.failed: 1, Verdict.verified_untrusted_issuer: 3}
EXIT_UNREADABLE = 2
STYLES = {
    CheckStatus.ok: "green",
    CheckStatus.failed: "bold red",
    CheckStatus.skipped: "dim",
    CheckStatus.untrusted: "yellow",
    CheckStatus.warning: "yellow",
}


def verify(
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
    """Verify a credential (JSON-LD or vc+jwt) and print every check with its reason."""
    errors = Console(stderr=True, highlight=False, emoji=False)
    try:
        registry = _registry(trusted_issuers)
        data = read_source(source)
    except (OSError, FetchError, TrustRegistryError) as error:
        errors.print(f"[bold red]Error:[/] {escape(_message(error))}")
        raise typer.Exit(EXIT_UNREADABLE) from None
    report = verify_credential(data, trust=registry)
    if as_json:
        sys.stdout.write(report.model_dump_json(indent=2) + "\n")
    else:
        print_report(report, source)
    raise typer.Exit(EXIT_CODES[report.verdict])


def read_source(source: str) -> bytes:
    """Return the bytes of a file, a link's body or stdin, at most one byte over the cap."""
    if source == "-":
        return sys.stdin.buffer.read(MAX_BYTES + 1)
    if "://" in source:  # a link: only http(s) ones are fetched
        return fetch_credential(source)
    with Path(source).open("rb") as file:
        return file.read(MAX_BYTES + 1)


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
    style = {"verified": "bold green", "failed": "bold red"}.get(report.verdict, "bold yellow")
    console.print(f"[{style}]{escape(report.summary)}[/]")


def _registry(path: Path | None) -> TrustRegistry:
    chosen = str(path) if path else Settings().trusted_issuers_file
    return TrustRegistry.load(chosen) if chosen else TrustRegistry()


def _message(error: Exception) -> str:
    if isinstance(error, OSError):
        return f"{error.filename or ''}: {error.strerror or error}".lstrip(": ")
    return str(error)
