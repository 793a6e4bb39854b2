"""The pathway designer's pages: list, compose, change; each pathway with its stacked
credential's compliance; only designers of the pathway's institution change it."""

from __future__ import annotations

import json

from fastapi import FastAPI
from fastapi.testclient import TestClient
from gaps_support import (
    DESIGNER,
    LAHNTAL,
    LEARNER,
    OTHER_DESIGNER,
    REGISTRAR,
    Site,
    form_token,
    sign_in,
)

NEW = "/pathways/design/new"


def _client(app: FastAPI, email: str) -> TestClient:
    return sign_in(TestClient(app), email)


def _fields(site: Site, **changes: str) -> dict[str, str]:
    fields = {
        "institution": LAHNTAL,
        "title.en": "Data science certificate",
        "title.de": "Zertifikat Data Science",
        "target_specification_id": site.data_science,
        "auto_award": "on",
        "combine": "all_of",
        "items.0.kind": "component",
        "items.0.specification_id": site.cleaning,
        "items.1.kind": "component",
        "items.1.specification_id": site.visualisation,
        "items.2.kind": "matching",
        "items.2.trusted_issuer": "on",
        "items.2.isced_f": "0542",
        "items.2.min_ects": "3",
        "items.2.badge_classes": "https://badges.lahntal.example/badges/data-literacy",
        "items.2.count": "1",
        "min_ects": "15",
        "min_eqf": "6",
        "start": "2025-01-01",
        "days": "730",
        "action": "save",
    }
    fields.update(changes)
    return {name: value for name, value in fields.items() if value != "-"}


def _create(client: TestClient, site: Site, **changes: str) -> str:
    fields = _fields(site, **changes)
    fields["csrf_token"] = form_token(client, NEW)
    response = client.post(NEW, data=fields, follow_redirects=False)
    assert response.status_code == 303, response.text
    return response.headers["location"].split("/")[-1].split("?")[0]


def test_designer_composes_a_pathway_with_every_kind_of_rule(site: Site) -> None:
    client = _client(site.app, DESIGNER)
    pathway_id = _create(client, site)

    stored = client.get(f"/api/pathways/{pathway_id}").json()
    within = stored["requirement"]
    assert (within["kind"], within["start"], within["days"]) == ("within", "2025-01-01", 730)
    eqf = within["of"]
    assert (eqf["kind"], eqf["level"]) == ("min_eqf", 6)
    ects = eqf["of"]
    assert (ects["kind"], ects["ects"]) == ("min_ects", 15)
    group = ects["of"]
    assert [item["kind"] for item in group["items"]] == ["component", "component", "matching"]
    assert group["items"][2]["criterion"] == {
        "trusted_issuer": True,
        "esco_skills": [],
        "isced_f": ["0542"],
        "min_ects": 3.0,
        "badge_classes": ["https://badges.lahntal.example/badges/data-literacy"],
    }
    page = client.get(f"/pathways/design/{pathway_id}?saved=1")
    assert "The pathway was saved." in page.text
    assert "Data cleaning" in page.text and "At least 15 ECTS in total" in page.text
    assert 'id="compliance-panel"' in page.text  # the stacked credential's compliance


def test_n_of_and_nesting_another_pathway(site: Site) -> None:
    client = _client(site.app, DESIGNER)
    inner = _create(client, site, **{"items.2.kind": "-", "min_ects": "", "min_eqf": ""})
    outer = _create(
        client,
        site,
        **{
            "title.en": "Bigger stack",
            "combine": "n_of",
            "n": "1",
            "items.0.kind": "pathway",
            "items.0.pathway_id": inner,
            "items.1.specification_id": site.cleaning,
            "items.2.kind": "-",
            "min_ects": "",
            "min_eqf": "",
            "start": "",
            "days": "",
        },
    )
    group = client.get(f"/api/pathways/{outer}").json()["requirement"]
    assert group["kind"] == "n_of" and group["n"] == 1
    assert group["items"][0] == {"kind": "pathway", "pathway_id": inner}
    assert "Data science certificate" in client.get(f"/pathways/design/{outer}").text


