"""The award form on a published specification: only its institution's registrars get it; it
issues once, shows the award with its credential, and refuses bad input naming the field."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from web_world import (
    DESIGNER_A,
    GRADES,
    REGISTRAR_A,
    REGISTRAR_B,
    World,
    award_count,
    csrf_of,
    make_world,
    signed_in,
)


@pytest.fixture(autouse=True)
def kek(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MICROCRED_KEK", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")


@pytest.fixture
def world(tmp_path: Path) -> World:
    return make_world(tmp_path / "web.db")


@pytest.fixture
def registrar(world: World) -> Iterator[TestClient]:
    client = signed_in(world.app, REGISTRAR_A)
    yield client
    client.__exit__(None, None, None)


def _award(client: TestClient, spec_id: str, **fields: str) -> object:
    token = csrf_of(client, f"/specifications/{spec_id}/award")
    body = {"csrf_token": token, "awarded_on": "2025-03-01", **fields}
    return client.post(f"/specifications/{spec_id}/award", data=body, follow_redirects=False)


def test_registrar_sees_the_award_links_and_a_grade_choice_on_the_form(
    world: World, registrar: TestClient
) -> None:
    page = registrar.get(f"/specifications/{world.spec_a}").text
    assert f'href="/specifications/{world.spec_a}/award"' in page
    assert f'href="/specifications/{world.spec_a}/bulk"' in page
    form = registrar.get(f"/specifications/{world.spec_a}/award").text
    options = re.findall(r'<option value="([^"]+)"', form)
    assert options == GRADES
    assert 'name="date_of_birth"' in form  # the specification names it as optional


def test_anonymous_visitor_sees_no_award_link_and_is_sent_to_sign_in(world: World) -> None:
    with TestClient(world.app) as client:
        page = client.get(f"/specifications/{world.spec_a}").text
        assert "/award" not in page
        response = client.get(f"/specifications/{world.spec_a}/award", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=")


def test_award_form_issues_once_and_shows_the_credential_to_download(
    world: World, registrar: TestClient
) -> None:
    made = _award(registrar, world.spec_a, name="Jana Nowak", email="jana@example.org", grade="B")
    assert made.status_code == 303  # type: ignore[attr-defined]
    location = made.headers["location"]  # type: ignore[attr-defined]
    assert location.endswith("?made=1")
    page = registrar.get(location).text
    assert "The credential was issued." in page and "Jana Nowak" in page
    award_path = location.split("?")[0]
    download = registrar.get(f"{award_path}/credential.json")
    assert download.status_code == 200
    credential = json.loads(download.content)
    assert credential["id"] in page
    assert credential["proof"]["cryptosuite"] == "eddsa-rdfc-2022"

    again = _award(registrar, world.spec_a, name="Jana Nowak", email="JANA@example.org", grade="B")
    assert again.headers["location"] == f"{award_path}?made=0"  # type: ignore[attr-defined]
    assert award_count(world.app) == 1


def test_unknown_grade_and_missing_email_are_named_and_nothing_is_issued(
    world: World, registrar: TestClient
) -> None:
    response = _award(registrar, world.spec_a, name="Jana Nowak", grade="A+")
    assert response.status_code == 422  # type: ignore[attr-defined]
    text = response.text  # type: ignore[attr-defined]
    assert 'id="email-errors"' in text and 'id="grade-errors"' in text
    assert "unknown grade" in text
    assert 'value="Jana Nowak"' in text  # what was typed is kept
    assert award_count(world.app) == 0


def test_date_in_the_future_or_not_a_date_is_refused(world: World, registrar: TestClient) -> None:
    response = _award(
        registrar, world.spec_a, name="Jana", email="jana@example.org", date_of_birth="soon"
    )
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert 'id="date_of_birth-errors"' in response.text  # type: ignore[attr-defined]
    future = _award(
        registrar, world.spec_a, name="Jana", email="jana@example.org", awarded_on="2999-01-01"
    )
    assert future.status_code == 422  # type: ignore[attr-defined]
    assert "in the future" in future.text  # type: ignore[attr-defined]
    assert award_count(world.app) == 0


def test_post_without_the_csrf_token_is_refused_and_issues_nothing(
    world: World, registrar: TestClient
) -> None:
    body = {"name": "Jana Nowak", "email": "jana@example.org"}
    response = registrar.post(f"/specifications/{world.spec_a}/award", data=body)
    assert response.status_code == 403
    assert award_count(world.app) == 0


def test_designer_without_the_registrar_role_is_refused(world: World) -> None:
    client = signed_in(world.app, DESIGNER_A)
    try:
        assert client.get(f"/specifications/{world.spec_a}/award").status_code == 403
        page = client.get(f"/specifications/{world.spec_a}").text
        assert f"/specifications/{world.spec_a}/award" not in page
    finally:
        client.__exit__(None, None, None)


def test_registrar_of_another_institution_gets_403_or_404_and_cannot_see_awards(
    world: World, registrar: TestClient
) -> None:
    made = _award(registrar, world.spec_a, name="Jana Nowak", email="jana@example.org")
    award_path = made.headers["location"].split("?")[0]  # type: ignore[attr-defined]
    other = signed_in(world.app, REGISTRAR_B)
    try:
        assert other.get(f"/specifications/{world.spec_a}/award").status_code == 403
        token = csrf_of(other, f"/specifications/{world.spec_b}/award")
        posted = other.post(
            f"/specifications/{world.spec_a}/award",
            data={"csrf_token": token, "name": "X", "email": "x@example.org"},
        )
        assert posted.status_code == 403
        assert other.get(award_path).status_code == 404
        assert other.get(f"{award_path}/credential.json").status_code == 404
    finally:
        other.__exit__(None, None, None)
    # B's draft is not there for A's registrar; B's own registrar gets no form for a draft.
    assert registrar.get(f"/specifications/{world.draft_b}/award").status_code == 404
    assert award_count(world.app) == 1


def test_the_award_form_and_a_jobs_page_speak_german(world: World, registrar: TestClient) -> None:
    form = registrar.get(f"/specifications/{world.spec_a}/award?lang=de").text
    assert "Diesen Micro-Credential verleihen" in form and "Nachweis ausstellen" in form
