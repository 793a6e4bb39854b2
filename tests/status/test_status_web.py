"""Suspending, reinstating and revoking a credential from its award page: only registrars of its
institution may, each change needs a reason, the verifier sees the new state, and the page shows
who did what, when and why. Refused or incomplete changes change nothing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.app_fixtures import add_staff, log_in
from awards.web_world import csrf_of
from microcred.app import create_app
from microcred.config import Settings
from microcred.services.audit import events_for
from microcred.store.database import Database
from support.examples import example_specification

A, B = "uni-a", "uni-b"
REGISTRAR_A, DESIGNER_A, REGISTRAR_B = "reg@a.example", "designer@a.example", "reg@b.example"


@pytest.fixture
def app(database: Database, monkeypatch: pytest.MonkeyPatch) -> FastAPI:
    monkeypatch.setenv("MICROCRED_KEK", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")
    settings = Settings(database_url=str(database.url), secret_key="test-key")
    app = create_app(settings, database)
    for slug in (A, B):
        app.state.catalogue.ensure_institution(slug, {"en": f"University {slug[-1].upper()}"})
    add_staff(app, REGISTRAR_A, "registrar", A)
    add_staff(app, DESIGNER_A, "designer", A)
    add_staff(app, REGISTRAR_B, "registrar", B)
    return app


def client_of(app: FastAPI, email: str) -> Iterator[TestClient]:
    with TestClient(app) as client:
        log_in(client, email)
        yield client


@pytest.fixture
def registrar(app: FastAPI) -> Iterator[TestClient]:
    yield from client_of(app, REGISTRAR_A)


@pytest.fixture
def award_path(app: FastAPI, registrar: TestClient) -> str:
    """Return the page of an award made through the award form of A's published specification."""
    catalogue = app.state.catalogue
    spec_id = catalogue.publish(catalogue.create(A, example_specification()).id).id
    form = f"/specifications/{spec_id}/award"
    body = {
        "csrf_token": csrf_of(registrar, form),
        "name": "Jana Nowak",
        "email": "jana@example.org",
        "awarded_on": "2025-03-01",
    }
    made = registrar.post(form, data=body, follow_redirects=False)
    assert made.status_code == 303, made.text
    return str(made.headers["location"]).split("?")[0]


def change(client: TestClient, award_path: str, what: str, token: str, **fields: str) -> Any:
    body = {"csrf_token": token, **fields}
    return client.post(f"{award_path}/status/{what}", data=body, follow_redirects=False)


def credential_of(client: TestClient, award_path: str) -> dict[str, Any]:
    download = client.get(f"{award_path}/credential.json")
    assert download.status_code == 200
    credential: dict[str, Any] = download.json()
    return credential


def verified_state(client: TestClient, credential: dict[str, Any]) -> str:
    """Return the state the public verifier's status check reports for ``credential``."""
    report = client.post("/credentials/verify", json={"verifiableCredential": credential}).json()
    check = next(c for c in report["checks"] if c["name"] == "status")
    return str(check["details"]["state"])


def audit_actions(app: FastAPI, credential_id: str) -> list[str]:
    return [event.action for event in events_for(app.state.database, credential_id)]


def assert_unchanged(app: FastAPI, client: TestClient, credential: dict[str, Any]) -> None:
    assert verified_state(client, credential) == "valid"
    assert audit_actions(app, credential["id"]) == []


def test_registrar_suspends_and_the_verifier_and_page_show_it(
    app: FastAPI, registrar: TestClient, award_path: str
) -> None:
    credential = credential_of(registrar, award_path)
    assert verified_state(registrar, credential) == "valid"
    token = csrf_of(registrar, award_path)
    done = change(registrar, award_path, "suspend", token, suspend_reason="pending an appeal")
    assert done.status_code == 303
    assert done.headers["location"] == f"{award_path}?changed=suspend"
    assert verified_state(registrar, credential) == "suspended"
    page = registrar.get(done.headers["location"]).text
    assert "The credential was suspended." in page
    history = page.split('data-testid="status-history"')[1]
    assert "pending an appeal" in history and REGISTRAR_A in history
    assert f'action="{award_path}/status/reinstate"' in page
    assert f'action="{award_path}/status/suspend"' not in page


