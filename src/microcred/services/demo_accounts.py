"""The demo's accounts: an operator, and a designer and a registrar for each demo institution.

Each run of ``microcred demo`` gives them new random passwords, printed once on the console
and shown on the login page of that demo server only; a real deployment has none of this.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from microcred.domain.accounts import Role
from microcred.services.accounts import AccountNotFound, Accounts

OPERATOR_EMAIL = "operator@demo.microcred.example"
DEMO_ROLES = (Role.designer, Role.registrar)
ACTOR = "microcred demo"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    role: str  # "operator", or "<role> at <institution>"
    password: str


def seed_demo_accounts(accounts: Accounts, institutions: list[str]) -> list[DemoAccount]:
    """Return the demo accounts, created or given new passwords, operator first."""
    seeded = [_account(accounts, OPERATOR_EMAIL, "operator", operator=True)]
    for slug in institutions:
        for role in DEMO_ROLES:
            email = f"{role.value}@{slug}.example"
            seeded.append(_account(accounts, email, f"{role} at {slug}"))
            accounts.add_role(email, slug, role.value, actor=ACTOR)
    return seeded


def _account(accounts: Accounts, email: str, role: str, operator: bool = False) -> DemoAccount:
    password = secrets.token_urlsafe(12)
    try:
        accounts.get(email)
    except AccountNotFound:
        accounts.create_user(email, password=password, operator=operator, actor=ACTOR)
    else:
        accounts.set_password(email, password, actor=ACTOR)
    return DemoAccount(email, role, password)
