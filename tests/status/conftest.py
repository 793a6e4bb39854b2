"""Fixtures for the status tests: an institution with a published specification, its keys,
the issuing service and the status lists, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from microcred.config import Settings
from microcred.crypto.did_document import key_in_document
from microcred.crypto.keys import PublicKey
from microcred.formats.ob3 import AwardData
from microcred.services.catalogue import Catalogue
from microcred.services.issuer_keys import IssuerKeys
from microcred.services.issuing import CredentialIssuer
from microcred.services.status import StatusLists
from microcred.status.fetching import StatusListUnavailable
from microcred.store.database import Database
from support.examples import example_specification

KEK = bytes(range(32))
BASE_URL = "https://credentials.uni.example"
SLUG = "uni-example"


@pytest.fixture
def settings(database: Database) -> Settings:
    return Settings(database_url=str(database.url), base_url=BASE_URL)


@pytest.fixture
def keys(database: Database, settings: Settings) -> IssuerKeys:
    return IssuerKeys(database, settings, kek=KEK)


@pytest.fixture
def status(database: Database, keys: IssuerKeys, settings: Settings) -> StatusLists:
    return StatusLists(database, keys, settings)


@pytest.fixture
def issuer(catalogue: Catalogue, keys: IssuerKeys, status: StatusLists) -> CredentialIssuer:
    return CredentialIssuer(catalogue, keys, keys.settings, status)


@pytest.fixture
def published(catalogue: Catalogue) -> str:
    catalogue.ensure_institution(
        SLUG,
        {"en": "Example University"},
        "http://publications.europa.eu/resource/authority/country/DEU",
    )
    record = catalogue.create(SLUG, example_specification())
    return catalogue.publish(record.id).id


def an_award() -> AwardData:
    return AwardData(
        learner_name="Jana Nowak",
        email="jana.nowak@example.org",
        grade="1.7",
        issued_on=datetime(2025, 3, 1, 9, 30, tzinfo=UTC),
    )


@pytest.fixture
def issue(issuer: CredentialIssuer, published: str) -> Any:
    """Return a function that issues one more signed credential of the published specification."""

    def issue_one() -> dict[str, Any]:
        credential = issuer.issue_credential(published, None, an_award())
        assert isinstance(credential, dict)
        return credential

    return issue_one


@pytest.fixture
def resolve_key(keys: IssuerKeys) -> Any:
    """Resolve our institution's did:web from its DID document, without a web server."""

    def resolve(method: str) -> PublicKey:
        return key_in_document(keys.did_document(SLUG), method, "assertionMethod")

    return resolve


@pytest.fixture
def local_fetch(status: StatusLists) -> Any:
    def nowhere(url: str) -> dict[str, Any]:
        raise StatusListUnavailable(f"{url} is not one of ours and the tests stay offline")

    return status.published.fetcher(nowhere)
