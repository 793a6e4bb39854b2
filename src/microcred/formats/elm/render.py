"""Render an award as an unsigned ELM v3 `EuropeanDigitalCredential` (Europass EDC).

The structure follows the Commission's sample and the table "Where each Annex I element lives
in ELM v3" of the EU reference. Stackability has no dedicated ELM 3.2 property: a stackable
micro-credential is ``isPartialQualification: true`` and ``isPartOf`` each larger
qualification (with the ECTS it recognises), and the designer's stackability note travels as
an ``additionalNote``. Quality assurance becomes one ``accreditation`` per QA type; its
accrediting agent is the named external agency (located, for want of better data, in the
first awarding body's country) or, for internal QA only, the first awarding body itself.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from microcred.domain.specification import Specification, localise
from microcred.domain.vocabularies.catalogue import label
from microcred.formats.elm.concepts import (
    base64_concept,
    concept,
    file_type_concept,
    language_concept,
    skill_concept,
    supervision_concept,
    vocabulary_concept,
)
from microcred.formats.elm.errors import ElmRenderError
from microcred.formats.elm.nodes import LocalIds, note, web_resource, without_empty
from microcred.formats.elm.organisation import organisation
from microcred.formats.elm.page_image import PageText, render_page_png
from microcred.formats.ob3.inputs import AwardData, IssuerProfile
from microcred.formats.ob3.render import document_language, utc_timestamp

VC_V1_CONTEXT = "https://www.w3.org/2018/credentials/v1"
EDC_CONTEXT = "http://data.europa.eu/snb/model/context/edc-ap"
EDC_CONTEXTS = (VC_V1_CONTEXT, EDC_CONTEXT)
GENERIC_FULL = "http://data.europa.eu/snb/model/ap/edc-generic-full"
GENERIC_PROFILE = "http://data.europa.eu/snb/credential/e34929035b"
ECTS = "http://data.europa.eu/snb/education-credit/6fcec5c5af"
QDR_PREFIX = "http://data.europa.eu/snb/qdr/"
QDR_SCHEME = "http://data.europa.eu/snb/qdr/25831c2"
# An award is made to a learner who met the assessment; EDC requires a grade on it.
DEFAULT_GRADE = "Passed"


def render_edc(
    spec: Specification,
    award: AwardData,
    issuer: IssuerProfile,
    *,
    spec_url: str,
    page_image: bytes | None = None,
    skill_labels: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Return the unsigned EDC awarding ``spec`` to a learner, issued (sealed) by ``issuer``.

    ``issuer`` is the sealing organisation; its ``legal_identifier`` becomes the eIDAS legal
    identifier EDC requires. ``page_image`` is a PNG of the credential's page; without one a
    page is drawn. ``skill_labels`` maps ESCO skill URIs to their preferred labels. Raises
    `ElmRenderError` naming what to fix.
    """
    if not spec.title:
        raise ElmRenderError("title", "the specification has no title (Annex I element 2)")
    if not spec.awarding_bodies:
        raise ElmRenderError("awarding_bodies", "EDC needs at least one awarding body")
    language = document_language(spec)
    ids = LocalIds()
    builder = _Builder(spec, award, ids, language, skill_labels or {})
    issuer_node = builder.issuer(issuer)
    image = page_image or render_page_png(page_text(spec, award, language))
    credential: dict[str, Any] = {
        "@context": list(EDC_CONTEXTS),
        "id": award.credential_id,
        "type": ["VerifiableCredential", "EuropeanDigitalCredential"],
        "credentialProfiles": vocabulary_concept(GENERIC_PROFILE),
        "credentialSchema": {"id": GENERIC_FULL, "type": "ShaclValidator2017"},
        "displayParameter": builder.display(image),
        "credentialSubject": builder.person(spec_url),
        "issuer": issuer_node,
        "issued": utc_timestamp(award.issued_on),
        "validFrom": utc_timestamp(award.issued_on),
    }
    if award.valid_until:
        credential["validUntil"] = utc_timestamp(award.valid_until)
    return credential