def test_refused_pathway_shows_each_problem_and_stores_nothing(site: Site) -> None:
    client = _client(site.app, DESIGNER)
    fields = _fields(
        site,
        **{"combine": "n_of", "n": "5", "items.1.specification_id": "", "min_eqf": "9"},
    )
    fields["csrf_token"] = form_token(client, NEW)
    response = client.post(NEW, data=fields)
    assert response.status_code == 422
    assert "Choose the specification." in response.text
    assert "Give a number from 1 to 8." in response.text
    assert client.get("/api/pathways").json() == []

    fields = _fields(site, **{"combine": "n_of", "n": "5"})
    fields["csrf_token"] = form_token(client, NEW)
    response = client.post(NEW, data=fields)
    assert response.status_code == 422
    assert "n is 5 but there are only 3 items" in response.text
    assert 'value="Data science certificate"' in response.text  # the form keeps what was typed
    assert client.get("/api/pathways").json() == []


def test_add_a_row_keeps_the_form_and_saves_nothing(site: Site) -> None:
    client = _client(site.app, DESIGNER)
    fields = _fields(site, action="add-row")
    fields["csrf_token"] = form_token(client, NEW)
    response = client.post(NEW, data=fields)
    assert response.status_code == 200
    assert 'name="items.3.kind"' in response.text
    assert client.get("/api/pathways").json() == []


def test_designer_edits_the_rules_and_the_page_shows_them(site: Site) -> None:
    client = _client(site.app, DESIGNER)
    pathway_id = _create(client, site)
    edit = f"/pathways/design/{pathway_id}/edit"
    form = client.get(edit)
    assert 'value="0542"' in form.text and 'value="730"' in form.text
    fields = _fields(site, **{"min_ects": "10", "items.2.kind": "-", "institution": "-"})
    fields["csrf_token"] = form_token(client, edit)
    response = client.post(edit, data=fields, follow_redirects=False)
    assert response.status_code == 303, response.text
    stored = client.get(f"/api/pathways/{pathway_id}").json()
    assert stored["requirement"]["of"]["of"]["ects"] == 10
    assert len(stored["requirement"]["of"]["of"]["of"]["items"]) == 2


def test_a_pathway_of_another_shape_is_edited_as_json(site: Site) -> None:
    client = _client(site.app, DESIGNER)
    nested_groups = {
        "kind": "all_of",
        "items": [
            {"kind": "component", "specification_id": site.cleaning},
            {
                "kind": "n_of",
                "n": 1,
                "items": [{"kind": "component", "specification_id": site.visualisation}],
            },
        ],
    }
    pathway_id = _create(client, site, requirement_json=json.dumps(nested_groups))
    form = client.get(f"/pathways/design/{pathway_id}/edit").text
    assert "&#34;n_of&#34;" in form and 'name="items.0.kind"' not in form


def test_pages_need_a_designer(site: Site, anonymous: TestClient) -> None:
    to_login = anonymous.get("/pathways/design", follow_redirects=False)
    assert to_login.status_code == 303 and to_login.headers["location"].startswith("/login")
    for email in (LEARNER, REGISTRAR):
        client = _client(site.app, email)
        assert client.get("/pathways/design").status_code == 403
        assert client.get(NEW).status_code == 403


def test_designer_of_another_institution_may_not_edit_or_create_here(site: Site) -> None:
    pathway_id = _create(_client(site.app, DESIGNER), site)
    other = _client(site.app, OTHER_DESIGNER)
    edit = f"/pathways/design/{pathway_id}/edit"
    assert other.get(edit).status_code == 403
    token = form_token(other, NEW)
    refused = other.post(edit, data={**_fields(site, **{"min_ects": "1"}), "csrf_token": token})
    assert refused.status_code == 403
    assert client_ects(other, pathway_id) == 15
    made_here = other.post(NEW, data={**_fields(site), "csrf_token": token})
    assert made_here.status_code == 422
    assert "Choose an institution you design for." in made_here.text
    assert len(other.get("/api/pathways").json()) == 1
    assert "Data science certificate" not in other.get("/pathways/design").text


def client_ects(client: TestClient, pathway_id: str) -> float:
    stored = client.get(f"/api/pathways/{pathway_id}").json()
    return float(stored["requirement"]["of"]["of"]["ects"])


def test_form_post_without_csrf_token_is_refused(site: Site) -> None:
    client = _client(site.app, DESIGNER)
    response = client.post(NEW, data=_fields(site))
    assert response.status_code == 403
    assert client.get("/api/pathways").json() == []
