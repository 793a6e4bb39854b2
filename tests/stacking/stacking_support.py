"""Helpers of the stacking tests: specifications to stack, and another issuer's credential."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from microcred.crypto.data_integrity import sign
from microcred.crypto.did_key import did_key_for, did_key_verification_method_id
from microcred.crypto.keys import PrivateKey
from microcred.domain.specification import LearningOutcome, Specification, Workload
from microcred.formats.ob3 import AwardData, IssuerProfile, render_achievement_credential
from microcred.services.award_input import LearnerInput
from microcred.services.awards import AwardRecord, Awards
from microcred.services.catalogue import Catalogue
from microcred.services.issuing import CredentialIssuer
from microcred.services.pathways import Pathways
from microcred.services.verifier import InstanceVerifier
from microcred.services.wallet import Wallet
from support.examples import example_specification

KEK = bytes(range(32))
BASE_URL = "https://credentials.th-lahntal.example"
SLUG = "th-lahntal"
LEARNER = "jana@example.org"
SNB = "http://data.europa.eu/snb"
ESCO = "http://data.europa.eu/esco/skill/"
STATISTICS = ESCO + "50cf1d1b-5d0a-4e55-b7c1-0d1bbfae6ab2"


def component_spec(title: str, ects: float, isced: str = "0613") -> Specification:
    """Return a complete specification (the example's elements) with this title and ECTS."""
    return example_specification().model_copy(
        update={
            "title": {"en": title},
            "workload": Workload(ects=ects, hours=ects * 28),
            "isced_f": [f"{SNB}/isced-f/{isced}"],
        }
    )


def other_issuer_credential(
    key: PrivateKey,
    *,
    title: str = "Statistics for data analysis",
    ects: float = 5,
    isced: str = "0542",
    outcomes: list[str] | None = None,
    skills: list[str] | None = None,
    learner: tuple[str, str] = ("Jana Nowak", LEARNER),
) -> dict[str, Any]:
    """Return an OB 3.0 credential by another institution, signed with its own did:key."""
    did = did_key_for(key.public_key)
    texts = outcomes or ["Apply statistical methods to analyse data sets and interpret findings"]
    spec = example_specification().model_copy(
        update={
            "title": {"en": title},
            "workload": Workload(ects=ects, hours=ects * 28),
            "isced_f": [f"{SNB}/isced-f/{isced}"],
            "learning_outcomes": [
                LearningOutcome(text={"en": text}, esco_skills=skills or []) for text in texts
            ],
        }
    )
    award = AwardData(
        learner_name=learner[0],
        email=learner[1],
        issued_on=datetime.now(UTC),
        awarded_on=datetime.now(UTC),
    )
    credential = render_achievement_credential(
        spec,
        award,
        IssuerProfile(id=did, name={"en": "Koivula University of Applied Sciences"}),
        spec_url="https://credentials.koivula.example/achievements/statistics",
    )
    method = did_key_verification_method_id(key.public_key)
    return sign(credential, key, suite="eddsa-rdfc-2022", verification_method=method)


OTHER_KEY = PrivateKey.from_secret_bytes("Ed25519", bytes(range(100, 132)))


@dataclass
class Stack:
    catalogue: Catalogue
    issuer: CredentialIssuer
    awards: Awards
    checker: InstanceVerifier
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


def other_issuer_did() -> str:
    return did_key_for(OTHER_KEY.public_key)
