"""Fixtures for stacking: an institution with two component specifications and a stacked one,
another institution's issuer (a did:key of its own, trusted through the registry), a learner
account, and the wallet, pathway and award services wired as the app wires them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from stacking_support import (
    BASE_URL,
    KEK,
    LEARNER,
    SLUG,
    component_spec,
    other_issuer_credential,
)

from microcred.config import Settings
from microcred.crypto.did_key import did_key_for
from microcred.crypto.keys import PrivateKey
from microcred.services.accounts import Accounts
from microcred.services.award_input import LearnerInput
from microcred.services.awards import AwardRecord, Awards
from microcred.services.catalogue import Catalogue
from microcred.services.held_credentials import CredentialChecker
from microcred.services.issuer_keys import IssuerKeys
from microcred.services.issuing import CredentialIssuer
from microcred.services.pathways import Pathways
from microcred.services.wallet import Wallet
from microcred.store.database import Database
from microcred.verify import TrustedIssuer, TrustRegistry

OTHER_KEY = PrivateKey.from_secret_bytes("Ed25519", bytes(range(100, 132)))


@dataclass
class Stack:
    catalogue: Catalogue
    issuer: CredentialIssuer
    awards: Awards
    checker: CredentialChecker
    wallet: Wallet
    pathways: Pathways
    part_one: str
    part_two: str
    stacked: str

    def award(self, spec_id: str, when: datetime | None = None) -> AwardRecord:
        return self.awards.award(
            spec_id,
            None,
            LearnerInput(name="Jana Nowak", email=LEARNER),
            awarded_on=(when or datetime.now(UTC)).date(),
        )

    def stacked_awards(self) -> list[AwardRecord]:
        return self.awards.list(SLUG, self.stacked, email=LEARNER)

    def foreign_credential(self, **changes: Any) -> dict[str, Any]:
        return other_issuer_credential(OTHER_KEY, **changes)


@pytest.fixture
def stack(database: Database) -> Stack:
    settings = Settings(database_url=str(database.url), base_url=BASE_URL)
    catalogue = Catalogue(database)
    catalogue.ensure_institution(
        SLUG,
        {"en": "Lahntal University"},
        "http://publications.europa.eu/resource/authority/country/DEU",
    )
    ids = []
    for title, ects in (("Data cleaning", 5), ("Data visualisation", 5), ("Data science", 15)):
        record = catalogue.create(SLUG, component_spec(title, ects))
        ids.append(catalogue.publish(record.id).id)
    keys = IssuerKeys(database, settings, kek=KEK)
    issuer = CredentialIssuer(catalogue, keys, settings)
    awards = Awards(database, issuer, settings)
    other = TrustedIssuer(other_issuer_did(), "Koivula University of Applied Sciences")
    checker = CredentialChecker(keys, issuer.status, settings, trust=TrustRegistry([other]))
    wallet = Wallet(database, checker, kek=KEK)
    pathways = Pathways(catalogue, awards, wallet)
    awards.on_issued.append(pathways.on_issued)
    Accounts(database).create_user(LEARNER, actor="test", password="correct horse battery")
    return Stack(catalogue, issuer, awards, checker, wallet, pathways, *ids)


def other_issuer_did() -> str:
    return did_key_for(OTHER_KEY.public_key)
