"""MICROBOL-01..06: the Bologna-process framework for micro-credentials, a separate verdict."""

from __future__ import annotations

from microcred.domain.compliance.predicates import (
    ATTENDANCE,
    has_outcomes,
    has_text,
    level_number,
)
from microcred.domain.compliance.report import Severity
from microcred.domain.compliance.rule import Context, Finding, Rule
from microcred.domain.specification import Specification
from microcred.i18n import _


def ects(spec: Specification, context: Context) -> list[Finding]:
    if spec.workload.ects:
        return []
    return [Finding(_("MICROBOL expects the workload in ECTS credits."))]


def level(spec: Specification, context: Context) -> list[Finding]:
    if level_number(spec) is not None or spec.level.nqf:
        return []
    return [Finding(_("MICROBOL expects a QF-EHEA cycle, EQF or national framework level."))]


def outcomes(spec: Specification, context: Context) -> list[Finding]:
    if has_outcomes(spec):
        return []
    return [Finding(_("MICROBOL expects explicit learning outcomes."))]


def assessment(spec: Specification, context: Context) -> list[Finding]:
    findings: list[Finding] = []
    if not set(spec.assessment.types) - {ATTENDANCE}:
        findings.append(
            Finding(_("MICROBOL expects the outcomes to be assessed."), "assessment.types")
        )
    if not has_text(spec.assessment.criteria):
        findings.append(
            Finding(_("MICROBOL expects published assessment criteria."), "assessment.criteria")
        )
    return findings


def quality_under_esg(spec: Specification, context: Context) -> list[Finding]:
    qa = spec.quality_assurance
    if qa.internal and qa.esg_compliant:
        return []
    return [
        Finding(
            _(
                "MICROBOL expects internal quality assurance following the Standards and"
                " Guidelines for Quality Assurance in the EHEA (ESG)."
            ),
            element="quality_assurance.esg_compliant",
        )
    ]


def recognition(spec: Specification, context: Context) -> list[Finding]:
    if has_text(spec.recognition):
        return []
    return [
        Finding(
            _(
                "MICROBOL expects recognition information (Lisbon Recognition Convention or"
                " recognition of prior learning)."
            )
        )
    ]


SOURCE = "MICROBOL common framework for micro-credentials in the EHEA (2022)"

# fmt: off
MICROBOL = [
    Rule("MICROBOL-01", "Workload in ECTS", Severity.error, "workload.ects", SOURCE,
         "microbol", ects),
    Rule("MICROBOL-02", "QF-EHEA / EQF level", Severity.error, "level", SOURCE, "microbol",
         level),
    Rule("MICROBOL-03", "Explicit learning outcomes", Severity.error, "learning_outcomes",
         SOURCE, "microbol", outcomes),
    Rule("MICROBOL-04", "Assessment and criteria", Severity.error, "assessment", SOURCE,
         "microbol", assessment),
    Rule("MICROBOL-05", "Quality assurance under the ESG", Severity.error,
         "quality_assurance", SOURCE, "microbol", quality_under_esg),
    Rule("MICROBOL-06", "Recognition information", Severity.error, "recognition", SOURCE,
         "microbol", recognition),
]
# fmt: on
