"""Fixtures for verification: an issuer key (did:key), a signed OB 3.0 micro-credential, a
trusted-issuer registry, and a guard that fails any test which opens a network connection."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from microcred.crypto.data_integrity import sign
from microcred.crypto.did_key import did_key_for, did_key_verification_method_id
from microcred.crypto.keys import PrivateKey
from microcred.domain.examples import example_specification
from microcred.formats.ob3 import AwardData, IssuerProfile, render_achievement_credential
from microcred.verify import TrustedIssuer, TrustRegistry

SPEC_URL = "https://www.th-lahntal.example/catalogue/data-literacy"
ISSUED = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)
CHECKED_AT = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def issuer_key() -> PrivateKey:
    return PrivateKey.from_secret_bytes("Ed25519", bytes(range(32)))


@pytest.fixture(scope="session")
def issuer_did(issuer_key: PrivateKey) -> str:
    return did_key_for(issuer_key.public_key)


@pytest.fixture
def sign_as(issuer_key: PrivateKey) -> Callable[..., dict[str, Any]]:
    """Sign a document with the issuer's key (or `key`), eddsa-rdfc-2022 unless told."""

    def signer(document: dict[str, Any], key: PrivateKey | None = None, **options: Any):
        key = key or issuer_key
        options.setdefault("suite", "eddsa-rdfc-2022")
        method = did_key_verification_method_id(key.public_key)
        return sign(document, key, verification_method=method, **options)

    return signer


def unsigned_credential(issuer_did: str, **award: Any) -> dict[str, Any]:
    """Return the example micro-credential, rendered as OB 3.0, issued by `issuer_did`."""
    award.setdefault("issued_on", ISSUED)
    return render_achievement_credential(
        example_specification(),
        AwardData(learner_name="Jana Nowak", email="jana@example.org", **award),
        IssuerProfile(id=issuer_did, name={"en": "Lahntal University of Applied Sciences"}),
        spec_url=SPEC_URL,
    )


@pytest.fixture
def credential(issuer_did: str, sign_as: Callable[..., dict[str, Any]]) -> dict[str, Any]:
    return sign_as(unsigned_credential(issuer_did))


@pytest.fixture
def trust(issuer_did: str) -> TrustRegistry:
    return TrustRegistry([TrustedIssuer(issuer_did, "Lahntal University of Applied Sciences")])


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """Record (and refuse) every attempt to open a network connection during the test."""
    attempts: list[Any] = []

    def refuse(*args: Any, **kwargs: Any) -> Any:
        attempts.append(args)
        raise OSError("network access attempted during verification")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    yield attempts
    assert attempts == [], f"verification tried to reach the network: {attempts}"
