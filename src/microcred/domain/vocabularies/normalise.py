"""Turn what a designer types (a level number, a field code, a label) into a concept URI."""

from __future__ import annotations

import re

from microcred.domain.vocabularies.catalogue import get_vocabulary
from microcred.domain.vocabularies.concepts import not_in
from microcred.domain.vocabularies.countries import normalise_country
from microcred.domain.vocabularies.languages import normalise_language

_EQF_PREFIX = re.compile(r"^(eqf|level|niveau)(\s*level)?\s*", re.IGNORECASE)


def normalise_concept(name: str, value: object) -> str:
    """Return the URI ``value`` stands for in vocabulary ``name``.

    Accepted: the URI (http or https), the short code at its end ("920fbb3cbe", "0613"), or a
    label in any loaded language when exactly one concept has it ("Online", "Präsenz").
    """
    if name == "country":
        return normalise_country(value)
    if name == "language":
        return normalise_language(value)
    vocabulary = get_vocabulary(name)
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise not_in(vocabulary, value)
    text = str(value).strip()
    if text.startswith("https://"):
        text = "http://" + text.removeprefix("https://")
    if text in vocabulary:
        return text
    if name == "eqf":
        text = _EQF_PREFIX.sub("", text)
    uri = vocabulary.by_notation(text) or vocabulary.by_label(text)
    if uri is None:
        raise not_in(vocabulary, value)
    return uri


def normalise_eqf(value: object) -> str:
    """Return the EQF level URI of 6, "6", "EQF 6", "Level 6" or the URI itself."""
    return normalise_concept("eqf", value)


def normalise_isced(value: object) -> str:
    """Return the ISCED-F URI of a field code such as "0613" or the URI itself."""
    return normalise_concept("isced-f", value)


def eqf_number(uri: str) -> int | None:
    """Return the level number of an EQF URI (6 for .../eqf/6), None if it is not one."""
    concept = get_vocabulary("eqf").concepts.get(uri)
    return int(concept.notation) if concept else None


QF_EHEA_CYCLE_TO_EQF = {"short": 5, "first": 6, "second": 7, "third": 8}
