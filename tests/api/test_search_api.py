"""Searching the catalogue through the API: each query parameter narrows the list."""

from __future__ import annotations

from typing import Any

import pytest
from app_fixtures import INSTITUTION
from fastapi.testclient import TestClient

SNB = "http://data.europa.eu/snb"
ONLINE = f"{SNB}/learning-assessment/920fbb3cbe"
PRESENTIAL = f"{SNB}/learning-assessment/9191af2ed9"


@pytest.fixture
def two_courses(client: TestClient, compliant_document: dict[str, Any]) -> dict[str, str]:
    """A published online ICT course (5 ECTS, EQF 6) and a draft onsite health one (10, EQF 5)."""
    ids = {}
    online = dict(compliant_document)
    response = client.post(
        "/api/specifications", json={"institution": INSTITUTION, "specification": online}
    )
    ids["online"] = response.json()["id"]
    client.post(f"/api/specifications/{ids['online']}/publish")
    onsite = {
        **compliant_document,
        "title": {"en": "Wound Care in Nursing Homes", "de": "Wundversorgung in Pflegeheimen"},
        "workload": {"ects": 10, "hours": 270},
        "level": {"eqf": f"{SNB}/eqf/5"},
        "isced_f": [f"{SNB}/isced-f/0913"],
        "participation": {**compliant_document["participation"], "modes": [PRESENTIAL]},
    }
    response = client.post(
        "/api/specifications", json={"institution": INSTITUTION, "specification": onsite}
    )
    assert response.status_code == 201, response.text
    ids["onsite"] = response.json()["id"]
    return ids


def _found(client: TestClient, **params: Any) -> set[str]:
    response = client.get("/api/specifications", params=params)
    assert response.status_code == 200, response.text
    return {record["id"] for record in response.json()}


def test_search_without_parameters_lists_everything(
    client: TestClient, two_courses: dict[str, str]
) -> None:
    assert _found(client) == set(two_courses.values())


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"text": "wound"}, "onsite"),
        ({"text": "DATENKOMPETENZ"}, "online"),
        ({"isced_f": "0913"}, "onsite"),
        ({"eqf": 6}, "online"),
        ({"ects_min": 8}, "onsite"),
        ({"ects_max": 6}, "online"),
        ({"mode": ONLINE}, "online"),
        ({"status": "published"}, "online"),
        ({"status": "draft"}, "onsite"),
    ],
)
def test_each_search_filter_narrows_the_list(
    client: TestClient, two_courses: dict[str, str], params: dict[str, Any], expected: str
) -> None:
    assert _found(client, **params) == {two_courses[expected]}


def test_search_by_institution(client: TestClient, two_courses: dict[str, str]) -> None:
    assert _found(client, institution=INSTITUTION) == set(two_courses.values())
    assert _found(client, institution="elsewhere") == set()


def test_bad_search_parameter_answers_422_naming_it(client: TestClient) -> None:
    response = client.get("/api/specifications", params={"eqf": "twelve"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["element"] == "query.eqf"
