"""``microcred serve``: the web app and the API, in one process or several sharing a port."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from microcred.cli.common import EXIT_NOT_COMPLIANT, CommandError, options, translate_errors
from microcred.cli.console import out

if TYPE_CHECKING:
    from microcred.store.database import Database


def register(app: typer.Typer) -> None:
    """Add ``microcred serve`` to the command line."""
    app.command("serve")(serve)


@translate_errors()
def serve(
    ctx: typer.Context,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", help="Port to listen on."),
    db: str | None = typer.Option(None, "--db", metavar="URL", help="Database URL."),
    migrate: bool = typer.Option(
        False, "--migrate", help="Migrate an out-of-date schema first (else refuse to start)."
    ),
    workers: int = typer.Option(
        1,
        "--workers",
        min=1,
        help="Server processes sharing the port (one per core); settings from the environment.",
    ),
    ssl_certfile: Path | None = typer.Option(
        None, "--ssl-certfile", help="Serve HTTPS with this PEM certificate (chain)."
    ),
    ssl_keyfile: Path | None = typer.Option(
        None, "--ssl-keyfile", help="... and this PEM private key (both or neither)."
    ),
) -> None:
    """Serve the web catalogue, the designer and the API (on a current schema; see --migrate)."""
    from microcred.cli.tls import TlsFilesUnusable, tls_options
    from microcred.store.database import Database

    try:
        tls = tls_options(ssl_certfile, ssl_keyfile)
    except TlsFilesUnusable as error:
        raise CommandError(str(error)) from None
    url = db or options(ctx).database_url
    if workers > 1:
        _run_workers(Database(url), url, host, port, workers, migrate=migrate, tls=tls)
    else:
        run_server(Database(url), url, host, port, migrate=migrate, tls=tls)


# On SIGTERM the server stops accepting, lets requests in flight finish for this long, then
# exits anyway (a verification stops itself within its own, shorter, time budget).
SHUTDOWN_GRACE_SECONDS = 15
# With --workers, uvicorn restarts a process that has not started, or not answered its
# health check, within this long (its default, 5 s, kills processes that start slowly on a
# loaded machine: importing the app is seconds of CPU).
WORKER_HEALTHCHECK_SECONDS = 90


def run_server(
    database: Database,
    url: str,
    host: str,
    port: int,
    demo_accounts: list[Any] | None = None,
    *,
    migrate: bool,
    tls: dict[str, str] | None = None,
    base_url: str | None = None,
) -> None:
    import uvicorn

    from microcred.app import create_app
    from microcred.config import Settings
    from microcred.observability.log_format import configure_logging
    from microcred.observability.schema import SchemaOutOfDate

    # Only `microcred demo` passes demo accounts: its e-mail then goes to the demo outbox.
    # `base_url`: the demo's links lead to where it serves (else the configured one, as usual).
    chosen = {"base_url": base_url} if base_url else {}
    settings = Settings(database_url=url, demo_mode=demo_accounts is not None, **chosen)
    configure_logging(settings)
    try:
        app = create_app(settings=settings, database=database, migrate=migrate)
    except SchemaOutOfDate as error:
        raise CommandError(str(error)) from None
    _refuse_unusable_keys(app.state.key_check)
    out().print(f"Serving microcred on {_scheme(tls)}://{host}:{port}/ (Ctrl+C to stop)")
    # Only `microcred demo` sets this: the login page then shows the demo accounts.
    app.state.demo_accounts = demo_accounts
    app.state.preload_model = True  # recognition's model loads in the background at start-up
    uvicorn.run(app, host=host, port=port, **_serving_options(tls or {}))


def _refuse_unusable_keys(key_check: Any) -> None:
    """Stop before serving when the KEK cannot open the issuer keys: every signing would fail,
    while the server looked ready."""
    if key_check.failed:
        raise CommandError(
            f"not serving: {key_check.detail}. To fix: {key_check.fix}", code=EXIT_NOT_COMPLIANT
        )


def _scheme(tls: dict[str, str] | None) -> str:
    return "https" if tls else "http"


def _serving_options(tls: dict[str, str]) -> dict[str, Any]:
    """Return the uvicorn options every way of serving shares: TLS files, and no access log
    (our middleware logs each request without the client's address or query)."""
    return {
        "log_config": None,
        "access_log": False,
        "timeout_graceful_shutdown": SHUTDOWN_GRACE_SECONDS,
        "timeout_worker_healthcheck": WORKER_HEALTHCHECK_SECONDS,
        **tls,
    }


def _run_workers(
    database: Database,
    url: str,
    host: str,
    port: int,
    workers: int,
    *,
    migrate: bool,
    tls: dict[str, str],
) -> None:
    """Serve with `workers` processes on one port, each its own app from the environment.

    The schema is checked (and migrated, if asked) once here, before any process starts.
    Each process keeps its own metrics, and its own rate-limit counters unless
    MICROCRED_REDIS_URL shares them; jobs are claimed through the database, so every process
    may run them.
    """
    import uvicorn

    from microcred.config import ConfigError, Settings, current_settings, use_database_url
    from microcred.observability.checks import check_kek
    from microcred.observability.log_format import configure_logging
    from microcred.observability.schema import SchemaOutOfDate, ensure_current_schema

    settings = Settings(database_url=url)
    configure_logging(settings)
    try:
        ensure_current_schema(database, migrate=migrate or settings.auto_migrate)
    except SchemaOutOfDate as error:
        raise CommandError(str(error)) from None
    _refuse_unusable_keys(check_kek(database, settings))
    database.dispose()
    # The processes read their own settings: --db must reach them too.
    if url != current_settings().database_url.get_secret_value():
        try:
            use_database_url(url)
        except ConfigError as error:
            raise CommandError("; ".join(error.problems)) from None
    out().print(f"Serving microcred on {_scheme(tls)}://{host}:{port}/ with {workers} processes")
    uvicorn.run(
        "microcred.app:app_from_environment",
        factory=True,
        workers=workers,
        host=host,
        port=port,
        **_serving_options(tls),
    )
