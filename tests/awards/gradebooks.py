"""Gradebook files for the tests: N learners in our template, with chosen rows made bad."""

from __future__ import annotations

import csv
import io

BAD_ROWS = {
    # row index (0-based among learners) -> how it is made bad, and the reason expected
    10: ("email", "", "e-mail"),
    120: ("grade", "A+", "unknown grade"),
    240: ("email", "learner0005@example.org", "duplicate learner"),
    360: ("awarded_on", "31.02.2025", "not a date"),
    480: ("name", "", "full name"),
    600: ("email", "not-an-address", "not an e-mail address"),
    720: ("date_of_birth", "yesterday", "not a date"),
}


def gradebook_csv(count: int, bad: dict[int, tuple[str, str, str]] | None = None) -> bytes:
    """Return a template CSV of ``count`` learners; ``bad`` rows get the value given."""
    bad = BAD_ROWS if bad is None else bad
    buffer = io.StringIO()
    columns = ["name", "email", "grade", "awarded_on", "date_of_birth"]
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for index in range(count):
        row = {
            "name": f"Learner {index:04d}",
            "email": f"learner{index:04d}@example.org",
            "grade": ("1.0", "1.7", "2.3", "3.0", "4.0")[index % 5],
            "awarded_on": "2025-03-01",
            "date_of_birth": "",
        }
        if index in bad:
            field, value, _ = bad[index]
            row[field] = value
        writer.writerow(row)
    return buffer.getvalue().encode("utf-8")
