"""The designer form: CSRF, saving, errors beside the field, add-another rows, the live panel."""

from __future__ import annotations

import re
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from web_support import csrf_token, example_form, form_body

from api.app_fixtures import INSTITUTION
from microcred.store.records import SpecificationRecord
from support.examples import example_specification

SNB = "http://data.europa.eu/snb"


def _error_count(panel: str) -> int:
    match = re.search(r'data-testid="error-count" data-count="(\d+)"', panel)
    assert match, panel
    return int(match.group(1))


def test_post_without_csrf_token_is_refused_and_stores_nothing(
    client: TestClient, app: FastAPI
) -> None:
    response = client.post("/designer", data=dict(example_form()))
    assert response.status_code == 403
    assert "security token" in response.text
    assert app.state.catalogue.search() == []


def test_post_with_a_token_not_matching_the_cookie_is_refused(
    client: TestClient, app: FastAPI
) -> None:
    csrf_token(client)
    forged = [*example_form(), ("csrf_token", "forged.token")]
    response = client.post("/designer", data=form_body(forged))
    assert response.status_code == 403
    assert app.state.catalogue.search() == []


def test_publish_without_csrf_token_is_refused(
    client: TestClient, app: FastAPI, stored: SpecificationRecord
) -> None:
    response = client.post(f"/specifications/{stored.id}/publish")
    assert response.status_code == 403
    assert app.state.catalogue.get(stored.id).status == "draft"


