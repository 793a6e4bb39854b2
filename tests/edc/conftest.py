"""Fixtures for the EDC tests: one TEST seal (made once), an award and a sealing organisation."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from cryptography import x509

from microcred.crypto.x509_seal import SealCredentials, create_test_seal
from microcred.formats.ob3 import AwardData, IssuerProfile

GERMANY = "http://publications.europa.eu/resource/authority/country/DEU"
ISSUER_DID = "did:web:credentials.uni.example:institutions:uni-kaltenbach"


@pytest.fixture(scope="session")
def test_seal() -> tuple[SealCredentials, x509.Certificate]:
    return create_test_seal("University of Kaltenbach", "DE", "VATDE-123456789")


@pytest.fixture
def seal(test_seal: tuple[SealCredentials, x509.Certificate]) -> SealCredentials:
    return test_seal[0]


@pytest.fixture
def root(test_seal: tuple[SealCredentials, x509.Certificate]) -> x509.Certificate:
    return test_seal[1]


@pytest.fixture
def award() -> AwardData:
    return AwardData(
        learner_name="Ana Andromeda",
        email="ana.andromeda@example.org",
        date_of_birth=date(1999, 10, 1),
        grade="1.7",
        issued_on=datetime.now(UTC),
    )


@pytest.fixture
def issuer() -> IssuerProfile:
    return IssuerProfile(id=ISSUER_DID, name={"en": "University of Kaltenbach"}, country=GERMANY)
