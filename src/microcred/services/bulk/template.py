"""The CSV template of a bulk award for one specification: the columns, and one example row."""

from __future__ import annotations

import csv
import io

from microcred.domain.specification import LearnerIdentifier, Specification
from microcred.services.bulk.columns import FIELDS


def template_csv(specification: Specification) -> str:
    """Return a CSV with every column a bulk award reads and an example learner."""
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
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(FIELDS), lineterminator="\r\n")
    writer.writeheader()
    writer.writerow(example)
    return buffer.getvalue()


def rows_csv(columns: list[str], rows: list[dict[str, str]], extra: str = "problem") -> str:
    """Return rows (as read from an upload) as CSV with their columns and one ``extra`` column."""
    buffer = io.StringIO()
    writer = csv.DictWriter(
        buffer, fieldnames=[*columns, extra], lineterminator="\r\n", extrasaction="ignore"
    )
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()
