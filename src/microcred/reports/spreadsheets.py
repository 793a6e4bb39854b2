"""Tables written as CSV text or as one XLSX workbook with a sheet per table (never formulas)."""

from __future__ import annotations

import csv
import io

from microcred.domain.spreadsheet_cells import append_text_safe, csv_row
from microcred.reports.mapping_tables import Table


def table_csv(table: Table) -> str:
    """Return ``table`` as CSV text (comma-separated, a header row, empty cells for none)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(csv_row(table.headers))
    writer.writerows([csv_row("" if cell is None else cell for cell in row) for row in table.rows])
    return buffer.getvalue()


def tables_xlsx(tables: list[Table]) -> bytes:
    """Return a workbook with one sheet per table, header row bold and frozen."""
    import openpyxl
    from openpyxl.styles import Font

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for table in tables:
        sheet = workbook.create_sheet(table.name[:31])
        append_text_safe(sheet, table.headers)
        for row in table.rows:
            append_text_safe(sheet, row)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
