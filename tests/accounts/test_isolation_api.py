"""Tenant isolation through the JSON API and the VC API, with per-user scoped tokens."""

from __future__ import annotations

from typing import Any

from accounts.conftest import DESIGNER_A, REGISTRAR_A, A, B, World, client_with_token
from microcred.services.audit import events_for
from support.examples import example_specification

AWARD = {
    "learner_name": "Jana Nowak",
    "email": "jana@example.org",
    "issued_on": "2025-03-01T09:30:00Z",
}


def _document() -> dict[str, Any]:
    return example_specification().model_dump(mode="json", exclude_none=True)


def test_designer_of_a_gets_404_for_a_draft_of_b(world: World) -> None:
    client = client_with_token(world.app, DESIGNER_A, ["read", "design"])
    for path in (
        f"/api/specifications/{world.b_draft}",
        f"/api/specifications/{world.b_draft}/versions",
        f"/api/specifications/{world.b_draft}/versions/1",
        f"/api/specifications/{world.b_draft}/compliance",
    ):
        assert client.get(path).status_code == 404, path
    assert client.put(f"/api/specifications/{world.b_draft}", json=_document()).status_code == 404
    assert client.post(f"/api/specifications/{world.b_draft}/publish").status_code == 404
    listed = {record["id"] for record in client.get("/api/specifications").json()}
    assert world.b_draft not in listed and world.b_published in listed


def test_designer_of_a_gets_403_for_changing_a_published_specification_of_b(world: World) -> None:
    client = client_with_token(world.app, DESIGNER_A, ["read", "design"])
    response = client.put(f"/api/specifications/{world.b_published}", json=_document())
    assert response.status_code == 403
    assert "designer@a.example may not edit-specification at uni-b" in response.json()["detail"]
    assert client.post(f"/api/specifications/{world.b_published}/publish").status_code == 403
    created = client.post(
        "/api/specifications", json={"institution": B, "specification": _document()}
    )
    assert created.status_code == 403
    assert len(world.app.state.catalogue.versions(world.b_published)) == 1  # nothing changed


def test_designer_of_b_reads_and_edits_the_draft_of_b(world: World) -> None:
    client = client_with_token(world.app, "designer@b.example", ["read", "design"])
    assert client.get(f"/api/specifications/{world.b_draft}").json()["status"] == "draft"
    assert client.put(f"/api/specifications/{world.b_draft}", json=_document()).status_code == 200


def test_anonymous_sees_published_versions_only(world: World, anonymous: Any) -> None:
    assert anonymous.get(f"/api/specifications/{world.b_draft}").status_code == 404
    assert anonymous.get(f"/api/specifications/{world.b_published}").json()["status"] == "published"
    listed = {record["id"] for record in anonymous.get("/api/specifications?status=draft").json()}
    assert listed == set()
    response = anonymous.post(f"/api/specifications/{world.b_published}/publish")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


def test_a_token_without_the_design_scope_cannot_edit(world: World) -> None:
    client = client_with_token(world.app, DESIGNER_A, ["read"])
    response = client.post(
        "/api/specifications", json={"institution": A, "specification": _document()}
    )
    assert response.status_code == 403
    assert "lacks the 'design' scope" in response.json()["detail"]


def test_a_token_without_the_issue_scope_cannot_issue(world: World) -> None:
    client = client_with_token(world.app, REGISTRAR_A, ["read", "revoke"])
    response = client.post(f"/api/specifications/{world.a_published}/credentials", json=AWARD)
    assert response.status_code == 403
    assert "lacks the 'issue' scope" in response.json()["detail"]


def test_registrar_of_a_issues_for_a_but_not_for_b(world: World) -> None:
    client = client_with_token(world.app, REGISTRAR_A, ["issue"])
    own = client.post(f"/api/specifications/{world.a_published}/credentials", json=AWARD)
    assert own.status_code == 201, own.text
    other = client.post(f"/api/specifications/{world.b_published}/credentials", json=AWARD)
    assert other.status_code == 403


def test_vc_api_issue_as_an_issuer_of_b_is_refused_for_a_registrar_of_a(world: World) -> None:
    client = client_with_token(world.app, REGISTRAR_A, ["issue"])
    credential = client.post(
        f"/api/specifications/{world.a_published}/credentials", json=AWARD
    ).json()["verifiableCredential"]
    unsigned = {key: value for key, value in credential.items() if key not in ("proof", "id")}
    unsigned.pop("credentialStatus", None)
    own = client.post("/credentials/issue", json={"credential": unsigned})
    assert own.status_code == 201, own.text
    unsigned["issuer"] = {**unsigned["issuer"], "id": unsigned["issuer"]["id"].replace(A, B)}
    assert client.post("/credentials/issue", json={"credential": unsigned}).status_code == 403


def test_status_changes_need_the_revoke_scope_and_the_credentials_institution(
    world: World,
) -> None:
    issuing = client_with_token(world.app, REGISTRAR_A, ["issue"])
    credential = issuing.post(
        f"/api/specifications/{world.a_published}/credentials", json=AWARD
    ).json()["verifiableCredential"]
    body = {
        "credentialId": credential["id"],
        "credentialStatus": [{"type": "BitstringStatusListCredential", "status": "revoked"}],
        "reason": "issued in error",
        "actor": "registry office",
    }
    assert issuing.post("/credentials/status", json=body).status_code == 403  # no revoke scope
    from api.app_fixtures import add_staff

    add_staff(world.app, "registrar@b.example", "registrar", B)
    other = client_with_token(world.app, "registrar@b.example", ["revoke"])
    assert other.post("/credentials/status", json=body).status_code == 403
    assert events_for(world.app.state.database, credential["id"]) == []
    revoking = client_with_token(world.app, REGISTRAR_A, ["revoke"])
    assert revoking.post("/credentials/status", json=body).status_code == 200
    [event] = events_for(world.app.state.database, credential["id"])
    assert event.actor == "registry office (signed in as registrar@a.example (API token))"


def test_only_the_operator_adds_institutions(world: World) -> None:
    body = {"name": {"en": "New Place"}}
    admin = client_with_token(world.app, DESIGNER_A, ["admin"])
    assert admin.put("/api/institutions/new-place", json=body).status_code == 403
    operator = client_with_token(world.app, "operator@instance.example", ["admin"])
    assert operator.put("/api/institutions/new-place", json=body).status_code == 200


def test_a_revoked_or_unknown_token_is_refused_with_401(world: World) -> None:
    from microcred.services.api_tokens import ApiTokens

    tokens = ApiTokens(world.app.state.database)
    made = tokens.create(DESIGNER_A, "laptop", ["read"], actor="test")
    client = client_with_token(world.app, DESIGNER_A, ["read"])
    client.headers["Authorization"] = f"Bearer {made.value}"
    assert client.get(f"/api/specifications/{world.a_published}").status_code == 200
    assert tokens.get(made.token.id).last_used_at is not None
    tokens.revoke(made.token.id, actor="test")
    assert client.get(f"/api/specifications/{world.a_published}").status_code == 401
    client.headers["Authorization"] = "Bearer mc_not-a-token"
    assert client.get("/api/specifications").status_code == 401