def test_reinstating_a_suspended_credential_makes_it_valid_again(
    app: FastAPI, registrar: TestClient, award_path: str
) -> None:
    credential = credential_of(registrar, award_path)
    token = csrf_of(registrar, award_path)
    change(registrar, award_path, "suspend", token, suspend_reason="pending an appeal")
    done = change(registrar, award_path, "reinstate", token, reinstate_reason="appeal upheld")
    assert done.status_code == 303
    assert verified_state(registrar, credential) == "valid"
    assert audit_actions(app, credential["id"]) == ["credential.suspend", "credential.reinstate"]
    assert "appeal upheld" in registrar.get(award_path).text


def test_revoked_credential_cannot_be_reinstated_and_the_page_says_why(
    app: FastAPI, registrar: TestClient, award_path: str
) -> None:
    credential = credential_of(registrar, award_path)
    token = csrf_of(registrar, award_path)
    done = change(
        registrar, award_path, "revoke", token, revoke_reason="fraud", revoke_confirm="true"
    )
    assert done.status_code == 303
    assert verified_state(registrar, credential) == "revoked"
    page = registrar.get(award_path).text
    assert "/status/" not in page  # no change is offered any more
    refused = change(registrar, award_path, "reinstate", token, reinstate_reason="oops")
    assert refused.status_code == 409
    assert "a revocation is final and cannot be undone" in refused.text
    assert 'data-testid="status-refusal"' in refused.text
    assert verified_state(registrar, credential) == "revoked"
    assert audit_actions(app, credential["id"]) == ["credential.revoke"]


@pytest.mark.parametrize(
    ("what", "fields", "named"),
    [
        ("suspend", {"suspend_reason": "   "}, "suspend_reason"),
        ("revoke", {"revoke_confirm": "true"}, "revoke_reason"),
        ("revoke", {"revoke_reason": "fraud"}, "revoke_confirm"),  # box not ticked
    ],
)
def test_missing_reason_or_confirmation_is_named_and_changes_nothing(
    app: FastAPI,
    registrar: TestClient,
    award_path: str,
    what: str,
    fields: dict[str, str],
    named: str,
) -> None:
    credential = credential_of(registrar, award_path)
    token = csrf_of(registrar, award_path)
    response = change(registrar, award_path, what, token, **fields)
    assert response.status_code == 422
    assert f'id="{named}-errors"' in response.text
    assert "Nothing was changed" in response.text
    for typed in fields.values():
        if typed.strip() and typed != "true":
            assert f'value="{typed}"' in response.text  # what was typed is kept
    assert_unchanged(app, registrar, credential)


def test_post_without_the_csrf_token_is_refused_and_changes_nothing(
    app: FastAPI, registrar: TestClient, award_path: str
) -> None:
    credential = credential_of(registrar, award_path)
    response = registrar.post(
        f"{award_path}/status/suspend", data={"suspend_reason": "pending an appeal"}
    )
    assert response.status_code == 403
    assert_unchanged(app, registrar, credential)


@pytest.mark.parametrize(("email", "code"), [(REGISTRAR_B, 404), (DESIGNER_A, 403)])
def test_others_may_not_change_the_status(
    app: FastAPI, registrar: TestClient, award_path: str, email: str, code: int
) -> None:
    credential = credential_of(registrar, award_path)
    for other in client_of(app, email):
        token = csrf_of(other, "/login")
        response = change(other, award_path, "suspend", token, suspend_reason="not mine")
        assert response.status_code == code
    assert_unchanged(app, registrar, credential)


def test_unknown_change_is_not_found(registrar: TestClient, award_path: str) -> None:
    token = csrf_of(registrar, award_path)
    response = change(registrar, award_path, "delete", token, delete_reason="why not")
    assert response.status_code == 404
