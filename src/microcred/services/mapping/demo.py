"""The demo survey: six fictional institutions' catalogues with the variety a survey meets.

The files under ``microcred/data/mapping_demo`` come from ``scripts/make_mapping_demo.py``;
``columns.yaml`` maps the headers the automatic matching does not know.
"""

from __future__ import annotations

from importlib.resources import as_file, files
from pathlib import Path

import yaml

from microcred.formats.catalogue.headers import ColumnMapping
from microcred.services.catalogue import Catalogue
from microcred.services.mapping.importing import CatalogueImport, read_catalogues
from microcred.services.mapping.storing import StoreResult, store_programmes

DEMO_SUFFIXES = (".csv", ".xlsx")


def demo_folder() -> Path:
    """Return the folder of the demo survey files (inside the installed package)."""
    with as_file(files("microcred").joinpath("data", "mapping_demo")) as folder:
        return Path(folder)


def demo_files() -> list[Path]:
    return sorted(p for p in demo_folder().iterdir() if p.suffix in DEMO_SUFFIXES)


def demo_mapping() -> ColumnMapping:
    text = (demo_folder() / "columns.yaml").read_text(encoding="utf-8")
    return ColumnMapping.from_data(yaml.safe_load(text))


def read_demo_survey() -> CatalogueImport:
    """Return the demo survey read: its programmes and its two deliberately bad rows."""
    return read_catalogues(demo_files(), demo_mapping())


def seed_mapping_demo(catalogue: Catalogue) -> StoreResult:
    """Return what storing the demo survey as drafts did; seeding twice adds nothing."""
    survey = read_demo_survey()
    result = store_programmes(catalogue, survey.programmes)
    result.problems = survey.problems + result.problems
    return result
