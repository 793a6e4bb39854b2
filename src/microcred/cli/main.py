"""The ``microcred`` command: its global options, and every command module registered in turn.

Each module of ``microcred.cli`` adds its commands with ``register(app)``; this is the only
place that knows them all. The modules import heavy libraries inside their commands, so
``microcred --help`` loads none of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import typer

from microcred.cli import (
    accounts,
    audit,
    awards,
    backup,
    contexts,
    credentials,
    database,
    demo,
    derive,
    edc,
    finder,
    gdpr,
    institutions,
    keys,
    mapping,
    ops,
    pathways,
    serve,
    spec,
    trust,
    verify,
)
from microcred.cli.common import CommandModule, Options, load_settings

app = typer.Typer(
    name="microcred",
    help="Describe, check and publish EU micro-credentials.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,  # plain help: "--publish  Publish …", not a "<bool>" type column
)

# In the order `microcred --help` lists them.
COMMAND_MODULES: Sequence[CommandModule] = (
    spec,
    database,
    verify,
    serve,
    demo,
    keys,
    edc,
    trust,
    credentials,
    audit,
    institutions,
    mapping,
    awards,
    accounts,
    backup,
    pathways,
    finder,
    gdpr,
    ops,
    contexts,
    derive,
)


@app.callback()
def main(
    ctx: typer.Context,
    db: str | None = typer.Option(
        None,
        "--db",
        metavar="URL",
        help="Database URL (default: MICROCRED_DATABASE_URL, else a SQLite file in the data dir).",
    ),
    config: Path | None = typer.Option(
        None,
        "--config",
        metavar="FILE",
        help="TOML file of settings (default: MICROCRED_CONFIG); the environment wins over it.",
    ),
) -> None:
    """Describe, check and publish EU micro-credentials."""
    from microcred.formats.jsonld import use_operator_contexts

    settings = load_settings(config)
    use_operator_contexts(settings.contexts_dir)
    ctx.obj = Options(database_url=db or settings.database_url.get_secret_value())


def _register_all() -> None:
    for module in COMMAND_MODULES:
        module.register(app)


_register_all()
