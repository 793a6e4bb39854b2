"""What every command shares: exit codes, errors as one line, the global options, the database.

Every command reports a problem as one line (or one table of problems) and a non-zero exit
code, never a traceback: 1 when a specification is not compliant or an action was refused,
2 when the input cannot be read or is malformed. A command module adds its commands to the
``microcred`` command with one function, ``register(app)``, which ``cli.main`` calls.

Heavy libraries (SQLAlchemy, the services) are imported inside the functions that need them,
so ``microcred --help`` and ``microcred spec check`` start without them.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal, ParamSpec, Protocol, TypeVar

import typer
from rich.markup import escape

from microcred.cli.console import err, fail, print_problems

if TYPE_CHECKING:
    from microcred.config import Settings
    from microcred.domain.compliance.report import ComplianceIssue
    from microcred.services.catalogue import Catalogue
    from microcred.store.database import Database

EXIT_NOT_COMPLIANT = 1
EXIT_BAD_INPUT = 2

# Libraries of the `scale` extra (PostgreSQL, Celery, Redis), which the default install leaves out.
SCALE_PACKAGES = frozenset({"psycopg", "celery", "kombu", "redis"})

P = ParamSpec("P")
R = TypeVar("R")


class CommandModule(Protocol):
    """A module of commands: ``register`` adds them (or their group) to the ``microcred`` app."""

    def register(self, app: typer.Typer) -> None: ...


class CommandError(Exception):
    """A problem the user can fix; printed as one line, then the command exits with ``code``."""

    def __init__(self, message: str, code: int = EXIT_BAD_INPUT) -> None:
        super().__init__(message)
        self.code = code


class MalformedInput(Exception):
    """Input that cannot become a Specification; each problem names element and rule."""

    def __init__(self, source: str, issues: list[ComplianceIssue]) -> None:
        super().__init__(f"{source}: {len(issues)} problem(s)")
        self.source = source
        self.issues = issues


# --- errors as one line ---

# Returns the exception classes of one kind. A function, not a tuple, so that the module
# defining them is imported only when a command has failed.
ErrorClasses = Callable[[], tuple[type[Exception], ...]]


def translate_errors(
    *, bad_input: ErrorClasses | None = None, refused: ErrorClasses | None = None
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Return a decorator that prints a command's known problems as one line and an exit code.

    ``refused`` names the errors of an action that was refused (exit 1), ``bad_input`` those of
    input that cannot be used (exit 2). Besides those, every command reports the errors of this
    package, the catalogue's, unreadable files and database errors the same way.
    """

    def decorate(command: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(command)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            try:
                return command(*args, **kwargs)
            except Exception as error:
                if isinstance(error, typer.Exit | typer.Abort):
                    raise
                if refused is not None and isinstance(error, refused()):
                    fail(str(error), EXIT_NOT_COMPLIANT)
                if bad_input is not None and isinstance(error, bad_input()):
                    fail(str(error), EXIT_BAD_INPUT)
                _report_common(error)
                raise

        return wrapper

    return decorate


def _report_common(error: Exception) -> None:
    """Print an error every command may meet and exit; return if it is none of them."""
    if isinstance(error, MalformedInput):
        print_problems(error.source, error.issues)
        raise typer.Exit(EXIT_BAD_INPUT)
    if isinstance(error, CommandError):
        fail(str(error), error.code)
    if isinstance(error, OSError):
        fail(f"{error.filename or ''}: {error.strerror or error}".lstrip(": "), EXIT_BAD_INPUT)
    if isinstance(error, ModuleNotFoundError) and error.name in SCALE_PACKAGES:
        fail(
            f"the '{error.name}' package is not installed; install the scale extra: "
            "pip install 'microcred[scale]'",
            EXIT_BAD_INPUT,
        )
    from microcred.services.catalogue import CatalogueError, InvalidInput, PublishRefused

    if isinstance(error, PublishRefused):
        print_problems(f"specification {error.spec_id} cannot be published", error.issues)
        raise typer.Exit(EXIT_NOT_COMPLIANT)
    if isinstance(error, InvalidInput):
        fail(str(error), EXIT_BAD_INPUT)
    if isinstance(error, CatalogueError):
        fail(str(error), EXIT_NOT_COMPLIANT)
    if _is_database_error(error):
        fail(f"database problem: {_first_line(error)}", EXIT_BAD_INPUT)


def _is_database_error(error: Exception) -> bool:
    import sqlalchemy.exc

    return isinstance(error, sqlalchemy.exc.SQLAlchemyError)


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


# --- the global options ---


@dataclass(frozen=True)
class Options:
    """What the global options chose for every command."""

    database_url: str


def load_settings(config: Path | None = None) -> Settings:
    """Return the validated settings (``config`` names the TOML file, else MICROCRED_CONFIG);
    print each problem and exit 2 when they cannot be used."""
    from microcred.config import ConfigError, Settings, use_config_file

    if config is not None:
        use_config_file(config)
    try:
        settings = Settings()
    except ConfigError as error:
        err().print("[bold red]Error:[/] the configuration cannot be used:")
        for problem in error.problems:
            err().print(f"  {escape(problem)}")
        raise typer.Exit(EXIT_BAD_INPUT) from None
    return settings


def options(ctx: typer.Context) -> Options:
    """Return the global options of this run (the settings' own, when a test calls a command
    without the ``microcred`` callback)."""
    from microcred.config import current_settings

    found = ctx.find_root().obj
    if isinstance(found, Options):
        return found
    return Options(current_settings().database_url.get_secret_value())


def command_settings(ctx: typer.Context) -> Settings:
    """Return the settings with the database this run works on (``--db`` wins)."""
    from microcred.config import Settings

    return Settings(database_url=options(ctx).database_url)


# --- the database ---

# What `open_database` does about the schema: "current" migrates an embedded SQLite file and
# refuses an out-of-date server database; "upgrade" migrates any; "as-is" leaves it alone
# (for commands that check or replace the schema themselves).
Schema = Literal["current", "upgrade", "as-is"]


def open_database(ctx: typer.Context, schema: Schema = "current") -> Database:
    """Return the database this run works on (``--db``, else the settings').

    By default at the newest schema: an embedded SQLite database (a file in the data dir)
    migrates itself, so a fresh data dir works at once; a server database is migrated only by
    ``microcred db upgrade``, which its operator runs on purpose.
    """
    from microcred.store.database import Database

    database = Database(options(ctx).database_url)
    if schema == "as-is" or (schema == "current" and database.is_current()):
        return database
    if schema == "upgrade" or database.url.get_backend_name() == "sqlite":
        database.upgrade()
        return database
    raise CommandError(
        f"the database {database.url.render_as_string(hide_password=True)} is not up to date;"
        " run 'microcred db upgrade' first"
    )


def open_catalogue(ctx: typer.Context, schema: Schema = "current") -> Catalogue:
    """Return the catalogue of specifications and institutions in this run's database."""
    from microcred.services.catalogue import Catalogue

    return Catalogue(open_database(ctx, schema))
