"""Fixtures for stacking: an institution with two component specifications and a stacked one,
another institution's issuer (a did:key of its own, trusted through the registry), a learner
account, and the wallet, pathway and award services wired as the app wires them."""

from __future__ import annotations

import pytest
from stacking_support import (
    BASE_URL,
    KEK,
    LEARNER,
    SLUG,
    Stack,
    component_spec,
    other_issuer_did,
)

from microcred.config import Settings
from microcred.services.accounts import Accounts
from microcred.services.awards import Awards
from microcred.services.catalogue import Catalogue
from microcred.services.issuer_keys import IssuerKeys
from microcred.services.issuing import CredentialIssuer
from microcred.services.pathways import Pathways
from microcred.services.verifier import InstanceVerifier
from microcred.services.wallet import Wallet
from microcred.store.database import Database
from microcred.verify import TrustedIssuer, TrustRegistry


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
    checker = InstanceVerifier(keys, issuer.status, settings, trust=TrustRegistry([other]))
    wallet = Wallet(database, checker, kek=KEK)
    pathways = Pathways(catalogue, awards, wallet)
    awards.on_issued.append(pathways.on_issued)
    Accounts(database).create_user(LEARNER, actor="test", password="correct horse battery")
    return Stack(catalogue, issuer, awards, checker, wallet, pathways, *ids)
