"""``microcred config show`` and ``microcred doctor``: the configuration, and whether it works.

- ``config show`` prints every setting with where it came from (environment, file, default),
  secrets masked.
- ``doctor`` checks database, migrations, broker, Redis, keys (a sealed key must open with the
  KEK), SMTP, the base URL and the session key; each problem comes with what to fix. It exits
  with 1 when a check failed (warnings alone exit 0).
"""

from __future__ import annotations

import json

import typer
from rich.markup import escape

from microcred.cli.common import EXIT_NOT_COMPLIANT, load_settings, open_database, translate_errors
from microcred.cli.console import err, out

config_app = typer.Typer(help="Show the effective configuration.", no_args_is_help=True)
COLOURS = {"ok": "green", "warning": "yellow", "failed": "red"}


def register(app: typer.Typer) -> None:
    """Add ``config show`` and ``doctor`` to the ``microcred`` command."""
    app.add_typer(config_app, name="config")
    app.command("doctor")(doctor)


@config_app.command("show")
@translate_errors()
def config_show(
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """Print the effective configuration, secrets masked, with where each value came from."""
    from microcred.config import setting_sources

    settings = load_settings()
    shown, origin = settings.shown(), setting_sources()
    if as_json:
        typer.echo(json.dumps(shown, indent=2))
        return
    # TOML lines: the output, trimmed of masked secrets, can start a config file.
    for name, value in shown.items():
        out().print(f"{name} = {escape(json.dumps(value))}  [dim]# {escape(origin[name])}[/]")


@translate_errors()
def doctor(ctx: typer.Context) -> None:
    """Check database, migrations, broker, keys, SMTP and base URL; say what to fix."""
    from microcred.observability.checks import (
        check_base_url,
        check_broker,
        check_database,
        check_kek,
        check_migrations,
        check_redis,
        check_secret_key,
        check_smtp,
    )

    settings = load_settings()
    database = open_database(ctx, "as-is")
    reached = check_database(database)
    checks = [reached]
    if not reached.failed:
        checks.append(check_migrations(database))
    if not checks[-1].failed:  # the keys are read from the current schema
        checks.append(check_kek(database, settings))
    checks += [
        check_broker(settings.broker_url),
        check_redis(settings.redis_url),
        check_smtp(settings),
        check_base_url(settings),
        check_secret_key(settings),
    ]
    database.dispose()
    for check in checks:
        colour = COLOURS[str(check.outcome)]
        out().print(
            f"[{colour}]{check.outcome:<8}[/] [bold]{check.name}[/]: {escape(check.detail)}",
            soft_wrap=True,
        )
        if check.fix:
            out().print(f"         to fix: {escape(check.fix)}", soft_wrap=True)
    failed = [check.name for check in checks if check.failed]
    if failed:
        err().print(f"[bold red]{len(failed)} check(s) failed:[/] {', '.join(failed)}")
        raise typer.Exit(EXIT_NOT_COMPLIANT)
    out().print("[green]Nothing failed.[/]")
