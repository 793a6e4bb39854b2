"""Uploaded tables are read row by row within fixed limits: a hostile file is refused with a
message naming the limit, in bounded memory, before or while it is read."""

from __future__ import annotations

import io
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import openpyxl  # loaded before memory is traced: its modules are not the file's cost
import pytest

from hostile_tables import generated_file, tiny_rows_csv, write_xlsx
from microcred.formats.catalogue.reading import read_catalogue_table
from microcred.formats.tabular_input import (
    MAX_LINE_CHARS,
    MAX_ROWS,
    MAX_XLSX_UNPACKED_BYTES,
    TableLimits,
    TableTooLarge,
    TableUnreadable,
    csv_rows,
    xlsx_sheets,
)
from microcred.services.bulk.gradebook import read_gradebook

MiB = 2**20
T = TypeVar("T")
assert openpyxl


def peak_memory_of(call: Callable[[], T]) -> tuple[T | BaseException, int]:
    """Return what ``call`` gave back (or raised) and the most memory it held at once."""
    tracemalloc.start()
    try:
        outcome: T | BaseException = call()
    except Exception as error:
        outcome = error
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return outcome, peak


def test_a_csv_of_five_million_tiny_rows_is_refused_at_the_row_cap_in_bounded_memory() -> None:
    upload = generated_file(lambda: tiny_rows_csv(5_000_000))  # 10 MB, never held whole
    outcome, peak = peak_memory_of(lambda: read_gradebook(upload, "grades.csv"))
    assert isinstance(outcome, TableTooLarge)
    assert f"more than {MAX_ROWS:,} rows" in str(outcome)
    # The rows up to the cap are kept (as for a file just within it); the rest never are.
    assert peak < 48 * MiB


def test_a_csv_just_within_the_row_cap_is_read_whole() -> None:
    upload = generated_file(lambda: tiny_rows_csv(MAX_ROWS))
    assert len(read_gradebook(upload, "grades.csv").rows) == MAX_ROWS


def test_an_xlsx_that_unpacks_to_50_mb_is_refused_from_its_zip_directory(tmp_path: Path) -> None:
    bomb = write_xlsx(tmp_path / "grades.xlsx", rows=700_000)
    assert bomb.stat().st_size < 5 * MiB  # well within the 20 MB an upload may be
    unpacked = sum(m.file_size for m in zipfile.ZipFile(bomb).infolist())
    assert unpacked > 45 * MiB
    with bomb.open("rb") as upload:
        outcome, peak = peak_memory_of(lambda: read_gradebook(upload, bomb.name))
    assert isinstance(outcome, TableTooLarge)
    assert f"at most {MAX_XLSX_UNPACKED_BYTES // MiB} MiB" in str(outcome)
    assert peak < 1 * MiB  # nothing was unpacked


def test_an_xlsx_declaring_a_million_rows_is_refused_before_its_rows_are_read(
    tmp_path: Path,
) -> None:
    workbook = write_xlsx(tmp_path / "grades.xlsx", rows=3, dimension="A1:A1000000")
    with workbook.open("rb") as upload, pytest.raises(TableTooLarge, match="rows"):
        read_gradebook(upload, workbook.name)


def test_an_xlsx_declaring_too_many_cells_is_refused(tmp_path: Path) -> None:
    workbook = write_xlsx(tmp_path / "grades.xlsx", rows=3, dimension="A1:ALL5000")
    with workbook.open("rb") as upload, pytest.raises(TableTooLarge, match="cells"):
        read_gradebook(upload, workbook.name)


def test_an_xlsx_without_a_declared_size_stops_at_the_row_cap(tmp_path: Path) -> None:
    workbook = write_xlsx(tmp_path / "grades.xlsx", rows=50)
    sheets = xlsx_sheets(workbook.open("rb"), workbook.name, TableLimits(max_rows=20))
    rows = next(sheets).rows
    with pytest.raises(TableTooLarge, match="more than 20 rows"):
        for _ in rows:
            pass
    sheets.close()


def test_an_xlsx_within_the_limits_is_read(tmp_path: Path) -> None:
    workbook = write_xlsx(tmp_path / "grades.xlsx", rows=5, dimension="A1:A6")
    with workbook.open("rb") as upload:
        gradebook = read_gradebook(upload, workbook.name)
    assert gradebook.columns == ["email"]
    assert [number for number, _ in gradebook.rows] == [2, 3, 4, 5, 6]


def test_a_csv_line_longer_than_the_cap_is_refused() -> None:
    data = b"email\n" + b"a," * MAX_LINE_CHARS + b"\n"
    with pytest.raises(TableTooLarge, match="a line is longer than"):
        read_gradebook(data, "grades.csv")


def test_the_cell_cap_counts_every_row_read() -> None:
    data = io.BytesIO(b"a,b,c\n" * 10)
    rows = csv_rows(data, "wide.csv", limits=TableLimits(max_rows=100, max_cells=20))
    with pytest.raises(TableTooLarge, match="more than 20 cells"):
        list(rows)


def test_a_file_that_is_not_a_workbook_gets_a_clear_error() -> None:
    with pytest.raises(TableUnreadable, match="not a readable XLSX workbook"):
        read_gradebook(b"PK\x03\x04 not really a zip", "grades.xlsx")


def test_a_catalogue_workbook_goes_through_the_same_limits(tmp_path: Path) -> None:
    catalogue = write_xlsx(tmp_path / "catalogue.xlsx", rows=3, dimension="A1:A1000000")
    with pytest.raises(TableTooLarge, match="rows"), catalogue.open("rb") as stream:
        read_catalogue_table(catalogue.name, stream)
