"""Durations on the designer form: a number and a unit in, one ISO 8601 value stored."""

from __future__ import annotations

from fastapi.testclient import TestClient

from microcred.web.form_data import document_from_form, form_from_document


def test_a_number_and_a_unit_become_an_iso_duration() -> None:
    document = document_from_form(
        [
            ("duration.amount", "10"),
            ("duration.unit", "W"),
            ("default_validity.amount", "3"),
            ("default_validity.unit", "Y"),
            ("title.en", "Data"),
        ]
    )
    assert document["duration"] == "P10W" and document["default_validity"] == "P3Y"
    assert "amount" not in str(document)


def test_an_empty_amount_adds_no_duration() -> None:
    document = document_from_form([("duration.amount", ""), ("duration.unit", "W")])
    assert "duration" not in document


def test_a_stored_duration_shows_as_its_number_and_unit_and_goes_back_unchanged() -> None:
    values = form_from_document({"duration": "P8W", "default_validity": "P1Y6M"})
    assert (values["duration.amount"], values["duration.unit"]) == ("8", "W")
    assert values["default_validity"] == "P1Y6M"  # two units: kept as written
    again = document_from_form(list(values.items()))
    assert again == {"duration": "P8W", "default_validity": "P1Y6M"}


def test_the_designer_asks_for_a_number_and_a_unit(client: TestClient) -> None:
    page = client.get("/designer?lang=de").text
    assert 'name="duration.amount"' in page and 'name="duration.unit"' in page
    assert ">Wochen<" in page
