"""Auto-award: a learner's verified credentials complete a pathway and the stacked credential is
issued once, through the normal issuing path, citing its components as evidence."""

from __future__ import annotations

import base64
import hashlib
import json

from stacking_support import LEARNER, SLUG, Stack, other_issuer_credential

from microcred.crypto.keys import PrivateKey
from microcred.domain.pathways import AllOf, Component, Criterion, Matching
from microcred.services.held_credentials import digest_sri
from microcred.verify.report import Verdict


def three_part_pathway(stack: Stack) -> str:
    requirement = AllOf(
        items=[
            Component(specification_id=stack.part_one),
            Component(specification_id=stack.part_two),
            Matching(criterion=Criterion(isced_f=["05"], trusted_issuer=True)),
        ]
    )
    pathway = stack.pathways.create(
        SLUG, {"en": "Certificate in data science"}, stack.stacked, requirement, actor="designer"
    )
    return pathway.id


def test_three_components_two_ours_one_trusted_elsewhere_award_the_stack_once(
    stack: Stack,
) -> None:
    three_part_pathway(stack)
    first = stack.award(stack.part_one)
    foreign = stack.foreign_credential()
    stack.wallet.import_credential(LEARNER, json.dumps(foreign), "file")
    assert stack.pathways.award_completed(first.learner) == []  # part two is still missing
    assert stack.stacked_awards() == []

    second = stack.award(stack.part_two)  # the on_issued hook completes the pathway

    stacked = stack.stacked_awards()
    assert len(stacked) == 1
    # Evaluating again, or the same award again, issues nothing more.
    assert stack.pathways.award_completed(second.learner) == []
    stack.award(stack.part_two)
    assert len(stack.stacked_awards()) == 1

    document = stack.wallet.document(LEARNER, stacked[0].credential_id)
    report = stack.checker.verify(document)
    assert report.verdict == Verdict.verified, report.summary
    assert document["credentialStatus"], "issued through the status-list path"
    evidence = {item["id"]: item["digestSRI"] for item in document["evidence"]}
    assert set(evidence) == {first.credential_id, second.credential_id, foreign["id"]}
    assert evidence[foreign["id"]] == digest_sri(foreign)
    ours = stack.wallet.document(LEARNER, first.credential_id)
    expected = hashlib.sha256(
        json.dumps(ours, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    ).digest()
    assert evidence[first.credential_id] == "sha256-" + base64.b64encode(expected).decode()


def test_revoked_component_removes_eligibility_before_the_award(stack: Stack) -> None:
    pathway_id = three_part_pathway(stack)
    first = stack.award(stack.part_one)
    stack.wallet.import_credential(LEARNER, json.dumps(stack.foreign_credential()), "file")
    stack.issuer.status.revoke(first.credential_id, reason="assessment voided", actor="registrar")

    stack.award(stack.part_two)

    assert stack.stacked_awards() == []
    progress = stack.pathways.progress(
        stack.pathways.get(pathway_id), stack.wallet.held(LEARNER), LEARNER
    )
    assert progress.outcome.met is False
    assert progress.outcome.missing == ["«Data cleaning»"]
    assert [s.specification_id for s in progress.suggestions][:1] == [stack.part_one]


def test_untrusted_foreign_credential_does_not_count(stack: Stack) -> None:
    three_part_pathway(stack)
    stack.award(stack.part_one)
    stranger = other_issuer_credential(PrivateKey.from_secret_bytes("Ed25519", bytes(32)))
    stack.wallet.import_credential(LEARNER, stranger, "file")

    stack.award(stack.part_two)

    assert stack.stacked_awards() == []
