"""Account, role and token changes go to the audit log (no secrets); the CLI manages them, and a
token it makes is held to its user's institution by the API."""

from __future__ import annotations

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from accounts.conftest import B, World
from microcred.cli.main import app as cli
from microcred.services.accounts import Accounts
from microcred.services.api_tokens import ApiTokens
from microcred.services.audit import events_for, verify_chain
from microcred.store.database import Database

PASSWORD = "correct horse battery staple"


def test_every_account_change_is_audited_with_actor_and_target_and_no_secret(
    database: Database,
) -> None:
    accounts, tokens = Accounts(database), ApiTokens(database)
    accounts.create_user("ada@uni.example", password=PASSWORD, actor="op@uni.example")
    from microcred.services.catalogue import Catalogue

    Catalogue(database).ensure_institution("uni", {"en": "Uni"})
    accounts.add_role("ada@uni.example", "uni", "auditor", actor="op@uni.example")
    accounts.remove_role("ada@uni.example", "uni", "auditor", actor="op@uni.example")
    made = tokens.create("ada@uni.example", "sync", ["read"], actor="ada@uni.example")
    tokens.revoke(made.token.id, actor="ada@uni.example")
    accounts.set_password("ada@uni.example", PASSWORD + "!", actor="ada@uni.example")
    events = events_for(database, "user:ada@uni.example")
    assert [event.action for event in events] == [
        "account.create",
        "role.add",
        "role.remove",
        "token.create",
        "token.revoke",
        "account.password",
    ]
    assert events[0].actor == "op@uni.example" and events[3].actor == "ada@uni.example"
    written = repr(events)
    assert PASSWORD not in written and made.value not in written
    assert verify_chain(database).intact


def test_a_role_change_that_does_nothing_is_not_audited(database: Database) -> None:
    from microcred.services.catalogue import Catalogue

    Catalogue(database).ensure_institution("uni", {"en": "Uni"})
    accounts = Accounts(database)
    accounts.create_user("ada@uni.example", actor="op")
    accounts.add_role("ada@uni.example", "uni", "designer", actor="op")
    accounts.add_role("ada@uni.example", "uni", "designer", actor="op")
    actions = [event.action for event in events_for(database, "user:ada@uni.example")]
    assert actions == ["account.create", "role.add"]


def test_cli_creates_users_roles_and_tokens_and_the_api_holds_the_token_to_its_institution(
    world: World,
) -> None:
    runner = CliRunner()
    url = str(world.app.state.database.url.render_as_string(hide_password=False))
    made = runner.invoke(cli, ["--db", url, "user", "create", "eva@a.example", "--by", "ops"])
    assert made.exit_code == 0, made.output
    assert "Password (shown this once):" in made.output
    role = ["--db", url, "user", "add-role", "eva@a.example", "designer", "--institution", "uni-a"]
    assert runner.invoke(cli, role).exit_code == 0
    bad = runner.invoke(cli, [*role[:5], "dean", "--institution", "uni-a"])
    assert bad.exit_code == 2 and "unknown role 'dean'" in bad.output
    created = runner.invoke(
        cli, ["--db", url, "token", "create", "eva@a.example", "--name", "ci", "--scope", "design"]
    )
    assert created.exit_code == 0, created.output
    value = created.output.strip().splitlines()[-1]
    assert value.startswith("mc_")
    listed = runner.invoke(cli, ["--db", url, "token", "list", "eva@a.example"])
    assert value[:10] in listed.output and value not in listed.output
    client = TestClient(world.app)
    client.headers["Authorization"] = f"Bearer {value}"
    assert client.post(f"/api/specifications/{world.b_published}/publish").status_code == 403
    assert client.get(f"/api/specifications/{world.b_draft}").status_code == 404
    [token] = ApiTokens(world.app.state.database).list("eva@a.example")
    revoked = runner.invoke(cli, ["--db", url, "token", "revoke", str(token.id)])
    assert revoked.exit_code == 0
    assert client.get("/api/specifications").status_code == 401
    users = runner.invoke(cli, ["--db", url, "user", "list", "--institution", B])
    assert "designer@b.example" in users.output and "eva@a.example" not in users.output
