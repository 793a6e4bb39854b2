"""Fixtures for analytics: the app on the test database (SQLite and PostgreSQL) with one
institution, two component specifications and a stacked one joined by a pathway, the award,
claim and pathway services wired as the app wires them, and staff of every role."""

from __future__ import annotations

import base64
from collections.abc import Iterator

import pytest
from analytics_support import BASE_URL, EMIL, JANA, KEK, OTHER_SLUG, SLUG, World, component

from microcred.app import create_app
from microcred.config import Settings
from microcred.domain.pathways import AllOf, Component
from microcred.services.accounts import Accounts
from microcred.services.awards import Awards
from microcred.services.issuer_keys import IssuerKeys
from microcred.services.issuing import CredentialIssuer
from microcred.services.pathways import Pathways
from microcred.services.verifier import InstanceVerifier
from microcred.services.wallet import Wallet
from microcred.store.database import Database

GERMANY = "http://publications.europa.eu/resource/authority/country/DEU"


@pytest.fixture
def world(database: Database, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    made = make_world(database, monkeypatch)
    with made.client:
        yield made


def make_world(database: Database, monkeypatch: pytest.MonkeyPatch) -> World:
    """Return the world on a migrated ``database`` (see the module's docstring)."""
    monkeypatch.setenv("MICROCRED_KEK", base64.b64encode(KEK).decode())
    settings = Settings(database_url=str(database.url), base_url=BASE_URL, secret_key="k")
    app = create_app(settings, database)
    catalogue = app.state.catalogue
    catalogue.ensure_institution(SLUG, {"en": "TH Lahntal"}, GERMANY)
    catalogue.ensure_institution(OTHER_SLUG, {"en": "Koivula University"}, GERMANY)
    ids = []
    for title, ects in (("Data cleaning", 5), ("Data visualisation", 5), ("Data science", 10)):
        ids.append(catalogue.publish(catalogue.create(SLUG, component(title, ects)).id).id)
    keys = IssuerKeys(database, settings)
    issuer = CredentialIssuer(catalogue, keys, settings)
    awards = Awards(database, issuer, settings)
    wallet = Wallet(database, InstanceVerifier(keys, issuer.status, settings), kek=KEK)
    pathways = Pathways(catalogue, awards, wallet)
    awards.on_issued.append(pathways.on_issued)
    requirement = AllOf(items=[Component(specification_id=i) for i in ids[:2]])
    pathways.create(SLUG, {"en": "Certificate in data"}, ids[2], requirement, actor="designer")
    accounts = Accounts(database)
    for role in ("administrator", "auditor", "registrar", "designer"):
        email = f"{role}@th-lahntal.example"
        accounts.create_user(email, password="correct horse battery staple", actor="test")
        accounts.add_role(email, SLUG, role, actor="test")
    for _name, email in (JANA, EMIL):
        accounts.create_user(email, password="correct horse battery", actor="test")
    accounts.create_user(
        "registrar@koivula.example", password="koivula registrar passphrase", actor="test"
    )
    accounts.add_role("registrar@koivula.example", OTHER_SLUG, "registrar", actor="test")
    return World(app, database, awards, issuer, ids[0], ids[1], ids[2])
