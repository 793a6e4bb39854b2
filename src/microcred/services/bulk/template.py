"""The template of a bulk award for one specification (CSV or XLSX): the columns, and one
example row."""

from __future__ import annotations

import csv
import io

from microcred.domain.specification import LearnerIdentifier, Specification
from microcred.domain.spreadsheet_cells import append_text_safe, csv_record
from microcred.services.bulk.columns import FIELDS


def template_csv(specification: Specification) -> str:
    """Return a CSV with every column a bulk award reads and an example learner."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(FIELDS), lineterminator="\r\n")
    writer.writeheader()
    writer.writerow(csv_record(_example(specification)))
    return buffer.getvalue()


def template_xlsx(specification: Specification) -> bytes:
    """Return the same template as an XLSX workbook (every cell text, so ids keep their zeros)."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "awards"
    example = _example(specification)
    sheet.append(list(FIELDS))
    append_text_safe(sheet, [example[field] for field in FIELDS])
    for column in sheet.iter_cols(min_row=1, max_row=2):
        for cell in column:
            cell.number_format = "@"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _example(specification: Specification) -> dict[str, str]:
    required = set(specification.learner_identification.required)
    grades = specification.grading_scheme.grades if specification.grading_scheme else []
    example = {
        "name": "Jana Nowak",
        "email": "jana.nowak@example.org",
        "institutional_id": "S-000123",
        "did": "",
        "date_of_birth": "2001-12-31" if LearnerIdentifier.date_of_birth in required else "",
        "language": "en",
        "grade": grades[0] if grades else "",
        "awarded_on": "",
    }
    return example


def rows_csv(columns: list[str], rows: list[dict[str, str]], extra: str = "problem") -> str:
    """Return rows (as read from an upload) as CSV with their columns and one ``extra`` column."""
    buffer = io.StringIO()
    fieldnames = [*columns, extra]
    writer = csv.DictWriter(
        buffer, fieldnames=fieldnames, lineterminator="\r\n", extrasaction="ignore"
    )
    writer.writerow(csv_record({name: name for name in fieldnames}))  # the header, made safe
    writer.writerows(csv_record(row) for row in rows)
    return buffer.getvalue()
