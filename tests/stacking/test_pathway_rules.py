"""Pathway rules, evaluated without a database: each says what is met, by what, and what is
missing."""

from __future__ import annotations

from datetime import date

import pytest

from microcred.domain.pathways import (
    AllOf,
    Component,
    Criterion,
    HeldCredential,
    Matching,
    MinEcts,
    MinEqf,
    NestedPathway,
    NOf,
    Pathway,
    PathwayError,
    Within,
    check_pathway,
    evaluate,
)

ISCED = "http://data.europa.eu/snb/isced-f/"
SKILL = "http://data.europa.eu/esco/skill/50cf1d1b-5d0a-4e55-b7c1-0d1bbfae6ab2"


def held(cid: str, **facts: object) -> HeldCredential:
    base = {"issuer": "did:web:uni.example", "trusted": True, "ects": 5.0, "eqf": 6}
    return HeldCredential.model_validate({"id": cid, **base, **facts})


def pathway(requirement: object, pid: str = "p") -> Pathway:
    return Pathway.model_validate(
        {
            "id": pid,
            "institution": "uni",
            "title": {"en": f"Pathway {pid}"},
            "target_specification_id": f"target-{pid}",
            "requirement": requirement,
        }
    )


def test_two_of_three_components_is_met_by_any_two() -> None:
    rule = NOf(n=2, items=[Component(specification_id=s) for s in ("a", "b", "c")])
    outcome = evaluate(
        pathway(rule), [held("1", specification_id="a"), held("3", specification_id="c")]
    )
    assert outcome.met and outcome.used == ["1", "3"]


def test_one_of_three_components_misses_one_more() -> None:
    rule = NOf(n=2, items=[Component(specification_id=s, title=s.upper()) for s in "abc"])
    outcome = evaluate(pathway(rule), [held("1", specification_id="a")])
    assert not outcome.met
    assert outcome.missing == ["1 more of: «B»; «C»"]


def test_minimum_total_ects_counts_each_credential_once() -> None:
    rule = MinEcts(ects=12, of=Matching(criterion=Criterion(isced_f=["06"]), count=1))
    ict = [held(str(i), isced_f=[f"{ISCED}0613"]) for i in range(2)]
    outcome = evaluate(pathway(rule), ict)
    assert not outcome.met
    assert outcome.missing == ["2 more ECTS (have 10)"]
    assert evaluate(pathway(rule), [*ict, held("9", isced_f=[f"{ISCED}0612"])]).met


def test_credentials_below_the_eqf_level_do_not_count() -> None:
    rule = MinEqf(level=7, of=Component(specification_id="a"))
    assert not evaluate(pathway(rule), [held("1", specification_id="a", eqf=6)]).met
    assert evaluate(pathway(rule), [held("1", specification_id="a", eqf=7)]).met


def test_awards_further_apart_than_the_window_do_not_count() -> None:
    rule = Within(
        days=365, of=AllOf(items=[Component(specification_id="a"), Component(specification_id="b")])
    )
    close = [
        held("1", specification_id="a", awarded_on=date(2025, 1, 10)),
        held("2", specification_id="b", awarded_on=date(2025, 9, 1)),
    ]
    apart = [close[0], held("2", specification_id="b", awarded_on=date(2026, 3, 1))]
    assert evaluate(pathway(rule), close).met
    outcome = evaluate(pathway(rule), apart)
    assert not outcome.met and "within 365 days" in outcome.missing[0]


def test_matching_needs_a_trusted_issuer_and_a_shared_skill() -> None:
    rule = Matching(criterion=Criterion(esco_skills=[SKILL], min_ects=3))
    assert evaluate(pathway(rule), [held("1", esco_skills=[SKILL])]).met
    assert not evaluate(pathway(rule), [held("1", esco_skills=[SKILL], trusted=False)]).met
    assert not evaluate(pathway(rule), [held("1", esco_skills=[SKILL], ects=2)]).met
    assert not evaluate(pathway(rule), [held("1")]).met


def test_a_named_component_keeps_its_credential_from_a_broad_criterion() -> None:
    rule = AllOf(
        items=[Matching(criterion=Criterion(isced_f=["06"])), Component(specification_id="a")]
    )
    only_one = [held("1", specification_id="a", isced_f=[f"{ISCED}0613"])]
    assert not evaluate(pathway(rule), only_one).met
    both = [*only_one, held("2", isced_f=[f"{ISCED}0612"])]
    assert evaluate(pathway(rule), both).met


def test_nested_pathway_is_met_by_its_stacked_credential_or_its_own_rules() -> None:
    inner = pathway(Component(specification_id="a"), pid="inner")
    outer = pathway(
        AllOf(items=[NestedPathway(pathway_id="inner"), Component(specification_id="b")]),
        pid="outer",
    )
    lookup = {"inner": inner}
    by_rules = [held("1", specification_id="a"), held("2", specification_id="b")]
    by_stack = [held("9", specification_id="target-inner"), held("2", specification_id="b")]
    assert evaluate(outer, by_rules, pathways=lookup).met
    assert evaluate(outer, by_stack, pathways=lookup).met
    assert not evaluate(outer, by_rules[1:], pathways=lookup).met


def test_a_pathway_that_contains_itself_is_refused() -> None:
    loop = pathway(NestedPathway(pathway_id="p"))
    assert check_pathway(loop, {"p": loop}) == ["requirement: pathway p would contain itself"]
    with pytest.raises(PathwayError, match="contains itself"):
        evaluate(loop, [], pathways={"p": loop})


def test_n_larger_than_the_items_and_unknown_nesting_are_named() -> None:
    rule = NOf(n=3, items=[Component(specification_id="a"), NestedPathway(pathway_id="nope")])
    assert check_pathway(pathway(rule), {}) == [
        "requirement: n is 3 but there are only 2 items",
        "requirement.1: no pathway has the id nope",
    ]
