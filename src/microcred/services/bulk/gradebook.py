"""Reading a gradebook file: CSV (comma, semicolon or tab; UTF-8, with or without BOM) or XLSX.

`read_gradebook` returns the header and every non-empty row, numbered as a spreadsheet shows
it (the header is row 1), so a problem can be reported as "row 17". The file is read row by
row through `formats.tabular_input`, which refuses it at the first row past the caps.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import IO

from microcred.domain.spreadsheet_cells import unmarked
from microcred.formats.tabular_input import (
    Rows,
    TableTooLarge,
    TableUnreadable,
    csv_rows,
    is_xlsx,
    xlsx_sheets,
)

# The services' names for the reader's errors: the faces answer GradebookTooLarge with 413.
GradebookUnreadable = TableUnreadable
GradebookTooLarge = TableTooLarge

# The largest gradebook upload either face reads (bytes).
MAX_GRADEBOOK_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class Gradebook:
    columns: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (row number in the file, cells by column)


def read_gradebook(data: bytes | IO[bytes], filename: str) -> Gradebook:
    """Return the header and rows of a CSV or XLSX file (chosen by content, then by name).

    ``data`` is the file's bytes or a seekable binary stream (a file opened by the CLI).
    """
    stream = io.BytesIO(data) if isinstance(data, bytes) else data
    head = stream.read(4)
    stream.seek(0)
    table = (
        _first_sheet(stream, filename) if is_xlsx(head, filename) else csv_rows(stream, filename)
    )
    first = next(table, None)
    if first is None:
        raise GradebookUnreadable(f"{filename}: the file is empty; it needs a header row")
    columns = [unmarked(cell.strip()) for cell in first[1]]
    if not any(columns):
        raise GradebookUnreadable(f"{filename}: the first row must name the columns")
    rows = []
    for number, cells in table:
        if not any(cell.strip() for cell in cells):
            continue
        rows.append(
            (
                number,
                {
                    c: (unmarked(cells[i].strip()) if i < len(cells) else "")
                    for i, c in enumerate(columns)
                    if c
                },
            )
        )
    return Gradebook(columns=[c for c in columns if c], rows=rows)


def _first_sheet(stream: IO[bytes], filename: str) -> Rows:
    """Yield the rows of the workbook's first sheet (the others are not read), then close it."""
    sheets = xlsx_sheets(stream, filename)
    try:
        first = next(sheets, None)
        if first is not None:
            yield from first.rows
    finally:
        sheets.close()
