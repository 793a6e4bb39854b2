"""Shared by the mapping tests: hand-made programmes, and the demo survey read plainly."""

from __future__ import annotations

import csv
from typing import Any

import openpyxl

from microcred.domain.specification import Specification
from microcred.formats.catalogue.programmes import ImportedProgramme, Provider
from microcred.services.mapping.demo import demo_files
from support.examples import example_specification

UNIVERSITY = Provider("uni-hand", {"en": "Hand-made University"}, "DE", True)


def changed(spec: Specification, path: str, value: Any) -> Specification:
    """Return ``spec`` with the element at dotted ``path`` set to ``value``."""
    data = spec.model_dump(mode="json")
    *parents, last = path.split(".")
    target = data
    for name in parents:
        target = target[name]
    target[last] = value
    return Specification.model_validate(data)


def programme(
    spec: Specification | None = None, provider: Provider = UNIVERSITY
) -> ImportedProgramme:
    return ImportedProgramme(provider, spec or example_specification(), "hand-made")


def demo_rows() -> dict[str, list[list[str]]]:
    """Return each demo file's rows as plain text cells, header first, read without microcred."""
    rows: dict[str, list[list[str]]] = {}
    for path in demo_files():
        if path.suffix == ".csv":
            text = path.read_text(encoding="utf-8")
            delimiter = ";" if text.splitlines()[0].count(";") > 3 else ","
            rows[path.name] = list(csv.reader(text.splitlines(), delimiter=delimiter))
        else:
            sheet = openpyxl.load_workbook(path, read_only=True).worksheets[0]
            rows[path.name] = [
                ["" if v is None else str(v) for v in values]
                for values in sheet.iter_rows(values_only=True)
            ]
    return rows


def column(rows: list[list[str]], header: str) -> list[str]:
    """Return the cells of the column named ``header`` (data rows only)."""
    index = rows[0].index(header)
    return [row[index] for row in rows[1:]]
