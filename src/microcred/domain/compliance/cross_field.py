"""MC-X01..X05: checks across fields and of codes outside the Annex I list."""

from __future__ import annotations

from microcred.domain.compliance.predicates import vocabulary_findings
from microcred.domain.compliance.report import Severity
from microcred.domain.compliance.rule import Context, Finding, Rule
from microcred.domain.specification import Specification
from microcred.domain.vocabularies import is_esco_skill_uri, is_language_code
from microcred.domain.vocabularies.esco import ESCO_EXAMPLE, ESCO_SKILL
from microcred.i18n import _

# 1 ECTS is 25-30 hours of learning (ECTS Users' Guide); 10 % either side is tolerated.
HOURS_PER_ECTS = (25 * 0.9, 30 * 1.1)
FULL_YEAR_ECTS = 60
FULL_YEAR_HOURS = 1500


def hours_per_ects(spec: Specification, context: Context) -> list[Finding] | None:
    ects, hours = spec.workload.ects, spec.workload.hours
    if not ects or not hours:
        return None
    ratio = hours / ects
    low, high = HOURS_PER_ECTS
    if low <= ratio <= high:
        return []
    message = _(
        "{hours:g} hours for {ects:g} ECTS is {ratio:.1f} hours per credit; 1 ECTS is 25-30"
        " hours, so {ects:g} ECTS means about {low:g}-{high:g} hours."
    ).format(hours=hours, ects=ects, ratio=ratio, low=25 * ects, high=30 * ects)
    return [Finding(message)]


def small_volume(spec: Specification, context: Context) -> list[Finding]:
    ects, hours = spec.workload.ects, spec.workload.hours
    too_big = (ects is not None and ects >= FULL_YEAR_ECTS) or (
        ects is None and hours is not None and hours >= FULL_YEAR_HOURS
    )
    if not too_big:
        return []
    # A warning, not an error: the Recommendation sets no upper limit in credits.
    return [
        Finding(
            _(
                "{amount} is a full year of study or more, hardly the 'small volume of"
                " learning' of the EU definition; the Recommendation sets no upper limit, but"
                " consider splitting it into stackable micro-credentials."
            ).format(amount=f"{ects:g} ECTS" if ects is not None else f"{hours:g} hours")
        )
    ]


def language_codes(spec: Specification, context: Context) -> list[Finding]:
    findings = [
        Finding(
            _("'{code}' is not an ISO 639-1 language code; use e.g. 'en' or 'de'.").format(
                code=code
            ),
            element=f"languages_of_instruction[{index}]",
        )
        for index, code in enumerate(spec.languages_of_instruction)
        if not is_language_code(code)
    ]
    for element, language_map in _language_maps(spec):
        for tag in language_map:
            if not is_language_code(tag.split("-")[0].lower()):
                message = _(
                    "'{tag}' is not a language; key texts by ISO 639-1 codes such as 'en'."
                ).format(tag=tag)
                findings.append(Finding(message, element=f"{element}.{tag}"))
    return findings


def _language_maps(spec: Specification) -> list[tuple[str, dict[str, str]]]:
    """Return (element, language map) for every multilingual text of the Specification."""
    maps = [
        (name, getattr(spec, name))
        for name in (
            "title",
            "description",
            "prerequisites",
            "further_information",
            "relevance",
            "recognition",
        )
    ]
    maps += [
        (f"learning_outcomes[{index}].text", outcome.text)
        for index, outcome in enumerate(spec.learning_outcomes)
    ]
    maps += [
        (f"awarding_bodies[{index}].name", body.name)
        for index, body in enumerate(spec.awarding_bodies)
    ]
    maps += [
        ("assessment.description", spec.assessment.description),
        ("assessment.criteria", spec.assessment.criteria),
        ("participation.description", spec.participation.description),
        ("quality_assurance.description", spec.quality_assurance.description),
    ]
    return maps


def isced_codes(spec: Specification, context: Context) -> list[Finding] | None:
    if not spec.isced_f:
        return None
    return vocabulary_findings("isced_f", spec.isced_f, "isced-f")


def esco_skills(spec: Specification, context: Context) -> list[Finding] | None:
    skills = [
        (f"learning_outcomes[{index}].esco_skills[{position}]", uri)
        for index, outcome in enumerate(spec.learning_outcomes)
        for position, uri in enumerate(outcome.esco_skills)
    ]
    if not skills:
        return None
    message = _("'{uri}' is not an ESCO skill URI; use {form}{{uuid}}, e.g. {example}.")
    return [
        Finding(message.format(uri=uri, form=ESCO_SKILL, example=ESCO_EXAMPLE), element=element)
        for element, uri in skills
        if not is_esco_skill_uri(uri)
    ]


# fmt: off
CROSS_FIELD = [
    Rule("MC-X01", "Hours per ECTS credit within 25-30 (±10 %)", Severity.warning, "workload",
         "ECTS Users' Guide 2015; Annex I, mandatory element 7", "eu", hours_per_ects),
    Rule("MC-X02", "A small volume of learning (under 60 ECTS)", Severity.warning, "workload",
         "Council Recommendation, point 5(a)", "eu", small_volume),
    Rule("MC-X03", "Language codes (ISO 639-1)", Severity.error, "languages_of_instruction",
         "Annex II, principle 2 (transparency)", "eu", language_codes),
    Rule("MC-X04", "ISCED-F 2013 field codes", Severity.error, "isced_f",
         "Annex II, principle 2 (transparency); ISCED-F 2013", "eu", isced_codes),
    Rule("MC-X05", "ESCO skill URIs", Severity.error, "learning_outcomes.esco_skills",
         "Annex I, mandatory element 6; ESCO v1.2", "eu", esco_skills),
]
# fmt: on
