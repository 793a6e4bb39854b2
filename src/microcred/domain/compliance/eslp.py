"""ESLP-01..10: the EADTU European Short Learning Programme profile, a separate verdict."""

from __future__ import annotations

from microcred.domain.compliance.predicates import (
    has_outcomes,
    level_number,
    missing_supplement_fields,
    require,
)
from microcred.domain.compliance.report import Severity
from microcred.domain.compliance.rule import Context, Finding, Rule
from microcred.domain.specification import Specification, StackabilityKind, Supervision
from microcred.i18n import _

ECTS_RANGE = (5, 30)
SNB = "http://data.europa.eu/snb"
ONLINE_OR_BLENDED = {
    f"{SNB}/learning-assessment/920fbb3cbe",  # Online
    f"{SNB}/learning-assessment/e92d221e4d",  # Blended
    f"{SNB}/learning-assessment/c_3a90b26d",  # Hybrid
}
# Assessment types that make an examination of the outcomes (not attendance, quizzes, peers).
EXAMS = {
    f"{SNB}/assessment/6e6cb2cc78",  # written examination
    f"{SNB}/assessment/d30284d7df",  # oral examination
    f"{SNB}/assessment/6a4db9f11d",  # practical assessment
    f"{SNB}/assessment/2939dae15f",  # marked assignment
    f"{SNB}/assessment/795dac4096",  # project work
    f"{SNB}/assessment/4f03b91c0e",  # portfolio
    f"{SNB}/assessment/de4d165a6c",  # artefact assessment
}


def credits(spec: Specification, context: Context) -> list[Finding]:
    ects = spec.workload.ects
    low, high = ECTS_RANGE
    if ects is not None and low <= ects <= high:
        return []
    given = _("none given") if ects is None else f"{ects:g}"
    message = _("An E-SLP has 5-30 ECTS credits ({given}).").format(given=given)
    return [Finding(message)]


def level(spec: Specification, context: Context) -> list[Finding]:
    number = level_number(spec)
    if number is not None and context.eslp_min_eqf <= number <= 8:
        return []
    given = _("none given") if number is None else str(number)
    message = _("An E-SLP is at EQF level {low}-8 ({given}).").format(
        low=context.eslp_min_eqf, given=given
    )
    return [Finding(message)]


def higher_education_provider(spec: Specification, context: Context) -> list[Finding]:
    is_hei = context.provider_is_hei
    if is_hei is None:
        is_hei = any(body.is_higher_education for body in spec.awarding_bodies)
    return require(is_hei, _("An E-SLP is offered by a higher-education institution."))


def online_or_blended(spec: Specification, context: Context) -> list[Finding]:
    return require(
        bool(ONLINE_OR_BLENDED & set(spec.participation.modes)),
        _("An E-SLP is taught online or blended."),
    )


def stackable(spec: Specification, context: Context) -> list[Finding]:
    stack = spec.stackability
    return require(
        stack.kind == StackabilityKind.integrated_stackable and bool(stack.targets),
        _("An E-SLP stacks toward a larger programme (a degree); name the target."),
    )


def internal_quality(spec: Specification, context: Context) -> list[Finding]:
    return require(
        spec.quality_assurance.internal is True,
        _("An E-SLP is under the institution's internal quality assurance."),
    )


def outcomes(spec: Specification, context: Context) -> list[Finding]:
    return require(has_outcomes(spec), _("An E-SLP states its learning outcomes."))


def exam(spec: Specification, context: Context) -> list[Finding]:
    return require(
        bool(EXAMS & set(spec.assessment.types)),
        _(
            "An E-SLP leads to an examination: add a written, oral or practical"
            " examination, marked assignment, project work, portfolio or artefact."
        ),
    )


def supplement(spec: Specification, context: Context) -> list[Finding]:
    missing = missing_supplement_fields(spec)
    if spec.grading_scheme is None:
        missing.append("grading_scheme")
    if not missing:
        return []
    message = _("The credential supplement needs {missing}.")
    return [Finding(message.format(missing=", ".join(missing)), element=missing[0])]


def exam_without_travel(spec: Specification, context: Context) -> list[Finding]:
    if spec.supervision is None:
        message = _("Say how the exam is supervised; an E-SLP exam needs no travel.")
        return [Finding(message)]
    if spec.supervision == Supervision.supervised_onsite_with_id_verification:
        message = _("The exam is supervised on site; an E-SLP exam can be taken without travel.")
        return [Finding(message)]
    return []


def _criterion(text: str) -> str:
    return f"E-SLP (EADTU): {text}"


# fmt: off
ESLP = [
    Rule("ESLP-01", "5-30 ECTS", Severity.error, "workload.ects",
         _criterion("5-30 ECTS"), "eslp", credits),
    Rule("ESLP-02", "EQF level within the E-SLP range", Severity.error, "level.eqf",
         _criterion("EQF 5-8, lower bound configurable"), "eslp", level),
    Rule("ESLP-03", "Offered by a higher-education institution", Severity.error,
         "awarding_bodies", _criterion("offered by an HEI"), "eslp", higher_education_provider),
    Rule("ESLP-04", "Online or blended", Severity.error, "participation.modes",
         _criterion("online or blended delivery"), "eslp", online_or_blended),
    Rule("ESLP-05", "Stackable toward a larger programme", Severity.error, "stackability",
         _criterion("stackable toward a degree"), "eslp", stackable),
    Rule("ESLP-06", "Under internal quality assurance", Severity.error,
         "quality_assurance.internal", _criterion("the HEI's internal QA"), "eslp",
         internal_quality),
    Rule("ESLP-07", "Learning outcomes stated", Severity.error, "learning_outcomes",
         _criterion("credit-based, outcome-oriented"), "eslp", outcomes),
    Rule("ESLP-08", "Leads to an examination", Severity.error, "assessment.types",
         _criterion("leads to an exam"), "eslp", exam),
    Rule("ESLP-09", "Credential supplement complete", Severity.error, "title",
         _criterion("a credential with a supplement"), "eslp", supplement),
    Rule("ESLP-10", "Exam without travel", Severity.warning, "supervision",
         _criterion("exams without travel"), "eslp", exam_without_travel),
]
# fmt: on
