"""``microcred contexts``: pin extra JSON-LD contexts in the operator's folder, and list them.

The folder is the ``contexts_dir`` setting (``MICROCRED_CONTEXTS_DIR``). ``add`` copies a
context file into it and records its SHA-256; signing and verifying then resolve that URL
offline, and refuse it if the file changes. The package's own pins always win.
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table

from microcred.cli.common import CommandError, load_settings, translate_errors
from microcred.cli.console import out

contexts_app = typer.Typer(
    help="Pin extra JSON-LD contexts for signing and verifying offline.", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    """Add ``microcred contexts`` to the command line."""
    app.add_typer(contexts_app, name="contexts")


def _folder() -> Path:
    folder = load_settings().contexts_dir
    if not folder:
        raise CommandError(
            "no contexts folder is set: set MICROCRED_CONTEXTS_DIR (or contexts_dir in the "
            "config file) to the folder that keeps the pinned contexts"
        )
    return Path(folder)


@contexts_app.command("add")
@translate_errors()
def add(
    file: Path = typer.Argument(
        ..., metavar="FILE", help="The context file (JSON with '@context')."
    ),
    url: str = typer.Option(..., "--url", help="The URL credentials name it by."),
) -> None:
    """Copy a context file into the contexts folder and record its SHA-256."""
    from microcred.formats.jsonld import is_package_pinned
    from microcred.formats.jsonld.operator_contexts import OperatorContextError, add_context

    if is_package_pinned(url):
        raise CommandError(f"{url} is pinned by microcred itself; its own copy is always used")
    folder = _folder()
    try:
        pinned, new = add_context(folder, file, url)
    except OperatorContextError as error:
        raise CommandError(str(error)) from None
    verb = "Pinned" if new else "Already pinned"
    out().print(f"{verb} {escape(url)} as {escape(str(folder / pinned.file))}")
    out().print(f"sha256 {pinned.sha256}")


@contexts_app.command("list")
@translate_errors()
def list_contexts() -> None:
    """List the contexts pinned in the contexts folder, with their files and SHA-256."""
    from microcred.formats.jsonld.operator_contexts import OperatorContextError, read_index

    folder = _folder()
    try:
        index = read_index(folder)
    except OperatorContextError as error:
        raise CommandError(str(error)) from None
    table = Table(title=f"Contexts pinned in {escape(str(folder))}")
    for column in ("url", "file", "sha256"):
        table.add_column(column, no_wrap=True)
    for url, pinned in sorted(index.items()):
        table.add_row(escape(url), escape(pinned.file), pinned.sha256)
    out().print(table)
    out().print(f"{len(index)} context(s)")
