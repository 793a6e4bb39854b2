"""ELM concept nodes: a controlled value with its scheme (``inScheme``) and label (``prefLabel``).

EDC's SHACL profile generic-full checks each controlled value by the scheme the credential
itself states, so every concept is written whole, as in the Commission's sample.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from microcred.domain.vocabularies import get_vocabulary
from microcred.domain.vocabularies.catalogue import vocabulary_names
from microcred.domain.vocabularies.concepts import Vocabulary
from microcred.domain.vocabularies.languages import language_authority_uri

LANGUAGE_SCHEME = "http://publications.europa.eu/resource/authority/language"
COUNTRY_SCHEME = "http://publications.europa.eu/resource/authority/country"
FILE_TYPE_SCHEME = "http://publications.europa.eu/resource/authority/file-type"
ESCO_SKILL_SCHEME = "http://data.europa.eu/esco/concept-scheme/skills"
ENCODING_SCHEME = "http://data.europa.eu/snb/encoding/25831c2"
BASE64 = "http://data.europa.eu/snb/encoding/6146cde7dd"
SUPERVISION_SCHEME = "http://data.europa.eu/snb/supervision-verification/25831c2"
# Only this value of the ELM supervision scheme is known here (see EU-REFERENCE.md); the other
# Annex I values are minted under microcred's own scheme, labelled so any reader can map them.
UNSUPERVISED = "http://data.europa.eu/snb/supervision-verification/c598449d64"
MICROCRED_SUPERVISION_SCHEME = "urn:microcred:supervision-verification"
SUPERVISION_LABELS = {
    "unsupervised_no_id_verification": "Unsupervised without ID Verification",
    "supervised_no_id_verification": "Supervised without ID Verification",
    "supervised_online_with_id_verification": "Supervised online with ID Verification",
    "supervised_onsite_with_id_verification": "Supervised onsite with ID Verification",
}


def concept(
    uri: str, scheme: str, labels: dict[str, str] | None = None, notation: str | None = None
) -> dict[str, Any]:
    """Return a concept node as ELM writes it: id, type, inScheme and (when known) prefLabel."""
    node: dict[str, Any] = {
        "id": uri,
        "type": "Concept",
        "inScheme": {"id": scheme, "type": "ConceptScheme"},
    }
    if notation:
        node["notation"] = notation
    if labels:
        node["prefLabel"] = dict(labels)
    return node


def vocabulary_concept(uri: str) -> dict[str, Any]:
    """Return the node of a value from one of the shipped vocabularies (EQF, modes, countries...).

    Raises KeyError naming the value when no shipped vocabulary holds it.
    """
    vocabulary = vocabulary_of(uri)
    if vocabulary is None:
        raise KeyError(f"{uri!r} is in none of the shipped ELM vocabularies")
    known = vocabulary.concepts[uri]
    notation = "country" if vocabulary.scheme == COUNTRY_SCHEME else None
    return concept(uri, vocabulary.scheme, known.labels, notation)


@cache
def vocabulary_of(uri: str) -> Vocabulary | None:
    """Return the shipped vocabulary whose concepts include ``uri``, if any does."""
    for name in vocabulary_names():
        vocabulary = get_vocabulary(name)
        if uri in vocabulary:
            return vocabulary
    return None


def language_concept(code: str) -> dict[str, Any]:
    """Return the EU language authority concept for an ISO 639-1 code ('en' -> .../ENG)."""
    labels = get_vocabulary("language").concepts.get(code)
    return concept(
        language_authority_uri(code),
        LANGUAGE_SCHEME,
        labels.labels if labels else None,
        "language",
    )


def skill_concept(uri: str, label: str | None) -> dict[str, Any]:
    """Return an ESCO skill concept; without a known label it carries none rather than a guess."""
    return concept(uri, ESCO_SKILL_SCHEME, {"en": label} if label else None, "Skill")


def supervision_concept(value: str) -> dict[str, Any]:
    """Return the concept for an Annex I supervision and identity-verification value."""
    label = {"en": SUPERVISION_LABELS[value]}
    if value == "unsupervised_no_id_verification":
        return concept(UNSUPERVISED, SUPERVISION_SCHEME, label)
    return concept(f"{MICROCRED_SUPERVISION_SCHEME}:{value}", MICROCRED_SUPERVISION_SCHEME, label)


def file_type_concept(kind: str) -> dict[str, Any]:
    """Return the EU file-type concept for 'PNG' or 'JPEG'."""
    return concept(f"{FILE_TYPE_SCHEME}/{kind}", FILE_TYPE_SCHEME, {"en": kind}, "file-type")


def base64_concept() -> dict[str, Any]:
    return concept(BASE64, ENCODING_SCHEME, {"en": "base64"})
