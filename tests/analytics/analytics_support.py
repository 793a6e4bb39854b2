"""Helpers of the analytics tests: the world they act in, and how its learners get, claim and
show their credentials."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.testclient import TestClient

from microcred.domain.specification import Specification, Workload
from microcred.services.api_tokens import ApiTokens
from microcred.services.award_input import LearnerInput
from microcred.services.awards import AwardRecord, Awards
from microcred.services.delivery.claims import Claims
from microcred.services.issuing import CredentialIssuer
from microcred.store.database import Database
from microcred.store.status_tables import IssuedCredentialRow
from support.examples import example_specification

KEK = bytes(range(32))
BASE_URL = "https://credentials.th-lahntal.example"
SLUG = "th-lahntal"
OTHER_SLUG = "koivula"
JANA = ("Jana Nowak", "jana.nowak@example.org")
EMIL = ("Emil Berger", "emil.berger@example.org")


def component(title: str, ects: float) -> Specification:
    """Return a complete specification (the example's elements) with this title and ECTS."""
    return example_specification().model_copy(
        update={"title": {"en": title}, "workload": Workload(ects=ects, hours=ects * 28)}
    )


@dataclass
class World:
    app: FastAPI
    database: Database
    awards: Awards
    issuer: CredentialIssuer
    part_one: str
    part_two: str
    stacked: str
    client: TestClient = field(init=False)

    def __post_init__(self) -> None:
        self.client = TestClient(self.app, base_url=BASE_URL)

    def award(self, spec_id: str, learner: tuple[str, str]) -> AwardRecord:
        """Award ``spec_id`` to a learner (each has an account: pathways see what they hold)."""
        name, email = learner
        return self.awards.award(spec_id, None, LearnerInput(name=name, email=email))

    def claim(self, credential_id: str, email: str, when: datetime) -> None:
        """Open the claim link and confirm it with the e-mailed code, at ``when``."""
        claims = Claims(self.database)
        token = claims.open(credential_id, email, "en")
        _claim, code = claims.new_code(token, now=when)
        claims.confirm(token, code, now=when)

    def document(self, credential_id: str) -> Any:
        """Return the signed credential as the learner holds it."""
        with self.database.transaction(write=False) as session:
            return session.scalar(
                sa.select(IssuedCredentialRow.document).where(
                    IssuedCredentialRow.id == credential_id
                )
            )

    def token(self, email: str, scopes: tuple[str, ...] = ("read",)) -> dict[str, str]:
        """Return the Authorization header of a new API token of ``email``."""
        value = ApiTokens(self.database).create(email, "tests", list(scopes), actor="test").value
        return {"Authorization": f"Bearer {value}"}
