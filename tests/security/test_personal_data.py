"""GDPR: export everything held about a learner; erase it while their credentials still verify."""

from __future__ import annotations

import json
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.app_fixtures import add_staff, api_token
from microcred.cli.main import app as cli
from microcred.services.accounts import Accounts
from microcred.services.audit import events_for, verify_chain
from microcred.services.backup import backup
from microcred.services.delivery.links import public_path
from microcred.services.gdpr import PersonalData, PersonalDataError
from microcred.store.database import Database
from microcred.store.delivery_tables import CredentialClaimRow, PublicCredentialPageRow
from microcred.store.learner_wallet_tables import WalletShareLinkRow
from security.issued_world import BASE_URL, SLUG, IssuedWorld, issued_world, verify_over_api

JANA, JANA_EMAIL = "Jana Nowak", "jana.nowak@example.org"
LUCA, LUCA_EMAIL = "Luca Bianchi", "luca.bianchi@example.org"
OPERATOR = "operator@instance.example"


@pytest.fixture
def world(database: Database) -> IssuedWorld:
    made = issued_world(database)
    jana = made.award(JANA, JANA_EMAIL)
    made.award(LUCA, LUCA_EMAIL)
    accounts = Accounts(database)
    accounts.create_user(JANA_EMAIL, password="jana's long passphrase", actor="test setup")
    now = datetime.now(UTC)
    with database.transaction() as session:
        user_id = session.execute(
            sa.text("SELECT id FROM users WHERE email = :e"), {"e": JANA_EMAIL}
        ).scalar_one()
        session.add(
            CredentialClaimRow(
                credential_id=jana.credential_id,
                email=JANA_EMAIL,
                language="en",
                token_hash="a" * 64,
                emailed_at=now,
            )
        )
        session.add(PublicCredentialPageRow(credential_id=jana.credential_id, visible=True))
        session.add(
            WalletShareLinkRow(
                user_id=user_id,
                token_hash="b" * 64,
                credential_ids=[jana.credential_id],
                label="for my employer",
                expires_at=now + timedelta(days=7),
            )
        )
    return made


def test_export_holds_everything_about_the_learner_and_nothing_of_others(
    world: IssuedWorld,
) -> None:
    data = PersonalData(world.database).export("  Jana.Nowak@Example.org ")
    tables = data["tables"]
    assert data["subject"] == JANA_EMAIL
    (award,) = tables["awards"]
    assert award["learner_name"] == JANA and award["learner_date_of_birth"] == "1990-05-17"
    (credential,) = tables["issued_credentials"]
    assert credential["document"]["proof"]
    assert JANA in json.dumps(credential["document"])
    assert tables["credential_claims"][0]["email"] == JANA_EMAIL
    assert tables["public_credential_pages"][0]["visible"] is True
    assert tables["users"][0]["email"] == JANA_EMAIL
    assert tables["wallet_share_links"][0]["label"] == "for my employer"
    text = json.dumps(data)
    assert LUCA not in text and LUCA_EMAIL not in text
    assert "password_hash" not in text and "token_hash" not in text and "$argon2" not in text


def test_erasure_leaves_no_trace_of_the_learner_yet_the_credential_still_verifies(
    world: IssuedWorld, tmp_path: Path
) -> None:
    exported = PersonalData(world.database).export(JANA_EMAIL)["tables"]
    held = exported["issued_credentials"][0]["document"]  # the learner's own copy
    erasure = PersonalData(world.database).erase(
        JANA_EMAIL, actor="dpo@th-lahntal.example", reason="learner's request of 2025-12-01"
    )
    assert (erasure.awards, erasure.credentials, erasure.account_deleted) == (1, 1, True)

    assert PersonalData(world.database).export(JANA_EMAIL)["tables"] == {}
    archive = tmp_path / "after.mcbackup"
    backup(world.database, archive)
    with zipfile.ZipFile(archive) as opened:
        for name in opened.namelist():
            if name == "tables/audit_events.jsonl":
                continue  # earlier account events name the address (see docs/security.md)
            content = opened.read(name).decode("utf-8")
            assert JANA_EMAIL not in content and JANA not in content, name
        awards = [json.loads(line) for line in opened.read("tables/awards.jsonl").splitlines()]
    erased = [a for a in awards if a["learner_name"] is None]
    assert len(erased) == 1 and [a["learner_name"] for a in awards if a not in erased] == [LUCA]
    assert erased[0]["learner_date_of_birth"] is None and erased[0]["grade"] == "1.3"
    status, report = verify_over_api(world.app, held)
    assert status == 200, report
    (event,) = events_for(world.database, erasure.erasure_id)
    assert event.action == "learner.erased" and event.actor == "dpo@th-lahntal.example"
    assert JANA_EMAIL not in json.dumps(event.details) and JANA_EMAIL not in event.target
    assert verify_chain(world.database).intact


