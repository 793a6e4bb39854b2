"""MC-O01..O05: the optional Annex I elements are well formed when they are given."""

from __future__ import annotations

from microcred.domain.compliance.predicates import has_text, is_identifier, is_url
from microcred.domain.compliance.report import Severity
from microcred.domain.compliance.rule import Context, Finding, Rule
from microcred.domain.specification import Specification, StackabilityKind
from microcred.i18n import _


def _blank_texts(element: str, language_map: dict[str, str]) -> list[Finding]:
    message = _("The {lang} text is empty; write it or remove the language.")
    return [
        Finding(message.format(lang=lang), element=f"{element}.{lang}")
        for lang, text in language_map.items()
        if not text.strip()
    ]


def prerequisites(spec: Specification, context: Context) -> list[Finding] | None:
    if not spec.prerequisites:
        return None
    return _blank_texts("prerequisites", spec.prerequisites)


def supervision(spec: Specification, context: Context) -> list[Finding] | None:
    # The value is one of the four Annex I options once the Specification exists.
    return None if spec.supervision is None else []


def grading_scheme(spec: Specification, context: Context) -> list[Finding] | None:
    scheme = spec.grading_scheme
    if scheme is None:
        return None
    findings: list[Finding] = []
    if not (has_text(scheme.title) or has_text(scheme.description) or scheme.grades):
        findings.append(Finding(_("Describe the grading scheme or list its grades.")))
    unknown = [
        grade for grade in scheme.pass_grades if scheme.grades and grade not in scheme.grades
    ]
    if unknown:
        message = _("Pass grades {grades} are not among the grades of the scheme.")
        findings.append(
            Finding(message.format(grades=", ".join(unknown)), "grading_scheme.pass_grades")
        )
    return findings


def stackability(spec: Specification, context: Context) -> list[Finding] | None:
    stack = spec.stackability
    if stack.kind is None and not stack.targets:
        return None
    findings: list[Finding] = []
    if stack.kind is None:
        findings.append(
            Finding(
                _("Say whether it is stand-alone or integrated and stackable."),
                "stackability.kind",
            )
        )
    if stack.kind == StackabilityKind.integrated_stackable and not stack.targets:
        findings.append(
            Finding(_("Name the larger credential(s) it stacks toward."), "stackability.targets")
        )
    ects = spec.workload.ects
    for index, target in enumerate(stack.targets):
        element = f"stackability.targets[{index}]"
        if not (has_text(target.title) or target.id):
            findings.append(
                Finding(_("Give the target credential a title or identifier."), element)
            )
        if target.id and not is_identifier(target.id):
            message = _("The identifier '{id}' is not a URL, URN or DID.").format(id=target.id)
            findings.append(Finding(message, f"{element}.id"))
        if (
            ects is not None
            and target.ects_recognised is not None
            and target.ects_recognised > ects
        ):
            message = _(
                "{recognised} ECTS recognised toward the target is more than the {ects} ECTS"
                " of this micro-credential."
            ).format(recognised=target.ects_recognised, ects=ects)
            findings.append(Finding(message, f"{element}.ects_recognised"))
    return findings


def further_information(spec: Specification, context: Context) -> list[Finding] | None:
    url = spec.further_information_url
    if not spec.further_information and url is None:
        return None
    findings = _blank_texts("further_information", spec.further_information)
    if url is not None and not is_url(url):
        message = _("'{url}' is not an http(s) URL.").format(url=url)
        findings.append(Finding(message, "further_information_url"))
    return findings


def _optional(number: int) -> str:
    return f"Annex I, optional element {number}"


# fmt: off
OPTIONAL = [
    Rule("MC-O01", "Prerequisites needed to enrol", Severity.error, "prerequisites",
         _optional(1), "eu", prerequisites),
    Rule("MC-O02", "Supervision and identity verification", Severity.error, "supervision",
         _optional(2), "eu", supervision),
    Rule("MC-O03", "Grading scheme", Severity.error, "grading_scheme",
         _optional(3), "eu", grading_scheme),
    Rule("MC-O04", "Integration and stackability options", Severity.error, "stackability",
         _optional(4), "eu", stackability),
    Rule("MC-O05", "Further information", Severity.error, "further_information",
         _optional(5), "eu", further_information),
]
# fmt: on
