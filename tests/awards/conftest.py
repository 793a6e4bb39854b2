"""Fixtures for the award tests: an institution with a published specification, its keys,
the issuing service and the awards service, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from microcred.config import Settings
from microcred.domain.specification import GradingScheme
from microcred.services.awards import Awards
from microcred.services.catalogue import Catalogue
from microcred.services.issuer_keys import IssuerKeys
from microcred.services.issuing import CredentialIssuer
from microcred.store.database import Database
from support.examples import example_specification

KEK = bytes(range(32))
BASE_URL = "https://credentials.uni.example"
SLUG = "uni-example"
GRADES = ["1.0", "1.3", "1.7", "2.0", "2.3", "2.7", "3.0", "3.3", "3.7", "4.0"]


@pytest.fixture
def settings(database: Database) -> Settings:
    return Settings(database_url=str(database.url), base_url=BASE_URL)


@pytest.fixture
def keys(database: Database, settings: Settings) -> IssuerKeys:
    return IssuerKeys(database, settings, kek=KEK)


@pytest.fixture
def issuer(catalogue: Catalogue, keys: IssuerKeys) -> CredentialIssuer:
    return CredentialIssuer(catalogue, keys, keys.settings)


@pytest.fixture
def awards(database: Database, issuer: CredentialIssuer, settings: Settings) -> Awards:
    return Awards(database, issuer, settings)


@pytest.fixture
def published(catalogue: Catalogue) -> str:
    """Return the id of a published specification graded 1.0 (best) to 4.0 (pass)."""
    catalogue.ensure_institution(
        SLUG,
        {"en": "Example University"},
        "http://publications.europa.eu/resource/authority/country/DEU",
    )
    specification = example_specification().model_copy(
        update={
            "grading_scheme": GradingScheme(
                title={"en": "German grades"},
                description={"en": "1.0 best, 4.0 pass"},
                grades=GRADES,
                pass_grades=GRADES,
            )
        }
    )
    record = catalogue.create(SLUG, specification)
    return catalogue.publish(record.id).id
