"""Vocabularies: the shipped code lists, their labels, and normalising what designers type."""

from __future__ import annotations

import pytest
from spec_changes import COUNTRY, SNB

from microcred.domain.specification import Specification
from microcred.domain.vocabularies import (
    VOCABULARY_FOR_FIELD,
    UnknownConcept,
    UnknownVocabulary,
    choices,
    eu_country_code,
    get_vocabulary,
    is_esco_skill_uri,
    label,
    language_authority_uri,
    normalise_concept,
    normalise_country,
    normalise_eqf,
    normalise_esco_skill,
    normalise_isced,
    normalise_language,
    vocabulary_names,
)


@pytest.mark.parametrize(
    ("name", "count"),
    [
        ("eqf", 8),
        ("isced-f", 220),
        ("assessment", 17),  # 14 ELM 3.2 concepts + 3 later additions
        ("learning-mode", 7),  # 6 ELM 3.2 concepts + Hybrid
        ("learning-setting", 2),
        ("learning-schedule", 3),
        ("accreditation", 4),
        ("target-group", 20),
        ("learning-opportunity", 12),
        ("credit-system", 2),
        ("country", 252),
        ("language", 24),
    ],
)
def test_vocabulary_has_the_expected_number_of_concepts(name: str, count: int) -> None:
    assert len(get_vocabulary(name)) == count


def test_isced_f_holds_broad_narrow_and_detailed_fields() -> None:
    isced = get_vocabulary("isced-f")
    assert f"{SNB}/isced-f/06" in isced
    assert f"{SNB}/isced-f/061" in isced
    assert f"{SNB}/isced-f/0613" in isced
    assert isced.label(f"{SNB}/isced-f/0688").startswith("Inter-disciplinary programmes")


def test_learning_modes_use_the_europass_modes_scheme() -> None:
    modes = get_vocabulary("learning-mode")
    assert modes.scheme == f"{SNB}/learning-assessment/25831c2"
    assert modes.label(f"{SNB}/learning-assessment/920fbb3cbe") == "Online"
    assert modes.label(f"{SNB}/learning-assessment/e92d221e4d", "de") == "Blended Learning"


def test_accreditation_labels_come_from_the_elm_list_not_the_seed() -> None:
    qa = get_vocabulary("accreditation")
    assert qa.label(f"{SNB}/accreditation/003293d2ce") == "Institutional License"
    assert qa.label(f"{SNB}/accreditation/bb4618238e") == "Institutional Quality Assurance"


def test_labels_lose_the_line_breaks_of_their_xsd_source() -> None:
    groups = get_vocabulary("target-group")
    text = groups.label(f"{SNB}/target-group/527a6f97eb")
    assert text == "Persons who have completed tertiary education (EQF 7)"


def test_german_label_with_english_fallback() -> None:
    assert label(f"{SNB}/eqf/6", "de") == "Niveau 6"
    assert label(f"{SNB}/eqf/6", "de-AT") == "Niveau 6"
    assert label(f"{SNB}/eqf/6", "fr") == "Level 6"
    assert label(f"{SNB}/isced-f/0542", "de") == "Statistik"
    assert label(f"{SNB}/isced-f/0542", "fr") == "Statistics"  # no French: English


def test_country_labels_in_german_come_from_iso_3166_translations() -> None:
    assert label(f"{COUNTRY}/GRC") == "Greece"
    assert label(f"{COUNTRY}/GRC", "de") == "Griechenland"


def test_label_of_an_unknown_uri_is_the_uri() -> None:
    assert label("http://example.org/nothing") == "http://example.org/nothing"


def test_label_finds_concepts_in_any_vocabulary() -> None:
    assert label(f"{SNB}/assessment/6e6cb2cc78", "de") == "schriftliche Prüfung"
    assert label(f"{SNB}/learning-schedule/72a0ab92fa") == "Full time"
    assert label("de", "de") == "Deutsch"


def test_choices_give_uri_and_label_pairs_in_scheme_order() -> None:
    assert choices("learning-setting", "de") == [
        (f"{SNB}/learning-setting/6fd4685715", "formales Lernen"),
        (f"{SNB}/learning-setting/e207a81fc7", "nicht-formales Lernen"),
    ]
    assert [uri for uri, _ in choices("eqf")] == [f"{SNB}/eqf/{n}" for n in range(1, 9)]


def test_every_field_named_for_a_vocabulary_exists_and_the_vocabulary_too() -> None:
    fields = Specification.model_fields
    for path, name in VOCABULARY_FOR_FIELD.items():
        assert path.split(".")[0] in fields
        assert name in vocabulary_names()
        assert len(get_vocabulary(name)) > 0


