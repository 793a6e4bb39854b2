"""MC-P01..P08: the Annex II principles that can be checked from the data of a Specification."""

from __future__ import annotations

from microcred.domain.compliance.predicates import (
    has_outcomes,
    has_text,
    is_email,
    is_url,
    require,
    vocabulary_findings,
)
from microcred.domain.compliance.report import Severity
from microcred.domain.compliance.rule import Context, Finding, Rule
from microcred.domain.specification import Specification
from microcred.i18n import _


def _url_findings(element: str, value: str | None) -> list[Finding]:
    if value is None or is_url(value):
        return []
    message = _("'{url}' is not an http(s) URL.").format(url=value)
    return [Finding(message, element=element, severity=Severity.error)]


def quality_documented(spec: Specification, context: Context) -> list[Finding]:
    qa = spec.quality_assurance
    findings: list[Finding] = []
    if not (qa.link or qa.agency or qa.agency_url):
        findings.append(
            Finding(
                _(
                    "Document the quality assurance: link to the QA policy or report, or name"
                    " the agency that reviewed it."
                ),
                element="quality_assurance.link",
            )
        )
    if qa.internal is not True:
        findings.append(
            Finding(
                _("Confirm that the provider's internal quality assurance covers it."),
                element="quality_assurance.internal",
            )
        )
    findings += _url_findings("quality_assurance.link", qa.link)
    return findings + _url_findings("quality_assurance.agency_url", qa.agency_url)


def transparent_offer(spec: Specification, context: Context) -> list[Finding]:
    present = {
        "learning_outcomes": has_outcomes(spec),
        "workload": spec.workload.ects is not None or spec.workload.hours is not None,
        "level": spec.level.eqf is not None or spec.level.qf_ehea_cycle is not None,
        "description": has_text(spec.description),
        "languages_of_instruction": bool(spec.languages_of_instruction),
    }
    missing = [name for name, ok in present.items() if not ok]
    if not missing:
        return []
    message = _("Make the offer transparent: add {missing}.")
    return [Finding(message.format(missing=", ".join(missing)), element=missing[0])]


def relevance(spec: Specification, context: Context) -> list[Finding]:
    findings: list[Finding] = []
    if not has_text(spec.relevance):
        findings.append(
            Finding(
                _("Say which societal, personal or labour-market need the offer answers."),
                element="relevance",
            )
        )
    if spec.review_date is None:
        findings.append(
            Finding(_("Set the date of the next review of the offer."), element="review_date")
        )
    elif spec.review_date < context.today:
        message = _("The review date {date} has passed; review the offer and set the next date.")
        findings.append(
            Finding(message.format(date=spec.review_date.isoformat()), element="review_date")
        )
    return findings


def assessment_criteria(spec: Specification, context: Context) -> list[Finding]:
    return require(
        has_text(spec.assessment.criteria),
        _(
            "Publish the criteria each learning outcome is assessed against, e.g. a rubric"
            " per outcome."
        ),
    )


def recognition(spec: Specification, context: Context) -> list[Finding]:
    return require(
        has_text(spec.recognition),
        _(
            "Say how it is recognised: credits toward which programme, recognition of prior"
            " learning, the Lisbon Recognition Convention."
        ),
    )


def portable_format(spec: Specification, context: Context) -> list[Finding]:
    return [
        Finding(
            _(
                "Awards are issued as signed W3C Verifiable Credentials (Open Badges 3.0,"
                " Europass EDC) that the learner owns and can keep in a wallet."
            ),
            severity=Severity.info,
        )
    ]


def authenticity(spec: Specification, context: Context) -> list[Finding]:
    findings: list[Finding] = []
    for index, body in enumerate(spec.awarding_bodies):
        element = f"awarding_bodies[{index}]"
        if not (body.legal_identifier or body.id):
            message = _(
                "Give the awarding body's legal identifier (register, VAT or eIDAS number) so"
                " verifiers can check who issued it."
            )
            findings.append(Finding(message, element=f"{element}.legal_identifier"))
        if not body.country:
            message = _("Give the awarding body's country, the place of issuance.")
            findings.append(Finding(message, element=f"{element}.country"))
    return findings


def guidance(spec: Specification, context: Context) -> list[Finding]:
    findings = vocabulary_findings("target_groups", spec.target_groups, "target-group")
    findings = [Finding(f.message, f.element, Severity.error) for f in findings]
    if not spec.target_groups:
        message = _("Name the target group(s), e.g. persons with 3-10 years work experience.")
        findings.append(Finding(message, element="target_groups"))
    contact = spec.guidance_contact
    if contact is None:
        message = _("Give a contact for information and guidance (e-mail or web page).")
        findings.append(Finding(message, element="guidance_contact"))
    elif not (is_email(contact) or is_url(contact)):
        message = _("'{contact}' is neither an e-mail address nor an http(s) URL.")
        findings.append(
            Finding(message.format(contact=contact), "guidance_contact", Severity.error)
        )
    return findings


def _annex_ii(number: int, name: str) -> str:
    return f"Annex II, principle {number} ({name})"


# fmt: off
PRINCIPLES = [
    Rule("MC-P01", "Quality assurance documented", Severity.warning, "quality_assurance",
         _annex_ii(1, "quality"), "eu", quality_documented),
    Rule("MC-P02", "Transparency of the offer", Severity.warning, "description",
         _annex_ii(2, "transparency"), "eu", transparent_offer),
    Rule("MC-P03", "Relevance stated and reviewed", Severity.warning, "relevance",
         _annex_ii(3, "relevance"), "eu", relevance),
    Rule("MC-P04", "Assessment against transparent criteria", Severity.warning,
         "assessment.criteria", _annex_ii(4, "valid assessment"), "eu", assessment_criteria),
    Rule("MC-P05", "Recognition information", Severity.warning, "recognition",
         _annex_ii(6, "recognition"), "eu", recognition),
    Rule("MC-P06", "Portable format", Severity.info, "format",
         _annex_ii(7, "portability"), "eu", portable_format),
    Rule("MC-P07", "Authenticity: awarding body identifiable", Severity.warning,
         "awarding_bodies", _annex_ii(9, "authenticity"), "eu", authenticity),
    Rule("MC-P08", "Target group and guidance contact", Severity.warning, "target_groups",
         _annex_ii(10, "information and guidance"), "eu", guidance),
]
# fmt: on
