"""One row's cells to a specification document (plain data, validated by the domain after)."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from microcred.domain.vocabularies.languages import is_language_code
from microcred.formats.catalogue.cells import (
    ASSESSMENT_WORDS,
    MODE_WORDS,
    QA_WORDS,
    SETTING_WORDS,
    code_for,
    code_or_none,
    eqf_level,
    first_of,
    grading_scheme,
    isced_code,
    iso_duration,
    lower_or_none,
    names_higher_education,
    number_in,
    outcomes_by_position,
    price_of,
    split_cell,
    stackability_of,
    supervision_code,
    without_empty,
    yes_or_no,
)
from microcred.formats.catalogue.columns import REQUIRED
from microcred.formats.catalogue.programmes import Provider, RowError

RowValues = dict[str, dict[str | None, str]]  # column -> language (None: the row's) -> text

# Cells that say "nothing here" in the words surveys use: read as empty.
BLANK = {"-", "–", "—", "n/a", "na", "k.a.", "k. a.", "none", "keine angabe", "?"}


def row_document(values: RowValues) -> tuple[Provider, dict[str, Any]]:
    """Return the provider and the specification document (plain data) of one row."""
    missing = [name for name in REQUIRED if name not in values]
    if missing:
        raise RowError(
            f"no {' and no '.join(missing)}: every programme needs its institution and a title "
            "(map differently named columns with --column NAME=HEADER or a mapping file)"
        )
    plain = {name: texts.get(None) or next(iter(texts.values())) for name, texts in values.items()}
    languages = split_cell(plain.get("languages"))
    text_language = (plain.get("text_language") or (languages[0] if languages else "en")).lower()
    if not is_language_code(text_language):
        raise RowError(f"text_language: '{text_language}' is not an ISO 639-1 code such as 'de'")
    is_hei = names_higher_education(plain.get("institution_type"))
    name = plain["institution"]
    # The institution is where it says it is; else where its programmes are issued from.
    country = plain.get("institution_country") or first_of(split_cell(plain.get("country")))
    provider = Provider(provider_slug(name), {text_language: name}, country, is_hei)

    def texts(column: str) -> dict[str, str]:
        given = values.get(column, {})
        return {(lang or text_language): text for lang, text in given.items()}

    document: dict[str, Any] = {
        "title": texts("title"),
        "local_label": plain.get("local_label"),
        "issuer_countries": split_cell(plain.get("country") or country),
        "awarding_bodies": [
            {
                "name": {text_language: plain.get("awarding_body") or name},
                "country": first_of(split_cell(plain.get("country") or country)),
                "is_higher_education": bool(is_hei),
            }
        ],
        "learning_outcomes": outcomes_by_position(
            values.get("learning_outcomes", {}), text_language
        ),
        "workload": {
            "ects": number_in(plain.get("ects"), "ects"),
            "hours": number_in(plain.get("hours"), "hours"),
        },
        "level": {
            "eqf": eqf_level(plain.get("eqf")),
            "qf_ehea_cycle": lower_or_none(plain.get("qf_ehea_cycle")),
            "nqf": plain.get("nqf"),
        },
        "assessment": {
            "types": [
                code_for(item, ASSESSMENT_WORDS) for item in split_cell(plain.get("assessment"))
            ],
            "criteria": texts("assessment_criteria"),
        },
        "participation": {
            "modes": [code_for(item, MODE_WORDS) for item in split_cell(plain.get("modes"))],
            "learning_setting": code_or_none(plain.get("learning_setting"), SETTING_WORDS),
            "weekly_hours": number_in(plain.get("weekly_hours"), "weekly_hours"),
        },
        "quality_assurance": {
            "types": [code_for(item, QA_WORDS) for item in split_cell(plain.get("qa_type"))],
            "internal": yes_or_no(plain.get("qa_internal"), "qa_internal"),
            "external": yes_or_no(plain.get("qa_external"), "qa_external"),
            "esg_compliant": yes_or_no(plain.get("qa_esg"), "qa_esg"),
        },
        "prerequisites": texts("prerequisites"),
        "supervision": supervision_code(plain.get("supervision")),
        "grading_scheme": grading_scheme(plain.get("grading"), text_language),
        "stackability": stackability_of(plain.get("stackability"), texts("stacks_into")),
        "isced_f": [isced_code(code) for code in split_cell(plain.get("isced_f"))],
        "languages_of_instruction": languages,
        "duration": iso_duration(plain.get("duration")),
        "price": price_of(plain.get("price"), plain.get("currency")),
        "recognition": texts("recognition"),
        "relevance": texts("relevance"),
        "description": texts("description"),
        "further_information": texts("further_information"),
        "homepage": plain.get("homepage"),
        "guidance_contact": plain.get("guidance_contact"),
    }
    return provider, without_empty(document)


def provider_slug(name: str) -> str:
    """Return the catalogue slug of an institution name: "Universität X" -> "universitat-x"."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:100].strip("-") or "provider"
