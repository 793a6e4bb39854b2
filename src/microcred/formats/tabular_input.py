"""Reading an uploaded table (CSV or XLSX) row by row, within fixed limits.

Every reader of an uploaded table (gradebooks for bulk awards, programme catalogues for
mapping) goes through here, so that one set of limits holds everywhere:

- rows are read one at a time and reading stops at the row cap, so a file of millions of tiny
  rows costs no more than the cap;
- a CSV line longer than `MAX_LINE_CHARS` is refused (one line cannot hold a million cells);
- an XLSX is a zip: before anything is unpacked, the sizes its members declare (which the zip
  reader never exceeds) are checked against `MAX_XLSX_UNPACKED_BYTES` and, for the shared
  strings that openpyxl loads whole, `MAX_XLSX_SHARED_STRINGS_BYTES`; then the size each sheet
  declares is checked against the row and cell caps before its rows are read. A zip bomb is
  refused from its directory alone.

`TableTooLarge` says which limit was passed; the web and API faces answer it with 413.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Generator, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import IO, Any

MAX_ROWS = 100_000  # rows below the header row
MAX_CELLS = 2_000_000  # cells of one table (all sheets of a workbook)
MAX_COLUMNS = 1_024
MAX_LINE_CHARS = 256 * 1024
MAX_XLSX_UNPACKED_BYTES = 40 * 1024 * 1024
MAX_XLSX_SHARED_STRINGS_BYTES = 16 * 1024 * 1024
MAX_XLSX_MEMBERS = 1_000
_SHARED_STRINGS = "xl/sharedStrings.xml"
_CHUNK_BYTES = 64 * 1024

Rows = Iterator[tuple[int, list[str]]]  # (row number as a spreadsheet shows it, cells)


class TableUnreadable(ValueError):
    """The file cannot be read as a table; the message says what to fix."""


class TableTooLarge(TableUnreadable):
    """The file goes past one of the limits above; the message names it and its value."""


@dataclass(frozen=True)
class SheetRows:
    """One sheet of a workbook: its title, how many sheets the workbook has, and its rows."""

    title: str
    sheets_in_workbook: int
    rows: Rows


@dataclass(frozen=True)
class TableLimits:
    """The caps one table is read under (the module's values unless a reader needs less)."""

    max_rows: int = MAX_ROWS
    max_cells: int = MAX_CELLS


def is_xlsx(head: bytes, filename: str) -> bool:
    """Tell an XLSX from a CSV by its first bytes (a zip), then by its name."""
    return head.startswith(b"PK\x03\x04") or filename.lower().endswith((".xlsx", ".xlsm"))


def csv_rows(
    stream: IO[bytes],
    filename: str,
    encodings: Sequence[str] = ("utf-8-sig",),
    limits: TableLimits = TableLimits(),
) -> Rows:
    """Yield the numbered rows of a CSV (comma, semicolon or tab), stopping at the limits.

    The first of ``encodings`` that decodes the whole file is used; the file is checked in
    chunks first, so no encoding error surfaces half-way through the rows.
    """
    encoding = _encoding_of(stream, filename, encodings)
    text = io.TextIOWrapper(stream, encoding=encoding, newline="")
    try:
        head = text.read(4096)
        text.seek(0)
        reader = csv.reader(_bounded_lines(text, filename), _dialect(head))
        yield from _Budget(filename, limits).counted(enumerate(reader, start=1))
    except csv.Error as error:
        raise TableUnreadable(f"{filename}: not a readable CSV file ({error})") from None
    finally:
        if not stream.closed:  # leave the caller's stream open for the caller to close
            text.detach()


def xlsx_sheets(
    stream: IO[bytes], filename: str, limits: TableLimits = TableLimits()
) -> Generator[SheetRows, None, None]:
    """Yield each sheet with its numbered rows, after checking the workbook's declared size.

    The row and cell caps hold across all sheets together. A sheet's rows are read while the
    next sheet has not been asked for: the workbook is closed once the last one is done.
    """
    from openpyxl import load_workbook

    _check_zip_directory(stream, filename)
    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not XLSX
        raise TableUnreadable(f"{filename}: not a readable XLSX workbook ({error})") from None
    try:
        sheets = list(workbook.worksheets)
        for sheet in sheets:
            _check_declared_size(sheet, filename, limits)
        budget = _Budget(filename, limits)
        for sheet in sheets:
            values = enumerate(sheet.iter_rows(values_only=True), start=1)  # type: ignore[union-attr]
            rows = ((number, [_cell_text(v) for v in row]) for number, row in values)
            yield SheetRows(sheet.title, len(sheets), budget.counted(rows))
    finally:
        workbook.close()


def _encoding_of(stream: IO[bytes], filename: str, encodings: Sequence[str]) -> str:
    for encoding in encodings:
        stream.seek(0)
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            while chunk := stream.read(_CHUNK_BYTES):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        stream.seek(0)
        return encoding
    raise TableUnreadable(
        f"{filename}: the CSV file is not UTF-8; save it as 'CSV UTF-8' and upload it again"
    )


def _dialect(head: str) -> Any:
    """Return the CSV dialect the head of the file shows, else the delimiter its header uses."""
    try:
        return csv.Sniffer().sniff(head, delimiters=",;\t")
    except csv.Error:
        first_line = head.split("\n", 1)[0]
        dialect = csv.excel()
        dialect.delimiter = max((",", ";", "\t"), key=first_line.count)
        return dialect


def _bounded_lines(text: io.TextIOWrapper, filename: str) -> Iterator[str]:
    while line := text.readline(MAX_LINE_CHARS + 1):
        if len(line) > MAX_LINE_CHARS:
            raise TableTooLarge(
                f"{filename}: a line is longer than {MAX_LINE_CHARS:,} characters; "
                "is this a table of one row per line?"
            )
        yield line


class _Budget:
    """Counts rows and cells as they are read, and refuses the first one past a cap."""

    def __init__(self, filename: str, limits: TableLimits) -> None:
        self.filename = filename
        self.limits = limits
        self.cells = 0

    def counted(self, rows: Iterator[tuple[int, list[str]]]) -> Rows:
        for number, cells in rows:
            if number > self.limits.max_rows + 1:
                raise _too_many_rows(self.filename, self.limits)
            self.cells += len(cells)
            if self.cells > self.limits.max_cells:
                raise _too_many_cells(self.filename, self.limits)
            yield number, cells


def _check_zip_directory(stream: IO[bytes], filename: str) -> None:
    """Refuse a workbook whose members would unpack past the limits (read from its directory)."""
    try:
        members = zipfile.ZipFile(stream).infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise TableUnreadable(f"{filename}: not a readable XLSX workbook ({error})") from None
    stream.seek(0)
    if len(members) > MAX_XLSX_MEMBERS:
        raise TableTooLarge(f"{filename}: more than {MAX_XLSX_MEMBERS} parts in the workbook")
    unpacked = sum(member.file_size for member in members)
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise TableTooLarge(
            f"{filename}: the workbook unpacks to {unpacked // 2**20:,} MiB; at most "
            f"{MAX_XLSX_UNPACKED_BYTES // 2**20} MiB is read: split it into smaller files"
        )
    strings = sum(m.file_size for m in members if m.filename == _SHARED_STRINGS)
    if strings > MAX_XLSX_SHARED_STRINGS_BYTES:
        raise TableTooLarge(
            f"{filename}: the workbook's shared text is {strings // 2**20:,} MiB; at most "
            f"{MAX_XLSX_SHARED_STRINGS_BYTES // 2**20} MiB is read: split it into smaller files"
        )


def _check_declared_size(sheet: Any, filename: str, limits: TableLimits) -> None:
    """Refuse a sheet whose declared dimension goes past the caps, before reading its rows."""
    rows, columns = sheet.max_row or 0, sheet.max_column or 0
    if columns > MAX_COLUMNS:
        raise TableTooLarge(
            f"{filename}: sheet '{sheet.title}' has {columns:,} columns; at most {MAX_COLUMNS:,}"
        )
    if rows > limits.max_rows + 1:
        raise _too_many_rows(filename, limits)
    if rows * columns > limits.max_cells:
        raise _too_many_cells(filename, limits)


def _too_many_rows(filename: str, limits: TableLimits) -> TableTooLarge:
    return TableTooLarge(
        f"{filename}: more than {limits.max_rows:,} rows; split it into files of at most "
        f"{limits.max_rows:,} rows"
    )


def _too_many_cells(filename: str, limits: TableLimits) -> TableTooLarge:
    return TableTooLarge(
        f"{filename}: more than {limits.max_cells:,} cells; split it into smaller files"
    )


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
