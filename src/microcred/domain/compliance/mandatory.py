"""MC-M01..M11: each mandatory Annex I element is present and well formed."""

from __future__ import annotations

import re

from microcred.domain.compliance.outcome_wording import wording_findings
from microcred.domain.compliance.predicates import (
    ATTENDANCE,
    concept_findings,
    has_text,
    is_identifier,
    is_url,
    vocabulary_findings,
)
from microcred.domain.compliance.report import Severity
from microcred.domain.compliance.rule import Context, Finding, Rule
from microcred.domain.specification import LearnerIdentifier, Specification
from microcred.domain.vocabularies import (
    QF_EHEA_CYCLE_TO_EQF,
    eqf_number,
    eu_country_code,
    get_vocabulary,
)
from microcred.i18n import _

_NUTS = re.compile(r"^[A-Z]{2}[A-Z0-9]{0,3}$")
TITLE_MAX = 250


def learner_identification(spec: Specification, context: Context) -> list[Finding]:
    required = set(spec.learner_identification.required)
    identifiers = required - {LearnerIdentifier.full_name}
    if LearnerIdentifier.full_name in required and identifiers:
        return []
    return [
        Finding(
            _(
                "Declare how the learner is identified: the full name plus at least one"
                " identifier (e-mail, institutional ID, DID, date of birth or national ID)."
            ),
            element="learner_identification.required",
        )
    ]


def title(spec: Specification, context: Context) -> list[Finding]:
    if not has_text(spec.title):
        example = _(
            "Give the micro-credential a title in at least one language, e.g. “Data literacy”."
        )
        return [Finding(example)]
    return [
        Finding(
            _("The {lang} title has {count} characters; keep it under {limit}.").format(
                lang=lang, count=len(text), limit=TITLE_MAX
            ),
            element=f"title.{lang}",
        )
        for lang, text in spec.title.items()
        if len(text) > TITLE_MAX
    ]


def issuer_country(spec: Specification, context: Context) -> list[Finding]:
    if not spec.issuer_countries:
        return [
            Finding(
                _(
                    "Name the country of the issuer, e.g. 'DE' or"
                    " http://publications.europa.eu/resource/authority/country/DEU."
                )
            )
        ]
    findings = vocabulary_findings("issuer_countries", spec.issuer_countries, "country")
    codes = {eu_country_code(uri) for uri in spec.issuer_countries}
    for index, region in enumerate(spec.nuts_regions):
        element = f"nuts_regions[{index}]"
        if not _NUTS.match(region):
            message = _("'{region}' is not a NUTS code; use e.g. 'DE721' (Gießen).")
            findings.append(Finding(message.format(region=region), element=element))
        elif region[:2] not in codes:
            message = _(
                "NUTS region '{region}' lies outside the issuer countries; add its country or"
                " correct the region."
            )
            findings.append(Finding(message.format(region=region), element=element))
    return findings


def awarding_bodies(spec: Specification, context: Context) -> list[Finding]:
    if not spec.awarding_bodies:
        return [Finding(_("Name at least one awarding body (several for a joint award)."))]
    findings: list[Finding] = []
    for index, body in enumerate(spec.awarding_bodies):
        element = f"awarding_bodies[{index}]"
        if not has_text(body.name):
            findings.append(Finding(_("Give the awarding body a name."), f"{element}.name"))
        if body.id and not is_identifier(body.id):
            message = _("The identifier '{id}' is not a URL, URN or DID.").format(id=body.id)
            findings.append(Finding(message, f"{element}.id"))
        if body.homepage and not is_url(body.homepage):
            message = _("The homepage '{url}' is not an http(s) URL.").format(url=body.homepage)
            findings.append(Finding(message, f"{element}.homepage"))
        findings += concept_findings(f"{element}.country", body.country, "country")
    return findings


def date_of_issuing(spec: Specification, context: Context) -> list[Finding]:
    return [
        Finding(
            _("The date of issuing is set on each award when the credential is issued."),
            severity=Severity.info,
        )
    ]


def learning_outcomes(spec: Specification, context: Context) -> list[Finding]:
    if not spec.learning_outcomes:
        return [
            Finding(
                _(
                    "State the learning outcomes: what the learner can do afterwards, e.g."
                    " 'Analyse administrative data with descriptive statistics'."
                )
            )
        ]
    findings = [
        Finding(_("This learning outcome has no text."), f"learning_outcomes[{index}].text")
        for index, outcome in enumerate(spec.learning_outcomes)
        if not has_text(outcome.text)
    ]
    return findings + wording_findings(spec.learning_outcomes)


