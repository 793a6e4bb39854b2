"""The pathway hook after a bulk chunk: it runs for learners with an account (and completes
their pathway), and costs nothing per award for the learners without one."""

from __future__ import annotations

from stacking_support import LEARNER, SLUG, Stack

from microcred.domain.pathways import AllOf, Component
from microcred.services.award_hooks import awards_needing
from microcred.services.award_input import LearnerInput
from microcred.services.bulk.awarding import AwardRequest, award_many


def _two_part_pathway(stack: Stack, auto_award: bool = True) -> None:
    requirement = AllOf(
        items=[
            Component(specification_id=stack.part_one),
            Component(specification_id=stack.part_two),
        ]
    )
    stack.pathways.create(
        SLUG,
        {"en": "Certificate in data handling"},
        stack.stacked,
        requirement,
        actor="designer",
        auto_award=auto_award,
    )


def _bulk_award_part_two(stack: Stack, learners: list[LearnerInput]) -> list[str]:
    record = stack.awards.issuable(stack.part_two, None)
    stack.awards.prepare(record)
    with stack.awards.db.transaction() as session:
        results = award_many(stack.awards, session, record, [AwardRequest(x) for x in learners])
    ids = [result[0].id for result in results if isinstance(result, tuple)]
    assert len(ids) == len(learners)
    return ids


def test_bulk_chunk_completes_the_pathway_of_the_learner_with_an_account_only(
    stack: Stack,
) -> None:
    _two_part_pathway(stack)
    stack.award(stack.part_one)
    learners = [LearnerInput(name="Jana Nowak", email=LEARNER)] + [
        LearnerInput(name=f"No Account {n}", email=f"none{n}@example.org") for n in range(3)
    ]
    award_ids = _bulk_award_part_two(stack, learners)
    records = stack.awards.get_many(award_ids)

    needed = awards_needing(stack.pathways.on_issued, list(records.values()))
    assert needed == {award_ids[0]}

    assert stack.awards.run_owed_hooks(award_ids=award_ids)
    assert len(stack.stacked_awards()) == 1
    assert stack.awards.list(SLUG, stack.stacked) == stack.stacked_awards()


def test_without_an_auto_award_pathway_no_award_needs_the_pathway_hook(stack: Stack) -> None:
    _two_part_pathway(stack, auto_award=False)
    award_ids = _bulk_award_part_two(stack, [LearnerInput(name="Jana Nowak", email=LEARNER)])
    records = list(stack.awards.get_many(award_ids).values())

    assert awards_needing(stack.pathways.on_issued, records) == set()
    # A hook without a companion needs every award.
    assert awards_needing(print, records) == set(award_ids)
