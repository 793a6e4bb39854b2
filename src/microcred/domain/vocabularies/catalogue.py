"""The vocabularies microcred ships, loaded once from package data, and which field uses which."""

from __future__ import annotations

import gettext
import json
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

import pycountry

from microcred.domain.vocabularies.concepts import Concept, Vocabulary

DATA = files("microcred") / "data" / "vocabularies"
ELM_FILE = "elm-3.2-vocabularies-en.json"
# Interface languages other than English for which labels are loaded.
TRANSLATED_LANGUAGES = ("de",)


@dataclass(frozen=True)
class Source:
    """Where one vocabulary comes from and how a designer calls it."""

    elm_key: str  # key in the ELM file; "" for a vocabulary built elsewhere
    title: str
    example: str  # an allowed value for error messages
    hint: str = ""  # overrides "e.g. <example> (<label>)"


SOURCES: dict[str, Source] = {
    "eqf": Source(
        "eqf",
        "EQF",
        "http://data.europa.eu/snb/eqf/6",
        hint="use http://data.europa.eu/snb/eqf/1 ... /8",
    ),
    "isced-f": Source(
        "isced-f",
        "ISCED-F 2013",
        "http://data.europa.eu/snb/isced-f/0613",
        hint="use a 2-, 3- or 4-digit field code such as http://data.europa.eu/snb/isced-f/0613"
        " (Software and applications development and analysis)",
    ),
    "assessment": Source(
        "europass-learning-assessment-types",
        "assessment types",
        "http://data.europa.eu/snb/assessment/6e6cb2cc78",
    ),
    "learning-mode": Source(
        "europass-modes",
        "learning modes",
        "http://data.europa.eu/snb/learning-assessment/920fbb3cbe",
    ),
    "learning-setting": Source(
        "europass-learning-setting-types",
        "learning settings",
        "http://data.europa.eu/snb/learning-setting/e207a81fc7",
    ),
    "learning-schedule": Source(
        "europass-learning-schedule-types",
        "learning schedules",
        "http://data.europa.eu/snb/learning-schedule/67395e6b5a",
    ),
    "accreditation": Source(
        "europass-accreditation-types",
        "accreditation and quality-assurance types",
        "http://data.europa.eu/snb/accreditation/bb4618238e",
    ),
    "target-group": Source(
        "europass-target-groups",
        "target groups",
        "http://data.europa.eu/snb/target-group/cbedf28444",
    ),
    "learning-opportunity": Source(
        "europass-learning-opportunity-types",
        "learning-opportunity types",
        "http://data.europa.eu/snb/learning-opportunity/74a4a268e8",
    ),
    "learning-activity": Source(
        "europass-learning-activity-types",
        "learning-activity types",
        "http://data.europa.eu/snb/learning-activity/bf2e3a7bae",
    ),
    "credit-system": Source(
        "credit-points", "credit systems", "http://data.europa.eu/snb/education-credit/6fcec5c5af"
    ),
    "credential-type": Source(
        "europass-credential-types",
        "credential types",
        "http://data.europa.eu/snb/credential/e34929035b",
    ),
    "country": Source(
        "country",
        "countries (EU country authority table)",
        "http://publications.europa.eu/resource/authority/country/DEU",
        hint="use an ISO 3166 code such as 'DE' or 'DEU', or"
        " http://publications.europa.eu/resource/authority/country/DEU",
    ),
    "language": Source(
        "",
        "EU languages (ISO 639-1)",
        "en",
        hint="use a two-letter ISO 639-1 code such as 'en' or 'de'",
    ),
}

# Which Specification field takes its values from which vocabulary (dotted paths; for lists,
# every item). The web form builds its <select>s from this.
VOCABULARY_FOR_FIELD: dict[str, str] = {
    "issuer_countries": "country",
    "awarding_bodies.country": "country",
    "level.eqf": "eqf",
    "assessment.types": "assessment",
    "participation.modes": "learning-mode",
    "participation.learning_setting": "learning-setting",
    "participation.schedule": "learning-schedule",
    "quality_assurance.types": "accreditation",
    "isced_f": "isced-f",
    "target_groups": "target-group",
    "languages_of_instruction": "language",
}


class UnknownVocabulary(KeyError):
    """Raised for a vocabulary name microcred does not ship."""


