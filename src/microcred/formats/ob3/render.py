"""Render an unsigned Open Badges 3.0 `OpenBadgeCredential` from a Specification and an award."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from microcred.domain.specification import Specification, localise
from microcred.domain.vocabularies.catalogue import label
from microcred.formats.ob3.context import CREDENTIAL_CONTEXTS
from microcred.formats.ob3.elements import render_elements
from microcred.formats.ob3.errors import Ob3Error
from microcred.formats.ob3.identity import missing_identifiers, render_identity_objects
from microcred.formats.ob3.inputs import AwardData, IssuerProfile
from microcred.formats.ob3.iri import is_absolute_iri
from microcred.formats.ob3.profiles import render_awarding_body, render_issuer
from microcred.formats.ob3.text import render_text

ECTS = "http://data.europa.eu/snb/education-credit/6fcec5c5af"
ESCO_SKILL = "http://data.europa.eu/esco/skill/"


def render_achievement_credential(
    spec: Specification,
    award: AwardData,
    issuer: IssuerProfile,
    *,
    spec_url: str,
    credential_id: str | None = None,
    spec_version: str | None = None,
    image_url: str | None = None,
    human_code: str | None = None,
    skill_labels: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Return the unsigned OB 3.0 credential (VC 2.0 data model) awarding `spec` to a learner.

    `spec_url` is the public page of the specification; with `spec_version` the achievement
    id is ``{spec_url}/versions/{spec_version}``. `skill_labels` maps ESCO skill URIs to
    their preferred labels (the alignment's `targetName`); without one, the learning
    outcome that names the skill is used. Raises `Ob3Error` naming what to fix.
    """
    _check_renderable(spec, award, spec_url=spec_url, credential_id=credential_id)
    language = document_language(spec)
    achievement_id = (
        spec_url if not spec_version else f"{spec_url.rstrip('/')}/versions/{spec_version}"
    )

    achievement = _achievement(spec, achievement_id, language, skill_labels or {})
    if spec_version:
        achievement["version"] = spec_version
    if image_url:
        achievement["image"] = {"id": image_url, "type": "Image"}
    if human_code:
        achievement["humanCode"] = human_code

    subject: dict[str, Any] = {"type": ["AchievementSubject"]}
    if award.did:
        subject["id"] = award.did
    identifiers = render_identity_objects(spec, award)
    if identifiers:
        subject["identifier"] = identifiers
    subject["achievement"] = achievement
    if award.grade:
        result: dict[str, Any] = {"type": ["Result"], "value": award.grade}
        if spec.grading_scheme is not None:
            result["resultDescription"] = _grading_scheme_id(achievement_id)
        subject["result"] = [result]

    credential: dict[str, Any] = {
        "@context": list(CREDENTIAL_CONTEXTS),
        "id": credential_id or award.credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": render_text(spec.title, language),
    }
    if spec.description:
        credential["description"] = render_text(spec.description, language)
    credential["issuer"] = render_issuer(issuer, language)
    credential["validFrom"] = utc_timestamp(award.issued_on)
    if award.valid_until:
        credential["validUntil"] = utc_timestamp(award.valid_until)
    if award.awarded_on:
        credential["awardedDate"] = utc_timestamp(award.awarded_on)
    credential["credentialSubject"] = subject
    if award.evidence:
        credential["evidence"] = [
            _without_empty(
                {
                    "id": item.id,
                    "type": ["Evidence"],
                    "name": item.name,
                    "genre": "Component credential",
                    "digestSRI": item.digest_sri,
                }
            )
            for item in award.evidence
        ]
    return credential


def document_language(spec: Specification) -> str:
    """Return the credential's own language: the first language of instruction, else the title's."""
    if spec.languages_of_instruction:
        return spec.languages_of_instruction[0]
    return next(iter(spec.title), "en")


