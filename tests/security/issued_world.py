"""An instance that has issued credentials: institution, published specification, awards."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fastapi import FastAPI
from fastapi.testclient import TestClient

from microcred.app import create_app
from microcred.config import Settings
from microcred.services.award_input import LearnerInput
from microcred.services.awards import AwardRecord, Awards
from microcred.services.catalogue import Catalogue
from microcred.services.issuer_keys import IssuerKeys
from microcred.services.issuing import CredentialIssuer
from microcred.store.database import Database
from support.examples import example_specification

BASE_URL = "https://credentials.th-lahntal.example"
SLUG = "th-lahntal"
GERMANY = "http://publications.europa.eu/resource/authority/country/DEU"
LEARNERS = [
    ("Jana Nowak", "jana.nowak@example.org"),
    ("Luca Bianchi", "luca.bianchi@example.org"),
    ("Aino Virtanen", "aino.virtanen@example.org"),
]


def settings_for(database: Database, **overrides: str) -> Settings:
    values = {"base_url": BASE_URL, "secret_key": "security-test-key", "api_token": ""}
    return Settings(database_url=str(database.url), **{**values, **overrides})


@dataclass
class IssuedWorld:
    app: FastAPI
    database: Database
    settings: Settings
    catalogue: Catalogue
    awards: Awards
    issuer: CredentialIssuer
    spec_id: str

    def award(self, name: str, email: str) -> AwardRecord:
        learner = LearnerInput(name=name, email=email, date_of_birth=date(1990, 5, 17))
        return self.awards.award(self.spec_id, None, learner, grade="1.3")


def issued_world(database: Database) -> IssuedWorld:
    """Return the app on ``database`` with one institution and a published specification."""
    settings = settings_for(database)
    app = create_app(settings, database)
    catalogue: Catalogue = app.state.catalogue
    catalogue.ensure_institution(SLUG, {"en": "TH Lahntal"}, GERMANY)
    spec_id = catalogue.publish(catalogue.create(SLUG, example_specification()).id).id
    issuer = CredentialIssuer(catalogue, IssuerKeys(database, settings), settings)
    awards = Awards(database, issuer, settings)
    return IssuedWorld(app, database, settings, catalogue, awards, issuer, spec_id)


def verify_over_api(app: FastAPI, credential: object) -> tuple[int, dict[str, object]]:
    """Return the status code and report of the app's public VC API verifier."""
    response = TestClient(app, base_url=BASE_URL).post(
        "/credentials/verify", json={"verifiableCredential": credential}
    )
    return response.status_code, response.json()
