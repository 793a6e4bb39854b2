"""A catalogue table's rows to programmes; every row that cannot be read becomes a RowProblem.

No row is dropped silently: a problem names its row number and what to fix.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO

from microcred.domain.validation import SpecificationInvalid, parse_specification
from microcred.formats.catalogue.document import BLANK, RowValues, row_document
from microcred.formats.catalogue.headers import ColumnMapping, match_headers
from microcred.formats.catalogue.programmes import (
    ImportedProgramme,
    RowError,
    RowProblem,
    TableContent,
)
from microcred.formats.tabular_input import csv_rows, xlsx_sheets


def read_catalogue_table(
    filename: str, stream: IO[bytes], mapping: ColumnMapping | None = None
) -> TableContent:
    """Return the programmes of a CSV or XLSX catalogue and a problem for each unreadable row.

    ``filename`` says which (by its suffix) and names the rows' source. In a workbook every
    sheet whose header row has a title column is read; other sheets (an instructions sheet,
    say) are skipped. The stream is read row by row within the limits of
    `formats.tabular_input` (which raises `TableTooLarge` past them).
    """
    mapping = mapping or ColumnMapping()
    if filename.lower().endswith((".xlsx", ".xlsm")):
        return _read_workbook(filename, stream, mapping)
    rows = csv_rows(stream, filename, encodings=("utf-8-sig", "cp1252"))
    return _read_rows(filename, rows, mapping)


def _read_workbook(filename: str, stream: IO[bytes], mapping: ColumnMapping) -> TableContent:
    content = TableContent()
    readable = 0
    for sheet in xlsx_sheets(stream, filename):
        many = sheet.sheets_in_workbook > 1
        source = f"{filename} [{sheet.title}]" if many else filename
        found = _read_rows(source, sheet.rows, mapping, quiet=many)
        readable += found.programmes != [] or found.problems != []
        content.programmes += found.programmes
        content.problems += found.problems
    if not readable:
        content.problems.append(RowProblem(filename, None, _no_title_column()))
    return content


def _no_title_column() -> str:
    return (
        "no header row with a title column found; name one column 'title' (see the template) "
        "or map yours, e.g. --column title=Kursname"
    )


def _read_rows(
    source: str,
    rows: Iterator[tuple[int, list[str]]],
    mapping: ColumnMapping,
    quiet: bool = False,
) -> TableContent:
    content = TableContent()
    header: tuple[int, list[str]] | None = None
    for number, cells in rows:
        if any(cell.strip() for cell in cells):
            header = (number, cells)
            break
    if header is None:
        if not quiet:
            content.problems.append(RowProblem(source, None, "the file has no rows"))
        return content
    columns = match_headers(header[1], mapping)
    names = {name for name, _lang in columns.values()}
    if "title" not in names:
        if not quiet:
            content.problems.append(RowProblem(source, header[0], _no_title_column()))
        return content
    for number, cells in rows:
        if not any(cell.strip() for cell in cells):
            continue
        values = _row_values(cells, columns)
        try:
            provider, data = row_document(values)
            spec = parse_specification(data)
        except RowError as error:
            content.problems.append(RowProblem(source, number, str(error)))
        except SpecificationInvalid as invalid:
            reason = "; ".join(f"{i.element}: {i.message}" for i in invalid.issues)
            content.problems.append(RowProblem(source, number, reason))
        else:
            content.programmes.append(ImportedProgramme(provider, spec, source, number))
    return content


def _row_values(cells: list[str], columns: dict[int, tuple[str, str | None]]) -> RowValues:
    values: RowValues = {}
    for index, (name, lang) in columns.items():
        text = cells[index].strip() if index < len(cells) else ""
        if text and text.casefold() not in BLANK:
            values.setdefault(name, {})[lang] = text
    return values
