"""MICROBOL-01..06: the Bologna-process framework for micro-credentials, a separate verdict."""

from __future__ import annotations

from microcred.domain.compliance.predicates import (
    ATTENDANCE,
    has_outcomes,
    has_text,
    level_number,
    require,
)
from microcred.domain.compliance.report import Severity
from microcred.domain.compliance.rule import Context, Finding, Rule
from microcred.domain.specification import Specification
from microcred.i18n import _


def ects(spec: Specification, context: Context) -> list[Finding]:
    message = _("MICROBOL expects the workload in ECTS credits.")
    return require(bool(spec.workload.ects), message)


def level(spec: Specification, context: Context) -> list[Finding]:
    message = _("MICROBOL expects a QF-EHEA cycle, EQF or national framework level.")
    return require(level_number(spec) is not None or bool(spec.level.nqf), message)


def outcomes(spec: Specification, context: Context) -> list[Finding]:
    return require(has_outcomes(spec), _("MICROBOL expects explicit learning outcomes."))


def assessment(spec: Specification, context: Context) -> list[Finding]:
    assessed = bool(set(spec.assessment.types) - {ATTENDANCE})
    return require(
        assessed, _("MICROBOL expects the outcomes to be assessed."), "assessment.types"
    ) + require(
        has_text(spec.assessment.criteria),
        _("MICROBOL expects published assessment criteria."),
        "assessment.criteria",
    )


def quality_under_esg(spec: Specification, context: Context) -> list[Finding]:
    qa = spec.quality_assurance
    message = _(
        "MICROBOL expects internal quality assurance following the Standards and Guidelines"
        " for Quality Assurance in the EHEA (ESG)."
    )
    return require(
        bool(qa.internal and qa.esg_compliant), message, "quality_assurance.esg_compliant"
    )


def recognition(spec: Specification, context: Context) -> list[Finding]:
    message = _(
        "MICROBOL expects recognition information (Lisbon Recognition Convention or"
        " recognition of prior learning)."
    )
    return require(has_text(spec.recognition), message)


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
