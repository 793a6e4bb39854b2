"""Learners import verified Open Badges 2.0 badges into the wallet, and pathways count them by
BadgeClass, as credentials from elsewhere; a badge that does not verify, or was awarded to
someone else, is refused and nothing is stored."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from stacking_support import BASE_URL, KEK, LEARNER, SLUG, Stack

from microcred.config import Settings
from microcred.net import FetchPolicy
from microcred.services.held_credentials import external_learning
from microcred.services.pathways import Pathways
from microcred.services.verifier import InstanceVerifier
from microcred.services.wallet import Wallet, WalletError
from microcred.store.database import Database
from microcred.store.learner_wallet_tables import WalletImportRow
from microcred.verify import TrustedIssuer, TrustRegistry
from microcred.verify.fetch import fetch_credential
from microcred.verify.report import Verdict
from support.ob2_host import Ob2Host, png_with_openbadges, serving, svg_with_assertion

LOOPBACK = FetchPolicy(allow_private=True, deadline=2.0, connect_timeout=1.0)


@dataclass
class Ob2World:
    host: Ob2Host
    wallet: Wallet
    pathways: Pathways


@pytest.fixture
def world(stack: Stack, database: Database) -> Iterator[Ob2World]:
    """The stack's services, with a verifier that may reach the OB 2.0 host on loopback and
    trusts its issuer."""
    with serving() as host:
        host.email = LEARNER
        host.publish_issuer()
        settings = Settings(
            database_url=str(database.url), base_url=BASE_URL, fetch_allow_private=True
        )
        trusted = TrustRegistry([TrustedIssuer(host.url("/issuer"), "Hochschule Lahntal")])
        checker = InstanceVerifier(None, None, settings, trust=trusted)
        wallet = Wallet(
            database, checker, kek=KEK, fetch=lambda url: fetch_credential(url, policy=LOOPBACK)
        )
        yield Ob2World(host, wallet, Pathways(stack.catalogue, stack.awards, wallet))


def imported_rows(database: Database) -> int:
    with database.transaction(write=False) as session:
        return session.scalar(sa.select(sa.func.count()).select_from(WalletImportRow)) or 0


def test_baked_hosted_badge_is_imported_with_its_badge_and_issuer_names(world: Ob2World) -> None:
    assertion = world.host.hosted()
    entry = world.wallet.import_credential(LEARNER, png_with_openbadges(assertion["id"]), "baked")
    assert entry.verdict == Verdict.verified, entry.summary
    assert entry.id == assertion["id"]
    assert entry.title == "Data Literacy Foundations"
    assert entry.issuer == "Hochschule Lahntal"
    [listed] = world.wallet.credentials(LEARNER)
    assert (listed.id, listed.verdict) == (assertion["id"], Verdict.verified)


def test_signed_badge_is_imported_from_its_jws_and_a_baked_svg_too(world: Ob2World) -> None:
    entry = world.wallet.import_credential(LEARNER, world.host.signed(), "file")
    assert entry.verdict == Verdict.verified, entry.summary
    assert entry.title == "Data Literacy Foundations"
    hosted = world.host.hosted()
    svg = svg_with_assertion(hosted["id"]).encode("utf-8")
    baked = world.wallet.import_credential(LEARNER, svg, "baked")
    assert (baked.id, baked.verdict) == (hosted["id"], Verdict.verified)
    assert len(world.wallet.credentials(LEARNER)) == 2


def test_badge_awarded_to_someone_else_is_refused(world: Ob2World, database: Database) -> None:
    world.host.email = "someone.else@example.org"
    with pytest.raises(WalletError, match="recipient"):
        world.wallet.import_credential(LEARNER, world.host.signed(), "file")
    assert imported_rows(database) == 0


def test_revoked_badge_is_refused(world: Ob2World, database: Database) -> None:
    jws = world.host.signed()
    world.host.revoke("urn:uuid:3f1c1e0e-5d8b-4d55-9d0e-0a1b2c3d4e5f")
    with pytest.raises(WalletError, match="revoked"):
        world.wallet.import_credential(LEARNER, jws, "file")
    assert imported_rows(database) == 0


def test_pathway_counts_an_ob2_badge_by_its_badge_class(world: Ob2World, stack: Stack) -> None:
    world.wallet.import_credential(LEARNER, world.host.hosted(), "file")

    def pathway_for(badge_class: str):  # noqa: ANN202
        requirement = {"kind": "matching", "criterion": {"badge_classes": [badge_class]}}
        return world.pathways.create(
            SLUG, {"en": "Data badge"}, stack.stacked, requirement, actor="t", auto_award=False
        )

    held = world.wallet.held(LEARNER)
    assert [h.badge_class for h in held] == [world.host.url("/badge")]
    counted = world.pathways.progress(pathway_for(world.host.url("/badge")), held)
    assert counted.outcome.met
    other = world.pathways.progress(pathway_for(world.host.url("/other-badge")), held)
    assert not other.outcome.met


def test_badge_revoked_after_import_no_longer_counts(world: Ob2World) -> None:
    assertion = world.host.hosted()
    world.wallet.import_credential(LEARNER, assertion, "file")
    world.host.hosted(revoked=True)
    assert world.wallet.held(LEARNER) == []
    [listed] = world.wallet.credentials(LEARNER)
    assert listed.verdict == Verdict.failed


def test_ob2_badge_is_shared_by_link_but_not_in_a_presentation(world: Ob2World) -> None:
    entry = world.wallet.import_credential(LEARNER, world.host.signed(), "file")
    with pytest.raises(WalletError, match="cannot be presented"):
        world.wallet.presentation(LEARNER, [entry.id], challenge="nonce-1")
    _link, token = world.wallet.create_share_link(LEARNER, [entry.id], days=7)
    _link, shared = world.wallet.shared(token)
    assert [(c.title, c.verdict) for c in shared] == [
        ("Data Literacy Foundations", Verdict.verified)
    ]


def test_recognition_reads_an_ob2_badges_name_and_issuer(world: Ob2World) -> None:
    jws = world.host.signed()
    learning = external_learning(jws, world.wallet.checker.verify(jws))
    assert (learning.title, learning.issuer_name) == (
        "Data Literacy Foundations",
        "Hochschule Lahntal",
    )
    assert learning.ects is None and learning.outcomes == []