def workload(spec: Specification, context: Context) -> list[Finding]:
    ects, hours = spec.workload.ects, spec.workload.hours
    if ects is None and hours is None:
        return [Finding(_("State the notional workload in ECTS credits (and hours)."))]
    findings: list[Finding] = []
    if ects is None:
        findings.append(
            Finding(
                _("State the workload in ECTS credits wherever possible, not only in hours."),
                element="workload.ects",
                severity=Severity.warning,
            )
        )
    for name, value in (("ects", ects), ("hours", hours)):
        if value == 0:
            message = _("The workload in {name} is 0; a micro-credential needs some learning.")
            findings.append(Finding(message.format(name=name), element=f"workload.{name}"))
    return findings


def level(spec: Specification, context: Context) -> list[Finding]:
    eqf, cycle = spec.level.eqf, spec.level.qf_ehea_cycle
    if eqf is None and cycle is None:
        return [
            Finding(
                _("No level given; state the EQF level (and QF-EHEA cycle) if applicable."),
                element="level.eqf",
                severity=Severity.warning,
            )
        ]
    if eqf is not None and eqf not in get_vocabulary("eqf"):
        return concept_findings("level.eqf", eqf, "eqf")
    if eqf is not None and cycle is not None and eqf_number(eqf) != QF_EHEA_CYCLE_TO_EQF[cycle]:
        message = _(
            "The QF-EHEA {cycle} cycle corresponds to EQF level {expected}, but EQF level"
            " {given} is given; correct one of them."
        ).format(cycle=cycle.value, expected=QF_EHEA_CYCLE_TO_EQF[cycle], given=eqf_number(eqf))
        return [Finding(message, element="level.qf_ehea_cycle")]
    return []


def assessment(spec: Specification, context: Context) -> list[Finding]:
    types = spec.assessment.types
    if not types:
        return [
            Finding(
                _(
                    "State the type of assessment, e.g."
                    " http://data.europa.eu/snb/assessment/6e6cb2cc78 (written examination)."
                )
            )
        ]
    if set(types) == {ATTENDANCE}:
        return [
            Finding(
                _(
                    "Attendance alone is not an assessment of learning outcomes; add how the"
                    " outcomes are assessed (examination, project work, portfolio, ...)."
                )
            )
        ]
    return vocabulary_findings("assessment.types", types, "assessment")


def participation(spec: Specification, context: Context) -> list[Finding]:
    form = spec.participation
    if not form.modes:
        return [
            Finding(
                _(
                    "State the form of participation, e.g."
                    " http://data.europa.eu/snb/learning-assessment/920fbb3cbe (Online)."
                )
            )
        ]
    findings = vocabulary_findings("participation.modes", form.modes, "learning-mode")
    findings += concept_findings(
        "participation.learning_setting", form.learning_setting, "learning-setting"
    )
    return findings + concept_findings("participation.schedule", form.schedule, "learning-schedule")


def quality_assurance(spec: Specification, context: Context) -> list[Finding]:
    types = spec.quality_assurance.types
    if not types:
        return [
            Finding(
                _(
                    "State the type of quality assurance, e.g."
                    " http://data.europa.eu/snb/accreditation/bb4618238e"
                    " (Institutional Quality Assurance)."
                )
            )
        ]
    return vocabulary_findings("quality_assurance.types", types, "accreditation")


def _annex_i(number: int) -> str:
    return f"Annex I, mandatory element {number}"


# fmt: off
MANDATORY = [
    Rule("MC-M01", "Identification of the learner", Severity.error, "learner_identification",
         _annex_i(1), "eu", learner_identification),
    Rule("MC-M02", "Title of the micro-credential", Severity.error, "title",
         _annex_i(2), "eu", title),
    Rule("MC-M03", "Country/region of the issuer", Severity.error, "issuer_countries",
         _annex_i(3), "eu", issuer_country),
    Rule("MC-M04", "Awarding body", Severity.error, "awarding_bodies",
         _annex_i(4), "eu", awarding_bodies),
    Rule("MC-M05", "Date of issuing", Severity.info, "date_of_issuing",
         _annex_i(5), "eu", date_of_issuing),
    Rule("MC-M06", "Learning outcomes", Severity.error, "learning_outcomes",
         _annex_i(6), "eu", learning_outcomes),
    Rule("MC-M07", "Notional workload (ECTS)", Severity.error, "workload",
         _annex_i(7), "eu", workload),
    Rule("MC-M08", "Level (EQF, QF-EHEA cycle), if applicable", Severity.error, "level",
         _annex_i(8), "eu", level),
    Rule("MC-M09", "Type of assessment", Severity.error, "assessment.types",
         _annex_i(9), "eu", assessment),
    Rule("MC-M10", "Form of participation", Severity.error, "participation.modes",
         _annex_i(10), "eu", participation),
    Rule("MC-M11", "Type of quality assurance", Severity.error, "quality_assurance.types",
         _annex_i(11), "eu", quality_assurance),
]
# fmt: on
