"""Recognition: how far an external credential covers one of our modules, and what to propose.

Pure comparison. Workload (ECTS), EQF level, field (ISCED-F) and learning outcomes are set
side by side; each target outcome is covered by an external outcome that shares an ESCO skill
with it or reads alike (the similarity scores come from outside, see
``services.text_similarity``). The proposal is full, partial or no recognition with the
reasons; a recognition officer decides, never this module.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from microcred.domain.specification import Specification, localise
from microcred.domain.vocabularies.normalise import eqf_number

ISCED_F = "http://data.europa.eu/snb/isced-f/"
FULL_COVERAGE = 0.8  # share of target outcomes covered for full recognition
SOME_COVERAGE = 0.3  # below this, nothing to recognise


class Proposal(StrEnum):
    full = "full"
    partial = "partial"
    none = "none"


class Fit(StrEnum):
    meets = "meets"
    short = "short"
    unknown = "unknown"


class ExternalLearning(BaseModel):
    """What an external credential says about the learning it records."""

    model_config = ConfigDict(frozen=True)

    credential_id: str
    title: str = ""
    issuer: str = ""
    issuer_name: str = ""
    ects: float | None = None
    eqf: int | None = None
    isced_f: list[str] = Field(default_factory=list)
    outcomes: list[str] = Field(default_factory=list)
    esco_skills: list[str] = Field(default_factory=list)


class TargetModule(BaseModel):
    """One of our modules, as the comparison needs it (see `target_module`)."""

    model_config = ConfigDict(frozen=True)

    specification_id: str
    version: int
    title: str
    ects: float | None = None
    eqf: int | None = None
    isced_f: list[str] = Field(default_factory=list)
    outcomes: list[str] = Field(default_factory=list)
    outcome_skills: list[list[str]] = Field(default_factory=list)  # per outcome


class Criterion(BaseModel):
    name: str  # "ects", "eqf", "field"
    fit: Fit
    detail: str


class OutcomeMatch(BaseModel):
    """One target outcome and the external outcome closest to it."""

    target: str
    closest: str | None
    similarity: float
    shared_skills: list[str] = Field(default_factory=list)
    covered: bool


class RecognitionReport(BaseModel):
    """The comparison, the proposal and its reasons; the officer's decision is recorded apart."""

    proposal: Proposal
    proposed_ects: float
    reasons: list[str]
    criteria: list[Criterion]
    outcomes: list[OutcomeMatch]
    coverage: float  # share of target outcomes covered, 0..1
    closeness: float  # mean best similarity over target outcomes (ESCO overlap counts 1), 0..1
    method: str  # how outcome texts were compared


def target_module(
    spec_id: str, version: int, spec: Specification, lang: str = "en"
) -> TargetModule:
    """Return what recognition compares in one of our specifications."""
    return TargetModule(
        specification_id=spec_id,
        version=version,
        title=localise(spec.title, lang),
        ects=spec.workload.ects,
        eqf=eqf_number(spec.level.eqf) if spec.level.eqf else None,
        isced_f=list(spec.isced_f),
        outcomes=[localise(outcome.text, lang) for outcome in spec.learning_outcomes],
        outcome_skills=[list(outcome.esco_skills) for outcome in spec.learning_outcomes],
    )


def compare(
    external: ExternalLearning,
    target: TargetModule,
    similarity: Sequence[Sequence[float]],
    *,
    covered_at: float,
    method: str,
) -> RecognitionReport:
    """Return the recognition report of ``external`` against ``target``.

    ``similarity[i][j]`` is how alike target outcome i and external outcome j read (0..1);
    from ``covered_at`` on, a target outcome counts as covered.
    """
    outcomes = _outcome_matches(external, target, similarity, covered_at)
    coverage = sum(m.covered for m in outcomes) / len(outcomes) if outcomes else 0.0
    closeness = (
        sum(1.0 if m.shared_skills else m.similarity for m in outcomes) / len(outcomes)
        if outcomes
        else 0.0
    )
    criteria = [fit(external, target) for fit in (_ects_fit, _eqf_fit, _field_fit)]
    proposal, reasons = _propose(criteria, coverage, outcomes, target)
    return RecognitionReport(
        proposal=proposal,
        proposed_ects=_proposed_ects(proposal, external, target, coverage),
        reasons=reasons,
        criteria=criteria,
        outcomes=outcomes,
        coverage=round(coverage, 3),
        closeness=round(closeness, 3),
        method=method,
    )


