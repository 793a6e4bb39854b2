"""Helpers of the demo tests: seed what `microcred demo` seeds; the settings it serves with."""

from __future__ import annotations

from dataclasses import dataclass

from microcred.config import Settings
from microcred.services.accounts import Accounts
from microcred.services.app_awards import app_awards
from microcred.services.awards import Awards
from microcred.services.catalogue import Catalogue
from microcred.services.delivery.outbox import DEMO_OUTBOX, KeptMessage
from microcred.services.demo import demo_institutions, seed_demo
from microcred.services.demo_accounts import DemoAccount, seed_demo_accounts
from microcred.services.demo_awards import DemoAwardsResult, seed_demo_awards
from microcred.services.pathways import Pathways, app_pathways
from microcred.store.database import Database

BASE_URL = "http://testserver"


@dataclass
class Seeded:
    database: Database
    settings: Settings
    awards: Awards
    pathways: Pathways
    accounts: list[DemoAccount]
    result: DemoAwardsResult
    outbox_mark: int  # the demo outbox's newest message number before this seeding

    def messages_to(self, email: str) -> list[KeptMessage]:
        """Return the messages kept for ``email`` since this seeding, newest first."""
        return [m for m in DEMO_OUTBOX.messages() if m.id > self.outbox_mark and m.to == email]

    def password_of(self, email: str) -> str:
        return next(account.password for account in self.accounts if account.email == email)


def seed(database: Database, settings: Settings) -> Seeded:
    """Seed everything `microcred demo` seeds, in its order; return what was made."""
    kept = DEMO_OUTBOX.messages()
    mark = kept[0].id if kept else 0
    seed_demo(Catalogue(database))
    slugs = [institution.slug for institution in demo_institutions()]
    accounts = seed_demo_accounts(Accounts(database), slugs)
    awards = app_awards(database, settings)
    pathways = app_pathways(awards)
    result = seed_demo_awards(awards, pathways)
    return Seeded(database, settings, awards, pathways, accounts, result, mark)


def demo_settings(url: str, demo_mode: bool = True) -> Settings:
    return Settings(
        database_url=url, base_url=BASE_URL, secret_key="demo-test-key", demo_mode=demo_mode
    )
