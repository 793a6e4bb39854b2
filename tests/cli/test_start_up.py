"""`microcred --help` and `microcred spec check` start without the heavy libraries.

Each command runs in a fresh interpreter under ``-X importtime``, which lists every module the
process imported; the test asserts on that set (not on wall time, which a busy machine
stretches): none of the libraries the command does not need, and no more modules than a
generous budget.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from microcred.formats.elm.sample import COMMISSION_SAMPLE
from support.examples import DEMO_SPECIFICATION_FILE

# Libraries a command that reads a file and prints needs none of: the database, the SHACL and
# RDF engines, the JSON-LD processor, the web server and its framework, the job queue, the
# document and image libraries, the cryptography library, the sentence model.
HEAVY = (
    "sqlalchemy",
    "alembic",
    "psycopg",
    "pyshacl",
    "rdflib",
    "pyld",
    "lxml",
    "fastapi",
    "starlette",
    "uvicorn",
    "httpx",
    "jinja2",
    "celery",
    "kombu",
    "redis",
    "PIL",
    "reportlab",
    "fpdf",
    "openpyxl",
    "cryptography",
    "sentence_transformers",
    "torch",
)
# The modules each command may import in all (Python's own start-up included); measured at
# 257 for --help and 500 for spec check, where --help imported 1,336 before it was made lazy.
HELP_BUDGET = 400
SPEC_CHECK_BUDGET = 700


def imported_by(*args: str, home: Path) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    """Run ``python -X importtime ARGS`` and return the process and the modules it imported.

    The settings come from a clean environment (no MICROCRED_ variables, an empty home), so
    what the test sees is what a fresh install does.
    """
    env = {name: value for name, value in os.environ.items() if not name.startswith("MICROCRED_")}
    env |= {"HOME": str(home), "XDG_DATA_HOME": str(home / "data"), "COLUMNS": "200"}
    process = subprocess.run(
        [sys.executable, "-X", "importtime", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    modules = {
        line.split("|")[2].strip()
        for line in process.stderr.splitlines()
        if line.startswith("import time:") and "imported package" not in line
    }
    return process, modules


def heavy_in(modules: set[str]) -> list[str]:
    """Return the heavy libraries (top-level names) among ``modules``."""
    tops = {module.split(".")[0] for module in modules}
    return sorted(tops.intersection(HEAVY))


def test_the_reader_of_imports_sees_a_heavy_library(tmp_path: Path) -> None:
    process, modules = imported_by("-c", "import sqlalchemy", home=tmp_path)
    assert process.returncode == 0, process.stderr[-2000:]
    assert "sqlalchemy.engine" in modules
    assert heavy_in(modules) == ["sqlalchemy"]


def test_help_imports_no_heavy_library(tmp_path: Path) -> None:
    process, modules = imported_by("-m", "microcred", "--help", home=tmp_path)
    assert process.returncode == 0, process.stderr[-2000:]
    assert "spec" in process.stdout and "serve" in process.stdout
    assert "microcred.cli.main" in modules
    assert heavy_in(modules) == []
    assert len(modules) <= HELP_BUDGET, f"{len(modules)} modules imported"


# The demo specification complies; the Commission's sample lacks what MICROBOL asks for.
@pytest.mark.parametrize(
    ("document", "exit_code"),
    [(DEMO_SPECIFICATION_FILE, 0), (Path(str(COMMISSION_SAMPLE)), 1)],
    ids=["yaml", "elm"],
)
def test_spec_check_imports_no_heavy_library(
    document: Path, exit_code: int, tmp_path: Path
) -> None:
    process, modules = imported_by("-m", "microcred", "spec", "check", str(document), home=tmp_path)
    assert process.returncode == exit_code, process.stdout + process.stderr[-2000:]
    assert "rules passed" in process.stdout
    assert "microcred.domain.compliance.check" in modules
    assert heavy_in(modules) == []
    assert len(modules) <= SPEC_CHECK_BUDGET, f"{len(modules)} modules imported"
