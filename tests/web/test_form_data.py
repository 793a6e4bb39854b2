"""Flat form fields and the nested specification document convert into each other."""

from __future__ import annotations

from microcred.web.form_data import document_from_form, form_from_document, row_count
from support.examples import example_specification


def _as_items(values: dict[str, object]) -> list[tuple[str, str]]:
    items: list[tuple[str, str]] = []
    for name, value in values.items():
        items += [(name, item) for item in value] if isinstance(value, list) else [(name, value)]
    return items  # type: ignore[return-value]


def test_the_example_survives_the_trip_through_the_form() -> None:
    document = example_specification().model_dump(mode="json", exclude_none=True)
    again = document_from_form(_as_items(form_from_document(document)))
    assert type(example_specification()).model_validate(again) == example_specification()


def test_numbered_fields_become_a_list_in_order_and_blank_fields_are_left_out() -> None:
    document = document_from_form(
        [
            ("learning_outcomes.1.text.en", "Design a survey"),
            ("learning_outcomes.0.text.en", "Analyse open data"),
            ("learning_outcomes.0.text.de", "  "),
            ("workload.ects", "5"),
            ("csrf_token", "ignored"),
        ]
    )
    assert document == {
        "learning_outcomes": [
            {"text": {"en": "Analyse open data"}},
            {"text": {"en": "Design a survey"}},
        ],
        "workload": {"ects": "5"},
    }


def test_list_fields_take_several_values_or_one_per_line() -> None:
    document = document_from_form(
        [("assessment.types[]", "a"), ("assessment.types[]", "b"), ("nuts_regions[]", "DE1\nDE2\n")]
    )
    assert document == {"assessment": {"types": ["a", "b"]}, "nuts_regions": ["DE1", "DE2"]}


def test_an_untouched_row_adds_nothing() -> None:
    document = document_from_form(
        [
            ("learning_outcomes.0.text.en", "Analyse open data"),
            ("learning_outcomes.1.text.en", ""),
            ("learning_outcomes.1.esco_skills[]", ""),
            ("grading_scheme.grades[]", "  \n"),
        ]
    )
    assert document == {"learning_outcomes": [{"text": {"en": "Analyse open data"}}]}


def test_row_count_counts_the_filled_rows_of_a_group() -> None:
    values = {"awarding_bodies.0.name.en": "A", "awarding_bodies.2.name.en": "C", "title.en": "T"}
    assert row_count(values, "awarding_bodies") == 3
    assert row_count(values, "learning_outcomes") == 0
