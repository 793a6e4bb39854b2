"""``microcred db upgrade``: create or migrate the database schema, on purpose."""

from __future__ import annotations

import typer

from microcred.cli.common import open_database, translate_errors
from microcred.cli.console import out

db_app = typer.Typer(help="Manage the database.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add ``microcred db`` to the command line."""
    app.add_typer(db_app, name="db")


@db_app.command("upgrade")
@translate_errors()
def db_upgrade(ctx: typer.Context) -> None:
    """Create or migrate the database schema to the newest version."""
    database = open_database(ctx, "upgrade")
    out().print(f"Database {database.url.render_as_string(hide_password=True)} is up to date.")
