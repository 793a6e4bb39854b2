"""Fixtures for the Open Badges 3.0 format: the example specification, an award, an issuer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from microcred.domain.specification import Specification
from microcred.formats.ob3 import AwardData, IssuerProfile, render_achievement_credential
from support.examples import example_specification

SPEC_URL = "https://www.th-lahntal.example/catalogue/data-literacy"
COUNTRY = "http://publications.europa.eu/resource/authority/country"
CEST = timezone(timedelta(hours=2))


@pytest.fixture
def spec() -> Specification:
    return example_specification()


@pytest.fixture
def award() -> AwardData:
    return AwardData(
        learner_name="Jana Nowak",
        email="Jana.Nowak@example.org",
        date_of_birth="1990-04-01",
        grade="1.7",
        issued_on=datetime(2025, 3, 1, 11, 30, tzinfo=CEST),
        awarded_on=datetime(2025, 2, 27, 16, 0, tzinfo=UTC),
        credential_id="urn:uuid:0c5a4f6e-4f6b-4b8e-9d77-2f0f6a9d3a11",
        identity_salt="c0ffee-salt-42",
    )


@pytest.fixture
def issuer() -> IssuerProfile:
    return IssuerProfile(
        id="did:web:www.th-lahntal.example",
        name={
            "en": "Lahntal University of Applied Sciences",
            "de": "Technische Hochschule Lahntal",
        },
        url="https://www.th-lahntal.example",
        country=f"{COUNTRY}/DEU",
        legal_identifier="DE811234567",
    )


@pytest.fixture
def credential(spec: Specification, award: AwardData, issuer: IssuerProfile) -> dict[str, Any]:
    return render_achievement_credential(spec, award, issuer, spec_url=SPEC_URL)