def _read_json(name: str) -> Any:
    return json.loads(DATA.joinpath(name).read_text(encoding="utf-8"))


@cache
def _elm_data() -> dict[str, Any]:
    data: dict[str, Any] = _read_json(ELM_FILE)
    return data


@cache
def _german_labels() -> dict[str, str]:
    return {uri: text for uri, text in _read_json("labels-de.json").items() if uri != "_note"}


def _clean(label: str) -> str:
    # The ELM labels keep the line breaks and indentation of their XSD source.
    return " ".join(label.split())


def _country_labels(lang: str) -> dict[str, str]:
    """Return alpha-3 -> country name in ``lang`` from pycountry's ISO 3166 translations."""
    try:
        translation = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang])
    except OSError:
        return {}
    return {country.alpha_3: translation.gettext(country.name) for country in pycountry.countries}


def _elm_concepts(name: str, source: Source) -> dict[str, Concept]:
    entries = list(_elm_data()[source.elm_key]["concepts"])
    entries += _read_json("additions.json").get(source.elm_key, [])
    german = _german_labels()
    translated = {lang: _country_labels(lang) for lang in TRANSLATED_LANGUAGES}
    concepts: dict[str, Concept] = {}
    for entry in entries:
        uri = entry["uri"]
        notation = uri.rsplit("/", 1)[1]
        if notation.startswith("OP_"):
            continue  # Publications Office placeholders such as "Provisional data" are no values
        labels = {"en": _clean(entry["label_en"])}
        if uri in german:
            labels["de"] = german[uri]
        if name == "country":
            for lang, names in translated.items():
                if notation in names:
                    labels[lang] = names[notation]
        concepts[uri] = Concept(uri=uri, labels=labels, notation=notation)
    return concepts


def _language_concepts() -> dict[str, Concept]:
    concepts: dict[str, Concept] = {}
    for entry in _read_json("eu-languages.json")["languages"]:
        labels = {"en": entry["en"], "de": entry["de"]}
        concepts[entry["code"]] = Concept(uri=entry["code"], labels=labels, notation=entry["code"])
    return concepts


def _elm_scheme(source: Source) -> str:
    scheme: str = _elm_data()[source.elm_key]["scheme"]
    return scheme


@cache
def get_vocabulary(name: str) -> Vocabulary:
    """Return the vocabulary called ``name`` (see ``SOURCES``), loaded from package data."""
    source = SOURCES.get(name)
    if source is None:
        known = ", ".join(sorted(SOURCES))
        raise UnknownVocabulary(f"no vocabulary called '{name}'; known: {known}")
    if source.elm_key:
        concepts = _elm_concepts(name, source)
        scheme = _elm_scheme(source)
    else:
        concepts = _language_concepts()
        scheme = "urn:iso:std:iso:639:-1"
    example = concepts[source.example]
    hint = source.hint or f"e.g. {example.uri} ({example.label()})"
    return Vocabulary(name=name, title=source.title, scheme=scheme, concepts=concepts, hint=hint)


def vocabulary_names() -> list[str]:
    """Return the names ``get_vocabulary`` accepts."""
    return list(SOURCES)


@cache
def _owner_of(prefix: str) -> Vocabulary | None:
    for name in SOURCES:
        vocabulary = get_vocabulary(name)
        if any(uri.startswith(prefix) for uri in vocabulary.concepts):
            return vocabulary
    return None


def find_concept(uri: str) -> Concept | None:
    """Return the concept ``uri`` names in any shipped vocabulary, or None."""
    if "/" not in uri:
        return get_vocabulary("language").concepts.get(uri)
    vocabulary = _owner_of(uri.rsplit("/", 1)[0] + "/")
    return vocabulary.concepts.get(uri) if vocabulary else None


def label(uri: str, lang: str = "en") -> str:
    """Return the label of ``uri`` in ``lang`` from whichever vocabulary holds it; else the URI."""
    concept = find_concept(uri)
    return concept.label(lang) if concept else uri


def choices(name: str, lang: str = "en") -> list[tuple[str, str]]:
    """Return (uri, label) pairs of vocabulary ``name`` for a form's <select>."""
    return get_vocabulary(name).choices(lang)
