"""Turn raw input (a JSON or YAML mapping) into a Specification, or say precisely what is wrong.

``parse_specification`` is what the API, the CLI and the designer form call before anything is
stored. It accepts convenience inputs (``"DE"`` for a country, ``6`` for an EQF level,
``"0613"`` for an ISCED-F field, ``"Online"`` for a learning mode) and stores EU URIs. Every
problem becomes a ComplianceIssue naming the element, the rule and what to do; the input is
never modified.
"""

from __future__ import annotations

import copy
import difflib
import re
import types
import typing
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from microcred.domain.compliance.catalogue import RULES_BY_ID
from microcred.domain.compliance.predicates import is_email, is_url
from microcred.domain.compliance.report import ComplianceIssue, Severity
from microcred.domain.specification import Specification
from microcred.domain.vocabularies import (
    VOCABULARY_FOR_FIELD,
    UnknownConcept,
    normalise_concept,
    normalise_esco_skill,
)

INPUT_RULE = "MC-INPUT"  # the input is not a specification at all, or names an unknown element

# The rule of each element, most specific path first (paths without list indexes).
ELEMENT_RULES: list[tuple[str, str]] = [
    ("learning_outcomes.esco_skills", "MC-X05"),
    ("learner_identification", "MC-M01"),
    ("title", "MC-M02"),
    ("issuer_countries", "MC-M03"),
    ("nuts_regions", "MC-M03"),
    ("awarding_bodies", "MC-M04"),
    ("learning_outcomes", "MC-M06"),
    ("workload", "MC-M07"),
    ("level", "MC-M08"),
    ("assessment", "MC-M09"),
    ("participation", "MC-M10"),
    ("quality_assurance", "MC-M11"),
    ("prerequisites", "MC-O01"),
    ("supervision", "MC-O02"),
    ("grading_scheme", "MC-O03"),
    ("stackability", "MC-O04"),
    ("further_information", "MC-O05"),
    ("further_information_url", "MC-O05"),
    ("languages_of_instruction", "MC-X03"),
    ("isced_f", "MC-X04"),
    ("relevance", "MC-P03"),
    ("review_date", "MC-P03"),
    ("recognition", "MC-P05"),
    ("target_groups", "MC-P08"),
    ("guidance_contact", "MC-P08"),
    # description, duration, price, homepage, local_label: how the offer is shown
    ("", "MC-P02"),
]

# Fields holding one concept rather than a list of them.
SINGLE_VALUE_FIELDS = {
    "awarding_bodies.country",
    "level.eqf",
    "participation.learning_setting",
    "participation.schedule",
}

FIELD_NAMES = {
    "ects": "ECTS",
    "eqf": "EQF level",
    "isced_f": "ISCED-F field",
    "nuts_regions": "NUTS region",
    "qf_ehea_cycle": "QF-EHEA cycle",
    "id": "Identifier",
    "homepage": "Homepage",
}

PATTERN_HINTS = {
    "duration": "an ISO 8601 duration such as 'P10W' (ten weeks) or 'P3M'",
    "price.currency": "a three-letter ISO 4217 currency code such as 'EUR'",
    "default_validity": "an ISO 8601 duration such as 'P3Y' (three years) or 'P18M'",
}


class SpecificationInvalid(ValueError):
    """Raised when input cannot become a Specification; ``issues`` says each problem."""

    def __init__(self, issues: list[ComplianceIssue]) -> None:
        self.issues = issues
        summary = "; ".join(f"{issue.element or 'input'}: {issue.message}" for issue in issues)
        super().__init__(f"the specification is invalid: {summary}")


def rule_for(element: str) -> str:
    """Return the rule id of an element path such as ``awarding_bodies[0].country``."""
    bare = ".".join(part.split("[")[0] for part in element.split("."))
    for prefix, rule in ELEMENT_RULES:
        if not prefix or bare == prefix or bare.startswith(prefix + "."):
            return rule
    return INPUT_RULE


def _issue(element: str, message: str, rule: str | None = None) -> ComplianceIssue:
    rule = rule or rule_for(element)
    source = RULES_BY_ID[rule].source if rule in RULES_BY_ID else ""
    return ComplianceIssue(
        rule=rule, severity=Severity.error, element=element, message=message, source=source
    )


def format_path(location: tuple[int | str, ...]) -> str:
    """Return ``awarding_bodies[0].country`` for ``("awarding_bodies", 0, "country")``."""
    path = ""
    for part in location:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else part
    return path


