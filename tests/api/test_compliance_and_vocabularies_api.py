"""Checking a document without storing it; vocabularies; institutions; the OpenAPI document."""

from __future__ import annotations

from typing import Any

from app_fixtures import INSTITUTION
from fastapi.testclient import TestClient


def test_compliance_check_reports_the_missing_quality_assurance_and_stores_nothing(
    client: TestClient, compliant_document: dict[str, Any]
) -> None:
    del compliant_document["quality_assurance"]
    response = client.post("/api/compliance/check", json=compliant_document)
    assert response.status_code == 200
    report = response.json()
    eu = next(v for v in report["verdicts"] if v["profile"] == "eu")
    assert eu["compliant"] is False
    failed = {r["rule"] for r in report["results"] if r["outcome"] == "failed"}
    assert "MC-M11" in failed
    assert client.get("/api/specifications").json() == []


def test_compliance_check_of_a_malformed_document_answers_422(client: TestClient) -> None:
    response = client.post("/api/compliance/check", json={"workload": {"ects": -3}})
    assert response.status_code == 422
    assert response.json()["detail"][0]["element"].startswith("workload")


def test_vocabulary_labels_follow_the_requested_language(client: TestClient) -> None:
    english = client.get("/api/vocabularies/country", params={"lang": "en"}).json()
    german = client.get("/api/vocabularies/country", params={"lang": "de"}).json()
    deu = "http://publications.europa.eu/resource/authority/country/DEU"
    assert next(c["label"] for c in english["concepts"] if c["uri"] == deu) == "Germany"
    assert next(c["label"] for c in german["concepts"] if c["uri"] == deu) == "Deutschland"


def test_vocabulary_language_defaults_to_accept_language(client: TestClient) -> None:
    german = client.get("/api/vocabularies/country", headers={"Accept-Language": "de"}).json()
    deu = "http://publications.europa.eu/resource/authority/country/DEU"
    assert next(c["label"] for c in german["concepts"] if c["uri"] == deu) == "Deutschland"


def test_unknown_vocabulary_answers_404_naming_the_known_ones(client: TestClient) -> None:
    response = client.get("/api/vocabularies/colours")
    assert response.status_code == 404
    assert "eqf" in response.json()["detail"]


def test_institutions_are_listed_and_can_be_added_by_the_operator(
    operator_client: TestClient,
) -> None:
    response = operator_client.put(
        "/api/institutions/uni-example", json={"name": {"en": "Uni Example"}}
    )
    assert response.status_code == 200
    listed = operator_client.get("/api/institutions").json()
    slugs = [institution["slug"] for institution in listed]
    assert slugs == [INSTITUTION, "uni-example"]


def test_institution_with_a_bad_slug_answers_422(operator_client: TestClient) -> None:
    response = operator_client.put("/api/institutions/Not A Slug", json={"name": {"en": "X"}})
    assert response.status_code == 422
    assert "slug" in response.json()["detail"][0]["message"]


def test_openapi_document_lists_the_routes(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    paths = document["paths"]
    assert set(paths["/api/specifications"]) == {"get", "post"}
    assert set(paths["/api/specifications/{spec_id}"]) == {"get", "put"}
    for path in (
        "/api/specifications/{spec_id}/publish",
        "/api/specifications/{spec_id}/versions",
        "/api/compliance/check",
        "/api/vocabularies/{name}",
        "/api/institutions",
    ):
        assert path in paths
    assert not any(path.startswith("/designer") for path in paths)
    assert "Specification" in document["components"]["schemas"]


def test_api_docs_load_swagger_ui_from_this_server_not_a_cdn(client: TestClient) -> None:
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in docs.text
    assert "cdn" not in docs.text.lower()
    assert client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js").status_code == 200


def test_a_client_asking_for_json_gets_errors_as_json_outside_api(client: TestClient) -> None:
    missing = "/specifications/0b5c7a3e-1f5d-4c1a-9d2e-6f1f5e7a8b90"
    as_json = client.get(missing, headers={"Accept": "application/json"})
    assert as_json.status_code == 404
    assert "has no" in as_json.json()["detail"] or "no specification" in as_json.json()["detail"]
    as_page = client.get(missing, headers={"Accept": "text/html"})
    assert as_page.headers["content-type"].startswith("text/html")
