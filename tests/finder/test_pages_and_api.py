"""The finder's pages and JSON through the real app: public search, guidance, course pages,
saving (signed-in learners only), the feed and the ELM export."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.app_fixtures import app_on_sqlite, log_in
from finder.courses import Published, publish_courses
from microcred.services.accounts import Accounts
from microcred.services.finder.saved import SavedItems

LEARNER, PASSWORD = "learner@example.org", "a long learner passphrase"


@pytest.fixture
def app(tmp_path: Path) -> FastAPI:
    return app_on_sqlite(tmp_path / "finder.db")


@pytest.fixture
def published(app: FastAPI) -> Published:
    Accounts(app.state.database).create_user(LEARNER, password=PASSWORD, actor="test setup")
    return publish_courses(app.state.catalogue)


@pytest.fixture
def client(app: FastAPI, published: Published) -> Iterator[TestClient]:
    with TestClient(app, base_url="https://testserver") as client:
        yield client


def test_finder_page_ranks_for_the_answers_and_shows_why(client: TestClient) -> None:
    page = client.get("/courses?profile=compliance&hours=5&budget=0&prefer=online")
    assert page.status_code == 200
    titles = re.findall(r'<h3><a href="/courses/[^"]+">([^<]+)</a></h3>', page.text)
    assert titles[:2] == ["GDPR Essentials for Staff", "Workplace Safety Refresher"]
    assert "Free of charge." in page.text
    assert "Short (4 weeks): quick to complete for a requirement." in page.text


def test_finder_page_speaks_german(client: TestClient) -> None:
    page = client.get("/courses?lang=de&profile=compliance&hours=5&budget=0")
    assert "Warum dieser Kurs" in page.text
    assert "Kostenlos." in page.text
    assert "DSGVO-Grundlagen für Beschäftigte" in page.text


def test_bad_filter_gets_the_page_back_with_the_field_named(client: TestClient) -> None:
    page = client.get("/courses?ects_min=5&ects_max=2")
    assert page.status_code == 422
    assert "ects_min (5) is greater than ects_max (2)" in page.text


def test_api_search_returns_reasons_in_the_asked_language(
    client: TestClient, published: Published
) -> None:
    body = client.get("/api/courses?profile=compliance&hours=5&budget=0&lang=de").json()
    assert body["courses"][0]["id"] == published.ids["gdpr"]
    assert "Kostenlos." in [reason["text"] for reason in body["courses"][0]["reasons"]]
    refused = client.get("/api/courses?skill=cooking")
    assert refused.status_code == 422
    assert "ESCO skill" in refused.text


def test_course_page_shows_what_it_stacks_into_and_the_guidance_contact(
    client: TestClient, published: Published
) -> None:
    page = client.get(f"/courses/{published.ids['cloud-advanced']}")
    assert page.status_code == 200
    assert "Stacks into: Cloud Certificate" in page.text
    steps = page.text[page.text.index('<ol class="steps">') :]
    assert steps.index("Cloud Architecture Foundations") < steps.index("Cloud Operations")
    assert "Usually before" in page.text
    assert "mailto:" in page.text or "Guidance at" in page.text


def test_draft_has_no_course_page(client: TestClient, published: Published) -> None:
    assert client.get(f"/courses/{published.draft}").status_code == 404
    assert client.get(f"/api/courses/{published.draft}/elm").status_code == 404


def test_saving_needs_a_signed_in_learner(
    app: FastAPI, client: TestClient, published: Published
) -> None:
    spec_id = published.ids["gdpr"]
    page = client.get(f"/courses/{spec_id}")
    assert "Sign in to save this course" in page.text
    assert client.get("/courses/saved", follow_redirects=False).status_code == 303
    log_in(client, LEARNER, PASSWORD)
    page = client.get(f"/courses/{spec_id}")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token
    saved = client.post(
        f"/courses/{spec_id}/save", data={"csrf_token": token.group(1)}, follow_redirects=False
    )
    assert saved.status_code == 303
    assert "GDPR Essentials for Staff" in client.get("/courses/saved").text
    user_id = Accounts(app.state.database).get(LEARNER).id
    assert [item.ref for item in SavedItems(app.state.database).saved(user_id)] == [spec_id]


def test_saving_without_the_csrf_token_is_refused_and_saves_nothing(
    client: TestClient, published: Published
) -> None:
    log_in(client, LEARNER, PASSWORD)
    refused = client.post(f"/courses/{published.ids['gdpr']}/save", data={})
    assert refused.status_code == 403
    assert "Nothing saved yet." in client.get("/courses/saved").text


def test_feed_and_elm_export_are_served(client: TestClient, published: Published) -> None:
    feed = client.get("/api/feed/courses.json").json()
    assert feed["count"] == len(published.ids)
    schema = client.get("/api/feed/courses.schema.json").json()
    assert "courses" in schema["properties"]
    export = client.get(f"/api/courses/{published.ids['gdpr']}/elm")
    assert export.headers["content-type"].startswith("application/ld+json")
    assert export.json()["type"] == "LearningOpportunity"
