"""Which column holds what: our template, a Moodle grade export or a Canvas gradebook export.

Each layout maps the file's columns onto the fields of an award (name, email, institutional_id,
did, date_of_birth, language, grade, awarded_on). The layout is recognised by its columns:

- Moodle ("Export grades" as CSV or Excel): "First name", "Last name" (older: "Surname"),
  "ID number", "Email address", and the course total, "Course total (Letter)" or "(Real)".
- Canvas (Grades → Export): "Student" as "Last, First", "ID", "SIS User ID", "SIS Login ID",
  "Section", then "Final Grade" (letter, when a grading scheme is on) or "Final Score"; the row
  "Points Possible" below the header is not a learner.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

FIELDS = (
    "name",
    "email",
    "institutional_id",
    "did",
    "date_of_birth",
    "language",
    "grade",
    "awarded_on",
)

Cells = dict[str, str]


@dataclass(frozen=True)
class Layout:
    name: str  # "template", "moodle" or "canvas"
    recognise: Callable[[set[str]], bool]
    fields: Callable[[Cells], dict[str, str]]
    skip: Callable[[Cells], bool] = lambda cells: False


def _first(cells: Cells, *columns: str) -> str:
    for column in columns:
        if cells.get(column, "").strip():
            return cells[column].strip()
    return ""


def _template_fields(cells: Cells) -> dict[str, str]:
    return {field: cells.get(field, "").strip() for field in FIELDS}


def _moodle_fields(cells: Cells) -> dict[str, str]:
    last = _first(cells, "Last name", "Surname")
    name = " ".join(part for part in (_first(cells, "First name"), last) if part)
    return {
        "name": name,
        "email": _first(cells, "Email address"),
        "institutional_id": _first(cells, "ID number"),
        "grade": _first(cells, "Course total (Letter)", "Course total (Real)"),
    }


def _canvas_fields(cells: Cells) -> dict[str, str]:
    student = _first(cells, "Student")
    last, comma, first = student.partition(",")
    login = _first(cells, "SIS Login ID")
    return {
        "name": f"{first.strip()} {last.strip()}" if comma else student,
        "email": login if "@" in login else "",
        "institutional_id": _first(cells, "SIS User ID") or (login if "@" not in login else ""),
        "grade": _first(cells, "Final Grade", "Final Score"),
    }


def _canvas_extra_row(cells: Cells) -> bool:
    # Canvas puts "Points Possible" (and, in older exports, a "Muted" row) under the header.
    return cells.get("Student", "").strip() in ("Points Possible", "Muted")


LAYOUTS = (
    Layout("template", lambda columns: "email" in columns or "name" in columns, _template_fields),
    Layout(
        "moodle",
        lambda columns: "First name" in columns and "Email address" in columns,
        _moodle_fields,
    ),
    Layout(
        "canvas",
        lambda columns: (
            {"Student", "SIS User ID"} <= columns or {"Student", "ID", "Section"} <= columns
        ),
        _canvas_fields,
        _canvas_extra_row,
    ),
)


def layout_of(columns: list[str]) -> Layout | None:
    """Return the layout these columns are in, or None when none is recognised."""
    present = set(columns)
    return next((layout for layout in LAYOUTS if layout.recognise(present)), None)


def layout_help() -> str:
    return (
        "use the template's columns (" + ", ".join(FIELDS) + "), or upload a Moodle grade "
        "export (First name, Last name, Email address, ID number, Course total) or a Canvas "
        "gradebook export (Student, SIS User ID, SIS Login ID, Final Grade)"
    )