def test_saving_the_form_stores_a_draft_and_shows_it(client: TestClient, app: FastAPI) -> None:
    token = csrf_token(client)
    response = client.post(
        "/designer",
        data=form_body([*example_form(), ("csrf_token", token)]),
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    [record] = app.state.catalogue.search()
    assert record.specification == example_specification()
    assert response.headers["location"] == f"/specifications/{record.id}?saved=1"
    assert "The draft was saved." in client.get(response.headers["location"]).text


def test_malformed_field_is_reported_beside_it_and_nothing_is_stored(
    client: TestClient, app: FastAPI
) -> None:
    token = csrf_token(client)
    fields = [(n, v) for n, v in example_form() if n != "workload.ects"]
    fields += [("workload.ects", "five"), ("csrf_token", token)]
    response = client.post("/designer", data=form_body(fields))
    assert response.status_code == 422
    beside = re.search(
        r'id="f-workload\.ects".*?<ul class="field-errors" id="workload-ects-errors">(.*?)</ul>',
        response.text,
        re.S,
    )
    assert beside, "no error beside the ECTS field"
    assert 'value="five"' in response.text  # the designer's input is kept
    assert app.state.catalogue.search() == []


def test_missing_institution_is_an_error_beside_the_field(client: TestClient, app: FastAPI) -> None:
    token = csrf_token(client)
    fields = [(n, v) for n, v in example_form() if n != "institution"]
    response = client.post("/designer", data=form_body([*fields, ("csrf_token", token)]))
    assert response.status_code == 422
    assert 'id="institution-errors"' in response.text
    assert app.state.catalogue.search() == []


def test_add_another_learning_outcome_works_without_javascript(
    client: TestClient, app: FastAPI
) -> None:
    token = csrf_token(client)
    shown = client.get("/designer").text.count('name="learning_outcomes.')
    fields = [*example_form(), ("csrf_token", token), ("action", "add_learning_outcome")]
    response = client.post("/designer", data=form_body(fields))
    assert response.status_code == 200
    outcomes = len(example_specification().learning_outcomes)
    assert f'name="learning_outcomes.{outcomes}.text.en"' in response.text
    assert response.text.count('name="learning_outcomes.') > shown
    assert app.state.catalogue.search() == []


def test_live_panel_error_count_drops_as_elements_are_filled(client: TestClient) -> None:
    token = csrf_token(client)
    fields = example_form()
    without_qa_and_ects = [
        (n, v)
        for n, v in fields
        if not n.startswith("quality_assurance.") and not n.startswith("workload.")
    ]
    incomplete = client.post(
        "/designer/check", data=form_body([*without_qa_and_ects, ("csrf_token", token)])
    )
    complete = client.post("/designer/check", data=form_body([*fields, ("csrf_token", token)]))
    assert incomplete.status_code == complete.status_code == 200
    assert incomplete.text.lstrip().startswith('<section class="panel compliance"')
    assert "MC-M11" in incomplete.text
    assert _error_count(incomplete.text) > _error_count(complete.text) == 0


def test_publishing_an_incomplete_draft_is_refused_with_its_errors(
    client: TestClient, app: FastAPI
) -> None:
    spec = example_specification()
    spec.quality_assurance.types = []
    spec.quality_assurance.internal = None
    spec.quality_assurance.external = None
    record = app.state.catalogue.create(INSTITUTION, spec)
    token = csrf_token(client, f"/specifications/{record.id}/publish")
    response = client.post(f"/specifications/{record.id}/publish", data={"csrf_token": token})
    assert response.status_code == 409
    assert "cannot be published yet" in response.text
    assert "MC-M11" in response.text
    assert app.state.catalogue.get(record.id).status == "draft"


def test_publishing_a_compliant_draft_puts_it_in_the_catalogue(
    client: TestClient, app: FastAPI, stored: SpecificationRecord
) -> None:
    token = csrf_token(client, f"/specifications/{stored.id}/publish")
    response = client.post(
        f"/specifications/{stored.id}/publish",
        data={"csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert app.state.catalogue.get(stored.id).status == "published"
    assert stored.id in client.get("/?status=published").text


def test_edit_form_shows_the_stored_values_and_saves_a_new_draft(
    client: TestClient, app: FastAPI, stored: SpecificationRecord
) -> None:
    app.state.catalogue.publish(stored.id)
    page = client.get(f"/specifications/{stored.id}/edit")
    assert 'value="Data Literacy for Public Administration"' in page.text
    token = csrf_token(client, f"/specifications/{stored.id}/edit")
    fields: list[tuple[str, Any]] = [
        (n, "Data Literacy, revised" if n == "title.en" else v) for n, v in example_form()
    ]
    response = client.post(
        f"/specifications/{stored.id}/edit",
        data=form_body([*fields, ("csrf_token", token)]),
        follow_redirects=False,
    )
    assert response.status_code == 303
    latest = app.state.catalogue.get(stored.id)
    assert (latest.version, latest.status) == (2, "draft")
    assert latest.specification.title["en"] == "Data Literacy, revised"


def test_vocabulary_choices_are_labelled_in_the_interface_language(client: TestClient) -> None:
    german = client.get("/designer?lang=de").text
    assert f'<option value="{SNB}/eqf/6">' in german
    assert "Deutschland" in german


def test_save_and_publish_puts_a_compliant_course_in_the_catalogue(
    client: TestClient, app: FastAPI
) -> None:
    token = csrf_token(client)
    fields = [*example_form(), ("csrf_token", token), ("action", "publish")]
    response = client.post("/designer", data=form_body(fields), follow_redirects=False)
    assert response.status_code == 303
    [record] = app.state.catalogue.search()
    assert record.status == "published"
    assert response.headers["location"] == f"/specifications/{record.id}?published=1"


def test_save_and_publish_keeps_an_incomplete_course_as_a_draft_and_lists_why(
    client: TestClient, app: FastAPI
) -> None:
    token = csrf_token(client)
    fields = [(n, v) for n, v in example_form() if not n.startswith("workload.")]
    fields += [("csrf_token", token), ("action", "publish")]
    response = client.post("/designer", data=form_body(fields))
    assert response.status_code == 200
    assert "cannot be published yet" in response.text
    assert "MC-M07" in response.text
    [record] = app.state.catalogue.search()
    assert record.status == "draft"


def test_publishing_asks_once_more_before_the_draft_goes_public(
    client: TestClient, app: FastAPI, stored: SpecificationRecord
) -> None:
    page = client.get(f"/specifications/{stored.id}")
    assert f'href="/specifications/{stored.id}/publish"' in page.text
    assert f'action="/specifications/{stored.id}/publish"' not in page.text  # no one-click form
    confirm = client.get(f"/specifications/{stored.id}/publish")
    assert confirm.status_code == 200
    assert "Yes, publish it" in confirm.text and "can no longer be changed" in confirm.text
    assert app.state.catalogue.get(stored.id).status == "draft"  # asking changed nothing
