"""The specifications API: create, read, update, publish, versions; bad input changes nothing."""

from __future__ import annotations

from typing import Any

from app_fixtures import INSTITUTION
from fastapi.testclient import TestClient


def _create(client: TestClient, document: dict[str, Any]) -> dict[str, Any]:
    response = client.post(
        "/api/specifications", json={"institution": INSTITUTION, "specification": document}
    )
    assert response.status_code == 201, response.text
    return response.json()


def test_creating_a_specification_answers_201_with_version_1_as_a_draft(
    client: TestClient, compliant_document: dict[str, Any]
) -> None:
    response = client.post(
        "/api/specifications",
        json={"institution": INSTITUTION, "specification": compliant_document},
    )
    assert response.status_code == 201
    body = response.json()
    assert body["version"] == 1
    assert body["status"] == "draft"
    assert body["institution"] == INSTITUTION
    assert body["compliant"] is True
    assert response.headers["Location"] == f"/api/specifications/{body['id']}"
    assert (
        client.get(response.headers["Location"]).json()["specification"]["title"]
        == (compliant_document["title"])
    )


def test_malformed_specification_answers_422_listing_each_problem_and_stores_nothing(
    client: TestClient, compliant_document: dict[str, Any]
) -> None:
    compliant_document["workload"] = {"ects": "five"}
    compliant_document["level"] = {"eqf": "http://data.europa.eu/snb/eqf/12"}
    response = client.post(
        "/api/specifications",
        json={"institution": INSTITUTION, "specification": compliant_document},
    )
    assert response.status_code == 422
    problems = response.json()["detail"]
    assert len(problems) >= 2
    for problem in problems:
        assert set(problem) == {"element", "rule", "message", "severity"}
        assert problem["rule"] and problem["message"]
    elements = {problem["element"] for problem in problems}
    assert any(element.startswith("specification.workload") for element in elements)
    assert any(element.startswith("specification.level") for element in elements)
    assert client.get("/api/specifications").json() == []


def test_specification_that_is_not_an_object_answers_422(client: TestClient) -> None:
    response = client.post(
        "/api/specifications", json={"institution": INSTITUTION, "specification": "a course"}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["element"] == "specification"


def test_request_without_institution_answers_422_naming_the_missing_field(
    client: TestClient, compliant_document: dict[str, Any]
) -> None:
    response = client.post("/api/specifications", json={"specification": compliant_document})
    assert response.status_code == 422
    problem = response.json()["detail"][0]
    assert problem["element"] == "body.institution"
    assert problem["severity"] == "error"


def test_unknown_institution_answers_404_and_stores_nothing(
    operator_client: TestClient, compliant_document: dict[str, Any]
) -> None:
    client = operator_client
    response = client.post(
        "/api/specifications",
        json={"institution": "no-such-place", "specification": compliant_document},
    )
    assert response.status_code == 404
    assert "no-such-place" in response.json()["detail"]
    assert client.get("/api/specifications").json() == []


def test_unknown_specification_id_answers_404(client: TestClient) -> None:
    missing = "0b5c7a3e-1f5d-4c1a-9d2e-6f1f5e7a8b90"
    assert client.get(f"/api/specifications/{missing}").status_code == 404
    assert client.post(f"/api/specifications/{missing}/publish").status_code == 404
    assert client.get("/api/specifications/not-a-uuid").status_code == 404


def test_publishing_a_non_compliant_specification_answers_409_with_its_errors(
    client: TestClient, compliant_document: dict[str, Any]
) -> None:
    del compliant_document["quality_assurance"]
    created = _create(client, compliant_document)
    response = client.post(f"/api/specifications/{created['id']}/publish")
    assert response.status_code == 409
    problems = response.json()["detail"]
    assert any(problem["rule"] == "MC-M11" for problem in problems)
    assert all(problem["severity"] == "error" for problem in problems)
    assert client.get(f"/api/specifications/{created['id']}").json()["status"] == "draft"


def test_publishing_a_compliant_specification_freezes_it(
    client: TestClient, compliant_document: dict[str, Any]
) -> None:
    created = _create(client, compliant_document)
    response = client.post(f"/api/specifications/{created['id']}/publish")
    assert response.status_code == 200
    assert response.json()["status"] == "published"
    assert response.json()["published_at"]


def test_updating_a_published_specification_opens_version_2(
    client: TestClient, compliant_document: dict[str, Any]
) -> None:
    created = _create(client, compliant_document)
    client.post(f"/api/specifications/{created['id']}/publish")
    compliant_document["title"]["en"] = "Data Literacy for Public Administration, revised"
    response = client.put(f"/api/specifications/{created['id']}", json=compliant_document)
    assert response.status_code == 200
    assert (response.json()["version"], response.json()["status"]) == (2, "draft")
    versions = client.get(f"/api/specifications/{created['id']}/versions").json()
    assert [(v["version"], v["status"]) for v in versions] == [(1, "published"), (2, "draft")]
    first = client.get(f"/api/specifications/{created['id']}/versions/1").json()
    assert first["specification"]["title"]["en"] == "Data Literacy for Public Administration"
    assert client.get(f"/api/specifications/{created['id']}?version=2").json()["version"] == 2


def test_malformed_update_answers_422_and_leaves_the_draft_unchanged(
    client: TestClient, compliant_document: dict[str, Any]
) -> None:
    created = _create(client, compliant_document)
    response = client.put(
        f"/api/specifications/{created['id']}", json={"title": {"english!": "Broken"}}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["element"].startswith("title")
    stored = client.get(f"/api/specifications/{created['id']}").json()
    assert stored["specification"]["title"] == compliant_document["title"]


def test_compliance_report_of_a_stored_specification(
    client: TestClient, compliant_document: dict[str, Any]
) -> None:
    created = _create(client, compliant_document)
    report = client.get(f"/api/specifications/{created['id']}/compliance").json()
    assert {verdict["profile"] for verdict in report["verdicts"]} >= {"eu", "eslp"}
    assert next(v for v in report["verdicts"] if v["profile"] == "eu")["compliant"] is True


def test_links_that_are_not_web_addresses_answer_422_and_store_nothing(
    client: TestClient, compliant_document: dict[str, Any]
) -> None:
    compliant_document["homepage"] = "javascript:alert(document.cookie)"
    compliant_document["further_information_url"] = "data:text/html,<script>alert(1)</script>"
    compliant_document["quality_assurance"]["agency_url"] = " java\tscript:alert(1)"
    compliant_document["guidance_contact"] = "JavaScript:alert(1)"
    compliant_document["awarding_bodies"][0]["homepage"] = "vbscript:msgbox(1)"
    response = client.post(
        "/api/specifications",
        json={"institution": INSTITUTION, "specification": compliant_document},
    )
    assert response.status_code == 422, response.text
    elements = {problem["element"] for problem in response.json()["detail"]}
    assert elements == {
        "specification.homepage",
        "specification.further_information_url",
        "specification.quality_assurance.agency_url",
        "specification.guidance_contact",
        "specification.awarding_bodies[0].homepage",
    }
    assert client.get("/api/specifications").json() == []


def test_web_and_email_addresses_are_accepted_as_links(
    client: TestClient, compliant_document: dict[str, Any]
) -> None:
    compliant_document["homepage"] = "https://th-lahntal.example/courses/data"
    compliant_document["guidance_contact"] = "weiterbildung@th-lahntal.example"
    assert _create(client, compliant_document)["specification"]["homepage"].startswith("https://")