# --- vocabulary values -------------------------------------------------------------------------


def _normaliser(field: str) -> Callable[[object], str]:
    if field == "learning_outcomes.esco_skills":
        return normalise_esco_skill
    name = VOCABULARY_FOR_FIELD[field]
    return lambda value: normalise_concept(name, value)


def _parents(data: Any, names: list[str], path: str) -> Iterator[tuple[dict[str, Any], str]]:
    """Yield every mapping that holds the last of ``names``, with its element path."""
    if not names:
        return
    if isinstance(data, list):
        for index, item in enumerate(data):
            yield from _parents(item, names, f"{path}[{index}]")
        return
    if not isinstance(data, dict):
        return
    if len(names) == 1:
        yield data, path
        return
    head = names[0]
    yield from _parents(data.get(head), names[1:], f"{path}.{head}" if path else head)


def _normalise_field(data: dict[str, Any], field: str) -> list[ComplianceIssue]:
    """Replace the values of ``field`` in ``data`` by concept URIs; return what is unknown."""
    normalise = _normaliser(field)
    names = field.split(".")
    issues: list[ComplianceIssue] = []
    for parent, path in _parents(data, names, ""):
        key = names[-1]
        element = f"{path}.{key}" if path else key
        value = parent.get(key)
        if value is None:
            continue
        single = field in SINGLE_VALUE_FIELDS
        if not single and isinstance(value, str | int):
            value = [value]  # a single value where a list is expected
        if not single and not isinstance(value, list):
            continue  # pydantic reports the wrong type
        items = [value] if single else value
        normalised: list[Any] = []
        for index, item in enumerate(items):
            item_element = element if single else f"{element}[{index}]"
            try:
                normalised.append(normalise(item))
            except UnknownConcept as error:
                issues.append(_issue(item_element, error.message))
                normalised.append(item)
        parent[key] = normalised[0] if single else normalised
    return issues


def normalise_vocabulary_values(
    data: dict[str, Any],
) -> tuple[dict[str, Any], list[ComplianceIssue]]:
    """Return a copy of ``data`` with vocabulary values as URIs, and the unknown values."""
    prepared = copy.deepcopy(data)
    issues: list[ComplianceIssue] = []
    for field in [*VOCABULARY_FOR_FIELD, "learning_outcomes.esco_skills"]:
        issues += _normalise_field(prepared, field)
    return prepared, issues


# --- pydantic errors ---------------------------------------------------------------------------


def _model_at(location: tuple[int | str, ...]) -> type[BaseModel] | None:
    """Return the model class that holds the last name of ``location``."""
    model: type[BaseModel] = Specification
    for part in location[:-1]:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part)
        inner = _model_in(field.annotation) if field else None
        if inner is None:
            return None
        model = inner
    return model


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if typing.get_origin(annotation) in (list, typing.Union, types.UnionType):
        for argument in typing.get_args(annotation):
            found = _model_in(argument)
            if found is not None:
                return found
    return None


def _field_name(location: tuple[int | str, ...]) -> str:
    names = [part for part in location if isinstance(part, str)]
    if not names:
        return "Value"
    name = names[-1]
    return FIELD_NAMES.get(name, name.replace("_", " ").capitalize())


def _unknown_element_message(location: tuple[int | str, ...]) -> str:
    name = str(location[-1])
    model = _model_at(location)
    known = list(model.model_fields) if model else []
    close = difflib.get_close_matches(name, known, n=1)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    where = f"known elements here: {', '.join(known)}" if known and not close else ""
    return f"unknown element '{name}'{hint}" + (f" ({where})" if where else "")


