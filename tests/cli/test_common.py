"""What every command shares (`microcred.cli.common`): a known problem is one line and an exit
code, never a traceback; anything else is not hidden."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from microcred.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_NOT_COMPLIANT,
    Options,
    open_database,
    translate_errors,
)


class Refusal(Exception):
    pass


class BadValue(Exception):
    pass


class Unforeseen(Exception):
    pass


def refusals() -> tuple[type[Exception], ...]:
    return (Refusal,)


def bad_values() -> tuple[type[Exception], ...]:
    return (BadValue,)


RAISED: dict[str, Exception] = {
    "refusal": Refusal("the credential is revoked for good"),
    "bad": BadValue("--type must be Ed25519, P-256 or P-384"),
    "missing-file": FileNotFoundError(2, "No such file or directory", "course.yaml"),
    "no-driver": ModuleNotFoundError("No module named 'psycopg'", name="psycopg"),
    "unforeseen": Unforeseen("a bug"),
}


def command_app() -> typer.Typer:
    """Return an app of one command that raises what its argument names (or exits 3)."""
    app = typer.Typer()

    @app.command()
    @translate_errors(refused=refusals, bad_input=bad_values)
    def act(what: str) -> None:
        if what == "exit":
            raise typer.Exit(3)
        raise RAISED[what]

    return app


def run(what: str) -> tuple[int, str, BaseException | None]:
    result = CliRunner().invoke(command_app(), [what])
    return result.exit_code, result.output, result.exception


@pytest.mark.parametrize(
    ("what", "code", "message"),
    [
        ("refusal", EXIT_NOT_COMPLIANT, "Error: the credential is revoked for good"),
        ("bad", EXIT_BAD_INPUT, "Error: --type must be Ed25519, P-256 or P-384"),
        ("missing-file", EXIT_BAD_INPUT, "Error: course.yaml: No such file or directory"),
        ("no-driver", EXIT_BAD_INPUT, "pip install 'microcred[scale]'"),
    ],
)
def test_a_known_problem_is_one_line_and_an_exit_code(what: str, code: int, message: str) -> None:
    exit_code, output, _ = run(what)
    assert exit_code == code
    assert message in output
    assert "Traceback" not in output


def test_an_exit_of_the_command_passes_through() -> None:
    exit_code, output, _ = run("exit")
    assert exit_code == 3
    assert output == ""


def test_an_unforeseen_error_is_not_hidden() -> None:
    exit_code, _, exception = run("unforeseen")
    assert exit_code == 1
    assert isinstance(exception, Unforeseen)


def test_open_database_migrates_a_fresh_sqlite_file_but_as_is_leaves_it(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    current: dict[str, bool] = {}
    app = typer.Typer()

    @app.command()
    def probe(ctx: typer.Context, schema: str) -> None:
        ctx.obj = Options(database_url=url)
        database = open_database(ctx, "current" if schema == "current" else "as-is")
        current[schema] = database.is_current()
        database.dispose()

    assert CliRunner().invoke(app, ["as-is"]).exit_code == 0
    assert current["as-is"] is False
    assert CliRunner().invoke(app, ["current"]).exit_code == 0
    assert current["current"] is True
