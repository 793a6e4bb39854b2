"""The README's layout table is the tree: every folder it names exists, and it names every
package folder of ``src/microcred``."""

from __future__ import annotations

import re
from pathlib import Path

import microcred

PACKAGE = Path(microcred.__file__).parent
ROOT = PACKAGE.parents[1]
README = ROOT / "README.md"
CODE = re.compile(r"`([^`]+)`")


def layout_paths(readme: str) -> list[str]:
    """Return the paths of the README's layout table, as written from the repository root.

    A cell may name siblings after the first path (`src/microcred/api/`, `web/`): each is read
    relative to the first one's parent folder.
    """
    section = readme.split("\n## Layout\n", 1)[1].split("\n## ", 1)[0]
    paths: list[str] = []
    for line in section.splitlines():
        if not line.startswith("| `"):
            continue
        named = CODE.findall(line.split("|")[1])
        first = Path(named[0].rstrip("/"))
        paths.append(str(first))
        paths += [str(first.parent / sibling.rstrip("/")) for sibling in named[1:]]
    return paths


def test_the_layout_table_is_read() -> None:
    paths = layout_paths(README.read_text(encoding="utf-8"))
    assert "src/microcred/domain" in paths
    assert "src/microcred/observability" in paths, "a sibling named after the first path"
    assert len(paths) > 15


def test_every_path_of_the_layout_table_exists() -> None:
    missing = [
        path
        for path in layout_paths(README.read_text(encoding="utf-8"))
        if not (ROOT / path).exists()
    ]
    assert missing == [], "README's layout table names what the tree does not hold"


def test_the_layout_table_names_every_package_folder() -> None:
    named = set(layout_paths(README.read_text(encoding="utf-8")))
    folders = {str(folder.parent.relative_to(ROOT)) for folder in PACKAGE.glob("*/__init__.py")}
    assert len(folders) > 10
    assert folders - named == set(), "package folders missing from README's layout table"