def qualification_node(
    spec: Specification,
    ids: LocalIds,
    *,
    spec_url: str,
    skill_labels: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Return the ELM Qualification node that specifies ``spec`` (no award involved)."""
    # The specification's nodes read nothing of an award; the builder wants one all the same.
    unawarded = AwardData(issued_on=datetime.now(UTC))
    language = document_language(spec)
    builder = _Builder(spec, unawarded, ids, language, skill_labels or {})
    return builder.qualification(spec_url)


def awarding_body_nodes(spec: Specification, ids: LocalIds) -> list[dict[str, Any]]:
    """Return an Organisation node for each awarding body (located in its country, else the
    issuer's)."""
    return [
        organisation(
            ids,
            f"awarding_bodies.{index}",
            name=body.name,
            country=body.country or next(iter(spec.issuer_countries), None),
            node_id=body.id,
            legal_identifier=body.legal_identifier,
            homepage=body.homepage,
        )
        for index, body in enumerate(spec.awarding_bodies)
    ]


def page_text(spec: Specification, award: AwardData, language: str) -> PageText:
    """Return what the drawn page says about this award, in ``language``."""
    facts = [("Issued", award.issued_on.date().isoformat())]
    if spec.workload.ects is not None or spec.workload.hours is not None:
        parts = []
        if spec.workload.ects is not None:
            parts.append(f"{_number(spec.workload.ects)} ECTS")
        if spec.workload.hours is not None:
            parts.append(f"{_number(spec.workload.hours)} hours")
        facts.append(("Workload", ", ".join(parts)))
    if spec.level.eqf:
        facts.append(("Level", label(spec.level.eqf, language)))
    if award.grade:
        facts.append(("Grade", award.grade))
    return PageText(
        heading="Micro-credential",
        title=localise(spec.title, language),
        learner=award.learner_name or award.email or "",
        awarded_by=", ".join(localise(body.name, language) for body in spec.awarding_bodies),
        facts=facts,
        outcomes=[localise(outcome.text, language) for outcome in spec.learning_outcomes],
        footer=f"Credential {award.credential_id}",
    )


class _Builder:
    """Builds the nodes of one credential, sharing its local ids and language."""

    def __init__(
        self,
        spec: Specification,
        award: AwardData,
        ids: LocalIds,
        language: str,
        skill_labels: Mapping[str, str],
    ) -> None:
        self.spec = spec
        self.award = award
        self.ids = ids
        self.language = language
        self.skill_labels = skill_labels
        self.bodies = awarding_body_nodes(spec, ids)

    # --- issuer and learner ---

    def issuer(self, issuer: IssuerProfile) -> dict[str, Any]:
        if not issuer.legal_identifier:
            raise ElmRenderError(
                "issuer.legal_identifier",
                "EDC requires the sealing organisation's eIDAS legal identifier (the "
                "organizationIdentifier of its seal certificate, e.g. 'VATDE-123456789')",
            )
        return organisation(
            self.ids,
            "issuer",
            name=issuer.name,
            country=issuer.country,
            node_id=issuer.id,
            legal_identifier=issuer.legal_identifier,
            identifier_key="eIDASIdentifier",
            homepage=issuer.url,
        )

    def person(self, spec_url: str) -> dict[str, Any]:
        award = self.award
        person: dict[str, Any] = {
            "id": award.did or self.ids.new("person"),
            "type": "Person",
        }
        if award.learner_name:
            person["fullName"] = {self.language: award.learner_name}
        if award.date_of_birth:
            person["dateOfBirth"] = f"{award.date_of_birth.isoformat()}T00:00:00Z"
        if award.email:
            person["contactPoint"] = {
                "id": self.ids.new("contactPoint"),
                "type": "ContactPoint",
                "emailAddress": {"id": f"mailto:{award.email}", "type": "Mailbox"},
            }
        if award.institutional_id:
            person["identifier"] = {
                "id": self.ids.new("identifier"),
                "type": "Identifier",
                "notation": award.institutional_id,
                "schemeName": "institutional identifier",
            }
        person["hasClaim"] = self.achievement(spec_url)
        return person

    # --- the claim ---

    def achievement(self, spec_url: str) -> dict[str, Any]:
        awarding = {
            "id": self.ids.new("awardingProcess"),
            "type": "AwardingProcess",
            "awardingBody": self.bodies,
            "awardingDate": utc_timestamp(self.award.awarded_on or self.award.issued_on),
        }
        return {
            "id": self.ids.new("learningAchievement"),
            "type": "LearningAchievement",
            "title": dict(self.spec.title),
            "awardedBy": awarding,
            "provenBy": self.assessments(awarding),
            "specifiedBy": self.qualification(spec_url),
        }

    def assessments(self, awarding: dict[str, Any]) -> list[dict[str, Any]]:
        """Return one assessment per assessment type (ELM allows one type each), or one."""
        types: list[str | None] = list(self.spec.assessment.types) or [None]
        return [
            self.assessment(awarding, kind, first=index == 0) for index, kind in enumerate(types)
        ]

    def assessment(
        self, awarding: dict[str, Any], kind: str | None, *, first: bool
    ) -> dict[str, Any]:
        spec = self.spec
        title = {self.language: label(kind, self.language) if kind else "Assessment"}
        specification: dict[str, Any] = {
            "id": self.ids.new("learningAssessmentSpec"),
            "type": "LearningAssessmentSpecification",
            "title": title,
            "dcType": self._concept(kind, "assessment.types"),
        }
        if first:  # the description, criteria and grading scheme cover the whole assessment
            specification["description"] = dict(spec.assessment.description)
            if spec.assessment.criteria:
                specification["additionalNote"] = note(self.ids, spec.assessment.criteria)
            specification["gradingScheme"] = self.grading_scheme()
        assessment: dict[str, Any] = {
            "id": self.ids.new("learningAssessment"),
            "type": "LearningAssessment",
            "title": title,
            "grade": note(self.ids, {self.language: self.award.grade or DEFAULT_GRADE}),
            "awardedBy": awarding,
            "specifiedBy": without_empty(specification),
        }
        if spec.supervision is not None:
            assessment["idVerification"] = supervision_concept(spec.supervision.value)
        return assessment

    def grading_scheme(self) -> dict[str, Any] | None:
        scheme = self.spec.grading_scheme
        if scheme is None:
            return None
        title = scheme.title or {self.language: "Grading scheme"}
        return without_empty(
            {
                "id": self.ids.new("gradingScheme"),
                "type": "GradingScheme",
                "title": dict(title),
                "description": dict(scheme.description),
            }
        )

    def qualification(self, spec_url: str) -> dict[str, Any]:
        spec, ids = self.spec, self.ids
        notes = [text for text in (spec.further_information, spec.stackability.note) if text]
        node: dict[str, Any] = {
            "id": spec_url,
            "type": "Qualification",
            "title": dict(spec.title),
            "description": dict(spec.description),
            "learningOutcome": [self.outcome(i) for i in range(len(spec.learning_outcomes))],
            "creditPoint": self.ects(spec.workload.ects),
            "volumeOfLearning": _hours(spec.workload.hours),
            "eqfLevel": self._concept(spec.level.eqf, "level.eqf"),
            "nqfLevel": _nqf_level(spec.level.nqf),
            "thematicArea": [self._concept(uri, "isced_f") for uri in spec.isced_f],
            "language": [language_concept(code) for code in spec.languages_of_instruction],
            "mode": [self._concept(uri, "participation.modes") for uri in spec.participation.modes],
            "learningSetting": self._concept(
                spec.participation.learning_setting, "participation.learning_setting"
            ),
            "learningSchedule": self._concept(
                spec.participation.schedule, "participation.schedule"
            ),
            "targetGroup": [self._concept(uri, "target_groups") for uri in spec.target_groups],
            "maximumDuration": spec.duration,
            "entryRequirement": note(ids, spec.prerequisites) if spec.prerequisites else None,
            "accreditation": self.accreditations(),
            "isPartialQualification": _partial(spec),
            "isPartOf": self.stacking_targets(),
            "additionalNote": [note(ids, text) for text in notes],
            "homepage": web_resource(ids, spec.homepage) if spec.homepage else None,
            "supplementaryDocument": web_resource(ids, spec.further_information_url)
            if spec.further_information_url
            else None,
        }
        return without_empty(node)

    def outcome(self, index: int) -> dict[str, Any]:
        outcome = self.spec.learning_outcomes[index]
        if not outcome.text:
            raise ElmRenderError(f"learning_outcomes.{index}.text", "a learning outcome needs text")
        skills = [skill_concept(uri, self.skill_labels.get(uri)) for uri in outcome.esco_skills]
        return without_empty(
            {
                "id": self.ids.new("learningOutcome"),
                "type": "LearningOutcome",
                "title": dict(outcome.text),
                "relatedESCOSkill": skills,
            }
        )

    def ects(self, points: float | None) -> dict[str, Any] | None:
        if points is None:
            return None
        return {
            "id": self.ids.new("creditPoint"),
            "type": "CreditPoint",
            "framework": vocabulary_concept(ECTS),
            "point": _number(points),
        }

    def accreditations(self) -> list[dict[str, Any]]:
        qa = self.spec.quality_assurance
        if not qa.types:
            return []
        if qa.agency:
            agent = organisation(
                self.ids,
                "quality_assurance.agency",
                name={self.language: qa.agency},
                country=self._first_body_country(),
                homepage=qa.agency_url,
            )
        else:
            agent = self.bodies[0]
        accreditations = []
        for uri in qa.types:
            accreditations.append(
                without_empty(
                    {
                        "id": self.ids.new("accreditation"),
                        "type": "Accreditation",
                        "dcType": self._concept(uri, "quality_assurance.types"),
                        "title": {self.language: label(uri, self.language)},
                        "description": dict(qa.description),
                        "accreditingAgent": agent,
                        "landingPage": web_resource(self.ids, qa.link) if qa.link else None,
                    }
                )
            )
        return accreditations

    def stacking_targets(self) -> list[dict[str, Any]]:
        targets = []
        for index, target in enumerate(self.spec.stackability.targets):
            if not target.title:
                raise ElmRenderError(
                    f"stackability.targets.{index}.title", "a stacking target needs a title"
                )
            targets.append(
                without_empty(
                    {
                        "id": target.id or self.ids.new("qualification"),
                        "type": "Qualification",
                        "title": dict(target.title),
                        "creditPoint": self.ects(target.ects_recognised),
                    }
                )
            )
        return targets

    # --- display ---

    def display(self, png: bytes) -> dict[str, Any]:
        title_languages = list(dict.fromkeys([self.language, *self.spec.title]))
        languages = [language_concept(code) for code in title_languages]
        return {
            "id": self.ids.new("displayParameter"),
            "type": "DisplayParameter",
            "title": {self.language: "Micro-credential"},
            "language": languages,
            "primaryLanguage": language_concept(self.language),
            "individualDisplay": {
                "id": self.ids.new("individualDisplay"),
                "type": "IndividualDisplay",
                "language": language_concept(self.language),
                "displayDetail": {
                    "id": self.ids.new("displayDetail"),
                    "type": "DisplayDetail",
                    "image": {
                        "id": self.ids.new("mediaObject"),
                        "type": "MediaObject",
                        "content": base64.b64encode(png).decode("ascii"),
                        "contentEncoding": base64_concept(),
                        "contentType": file_type_concept("PNG"),
                    },
                    "page": 1,
                },
            },
        }

    # --- helpers ---

    def _concept(self, uri: str | None, where: str) -> dict[str, Any] | None:
        if uri is None:
            return None
        try:
            return vocabulary_concept(uri)
        except KeyError as error:
            raise ElmRenderError(where, str(error.args[0])) from error

    def _first_body_country(self) -> str | None:
        return self.spec.awarding_bodies[0].country or next(iter(self.spec.issuer_countries), None)


def _nqf_level(nqf: str | None) -> dict[str, Any] | None:
    """Return a national-framework level concept; free-text levels have no ELM place here."""
    if not nqf or not nqf.startswith(QDR_PREFIX):
        return None
    return concept(nqf, QDR_SCHEME)


def _partial(spec: Specification) -> bool | None:
    kind = spec.stackability.kind
    if kind is None:
        return True if spec.stackability.targets else None
    return kind.value == "integrated_stackable"


def _hours(hours: float | None) -> str | None:
    return None if hours is None else f"PT{_number(hours)}H"


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