def test_the_public_page_of_an_erased_credential_is_no_longer_shown(world: IssuedWorld) -> None:
    credential_id = PersonalData(world.database).export(JANA_EMAIL)["tables"]["awards"][0][
        "credential_id"
    ]
    client = TestClient(world.app, base_url=BASE_URL)
    assert client.get(public_path(credential_id)).status_code == 200
    PersonalData(world.database).erase(JANA_EMAIL, actor="dpo", reason="request")
    with world.database.transaction(write=False) as session:
        page = session.get(PublicCredentialPageRow, credential_id)
        assert page is not None and page.visible is False
    assert client.get(public_path(credential_id)).status_code == 404
    assert client.get(public_path(credential_id) + "/certificate.pdf").status_code == 404


def test_the_learner_can_be_awarded_again_after_erasure(world: IssuedWorld) -> None:
    PersonalData(world.database).erase(JANA_EMAIL, actor="dpo", reason="request")
    again = world.award(JANA, JANA_EMAIL)
    assert again.learner_email == JANA_EMAIL
    assert len(PersonalData(world.database).export(JANA_EMAIL)["tables"]["awards"]) == 1


def test_a_malformed_address_is_refused_and_nothing_changes(world: IssuedWorld) -> None:
    before = PersonalData(world.database).export(JANA_EMAIL)["tables"]
    with pytest.raises(PersonalDataError, match="not an e-mail address"):
        PersonalData(world.database).erase("jana nowak", actor="dpo", reason="request")
    assert PersonalData(world.database).export(JANA_EMAIL)["tables"].keys() == before.keys()


def test_the_api_lets_only_the_operator_with_the_admin_scope_export_and_erase(
    world: IssuedWorld,
) -> None:
    app = world.app
    Accounts(world.database).create_user(OPERATOR, operator=True, actor="test setup")
    add_staff(app, "admin@th-lahntal.example", "administrator", SLUG)
    client = TestClient(app, base_url=BASE_URL)

    def call(path: str, token: str, body: dict[str, str]) -> int:
        headers = {"Authorization": f"Bearer {token}"}
        return client.post(f"/api/personal-data/{path}", json=body, headers=headers).status_code

    body = {"email": JANA_EMAIL}
    assert client.post("/api/personal-data/export", json=body).status_code == 401
    assert call("export", api_token(app, "admin@th-lahntal.example"), body) == 403
    assert call("export", api_token(app, OPERATOR, ["read", "issue"]), body) == 403
    operator = api_token(app, OPERATOR, ["admin"])
    exported = client.post(
        "/api/personal-data/export", json=body, headers={"Authorization": f"Bearer {operator}"}
    )
    assert exported.status_code == 200
    assert exported.json()["tables"]["awards"][0]["learner_name"] == JANA
    assert call("erase", operator, {"email": JANA_EMAIL}) == 422  # no reason given
    assert call("erase", operator, {"email": "nobody", "reason": "x"}) == 422
    erased = client.post(
        "/api/personal-data/erase",
        json={"email": JANA_EMAIL, "reason": "learner's request"},
        headers={"Authorization": f"Bearer {operator}"},
    )
    assert erased.status_code == 200
    assert erased.json()["awards"] == 1 and erased.json()["account_deleted"] is True


def test_the_personal_data_commands_export_and_erase(world: IssuedWorld, tmp_path: Path) -> None:
    runner = CliRunner()
    url = str(world.database.url.render_as_string(hide_password=False))
    target = tmp_path / "jana.json"
    exported = runner.invoke(
        cli, ["--db", url, "personal-data", "export", JANA_EMAIL, "-o", str(target)]
    )
    assert exported.exit_code == 0, exported.output
    assert json.loads(target.read_text())["tables"]["awards"][0]["learner_name"] == JANA
    refused = runner.invoke(
        cli,
        [
            "--db",
            url,
            "personal-data",
            "erase",
            JANA_EMAIL,
            "--by",
            "dpo",
            "--reason",
            " ",
            "--yes",
        ],
    )
    assert refused.exit_code == 2 and "reason" in refused.output
    erased = runner.invoke(
        cli,
        [
            "--db",
            url,
            "personal-data",
            "erase",
            JANA_EMAIL,
            "--by",
            "dpo",
            "--reason",
            "request",
            "--yes",
        ],
    )
    assert erased.exit_code == 0, erased.output
    assert "1 award(s) pseudonymised" in erased.output
