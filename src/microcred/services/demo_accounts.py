"""The demo's accounts: an operator, a designer and a registrar for each demo institution, a
recognition officer at the first one, and a learner whose wallet holds the demo's credentials.

Each run of ``microcred demo`` gives them new random passwords, printed once on the console
and shown on the login page of that demo server only; a real deployment has none of this.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from microcred.domain.accounts import Role
from microcred.services.accounts import AccountNotFound, Accounts

OPERATOR_EMAIL = "operator@demo.microcred.example"
LEARNER_EMAIL = "anna.schmidt@learner.example"  # the demo's awards name her (services.demo_awards)
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
    officer_at = institutions[0]
    officer = f"{Role.recognition_officer.value}@{officer_at}.example"
    seeded.append(_account(accounts, officer, f"{Role.recognition_officer} at {officer_at}"))
    accounts.add_role(officer, officer_at, Role.recognition_officer.value, actor=ACTOR)
    seeded.append(_account(accounts, LEARNER_EMAIL, "learner"))
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
