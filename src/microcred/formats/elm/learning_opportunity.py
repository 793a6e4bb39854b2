"""A published offer as an ELM v3 ``LearningOpportunity`` (for the Europass learning-
opportunities portal), and its validation.

The opportunity is provided by the awarding bodies and leads to the Qualification that the
EDC of an award carries too (``learningAchievementSpecification``). Its schedule, modes,
duration, next start (``temporal``), price and funding (``priceDetail``) and language come from
the Specification. The shared data holds the Commission's EDC application-profile shapes, not
the learning-opportunity profile of the Europass portal (QDR); the EDC shapes include
``LearningOpportunityShape`` (and, in generic-full, its controlled-value restrictions), and
those are what `validate_learning_opportunity` checks, with the shapes of every node inside.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from microcred.domain.specification import Specification
from microcred.formats.elm.concepts import concept, vocabulary_concept
from microcred.formats.elm.errors import ElmRenderError
from microcred.formats.elm.nodes import LocalIds, note, web_resource, without_empty
from microcred.formats.elm.render import EDC_CONTEXTS, awarding_body_nodes, qualification_node
from microcred.formats.elm.shacl import Profile, ShaclReport, validate_edc
from microcred.formats.ob3.render import document_language

LEARNING_OPPORTUNITY = "http://data.europa.eu/snb/learning-opportunity/"
COURSE = LEARNING_OPPORTUNITY + "05053c1cbe"
SHORT_LEARNING_PROGRAMME = LEARNING_OPPORTUNITY + "74a4a268e8"
CURRENCY_SCHEME = "http://publications.europa.eu/resource/authority/currency"
# E-SLP's lower bound: from 5 ECTS a micro-credential is a short learning programme.
SHORT_PROGRAMME_ECTS = 5


def render_learning_opportunity(
    spec: Specification,
    *,
    url: str,
    today: date,
    schedule: str | None = None,
    status: str = "published",
) -> dict[str, Any]:
    """Return ``spec`` as a JSON-LD ELM LearningOpportunity identified by ``url``.

    ``today`` picks the next start date; ``schedule`` is the ELM learning schedule when the
    specification states none (the finder derives one from the weekly hours). Raises
    `ElmRenderError` naming what to fix.
    """
    schedule = spec.participation.schedule or schedule
    if not spec.title:
        raise ElmRenderError("title", "a learning opportunity needs a title")
    if not spec.awarding_bodies:
        raise ElmRenderError("awarding_bodies", "a learning opportunity needs a provider")
    ids = LocalIds()
    language = document_language(spec)
    participation = spec.participation
    node: dict[str, Any] = {
        "@context": list(EDC_CONTEXTS),
        "id": url,
        "type": "LearningOpportunity",
        "title": dict(spec.title),
        "description": dict(spec.description),
        "dcType": vocabulary_concept(_opportunity_type(spec)),
        "duration": spec.duration,
        "mode": [vocabulary_concept(uri) for uri in participation.modes],
        "learningSchedule": vocabulary_concept(schedule) if schedule else None,
        "scheduleInformation": note(ids, participation.description)
        if participation.description
        else None,
        "temporal": _next_run(ids, spec, today),
        "priceDetail": _price(ids, spec, language),
        "providedBy": awarding_body_nodes(spec, ids),
        "learningAchievementSpecification": qualification_node(
            spec, ids, spec_url=url + "#qualification"
        ),
        "homepage": web_resource(ids, spec.homepage) if spec.homepage else None,
        "status": status,
    }
    return without_empty(node)


def validate_learning_opportunity(
    document: dict[str, Any], profile: Profile = "generic-full"
) -> ShaclReport:
    """Return the SHACL report of a learning opportunity against the EDC shapes."""
    return validate_edc(document, profile)


def _opportunity_type(spec: Specification) -> str:
    ects = spec.workload.ects
    return SHORT_LEARNING_PROGRAMME if ects is not None and ects >= SHORT_PROGRAMME_ECTS else COURSE


def _next_run(ids: LocalIds, spec: Specification, today: date) -> dict[str, Any] | None:
    start = next((day for day in sorted(spec.start_dates) if day >= today), None)
    if start is None:
        return None
    return {
        "id": ids.new("periodOfTime"),
        "type": "PeriodOfTime",
        "startDate": f"{start.isoformat()}T00:00:00Z",
    }


def _price(ids: LocalIds, spec: Specification, language: str) -> list[dict[str, Any]]:
    price = spec.price
    if price is None or price.amount is None:
        return []
    detail: dict[str, Any] = {
        "id": ids.new("priceDetail"),
        "type": "PriceDetail",
        "prefLabel": {language: "Fee" if price.amount else "Free of charge"},
        "additionalNote": note(ids, price.funding) if price.funding else None,
    }
    if price.currency:
        currency = f"{CURRENCY_SCHEME}/{price.currency}"
        detail["amount"] = {
            "id": ids.new("amount"),
            "type": "Amount",
            "unit": concept(currency, CURRENCY_SCHEME, {"en": price.currency}),
            "value": f"{price.amount:g}",
        }
    return [without_empty(detail)]
