"""Each programme judged against each definition, and the Annex I elements it lacks.

Definitions: the Council Recommendation (the Annex I mandatory elements a programme
description can show, and a small volume of learning), E-SLP, MICROBOL, and the institution's
own label. Elements 1 (identification of the learner) and 5 (date of issuing) belong to each
awarded credential, not to a programme, so a catalogue is not judged on them.

The Commission's consultation group (2021) definition is not classified: the reference this
project follows does not state it (only its examples of participation and assessment forms).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from microcred.domain.compliance import ComplianceReport, Outcome, Severity, check
from microcred.domain.compliance.predicates import ATTENDANCE, has_text
from microcred.domain.specification import Specification
from microcred.formats.catalogue.programmes import ImportedProgramme
from microcred.services.mapping.labels import calls_itself_micro_credential, label_family

EU, ESLP, MICROBOL, OWN_LABEL = "eu", "eslp", "microbol", "own_label"
DEFINITIONS: tuple[str, ...] = (EU, ESLP, MICROBOL, OWN_LABEL)

# The Recommendation's rules a programme description answers for (point 5(a) and Annex I).
EU_PROGRAMME_RULES = (
    "MC-M02", "MC-M03", "MC-M04", "MC-M06", "MC-M07", "MC-M08", "MC-M09", "MC-M10", "MC-M11",
    "MC-X02",
)  # fmt: skip

Present = Callable[[Specification], bool]

# Annex I elements and how to tell one is given, keyed by the rule id of the element.
ELEMENTS: dict[str, Present] = {
    "MC-M02": lambda s: has_text(s.title),
    "MC-M03": lambda s: bool(s.issuer_countries),
    "MC-M04": lambda s: bool(s.awarding_bodies),
    "MC-M06": lambda s: bool(s.learning_outcomes),
    "MC-M07": lambda s: s.workload.ects is not None or s.workload.hours is not None,
    "MC-M08": lambda s: bool(s.level.eqf or s.level.qf_ehea_cycle or s.level.nqf),
    "MC-M09": lambda s: bool(set(s.assessment.types) - {ATTENDANCE}),
    "MC-M10": lambda s: bool(s.participation.modes),
    "MC-M11": lambda s: bool(s.quality_assurance.types),
    "MC-O01": lambda s: has_text(s.prerequisites),
    "MC-O02": lambda s: s.supervision is not None,
    "MC-O03": lambda s: s.grading_scheme is not None,
    "MC-O04": lambda s: s.stackability.kind is not None,
    "MC-O05": lambda s: has_text(s.further_information) or bool(s.further_information_url),
}
MANDATORY_ELEMENTS = tuple(rule for rule in ELEMENTS if rule.startswith("MC-M"))


@dataclass(frozen=True)
class Classification:
    """One programme under every definition: met or not, and what is missing or unmet."""

    programme: ImportedProgramme
    meets: dict[str, bool]  # definition -> met
    unmet: dict[str, tuple[str, ...]]  # definition -> ids of the rules it fails
    missing: tuple[str, ...]  # Annex I elements not given (rule ids MC-M.., MC-O..)
    label_family: str

    @property
    def specification(self) -> Specification:
        return self.programme.specification

    @property
    def institution(self) -> str:
        return self.programme.provider.slug


def classify(
    programme: ImportedProgramme, *, eslp_min_eqf: int = 5, today: date | None = None
) -> Classification:
    """Return how ``programme`` fares under each definition."""
    spec = programme.specification
    report = check(
        spec,
        eslp_min_eqf=eslp_min_eqf,
        provider_is_hei=programme.provider.is_higher_education,
        today=today,
    )
    unmet = {
        EU: _failed(report, EU_PROGRAMME_RULES),
        ESLP: _failed_profile(report, ESLP),
        MICROBOL: _failed_profile(report, MICROBOL),
        OWN_LABEL: () if calls_itself_micro_credential(spec.local_label) else ("local_label",),
    }
    return Classification(
        programme=programme,
        meets={definition: not failed for definition, failed in unmet.items()},
        unmet=unmet,
        missing=tuple(rule for rule, present in ELEMENTS.items() if not present(spec)),
        label_family=label_family(spec.local_label),
    )


def _failed(report: ComplianceReport, rules: tuple[str, ...]) -> tuple[str, ...]:
    """Return the rules among ``rules`` with an error, or a failed small-volume check."""
    failed = []
    for result in report.results:
        if result.rule not in rules or result.outcome != Outcome.failed:
            continue
        # MC-X02 (60 ECTS or more) is a warning for a designer but excludes the definition.
        if result.rule == "MC-X02" or any(i.severity == Severity.error for i in result.issues):
            failed.append(result.rule)
    return tuple(failed)


def _failed_profile(report: ComplianceReport, profile: str) -> tuple[str, ...]:
    return tuple(
        result.rule
        for result in report.results
        if result.profile == profile
        and any(issue.severity == Severity.error for issue in result.issues)
    )


def classify_all(
    programmes: list[ImportedProgramme], *, eslp_min_eqf: int = 5, today: date | None = None
) -> list[Classification]:
    """Return the classification of every programme, in the order given."""
    return [classify(p, eslp_min_eqf=eslp_min_eqf, today=today) for p in programmes]
