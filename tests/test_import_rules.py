"""docs/architecture.md is what the code does: every import of microcred code, at module level or
inside a function, is one the page's table allows, every allowance is used, and the folders form
no cycle."""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from functools import cache
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import microcred

PACKAGE = Path(microcred.__file__).parent
ARCHITECTURE = PACKAGE.parents[1] / "docs" / "architecture.md"
ROW = re.compile(r"^\| `(?P<folder>[\w/]+?)/?` \| .+ \| (?P<allowed>.+) \|$")


@cache
def rules() -> dict[str, set[str]]:
    """Return each folder of the table and the folders its row says it may import."""
    table: dict[str, set[str]] = {}
    for line in ARCHITECTURE.read_text(encoding="utf-8").splitlines():
        if match := ROW.match(line):
            allowed = set(re.findall(r"`([\w/]+?)/?`", match["allowed"]))
            table[match["folder"]] = allowed
    return table


def folder_of(module: str) -> str | None:
    """Return the table's folder holding ``microcred.<...>`` (None for the package root)."""
    parts = module.split(".")[1:]
    if parts in ([], ["__init__"]):
        return None
    if parts[:2] == ["store", "migrations"]:
        return "store/migrations"
    return parts[0]


def imported_modules(path: Path) -> set[str]:
    """Return the microcred modules ``path`` imports, wherever in the file the import is."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module == "microcred":
            names.update(
                f"microcred.{alias.name}" for alias in node.names if _is_module(alias.name)
            )
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return {name for name in names if name == "microcred" or name.startswith("microcred.")}


def _is_module(name: str) -> bool:
    """Is ``microcred.<name>`` a module or folder (not a name the package root defines)?"""
    return (PACKAGE / f"{name}.py").is_file() or (PACKAGE / name).is_dir()


def folder_imports() -> dict[str, dict[str, str]]:
    """Return, per folder, each other folder it imports and one file that does."""
    edges: dict[str, dict[str, str]] = defaultdict(dict)
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE.parent).with_suffix("")
        source = folder_of(".".join(relative.parts))
        for module in imported_modules(path):
            target = folder_of(module)
            if source and target and target != source:
                edges[source].setdefault(target, str(path.relative_to(PACKAGE)))
    return edges


def test_the_table_names_every_folder_of_the_package() -> None:
    folders = {
        folder_of(".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts))
        for path in PACKAGE.rglob("*.py")
    } - {None}
    assert len(rules()) > 15, f"the table of {ARCHITECTURE} was read"
    assert folders - rules().keys() == set(), "folders missing from docs/architecture.md"
    assert rules().keys() - folders == set(), "rows of docs/architecture.md with no folder"


def test_every_import_is_allowed_by_the_table() -> None:
    upward = [
        f"{source} imports {target} ({where})"
        for source, targets in folder_imports().items()
        for target, where in targets.items()
        if target not in rules()[source]
    ]
    assert upward == [], "imports docs/architecture.md does not allow:\n" + "\n".join(upward)


def test_every_allowance_of_the_table_is_used() -> None:
    used = folder_imports()
    unused = [
        f"{folder} may import {target}, but does not"
        for folder, allowed in rules().items()
        for target in sorted(allowed)
        if target not in used.get(folder, {})
    ]
    assert unused == [], "docs/architecture.md allows more than the code does:\n" + "\n".join(
        unused
    )


def test_the_folders_form_no_cycle() -> None:
    try:
        tuple(TopologicalSorter(rules()).static_order())
    except CycleError as cycle:
        raise AssertionError(f"the folders import each other in a cycle: {cycle.args[1]}") from None


def module_imports(folder: str) -> dict[str, set[str]]:
    """Return, for each module of ``folder``, the modules of the same folder it imports
    (``from microcred.cli import spec`` counts as an import of ``microcred.cli.spec``)."""
    graph: dict[str, set[str]] = {}
    for path in sorted((PACKAGE / folder).rglob("*.py")):
        name = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        graph[name] = {
            module
            for module in _imported_including_submodules(path)
            if module.startswith(f"microcred.{folder}.") and module != name
        }
    return graph


def _imported_including_submodules(path: Path) -> set[str]:
    names = imported_modules(path)
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            folder = PACKAGE.parent.joinpath(*node.module.split("."))
            names.update(
                f"{node.module}.{alias.name}"
                for alias in node.names
                if (folder / f"{alias.name}.py").is_file()
            )
    return names


def test_the_command_line_modules_form_no_cycle() -> None:
    graph = module_imports("cli")
    assert "microcred.cli.spec" in graph["microcred.cli.main"], "the reader saw main's imports"
    try:
        tuple(TopologicalSorter(graph).static_order())
    except CycleError as cycle:
        raise AssertionError(
            f"modules of cli/ import each other in a cycle: {cycle.args[1]}"
        ) from None


def test_the_checks_see_an_upward_import(tmp_path: Path) -> None:
    """The reader finds imports inside functions too (where most upward ones hide)."""
    module = tmp_path / "late.py"
    module.write_text("def late():\n    from microcred.services.catalogue import Catalogue\n")
    assert imported_modules(module) == {"microcred.services.catalogue"}
    assert folder_of("microcred.services.catalogue") not in rules()["domain"]
