"""The catalogue template: a CSV, or a workbook with a sheet that explains each column."""

from __future__ import annotations

import csv
import io

from microcred.formats.catalogue.columns import COLUMNS


def template_rows() -> list[list[str]]:
    """Return the template as rows: the header row, then one example row."""
    return [[column.name for column in COLUMNS], [column.example for column in COLUMNS]]


def template_csv() -> str:
    """Return the column template as CSV text: headers and one example programme."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(template_rows())
    return buffer.getvalue()


def template_xlsx() -> bytes:
    """Return the column template as a workbook: a 'programmes' sheet and a 'columns' sheet."""
    import openpyxl
    from openpyxl.styles import Font

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "programmes"
    for row in template_rows():
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    guide = workbook.create_sheet("columns")
    guide.append(["column", "what to write", "example", "other accepted headers"])
    for column in COLUMNS:
        guide.append([column.name, column.meaning, column.example, ", ".join(column.aliases)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