def test_unknown_vocabulary_name_lists_the_known_ones() -> None:
    with pytest.raises(UnknownVocabulary, match="known: accreditation, assessment"):
        get_vocabulary("eqf-levels")


@pytest.mark.parametrize("value", ["EL", "GR", "el", "GRC", f"{COUNTRY}/GRC", "Greece"])
def test_greece_is_accepted_as_el_and_gr(value: str) -> None:
    assert normalise_country(value) == f"{COUNTRY}/GRC"


@pytest.mark.parametrize(
    ("value", "alpha3"),
    [
        ("DE", "DEU"),
        ("DEU", "DEU"),
        ("UK", "GBR"),
        ("GB", "GBR"),
        ("XK", "1A0"),
        ("Deutschland", "DEU"),
    ],
)
def test_countries_are_normalised_from_alpha_2_alpha_3_and_names(value: str, alpha3: str) -> None:
    assert normalise_country(value) == f"{COUNTRY}/{alpha3}"


def test_eu_country_code_writes_greece_as_el() -> None:
    assert eu_country_code(f"{COUNTRY}/GRC") == "EL"
    assert eu_country_code(f"{COUNTRY}/DEU") == "DE"


def test_unknown_country_names_the_table_and_an_example() -> None:
    with pytest.raises(UnknownConcept) as raised:
        normalise_country("QQ")
    assert raised.value.vocabulary == "country"
    assert "http://publications.europa.eu/resource/authority/country" in raised.value.message
    assert "'DE'" in raised.value.message


@pytest.mark.parametrize("value", [6, "6", "EQF 6", "Level 6", "Niveau 6", f"{SNB}/eqf/6"])
def test_eqf_levels_are_normalised(value: object) -> None:
    assert normalise_eqf(value) == f"{SNB}/eqf/6"


@pytest.mark.parametrize("value", [0, 9, "6.5", True, None])
def test_eqf_outside_1_to_8_is_refused(value: object) -> None:
    with pytest.raises(UnknownConcept, match=r"use http://data.europa.eu/snb/eqf/1 \.\.\. /8"):
        normalise_eqf(value)


def test_isced_codes_are_normalised_and_kept_as_strings() -> None:
    assert normalise_isced("0613") == f"{SNB}/isced-f/0613"
    assert normalise_isced("https://data.europa.eu/snb/isced-f/06") == f"{SNB}/isced-f/06"
    with pytest.raises(UnknownConcept):
        normalise_isced("613")  # the leading zero is part of the code


def test_concepts_are_found_by_short_code_and_unique_label() -> None:
    assert normalise_concept("assessment", "6e6cb2cc78") == f"{SNB}/assessment/6e6cb2cc78"
    assert normalise_concept("assessment", "Written Examination") == f"{SNB}/assessment/6e6cb2cc78"
    assert normalise_concept("learning-mode", "Präsenz") == f"{SNB}/learning-assessment/9191af2ed9"


def test_ambiguous_label_is_not_guessed() -> None:
    # ISCED-F has "Field unknown" at three levels (99, 999, 9999).
    with pytest.raises(UnknownConcept):
        normalise_isced("Field unknown")


@pytest.mark.parametrize(
    ("value", "code"),
    [("en", "en"), ("EN", "en"), ("eng", "en"), ("ell", "el"), ("no", "no"), ("Deutsch", "de")],
)
def test_languages_are_normalised_to_iso_639_1(value: str, code: str) -> None:
    assert normalise_language(value) == code


def test_eu_languages_are_the_24_official_ones() -> None:
    codes = set(get_vocabulary("language").concepts)
    assert {"ga", "mt", "hr", "el", "en"} <= codes
    assert "no" not in codes


def test_language_authority_uri_uses_the_eu_table() -> None:
    assert (
        language_authority_uri("en")
        == "http://publications.europa.eu/resource/authority/language/ENG"
    )
    assert language_authority_uri("el").endswith("/ELL")


def test_esco_skill_uris_are_recognised_by_form() -> None:
    uri = "http://data.europa.eu/esco/skill/2b92a5b2-6758-4ee3-9fb4-b6387a55cc8f"
    assert is_esco_skill_uri(uri)
    assert not is_esco_skill_uri("http://data.europa.eu/esco/skill/perform-data-analysis")
    assert normalise_esco_skill(uri.replace("http:", "https:")) == uri
    assert normalise_esco_skill("2b92a5b2-6758-4ee3-9fb4-b6387a55cc8f") == uri