def describe_error(error: ErrorDetails) -> str:
    """Return a message a designer can act on for one pydantic error."""
    location = tuple(error["loc"])
    kind = error["type"]
    given = error.get("input")
    context = error.get("ctx") or {}
    name = _field_name(location)
    path = ".".join(part for part in location if isinstance(part, str))
    if kind == "extra_forbidden":
        return _unknown_element_message(location)
    if kind in ("float_parsing", "float_type", "int_parsing", "int_type"):
        return f"{name} must be a number, got {given!r}"
    if kind in ("greater_than_equal", "greater_than"):
        return f"{name} must be {context.get('ge', context.get('gt'))} or more, got {given!r}"
    if kind == "dict_type":
        return f'{name} must be text per language, e.g. {{"en": "..."}}, got {given!r}'
    if kind == "model_type":
        model = _model_in(_annotation_at(location))
        fields = ", ".join(model.model_fields) if model else ""
        return f"{name} must be an object with the elements {fields}, got {given!r}"
    if kind == "list_type":
        return f"{name} must be a list, got {given!r}"
    if kind == "string_type":
        return f"{name} must be text, got {given!r}"
    if kind == "bool_parsing" or kind == "bool_type":
        return f"{name} must be true or false, got {given!r}"
    if kind.startswith("date"):
        return f"{name} must be a date written YYYY-MM-DD, got {given!r}"
    if kind == "enum":
        return f"{given!r} is not allowed for {name}; use {context.get('expected', '')}"
    if kind == "string_pattern_mismatch" or kind == "string_too_short":
        hint = PATTERN_HINTS.get(path, f"text matching {context.get('pattern', '')}")
        return f"{name} must be {hint}, got {given!r}"
    if kind == "missing":
        return f"{name} is required"
    message = error["msg"].removeprefix("Value error, ")
    return f"{name}: {message}"


def _annotation_at(location: tuple[int | str, ...]) -> Any:
    model = _model_at(location)
    name = next((part for part in reversed(location) if isinstance(part, str)), "")
    field = model.model_fields.get(name) if model else None
    return field.annotation if field else None


def _issue_from_error(error: ErrorDetails) -> ComplianceIssue:
    location = tuple(error["loc"])
    element = format_path(location)
    message = describe_error(error)
    if error["type"] == "extra_forbidden" and len(location) == 1:
        return _issue(element, message, INPUT_RULE)
    if error["type"] == "value_error" and "language tag" in message:
        return _issue(element, message, "MC-X03")
    return _issue(element, message)


# --- the entry point ---------------------------------------------------------------------------


def parse_specification(data: object) -> Specification:
    """Return the Specification ``data`` describes; raise SpecificationInvalid on any problem."""
    if not isinstance(data, Mapping):
        kind = type(data).__name__
        message = f"a specification is a mapping of elements (a JSON object), got {kind}"
        raise SpecificationInvalid([_issue("", message, INPUT_RULE)])
    prepared, issues = normalise_vocabulary_values(dict(data))
    try:
        specification = Specification.model_validate(prepared)
    except ValidationError as error:
        # A value already reported as unknown to its vocabulary needs no second message.
        reported = {issue.element for issue in issues}
        issues += [
            issue
            for issue in map(_issue_from_error, error.errors())
            if issue.element not in reported
        ]
        specification = None
    if specification is not None:
        issues += link_issues(specification)
    if issues or specification is None:
        raise SpecificationInvalid(_unique(issues))
    return specification


# --- links -------------------------------------------------------------------------------------

# A scheme as a browser reads it: leading spaces and control characters, and tabs and line
# breaks anywhere, are dropped first (so "java\tscript:" is javascript:).
_SCHEME = re.compile(r"^[\x00-\x20]*[a-z][a-z0-9+.\-\t\n\r]*:", re.IGNORECASE)


def _links(spec: Specification) -> Iterator[tuple[str, str | None]]:
    """Yield (element, value) of every field pages show as a link to a web page."""
    yield "homepage", spec.homepage
    yield "further_information_url", spec.further_information_url
    yield "quality_assurance.agency_url", spec.quality_assurance.agency_url
    yield "quality_assurance.link", spec.quality_assurance.link
    for index, body in enumerate(spec.awarding_bodies):
        yield f"awarding_bodies[{index}].homepage", body.homepage


def link_issues(spec: Specification) -> list[ComplianceIssue]:
    """Return an issue for each link that is not an http(s) URL.

    A page shows these fields as links; a ``javascript:`` or ``data:`` link would run or show
    whatever the writer put there, so only web addresses get in. The guidance contact may also
    be an e-mail address, or text without a scheme (the compliance report judges that one).
    """
    issues = [
        _issue(element, f"'{value}' is not a web address: write it as https://...")
        for element, value in _links(spec)
        if value is not None and not is_url(value)
    ]
    contact = spec.guidance_contact
    if contact and not (is_email(contact) or is_url(contact)) and _SCHEME.match(contact):
        message = f"'{contact}' is neither an e-mail address nor a web address (https://...)"
        issues.append(_issue("guidance_contact", message))
    return issues


def _unique(issues: list[ComplianceIssue]) -> list[ComplianceIssue]:
    seen: set[tuple[str, str]] = set()
    unique = []
    for issue in issues:
        key = (issue.element, issue.message)
        if key not in seen:
            seen.add(key)
            unique.append(issue)
    return unique
