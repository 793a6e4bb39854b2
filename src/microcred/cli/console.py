"""Where every command prints: standard output for results, standard error for problems."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Column, Table

if TYPE_CHECKING:
    from microcred.domain.compliance.report import ComplianceIssue

# Width of output read by a program or a file rather than a terminal (unless COLUMNS says).
PIPED_WIDTH = 200


def out() -> Console:
    """Return a console on standard output (made per use, so it sees the current terminal)."""
    return _console(stderr=False)


def err() -> Console:
    """Return a console on standard error, for problems and progress."""
    return _console(stderr=True)


def _console(stderr: bool) -> Console:
    # "did:key:z6Mk…" is text, not an emoji; numbers and URLs are not coloured.
    console = Console(stderr=stderr, highlight=False, emoji=False)
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console.width = PIPED_WIDTH
    return console


def id_column() -> Column:
    """Return a table column of ids: what people copy into the next command, so each is
    shown whole on one line, never cut short (a new column per table: Rich fills it)."""
    return Column("id", no_wrap=True, min_width=36)


def fail(message: str, code: int) -> NoReturn:
    """Print ``message`` as one error line and end the command with exit code ``code``."""
    err().print(f"[bold red]Error:[/] {escape(message)}", soft_wrap=True)  # one line, any width
    raise typer.Exit(code)


def print_problems(source: str, issues: list[ComplianceIssue]) -> None:
    """Print each problem of some input as element, rule and message."""
    err().print(f"[bold red]Error:[/] {escape(source)}: {len(issues)} problem(s)")
    table = Table(show_edge=False, box=None, pad_edge=False)
    table.add_column("element", style="bold", overflow="fold")
    table.add_column("rule", no_wrap=True)
    table.add_column("message", overflow="fold")
    for issue in issues:
        table.add_row(escape(issue.element), escape(issue.rule), escape(issue.message))
    err().print(table)
