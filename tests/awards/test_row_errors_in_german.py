"""A gradebook's rejected rows say what is wrong in sentences, in the registrar's language: no
column names, no validator text, no Python reprs."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest

from microcred.domain.specification import GradingScheme
from microcred.i18n import set_language
from microcred.services.bulk.gradebook import read_gradebook
from microcred.services.bulk.preview import preview_gradebook
from microcred.store.records import SpecificationRecord
from support.examples import example_specification

TODAY = date(2025, 6, 1)
ROWS = (
    "name,email,grade,awarded_on,date_of_birth\n"
    "Anna Schmidt,anna@example.org,A,2025-03-01,\n"
    "Ben Bauer,not-an-address,B,2025-03-01,\n"
    "Cem Yilmaz,cem@example.org,A+,2025-03-01,\n"
    "Dora Klein,dora@example.org,C,13/2025,\n"
    "Emil Roth,emil@example.org,D,2025-03-01,31.02.\n"
    "Anna Schmidt,ANNA@example.org,A,2025-03-01,\n"
    "Finn Wolf,finn@example.org,E,2026-01-01,\n"
)
# What a registrar must never read in a row's reason.
TECHNICAL = re.compile(r"awarded_on|date_of_birth|Value error|\{'|\(use |!r|'[^']*'")


@pytest.fixture
def german() -> Iterator[None]:
    set_language("de")
    yield
    set_language("en")


def rejected_reasons() -> dict[str, str]:
    spec = example_specification()
    grades = ["A", "B", "C", "D", "E"]
    graded = spec.model_copy(
        update={
            "grading_scheme": GradingScheme(
                title={"en": "Grades"}, grades=grades, pass_grades=grades
            )
        }
    )
    moment = datetime(2025, 1, 1, tzinfo=UTC)
    record = SpecificationRecord(
        id="spec-1", version=1, status="published", institution="uni-a", specification=graded,
        created_at=moment, updated_at=moment, published_at=moment, compliant=True, errors=0,
        warnings=0,
    )  # fmt: skip
    gradebook = read_gradebook(ROWS.encode(), "grades.csv")
    preview = preview_gradebook(gradebook, record, awarded_on=TODAY, today=TODAY)
    return {row.raw.get("name", ""): "; ".join(row.reasons) for row in preview.rejected}


def test_every_rejected_row_is_explained_in_german(german: None) -> None:
    reasons = rejected_reasons()
    assert reasons == {
        "Ben Bauer": "E-Mail: „not-an-address“ ist keine E-Mail-Adresse",
        "Cem Yilmaz": "Note: unbekannte Note „A+“; dieses Micro-Credential erlaubt A, B, C, D, E",
        "Dora Klein": (
            "Datum der Verleihung: „13/2025“ ist kein Datum; schreiben Sie es als 2025-03-01"
        ),
        "Emil Roth": "Geburtsdatum: „31.02.“ ist kein Datum; schreiben Sie es als 2001-12-31",
        "Anna Schmidt": "doppelte lernende Person: dieselbe E-Mail wie in Zeile 2",
        "Finn Wolf": "Datum der Verleihung: 2026-01-01 liegt in der Zukunft",
    }


def test_the_same_rows_read_in_english_without_technical_text() -> None:
    reasons = rejected_reasons()
    assert reasons["Cem Yilmaz"].startswith("Grade: unknown grade “A+”")
    assert reasons["Anna Schmidt"] == "duplicate learner: the same E-mail as row 2"
    assert [text for text in reasons.values() if TECHNICAL.search(text)] == []
