"""The catalogue, specification and designer pages render, in English and German."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from microcred.store.records import SpecificationRecord


@pytest.mark.parametrize(
    ("lang", "heading", "title"),
    [
        ("en", "Catalogue of micro-credentials", "Data Literacy for Public Administration"),
        ("de", "Katalog der Micro-Credentials", "Datenkompetenz für die öffentliche Verwaltung"),
    ],
)
def test_catalogue_lists_the_stored_specification_in_the_chosen_language(
    client: TestClient, stored: SpecificationRecord, lang: str, heading: str, title: str
) -> None:
    response = client.get(f"/?lang={lang}")
    assert response.status_code == 200
    assert heading in response.text
    assert title in response.text
    assert f'href="/specifications/{stored.id}"' in response.text


def test_catalogue_search_by_title_finds_only_matches(
    client: TestClient, stored: SpecificationRecord
) -> None:
    assert stored.id in client.get("/?text=literacy").text
    assert stored.id not in client.get("/?text=welding").text


def test_catalogue_with_a_bad_filter_says_what_to_fix(client: TestClient) -> None:
    response = client.get("/?isced_f=medicine")
    assert response.status_code == 422
    assert "is not an ISCED-F code" in response.text


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", ["Identification of the learner", "Type of quality assurance", "Germany"]),
        (
            "de",
            ["Identifizierung der lernenden Person", "Art der Qualitätssicherung", "Deutschland"],
        ),
    ],
)
def test_specification_page_shows_the_annex_elements_with_labels(
    client: TestClient, stored: SpecificationRecord, lang: str, expected: list[str]
) -> None:
    response = client.get(f"/specifications/{stored.id}?lang={lang}")
    assert response.status_code == 200
    for text in expected:
        assert text in response.text
    assert 'id="compliance-panel"' in response.text
    assert "MC-M01" in response.text  # a passed rule, listed under its profile


def test_unknown_specification_is_a_404_page(client: TestClient) -> None:
    response = client.get("/specifications/0b5c7a3e-1f5d-4c1a-9d2e-6f1f5e7a8b90")
    assert response.status_code == 404
    assert "<h1>Not found</h1>" in response.text


@pytest.mark.parametrize(
    ("lang", "legend"), [("en", "7. Notional workload"), ("de", "7. Fiktiver")]
)
def test_designer_renders_every_element(client: TestClient, lang: str, legend: str) -> None:
    response = client.get(f"/designer?lang={lang}")
    assert response.status_code == 200
    assert legend in response.text
    for name in (
        "learner_identification.required[]",
        "title.en",
        "title.de",
        "issuer_countries[]",
        "awarding_bodies.0.name.en",
        "learning_outcomes.0.text.de",
        "workload.ects",
        "level.eqf",
        "assessment.types[]",
        "participation.modes[]",
        "quality_assurance.types[]",
        "prerequisites.en",
        "supervision",
        "grading_scheme.grades[]",
        "stackability.kind",
        "further_information.en",
    ):
        assert f'name="{name}"' in response.text, name


def test_every_form_field_has_a_label(client: TestClient) -> None:
    text = client.get("/designer").text
    ids = re.findall(r'<(?:input|select|textarea)[^>]*\bid="([^"]+)"', text)
    assert len(ids) > 50
    for field_id in ids:
        assert f'for="{field_id}"' in text, field_id
