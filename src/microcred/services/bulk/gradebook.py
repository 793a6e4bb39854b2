"""Reading a gradebook file: CSV (comma, semicolon or tab; UTF-8, with or without BOM) or XLSX.

`read_gradebook` returns the header and every non-empty row, numbered as a spreadsheet shows
it (the header is row 1), so a problem can be reported as "row 17".
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime

from microcred.domain.spreadsheet_cells import unmarked

MAX_ROWS = 100_000


class GradebookUnreadable(ValueError):
    """The file cannot be read as a gradebook; the message says what to fix."""


@dataclass(frozen=True)
class Gradebook:
    columns: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (row number in the file, cells by column)


def read_gradebook(data: bytes, filename: str) -> Gradebook:
    """Return the header and rows of a CSV or XLSX file (chosen by content, then by name)."""
    if data.startswith(b"PK\x03\x04") or filename.lower().endswith(".xlsx"):
        table = _xlsx_cells(data)
    else:
        table = _csv_cells(data)
    if not table:
        raise GradebookUnreadable(f"{filename}: the file is empty; it needs a header row")
    columns = [unmarked(cell.strip()) for cell in table[0]]
    if not any(columns):
        raise GradebookUnreadable(f"{filename}: the first row must name the columns")
    rows = []
    for number, cells in enumerate(table[1:], start=2):
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
    if len(rows) > MAX_ROWS:
        raise GradebookUnreadable(
            f"{filename}: {len(rows)} rows; split it into files of at most {MAX_ROWS} rows"
        )
    return Gradebook(columns=[c for c in columns if c], rows=rows)


def _csv_cells(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise GradebookUnreadable(
            "the CSV file is not UTF-8; save it as 'CSV UTF-8' and upload it again"
        ) from None
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def _xlsx_cells(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not XLSX
        raise GradebookUnreadable(f"not a readable XLSX workbook ({error})") from None
    sheet = workbook.worksheets[0]
    table = [[_cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    return table


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
