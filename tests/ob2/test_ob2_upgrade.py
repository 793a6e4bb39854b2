"""An institution re-issues its own verified Open Badges 2.0 badges as Open Badges 3.0
credentials that link the original and carry its recipient over: once per badge, and never a
badge of another issuer or one that does not verify."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from microcred.config import Settings
from microcred.formats.ob3 import IssuerProfile
from microcred.formats.ob3.upgrade import Ob2Original, render_upgraded_credential
from microcred.services.catalogue import Catalogue, InvalidInput
from microcred.services.issuer_keys import IssuerKeys
from microcred.services.issuing import CredentialIssuer
from microcred.services.ob2_upgrades import Ob2UpgradeRefused, Ob2Upgrades
from microcred.services.verifier import InstanceVerifier
from microcred.store.database import Database
from microcred.store.status_tables import IssuedCredentialRow
from microcred.verify import TrustRegistry
from microcred.verify.report import Verdict
from support.ob2_host import SIGNED_ID, Ob2Host, png_with_openbadges, serving

KEK = bytes(range(32))
OURS, OTHERS = "hs-lahntal", "koivula"


@dataclass
class Upgrading:
    host: Ob2Host
    upgrades: Ob2Upgrades
    verifier: InstanceVerifier
    database: Database
    catalogue: Catalogue


@pytest.fixture(scope="module")
def upgrading(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Upgrading]:
    """Two institutions, one naming the served OB 2.0 issuer as its own; no trusted issuers.

    One database and one OB 2.0 host for the module (migrating a database per test would cost
    most of the time): each test upgrades its own badges and counts what it added.
    """
    database = Database(f"sqlite:///{tmp_path_factory.mktemp('upgrades') / 'microcred.db'}")
    database.upgrade()
    settings = Settings(
        database_url=str(database.url),
        base_url="https://credentials.hs-lahntal.example",
        fetch_allow_private=True,
    )
    # The audit log reads its KEK from the environment, not from `settings`: without this it
    # finds a kek.key only when another test of the process happened to leave one.
    with pytest.MonkeyPatch.context() as patch, serving() as host:
        patch.setenv("MICROCRED_KEK", base64.b64encode(KEK).decode())
        host.publish_issuer()
        catalogue = Catalogue(database)
        catalogue.ensure_institution(
            OURS, {"en": "Hochschule Lahntal"}, ob2_issuers=[host.url("/issuer")]
        )
        catalogue.ensure_institution(OTHERS, {"en": "Koivula University"})
        keys = IssuerKeys(database, settings, kek=KEK)
        issuer = CredentialIssuer(catalogue, keys, settings)
        verifier = InstanceVerifier(keys, issuer.status, settings, trust=TrustRegistry())
        yield Upgrading(host, Ob2Upgrades(issuer, verifier), verifier, database, catalogue)
    database.dispose()


def issued_count(database: Database) -> int:
    with database.transaction(write=False) as session:
        count = sa.select(sa.func.count()).select_from(IssuedCredentialRow)
        return session.scalar(count) or 0


def test_signed_badge_is_reissued_as_an_ob3_credential_linking_it(upgrading: Upgrading) -> None:
    host = upgrading.host
    upgrade = upgrading.upgrades.upgrade(OURS, host.signed(), actor="registrar@hs-lahntal")
    assert upgrade.created and upgrade.original == SIGNED_ID
    credential = upgrade.credential
    assert credential["evidence"][0]["id"] == SIGNED_ID
    assert credential["evidence"][0]["genre"] == "Open Badges 2.0 assertion"
    recipient = host.assertion("signed")["recipient"]
    [identity] = credential["credentialSubject"]["identifier"]
    assert (identity["identityHash"], identity["salt"]) == (recipient["identity"], "deadsea")
    assert identity["identityType"] == "emailAddress" and identity["hashed"] is True
    achievement = credential["credentialSubject"]["achievement"]
    assert (achievement["id"], achievement["name"]) == (
        host.url("/badge"),
        "Data Literacy Foundations",
    )
    assert credential["awardedDate"] == "2025-06-30T12:00:00Z"
    assert credential["issuer"]["id"].startswith("did:web:credentials.hs-lahntal.example")
    assert {entry["statusPurpose"] for entry in credential["credentialStatus"]} == {
        "revocation",
        "suspension",
    }
    # Our own verifier takes it: our key, our status lists, our institution as trusted issuer.
    report = upgrading.verifier.verify(credential)
    assert report.verdict == Verdict.verified, report.summary


def test_institutions_ob2_issuer_is_trusted_as_the_institution(upgrading: Upgrading) -> None:
    report = upgrading.verifier.verify(upgrading.host.hosted("/assertions/trusted"))
    assert report.verdict == Verdict.verified, report.summary
    trust = report.check("issuer_trust")
    assert trust.details["trusted_name"] == "Hochschule Lahntal"
    # Not one of our DIDs: nothing treats the badge as a credential issued here.
    assert not upgrading.verifier.own_issuer(upgrading.host.url("/issuer"))


def test_upgrading_the_same_badge_twice_returns_the_first_credential(
    upgrading: Upgrading,
) -> None:
    host, before = upgrading.host, issued_count(upgrading.database)
    hosted = host.hosted("/assertions/twice")
    first = upgrading.upgrades.upgrade(OURS, hosted, actor="registrar@hs-lahntal")
    baked = png_with_openbadges(hosted["id"])  # the same badge, as a baked image
    again = upgrading.upgrades.upgrade(OURS, baked, actor="another@hs-lahntal")
    assert first.created and not again.created
    assert again.credential == first.credential
    assert issued_count(upgrading.database) == before + 1


def test_badge_of_another_institutions_issuer_is_refused(upgrading: Upgrading) -> None:
    before = issued_count(upgrading.database)
    with pytest.raises(Ob2UpgradeRefused, match="not one of koivula's Open Badges 2.0 issuers"):
        upgrading.upgrades.upgrade(OTHERS, upgrading.host.signed(), actor="registrar@koivula")
    assert issued_count(upgrading.database) == before


def test_revoked_badge_is_not_reissued(upgrading: Upgrading) -> None:
    before, revoked = issued_count(upgrading.database), "urn:uuid:0d7f1c55-revoked"
    jws = upgrading.host.signed(id=revoked)
    upgrading.host.revoke(revoked)
    try:
        with pytest.raises(Ob2UpgradeRefused, match="does not verify .status: revoked"):
            upgrading.upgrades.upgrade(OURS, jws, actor="registrar@hs-lahntal")
    finally:
        upgrading.host.revoke()
    assert issued_count(upgrading.database) == before


def test_ob2_issuers_must_be_web_addresses_of_one_institution(upgrading: Upgrading) -> None:
    catalogue, issuer = upgrading.catalogue, upgrading.host.url("/issuer")
    with pytest.raises(InvalidInput, match="is the Open Badges 2.0 issuer of 'hs-lahntal'"):
        catalogue.ensure_institution("third", {"en": "Third"}, ob2_issuers=[issuer])
    with pytest.raises(InvalidInput, match="not the web address"):
        catalogue.ensure_institution("third", {"en": "Third"}, ob2_issuers=["urn:uuid:1"])
    # The refused institution was not made; updating other details keeps the issuers.
    kept = catalogue.ensure_institution(OURS, {"en": "Hochschule Lahntal"})
    assert kept.ob2_issuers == [issuer]
    assert [i.slug for i in catalogue.list_institutions()] == [OURS, OTHERS]


def test_badge_class_criteria_tags_and_evidence_carry_over() -> None:
    original = Ob2Original(
        assertion_id="https://badges.lahntal.example/assertions/7",
        recipient={"type": "email", "hashed": False, "identity": "ada@learner.example"},
        badge_class={
            "id": "https://badges.lahntal.example/badges/sql",
            "name": "SQL Basics",
            "criteria": {"id": "https://badges.lahntal.example/criteria/sql", "narrative": "Pass"},
            "image": "data:image/png;base64," + "A" * 5000,
            "tags": ["sql", " "],
            "alignment": [{"targetName": "Databases", "targetUrl": "https://esco.example/db"}, {}],
        },
        awarded_on=datetime(2024, 5, 1, tzinfo=UTC),
        expires=datetime(2030, 1, 1, tzinfo=UTC),
        evidence=("https://portfolio.example/ada/sql", {"narrative": "Query project"}, 7),
    )
    credential = render_upgraded_credential(
        original,
        IssuerProfile(id="did:web:credentials.lahntal.example", name={"en": "HS Lahntal"}),
        credential_id="urn:uuid:7c3e2c1a-3c1b-4d8e-9a55-2b1f0f7f1a01",
        issued_at=datetime(2026, 12, 6, tzinfo=UTC),
    )
    achievement = credential["credentialSubject"]["achievement"]
    assert achievement["criteria"] == {
        "id": "https://badges.lahntal.example/criteria/sql",
        "narrative": "Pass",
    }
    assert achievement["description"] == "SQL Basics"  # the BadgeClass gave none
    assert "image" not in achievement  # a data: URI is not carried
    assert achievement["tag"] == ["sql"]
    assert [a["targetName"] for a in achievement["alignment"]] == ["Databases"]
    assert credential["credentialSubject"]["identifier"] == [
        {
            "type": "IdentityObject",
            "identityType": "emailAddress",
            "hashed": False,
            "identityHash": "ada@learner.example",
        }
    ]
    assert [e.get("id") or e["narrative"] for e in credential["evidence"]] == [
        "https://badges.lahntal.example/assertions/7",
        "https://portfolio.example/ada/sql",
        "Query project",
    ]
    assert credential["validUntil"] == "2030-01-01T00:00:00Z"
