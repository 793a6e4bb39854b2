"""Demo accounts: made (or given new passwords) on each demo run, shown on the login page of the
demo server only."""

from __future__ import annotations

from fastapi.testclient import TestClient

from accounts.conftest import A, B, World
from microcred.services.accounts import Accounts
from microcred.services.demo_accounts import LEARNER_EMAIL, OPERATOR_EMAIL, seed_demo_accounts


def test_demo_accounts_sign_in_with_the_passwords_of_this_run_only(world: World) -> None:
    accounts = Accounts(world.app.state.database)
    first = {account.email: account.password for account in seed_demo_accounts(accounts, [A, B])}
    second = {account.email: account.password for account in seed_demo_accounts(accounts, [A, B])}
    assert set(first) == {
        OPERATOR_EMAIL,
        f"designer@{A}.example",
        f"registrar@{A}.example",
        f"designer@{B}.example",
        f"registrar@{B}.example",
        f"recognition-officer@{A}.example",
        LEARNER_EMAIL,
    }
    email = f"registrar@{B}.example"
    assert accounts.authenticate(email, first[email]) is None
    principal = accounts.authenticate(email, second[email])
    assert principal is not None and principal.roles == {B: frozenset({"registrar"})}
    assert accounts.get(OPERATOR_EMAIL).is_operator


def test_the_login_page_shows_demo_passwords_only_on_a_demo_server(world: World) -> None:
    seeded = seed_demo_accounts(Accounts(world.app.state.database), [A])
    with TestClient(world.app) as client:
        plain = client.get("/login").text
        world.app.state.demo_accounts = seeded
        demo = client.get("/login").text
    assert "Demo mode" not in plain and seeded[0].password not in plain
    assert "Demo mode" in demo and all(account.password in demo for account in seeded)
