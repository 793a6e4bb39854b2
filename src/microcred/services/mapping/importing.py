"""Reading many institutions' programme catalogues at once: tables, JSON and Europass EDC files.

Nothing here touches the database: the result is the programmes read and the problems found,
ready to classify, or to store with ``store_programmes``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from microcred.domain.specification import Specification, localise
from microcred.domain.validation import SpecificationInvalid, parse_specification
from microcred.formats.catalogue.columns import TABLE_SUFFIXES
from microcred.formats.catalogue.document import provider_slug
from microcred.formats.catalogue.headers import ColumnMapping
from microcred.formats.catalogue.programmes import ImportedProgramme, Provider, RowProblem
from microcred.formats.catalogue.reading import read_catalogue_table
from microcred.formats.elm.importer import ElmImportError, is_elm_credential, specification_from_elm

JSON_SUFFIXES = (".json", ".jsonld")


@dataclass
class CatalogueImport:
    """What reading catalogue files gave: the programmes, and every row that could not be read."""

    programmes: list[ImportedProgramme] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)

    def add(self, other: CatalogueImport) -> None:
        self.programmes += other.programmes
        self.problems += other.problems


def read_catalogues(paths: Iterable[Path], mapping: ColumnMapping | None = None) -> CatalogueImport:
    """Return the programmes of every file and the problems of the rows that cannot be read."""
    result = CatalogueImport()
    for path in paths:
        result.add(read_catalogue(path, mapping))
    return result


def read_catalogue(path: Path, mapping: ColumnMapping | None = None) -> CatalogueImport:
    """Return the programmes of one CSV, XLSX, JSON or EDC (ELM) file."""
    suffix = path.suffix.lower()
    try:
        if suffix in TABLE_SUFFIXES:
            with path.open("rb") as stream:
                table = read_catalogue_table(path.name, stream, mapping)
            return CatalogueImport(table.programmes, table.problems)
        if suffix in JSON_SUFFIXES:
            return read_json_catalogue(path.name, json.loads(path.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        return CatalogueImport(problems=[RowProblem(path.name, None, f"cannot be read: {error}")])
    except Exception as error:  # a damaged workbook raises whatever its parser raises
        return CatalogueImport(problems=[RowProblem(path.name, None, f"cannot be read: {error}")])
    known = ", ".join((*TABLE_SUFFIXES, *JSON_SUFFIXES))
    return CatalogueImport(
        problems=[RowProblem(path.name, None, f"unknown file type '{suffix}'; use one of {known}")]
    )


def read_json_catalogue(source: str, data: Any) -> CatalogueImport:
    """Return the programmes of a JSON catalogue.

    Accepted: one EDC credential; a list of specification documents (the institution is their
    first awarding body); or a list of ``{"institution": ..., "specification": {...}}``.
    """
    entries = data if isinstance(data, list) else [data]
    result = CatalogueImport()
    for number, entry in enumerate(entries, start=1):
        row = number if isinstance(data, list) else None
        try:
            result.programmes.append(_json_programme(source, row, entry))
        except (SpecificationInvalid, ElmImportError, ValueError) as error:
            result.problems.append(RowProblem(source, row, _reason(error)))
    return result


def _reason(error: Exception) -> str:
    if isinstance(error, SpecificationInvalid):
        return "; ".join(f"{issue.element}: {issue.message}" for issue in error.issues)
    return str(error)


def _json_programme(source: str, row: int | None, entry: Any) -> ImportedProgramme:
    if is_elm_credential(entry):
        spec = specification_from_elm(entry)
        return ImportedProgramme(_provider_of(spec, None), spec, source, row)
    if not isinstance(entry, dict):
        raise ValueError("an entry must be a specification (a JSON object)")
    institution = entry.get("institution")
    document = entry.get("specification", entry)
    spec = parse_specification(document)
    return ImportedProgramme(_provider_of(spec, institution), spec, source, row)


def _provider_of(spec: Specification, institution: Any) -> Provider:
    """Return the provider an entry names, else its first awarding body."""
    if isinstance(institution, str) and institution.strip():
        return Provider(provider_slug(institution), {"en": institution.strip()})
    if isinstance(institution, dict) and institution.get("name"):
        name = institution["name"]
        names = name if isinstance(name, dict) else {"en": str(name)}
        slug = institution.get("slug") or provider_slug(localise(names, "en"))
        return Provider(
            slug, names, institution.get("country"), institution.get("is_higher_education")
        )
    if institution is not None:
        raise ValueError("'institution' must be a name or an object with a 'name'")
    if not spec.awarding_bodies or not localise(spec.awarding_bodies[0].name, "en"):
        raise ValueError("no institution: give 'institution' or an awarding body with a name")
    body = spec.awarding_bodies[0]
    return Provider(
        provider_slug(localise(body.name, "en")),
        dict(body.name),
        body.country,
        body.is_higher_education,
    )
