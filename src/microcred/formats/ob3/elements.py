"""The EU standard elements carried by simple extension terms, and how each is written and read.

One table serves rendering and reading alike, so the two cannot drift apart: each row names
the term path in the achievement (a nested object for elements with several parts), the path
of the value in the Specification, the kind of value, and the Annex I element it carries.
Elements with structure of their own (awarding bodies, learning outcomes, stacking targets,
the grading scheme) are handled in `render` and `read`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

from microcred.formats.ob3.iri import is_absolute_iri
from microcred.formats.ob3.text import read_text, render_text


class Kind(Enum):
    text = "language map"
    string = "string"
    strings = "list of strings"
    iri = "IRI"
    iris = "list of IRIs"
    number = "number"
    boolean = "boolean"
    date = "date (YYYY-MM-DD)"


@dataclass(frozen=True)
class Element:
    term: str  # dotted path in the achievement, e.g. "participation.learningMode"
    field: str  # dotted path in the Specification, e.g. "participation.modes"
    kind: Kind
    annex: str  # where 2022/C 243/02 asks for it: "I.8" Annex I element 8, "O.2" optional 2, "II.3"

    @property
    def term_path(self) -> tuple[str, ...]:
        return tuple(self.term.split("."))

    @property
    def field_path(self) -> tuple[str, ...]:
        return tuple(self.field.split("."))


ELEMENTS: tuple[Element, ...] = (
    Element(
        "learnerIdentification.requiredIdentifier",
        "learner_identification.required",
        Kind.strings,
        "I.1",
    ),
    Element(
        "learnerIdentification.optionalIdentifier",
        "learner_identification.optional",
        Kind.strings,
        "I.1",
    ),
    Element("learnerIdentification.description", "learner_identification.note", Kind.text, "I.1"),
    Element("issuerCountry", "issuer_countries", Kind.iris, "I.3"),
    Element("nutsRegion", "nuts_regions", Kind.strings, "I.3"),
    Element("notionalWorkloadHours", "workload.hours", Kind.number, "I.7"),
    Element("eqfLevel", "level.eqf", Kind.iri, "I.8"),
    Element("qfEheaCycle", "level.qf_ehea_cycle", Kind.string, "I.8"),
    Element("nqfLevel", "level.nqf", Kind.string, "I.8"),
    Element("assessment.assessmentType", "assessment.types", Kind.iris, "I.9"),
    Element("assessment.description", "assessment.description", Kind.text, "I.9"),
    Element("assessment.assessmentCriteria", "assessment.criteria", Kind.text, "I.9"),
    Element("participation.learningMode", "participation.modes", Kind.iris, "I.10"),
    Element("participation.learningSetting", "participation.learning_setting", Kind.iri, "I.10"),
    Element("participation.learningSchedule", "participation.schedule", Kind.iri, "I.10"),
    Element("participation.synchronous", "participation.synchronous", Kind.boolean, "I.10"),
    Element("participation.weeklyHours", "participation.weekly_hours", Kind.number, "I.10"),
    Element("participation.description", "participation.description", Kind.text, "I.10"),
    Element("qualityAssurance.qualityAssuranceType", "quality_assurance.types", Kind.iris, "I.11"),
    Element(
        "qualityAssurance.internalQualityAssurance",
        "quality_assurance.internal",
        Kind.boolean,
        "I.11",
    ),
    Element(
        "qualityAssurance.externalQualityAssurance",
        "quality_assurance.external",
        Kind.boolean,
        "I.11",
    ),
    Element(
        "qualityAssurance.esgCompliant", "quality_assurance.esg_compliant", Kind.boolean, "I.11"
    ),
    Element(
        "qualityAssurance.qualityAssuranceAgency", "quality_assurance.agency", Kind.string, "I.11"
    ),
    Element(
        "qualityAssurance.qualityAssuranceAgencyUrl",
        "quality_assurance.agency_url",
        Kind.iri,
        "I.11",
    ),
    Element("qualityAssurance.qualityAssuranceReport", "quality_assurance.link", Kind.iri, "I.11"),
    Element("qualityAssurance.description", "quality_assurance.description", Kind.text, "I.11"),
    Element("prerequisites", "prerequisites", Kind.text, "O.1"),
    Element("supervision", "supervision", Kind.string, "O.2"),
    Element("stackability.stackabilityKind", "stackability.kind", Kind.string, "O.4"),
    Element("stackability.description", "stackability.note", Kind.text, "O.4"),
    Element("furtherInformation", "further_information", Kind.text, "O.5"),
    Element("furtherInformationUrl", "further_information_url", Kind.iri, "O.5"),
    Element("fieldOfStudyCode", "isced_f", Kind.iris, "II.2"),
    Element("languageOfInstruction", "languages_of_instruction", Kind.strings, "II.2"),
    Element("duration", "duration", Kind.string, "II.2"),
    Element("targetGroup", "target_groups", Kind.iris, "II.8"),
    Element("homepage", "homepage", Kind.iri, "II.10"),
    Element("relevance", "relevance", Kind.text, "II.3"),
    Element("reviewDate", "review_date", Kind.date, "II.3"),
    Element("recognition", "recognition", Kind.text, "II.6"),
    Element("guidanceContact", "guidance_contact", Kind.string, "II.10"),
    Element("localLabel", "local_label", Kind.string, "-"),
)


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _dig(data: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _place(data: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    for key in path[:-1]:
        data = data.setdefault(key, {})
    data[path[-1]] = value


def render_elements(fields: dict[str, Any], language: str) -> dict[str, Any]:
    """Return the extension terms for `fields` (a Specification dumped in JSON mode).

    Raises ValueError naming the Specification field when an IRI-valued field is not an
    absolute IRI, since the value would otherwise be dropped from the signed document.
    """
    terms: dict[str, Any] = {}
    for element in ELEMENTS:
        value = _dig(fields, element.field_path)
        if _is_empty(value):
            continue
        if element.kind is Kind.text:
            value = render_text(value, language)
        elif element.kind in (Kind.iri, Kind.iris):
            for iri in value if isinstance(value, list) else [value]:
                if not is_absolute_iri(iri):
                    raise ValueError(
                        f"{element.field}: {iri!r} is not an absolute IRI "
                        "(use a full URL such as https://...)"
                    )
        _place(terms, element.term_path, value)
    return terms


def read_elements(achievement: dict[str, Any], language: str) -> dict[str, Any]:
    """Return the Specification fields the extension terms of `achievement` carry, as a dict.

    Raises ValueError naming the term when a value has the wrong shape.
    """
    fields: dict[str, Any] = {}
    for element in ELEMENTS:
        value = _dig(achievement, element.term_path)
        if _is_empty(value):
            continue
        try:
            _place(fields, element.field_path, _read_value(value, element.kind, language))
        except (TypeError, ValueError) as error:
            raise ValueError(f"achievement.{element.term}: {error}") from error
    return fields


def _read_value(value: Any, kind: Kind, language: str) -> Any:
    if kind is Kind.text:
        return read_text(value, language)
    if kind in (Kind.strings, Kind.iris):
        items = value if isinstance(value, list) else [value]
        if not all(isinstance(item, str) for item in items):
            raise TypeError(f"expected a {kind.value}, got {value!r}")
        return items
    if kind is Kind.boolean and not isinstance(value, bool):
        raise TypeError(f"expected true or false, got {value!r}")
    if kind is Kind.number and (isinstance(value, bool) or not isinstance(value, int | float)):
        raise TypeError(f"expected a number, got {value!r}")
    if kind in (Kind.string, Kind.iri, Kind.date) and not isinstance(value, str):
        raise TypeError(f"expected a {kind.value}, got {value!r}")
    return value
