"""The command line as a newcomer meets it: help that reads plainly, the demo's own files
accepted, a fresh data dir that works at once, institutions made from the command line, and
DIDs printed whole."""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from microcred.cli.console import out
from microcred.cli.main import app

DEMO_SPECIFICATIONS = sorted(
    Path(str(resources.files("microcred") / "data" / "demo" / "specifications")).glob("*.yaml")
)
KEK = base64.b64encode(bytes(range(32))).decode()


def _command_paths() -> Iterator[list[str]]:
    root = typer.main.get_command(app)
    context = typer.Context(root)

    def walk(command: object, path: list[str]) -> Iterator[list[str]]:
        yield path
        if hasattr(command, "list_commands"):
            for name in command.list_commands(context):
                yield from walk(command.get_command(context, name), [*path, name])

    yield from walk(root, [])


@pytest.fixture
def fresh_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data dir nothing has run in yet, and no database named anywhere."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("MICROCRED_DATABASE_URL", raising=False)
    monkeypatch.setenv("MICROCRED_KEK", KEK)
    return tmp_path / "data" / "microcred"


def test_help_of_every_command_names_no_python_types_for_flags(invoke) -> None:
    paths = list(_command_paths())
    assert len(paths) > 40, "the walk reached the command groups"
    for path in paths:
        shown = invoke(*path, "--help")
        assert shown.exit_code == 0, (path, shown.output)
        assert "<bool>" not in shown.output, f"microcred {' '.join(path)} --help: {shown.output}"


def test_spec_check_reads_every_shipped_demo_file(invoke) -> None:
    assert len(DEMO_SPECIFICATIONS) >= 9
    for path in DEMO_SPECIFICATIONS:
        checked = invoke("spec", "check", str(path))
        assert checked.exit_code in (0, 1), checked.output  # compliant or not, but read
        assert "MC-INPUT" not in checked.output, f"{path.name}: {checked.output}"


def test_spec_import_works_on_a_fresh_data_dir_and_takes_the_entrys_owner(
    invoke, fresh_data_dir: Path
) -> None:
    imported = invoke("spec", "import", str(DEMO_SPECIFICATIONS[0]))
    assert imported.exit_code == 0, imported.output
    assert (fresh_data_dir / "microcred.db").is_file()
    listed = invoke("spec", "list")
    assert "uni-kaltenbach" in listed.output
    assert re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", listed.output)


def test_institution_create_and_list_and_a_taken_slug_changes_nothing(
    invoke, fresh_data_dir: Path
) -> None:
    made = invoke(
        "institution", "create", "uni-example", "--name", "Example University",
        "--name-de", "Beispieluniversität", "--country", "DE",
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    again = invoke("institution", "create", "uni-example", "--name", "Another Name")
    assert again.exit_code == 2 and "exists already" in again.output
    bad = invoke("institution", "create", "Not A Slug", "--name", "X")
    assert bad.exit_code == 2 and "lower-case letters" in bad.output
    listed = invoke("institution", "list").output
    assert "Example University" in listed and "DEU" in listed
    assert "Another Name" not in listed and "Not A Slug" not in listed


def test_dids_are_printed_whole_and_never_as_emoji(fresh_data_dir: Path) -> None:
    # No COLUMNS: output to a program, not a terminal (whatever the calling shell set).
    runner = CliRunner(env={"NO_COLOR": "1", "COLUMNS": None})
    assert runner.invoke(app, ["keys", "create"]).exit_code == 0
    listed = runner.invoke(app, ["keys", "list"])
    assert listed.exit_code == 0, listed.output
    assert re.search(r"did:web:\S+#z6Mk\w{44} ", listed.output), listed.output
    console = out()
    with console.capture() as captured:
        console.print("did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK")
    assert captured.get().strip() == "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
