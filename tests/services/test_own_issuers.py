"""What the verifier keeps of our own issuers between requests: a key rotated or an institution
added is known at once, the rest is read again once the kept copy is a few seconds old, and
anyone else's DID still goes to the ordinary resolver."""

from __future__ import annotations

from pathlib import Path

import pytest

from microcred.config import Settings
from microcred.crypto.did_key import did_key_verification_method_id
from microcred.crypto.keys import PrivateKey
from microcred.crypto.multikey import decode_public_key
from microcred.services.catalogue import Catalogue
from microcred.services.issuer_keys import IssuerKey, IssuerKeys
from microcred.services.own_issuers import OwnAndListedIssuers, OwnIssuers
from microcred.store.database import Database
from microcred.verify.trust import TrustedIssuer, TrustRegistry

SLUG = "th-lahntal"


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def public_bytes(key: IssuerKey) -> bytes:
    return decode_public_key(key.public_key_multibase).to_bytes()


@pytest.fixture
def keys(tmp_path: Path) -> IssuerKeys:
    database = Database(f"sqlite:///{tmp_path / 'microcred.db'}")
    database.upgrade()
    Catalogue(database).ensure_institution(SLUG, {"en": "TH Lahntal"})
    settings = Settings(database_url=str(database.url), base_url="https://uni.example")
    keys = IssuerKeys(database, settings, kek=bytes(32))
    keys.ensure_key(SLUG)
    return keys


def test_a_key_rotated_after_the_document_was_kept_resolves_at_once(keys: IssuerKeys) -> None:
    clock = Clock()
    own = OwnIssuers(keys, clock=clock)
    resolve = own.key_resolver()
    first = keys.active_key(SLUG)
    assert resolve(first.verification_method).to_bytes() == public_bytes(first)
    second = keys.rotate(SLUG)
    assert second.verification_method != first.verification_method
    assert resolve(second.verification_method).to_bytes() == public_bytes(second)
    # The retired key still asserts: what it signed before the rotation verifies.
    assert resolve(first.verification_method).to_bytes() == public_bytes(first)


def test_a_document_is_kept_for_a_few_seconds_then_read_again(keys: IssuerKeys) -> None:
    clock = Clock()
    own = OwnIssuers(keys, fresh_seconds=5.0, clock=clock)
    did = keys.did_web(SLUG)
    kept = own.document(did)
    clock.now += 4.9
    assert own.document(did) is kept
    clock.now += 0.2
    again = own.document(did)
    assert again is not kept and again == kept


def test_an_institution_added_after_the_names_were_kept_is_trusted_at_once(
    keys: IssuerKeys,
) -> None:
    own = OwnIssuers(keys, clock=Clock())
    trust = OwnAndListedIssuers(own, TrustRegistry())
    assert trust.lookup(keys.did_web(SLUG)) == TrustedIssuer(
        keys.did_web(SLUG), "TH Lahntal", "own institution"
    )
    Catalogue(keys.db).ensure_institution("koivula", {"en": "Koivula University"})
    keys.ensure_key("koivula")
    found = trust.lookup(keys.did_web("koivula"))
    assert found is not None and found.name == "Koivula University"
    assert trust.lookup("did:web:elsewhere.example") is None


def test_our_own_entry_wins_over_the_file_and_listed_issuers_still_count(
    keys: IssuerKeys,
) -> None:
    ours = keys.did_web(SLUG)
    listed = TrustRegistry(
        [TrustedIssuer(ours, "Old name"), TrustedIssuer("did:web:a.example", "A")]
    )
    trust = OwnAndListedIssuers(OwnIssuers(keys), listed).with_issuers(
        [TrustedIssuer("did:web:b.example", "B")]
    )
    assert [trust.lookup(did) for did in (ours, "did:web:a.example", "did:web:b.example")] == [
        TrustedIssuer(ours, "TH Lahntal", "own institution"),
        TrustedIssuer("did:web:a.example", "A"),
        TrustedIssuer("did:web:b.example", "B"),
    ]


def test_someone_elses_did_goes_to_the_ordinary_resolver(keys: IssuerKeys) -> None:
    key = PrivateKey.generate("Ed25519")
    method = did_key_verification_method_id(key.public_key)
    resolved = OwnIssuers(keys).key_resolver()(method)
    assert resolved.to_bytes() == key.public_key.to_bytes()
