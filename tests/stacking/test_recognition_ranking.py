"""Recognition ranks a close pair of outcomes above a distant one, with the sentence-embedding
model and with the lexical fallback; the proposal follows, with its reasons."""

from __future__ import annotations

import pytest

from microcred.domain.recognition import (
    ExternalLearning,
    Fit,
    Proposal,
    RecognitionReport,
    TargetModule,
    compare,
)
from microcred.services.text_similarity import (
    LexicalSimilarity,
    TextSimilarity,
    model_installed,
    text_similarity,
)

TARGET = TargetModule(
    specification_id="0b0c1a39-1b8e-4c7a-9b7e-2f0f5a6f4c11",
    version=1,
    title="Statistics for data analysis",
    ects=5,
    eqf=6,
    isced_f=["http://data.europa.eu/snb/isced-f/0542"],
    outcomes=[
        "Analyse datasets with statistical methods and interpret the results",
        "Visualise data with charts that show distributions and trends",
    ],
    outcome_skills=[[], []],
)
CLOSE = [
    "Apply statistical methods to analyse data sets and interpret findings",
    "Create charts that visualise the distribution of data and its trends over time",
]
DISTANT = [
    "Prune fruit trees and plan the planting of an orchard",
    "Recognise common pests of apple trees and choose an organic treatment",
]


def external(outcomes: list[str], **changes: object) -> ExternalLearning:
    base = ExternalLearning(
        credential_id="urn:uuid:9c1a0e4e-51f4-4d7c-8f51-6b0a3f0f2a10",
        ects=5,
        eqf=6,
        isced_f=["http://data.europa.eu/snb/isced-f/0541"],
        outcomes=outcomes,
    )
    return base.model_copy(update=changes)


@pytest.fixture(scope="module", params=["model", "lexical"])
def similarity(request: pytest.FixtureRequest) -> TextSimilarity:
    if request.param == "model":
        assert model_installed(), "install the recognition extra: pip install -e '.[recognition]'"
        return text_similarity("model")
    return LexicalSimilarity()


def report_for(
    similarity: TextSimilarity, outcomes: list[str], **changes: object
) -> RecognitionReport:
    learning = external(outcomes, **changes)
    scores = similarity.matrix(TARGET.outcomes, learning.outcomes)
    return compare(
        learning, TARGET, scores, covered_at=similarity.covered_at, method=similarity.name
    )


def test_close_outcomes_rank_above_distant_ones(similarity: TextSimilarity) -> None:
    close = report_for(similarity, CLOSE)
    distant = report_for(similarity, DISTANT)
    assert close.closeness > distant.closeness + 0.2
    for match in close.outcomes:
        assert match.covered, f"{match.target!r} not covered by {match.closest!r}"
    assert not any(match.covered for match in distant.outcomes)


def test_close_outcomes_with_enough_credit_propose_full_recognition(
    similarity: TextSimilarity,
) -> None:
    report = report_for(similarity, CLOSE)
    assert report.proposal == Proposal.full
    assert report.proposed_ects == 5
    assert (
        report.reasons[0]
        == "2 of 2 learning outcomes of «Statistics for data analysis» are covered"
    )


def test_distant_outcomes_propose_no_recognition(similarity: TextSimilarity) -> None:
    report = report_for(similarity, DISTANT)
    assert report.proposal == Proposal.none
    assert report.proposed_ects == 0


def test_close_outcomes_but_fewer_ects_and_lower_level_propose_partial(
    similarity: TextSimilarity,
) -> None:
    report = report_for(similarity, CLOSE, ects=3, eqf=5)
    assert report.proposal == Proposal.partial
    assert report.proposed_ects == 3
    fits = {criterion.name: criterion.fit for criterion in report.criteria}
    assert fits == {"ects": Fit.short, "eqf": Fit.short, "field": Fit.meets}
    assert "eqf: EQF 5 against EQF 6" in report.reasons


def test_a_shared_esco_skill_covers_an_outcome_whatever_the_wording() -> None:
    skill = "http://data.europa.eu/esco/skill/50cf1d1b-5d0a-4e55-b7c1-0d1bbfae6ab2"
    target = TARGET.model_copy(update={"outcome_skills": [[skill], []]})
    learning = external(DISTANT, esco_skills=[skill])
    lexical = LexicalSimilarity()
    report = compare(
        learning,
        target,
        lexical.matrix(target.outcomes, learning.outcomes),
        covered_at=lexical.covered_at,
        method=lexical.name,
    )
    assert report.outcomes[0].covered and report.outcomes[0].shared_skills == [skill]
    assert not report.outcomes[1].covered
    assert report.coverage == 0.5


def test_lexical_similarity_is_symmetric_and_one_for_the_same_text() -> None:
    lexical = LexicalSimilarity()
    text = "Analyse datasets with statistical methods"
    forward = lexical.matrix([text], [CLOSE[0]])[0][0]
    backward = lexical.matrix([CLOSE[0]], [text])[0][0]
    assert forward == pytest.approx(backward)
    assert lexical.matrix([text], [text])[0][0] == pytest.approx(1.0)