def utc_timestamp(moment: datetime) -> str:
    """Return `moment` in UTC to the second, ISO 8601 with ``Z``: ``2025-03-01T09:30:00Z``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _check_renderable(
    spec: Specification, award: AwardData, *, spec_url: str, credential_id: str | None
) -> None:
    if not spec.title:
        raise Ob3Error("title", "the specification has no title (Annex I element 2)")
    if not is_absolute_iri(spec_url):
        raise Ob3Error("spec_url", f"{spec_url!r} is not an absolute URL (https://...)")
    if credential_id is not None and not is_absolute_iri(credential_id):
        raise Ob3Error("credential_id", f"{credential_id!r} is not an absolute IRI (urn:uuid:...)")
    for where, iri in _identifiers_in(spec):
        if not is_absolute_iri(iri):
            raise Ob3Error(where, f"{iri!r} is not an absolute IRI (use https://..., did: or urn:)")
    missing = missing_identifiers(spec, award)
    if missing:
        raise Ob3Error(
            "award",
            "the specification requires these learner identifiers, which the award lacks: "
            + ", ".join(missing),
        )


def _identifiers_in(spec: Specification) -> list[tuple[str, str]]:
    """Return (field, value) for each identifier of the specification that becomes a node IRI."""
    found: list[tuple[str, str | None]] = []
    for i, body in enumerate(spec.awarding_bodies):
        found += [
            (f"awarding_bodies.{i}.{name}", getattr(body, name)) for name in ("id", "country")
        ]
    for i, outcome in enumerate(spec.learning_outcomes):
        found += [(f"learning_outcomes.{i}.esco_skills", skill) for skill in outcome.esco_skills]
    for i, target in enumerate(spec.stackability.targets):
        found.append((f"stackability.targets.{i}.id", target.id))
    return [(where, value) for where, value in found if value is not None]


def _achievement(
    spec: Specification, achievement_id: str, language: str, skill_labels: Mapping[str, str]
) -> dict[str, Any]:
    achievement: dict[str, Any] = {
        "id": achievement_id,
        "type": ["Achievement"],
        "achievementType": "MicroCredential",
        "name": render_text(spec.title, language),
        "description": render_text(spec.description or spec.title, language),
        "criteria": _criteria(spec, achievement_id, language),
        "inLanguage": language,
    }
    alignments = _skill_alignments(spec, language, skill_labels)
    if alignments:
        achievement["alignment"] = alignments
    if spec.workload.ects is not None:
        achievement["creditsAvailable"] = spec.workload.ects
        achievement["creditSystem"] = ECTS
    if spec.isced_f:
        achievement["fieldOfStudy"] = ", ".join(label(code, language) for code in spec.isced_f)
    if spec.awarding_bodies:
        bodies = [render_awarding_body(body, language) for body in spec.awarding_bodies]
        achievement["creator"] = bodies[0]
        achievement["awardingBody"] = bodies
    if spec.learning_outcomes:
        achievement["learningOutcome"] = [
            _without_empty(
                {"name": render_text(outcome.text, language), "relatedSkill": outcome.esco_skills}
            )
            for outcome in spec.learning_outcomes
        ]
    if spec.grading_scheme is not None:
        achievement["resultDescription"] = [_result_description(spec, achievement_id, language)]
    try:
        achievement.update(render_elements(spec.model_dump(mode="json"), language))
    except ValueError as error:
        raise Ob3Error("specification", str(error)) from error
    targets = [
        _without_empty(
            {
                "id": target.id,
                "name": render_text(target.title, language),
                "ectsRecognised": target.ects_recognised,
            }
        )
        for target in spec.stackability.targets
    ]
    if targets:
        achievement.setdefault("stackability", {})["stackingTarget"] = targets
    return achievement


def _criteria(spec: Specification, achievement_id: str, language: str) -> dict[str, Any]:
    """Return Criteria whose narrative lists the outcomes, then the assessment criteria."""
    languages = list(
        dict.fromkeys(
            [tag for outcome in spec.learning_outcomes for tag in outcome.text]
            + list(spec.assessment.criteria)
        )
    )
    narrative: dict[str, str] = {}
    for tag in languages:
        outcomes = "\n".join(f"- {localise(o.text, tag)}" for o in spec.learning_outcomes)
        criteria = localise(spec.assessment.criteria, tag)
        narrative[tag] = "\n\n".join(part for part in (outcomes, criteria) if part)
    if not narrative:
        return {"id": achievement_id}
    return {"narrative": render_text(narrative, language)}


def _skill_alignments(
    spec: Specification, language: str, skill_labels: Mapping[str, str]
) -> list[dict[str, Any]]:
    alignments: dict[str, dict[str, Any]] = {}
    for outcome in spec.learning_outcomes:
        for skill in outcome.esco_skills:
            if skill in alignments:
                continue
            alignment: dict[str, Any] = {
                "type": ["Alignment"],
                "targetType": "ceasn:Competency",
                "targetFramework": "ESCO",
                "targetName": skill_labels.get(skill) or localise(outcome.text, language),
                "targetUrl": skill,
            }
            if skill.startswith(ESCO_SKILL):
                alignment["targetCode"] = skill.removeprefix(ESCO_SKILL)
            alignments[skill] = alignment
    return list(alignments.values())


def _grading_scheme_id(achievement_id: str) -> str:
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, achievement_id + '#grading-scheme')}"


def _result_description(spec: Specification, achievement_id: str, language: str) -> dict[str, Any]:
    scheme = spec.grading_scheme
    assert scheme is not None
    description: dict[str, Any] = {
        "id": _grading_scheme_id(achievement_id),
        "type": ["ResultDescription"],
        "name": render_text(scheme.title, language) or "Grade",
        "resultType": "Result",
    }
    if scheme.grades:
        description["allowedValue"] = list(reversed(scheme.grades))  # OB: lowest first
    passing = [grade for grade in scheme.grades if grade in scheme.pass_grades]
    if passing:
        description["requiredValue"] = passing[-1]
    if scheme.pass_grades:
        description["passGrade"] = scheme.pass_grades
    if scheme.description:
        description["description"] = render_text(scheme.description, language)
    return description


def _without_empty(node: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in node.items() if value not in (None, [], {}, "")}