def _outcome_matches(
    external: ExternalLearning,
    target: TargetModule,
    similarity: Sequence[Sequence[float]],
    covered_at: float,
) -> list[OutcomeMatch]:
    matches = []
    held_skills = set(external.esco_skills)
    for index, text in enumerate(target.outcomes):
        row = list(similarity[index]) if index < len(similarity) else []
        best = max(range(len(row)), key=row.__getitem__) if row else None
        score = row[best] if best is not None else 0.0
        skills = target.outcome_skills[index] if index < len(target.outcome_skills) else []
        shared = [skill for skill in skills if skill in held_skills]
        matches.append(
            OutcomeMatch(
                target=text,
                closest=external.outcomes[best] if best is not None else None,
                similarity=round(score, 3),
                shared_skills=shared,
                covered=bool(shared) or score >= covered_at,
            )
        )
    return matches


def _ects_fit(external: ExternalLearning, target: TargetModule) -> Criterion:
    if external.ects is None or target.ects is None:
        return Criterion(name="ects", fit=Fit.unknown, detail="the workload in ECTS is not stated")
    fit = Fit.meets if external.ects >= target.ects else Fit.short
    return Criterion(
        name="ects", fit=fit, detail=f"{external.ects:g} ECTS against {target.ects:g} ECTS"
    )


def _eqf_fit(external: ExternalLearning, target: TargetModule) -> Criterion:
    if external.eqf is None or target.eqf is None:
        return Criterion(name="eqf", fit=Fit.unknown, detail="the EQF level is not stated")
    fit = Fit.meets if external.eqf >= target.eqf else Fit.short
    return Criterion(name="eqf", fit=fit, detail=f"EQF {external.eqf} against EQF {target.eqf}")


def _field_fit(external: ExternalLearning, target: TargetModule) -> Criterion:
    theirs = {_broad(code) for code in external.isced_f}
    ours = {_broad(code) for code in target.isced_f}
    if not theirs or not ours:
        return Criterion(name="field", fit=Fit.unknown, detail="the ISCED-F field is not stated")
    shared = sorted(theirs & ours)
    if shared:
        return Criterion(name="field", fit=Fit.meets, detail=f"same broad field {shared[0]}")
    return Criterion(
        name="field",
        fit=Fit.short,
        detail=f"field {', '.join(sorted(theirs))} against {', '.join(sorted(ours))}",
    )


def _broad(code: str) -> str:
    """Return the ISCED-F broad field (two digits) of a code or its URI."""
    return code.removeprefix(ISCED_F).strip()[:2]


def _propose(
    criteria: list[Criterion],
    coverage: float,
    outcomes: list[OutcomeMatch],
    target: TargetModule,
) -> tuple[Proposal, list[str]]:
    reasons = []
    covered = sum(m.covered for m in outcomes)
    if outcomes:
        reasons.append(
            f"{covered} of {len(outcomes)} learning outcomes of «{target.title}» are covered"
        )
    else:
        reasons.append(f"«{target.title}» states no learning outcomes to compare")
    shortfalls = [c for c in criteria if c.fit == Fit.short]
    reasons += [f"{c.name}: {c.detail}" for c in criteria]
    if coverage < SOME_COVERAGE:
        return Proposal.none, reasons
    if coverage >= FULL_COVERAGE and not shortfalls:
        return Proposal.full, reasons
    return Proposal.partial, reasons


def _proposed_ects(
    proposal: Proposal, external: ExternalLearning, target: TargetModule, coverage: float
) -> float:
    if proposal == Proposal.none or target.ects is None:
        return 0.0
    if proposal == Proposal.full:
        return target.ects
    ceiling = min(target.ects, external.ects) if external.ects is not None else target.ects
    return round(ceiling * coverage * 2) / 2  # half credits
