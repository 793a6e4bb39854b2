"""``microcred backup FILE`` and ``microcred restore FILE``: the database in one portable file."""

from __future__ import annotations

from pathlib import Path

import typer

from microcred.cli.common import CommandError, open_database, translate_errors
from microcred.cli.console import out


def register(app: typer.Typer) -> None:
    """Add ``microcred backup`` and ``microcred restore`` to the command line."""
    app.command("backup")(backup_command)
    app.command("restore")(restore_command)


@translate_errors()
def backup_command(
    ctx: typer.Context,
    file: Path = typer.Argument(
        ..., metavar="FILE", help="The backup file to write (a zip archive)."
    ),
    force: bool = typer.Option(False, "--force", help="Overwrite FILE if it exists."),
) -> None:
    """Write every table (issuer keys sealed, as stored) to FILE; the KEK is not in it."""
    from microcred.services.backup import BackupError, backup

    if file.exists() and not force:
        raise CommandError(f"{file} exists; choose another name or pass --force to replace it")
    partial = file.with_name(file.name + ".partial")
    try:
        summary = backup(open_database(ctx, "as-is"), partial)
    except BackupError as error:
        partial.unlink(missing_ok=True)
        raise CommandError(str(error)) from None
    partial.replace(file)
    out().print(
        f"Backed up {summary.rows} row(s) of {len(summary.tables)} table(s) at schema "
        f"{summary.schema_revision} to {file}. The key-encryption key is not in the backup: "
        "keep MICROCRED_KEK (or the kek.key file) safe apart from it."
    )


@translate_errors()
def restore_command(
    ctx: typer.Context,
    file: Path = typer.Argument(
        ..., metavar="FILE", exists=True, dir_okay=False, help="A microcred backup."
    ),
) -> None:
    """Load FILE into an empty database (a database holding any row is refused)."""
    from microcred.services.backup import BackupError, restore

    try:
        summary = restore(open_database(ctx, "as-is"), file)
    except BackupError as error:
        raise CommandError(str(error)) from None
    out().print(
        f"Restored {summary.rows} row(s) of {len(summary.tables)} table(s) from {file}. "
        "Signing needs the same key-encryption key (MICROCRED_KEK) as the instance backed up."
    )
