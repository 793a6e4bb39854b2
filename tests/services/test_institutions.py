"""Institutions own specifications; ensuring one twice updates it instead of duplicating it."""

from __future__ import annotations

import pytest
from catalogue_specs import GERMANY

from microcred.services.catalogue import Catalogue, InvalidInput


def test_ensure_institution_creates_it_once_and_updates_its_details(catalogue: Catalogue) -> None:
    first = catalogue.ensure_institution("uni-a", {"en": "University A"}, GERMANY)
    again = catalogue.ensure_institution(
        "uni-a", {"en": "University A", "de": "Universität A"}, GERMANY, is_higher_education=False
    )
    assert again.id == first.id
    assert again.name == {"en": "University A", "de": "Universität A"}
    assert again.is_higher_education is False
    assert [i.slug for i in catalogue.list_institutions()] == ["uni-a"]


def test_institutions_are_listed_by_slug(catalogue: Catalogue) -> None:
    for slug in ["uni-c", "uni-a", "uni-b"]:
        catalogue.ensure_institution(slug, {"en": slug.upper()})
    assert [i.slug for i in catalogue.list_institutions()] == ["uni-a", "uni-b", "uni-c"]


@pytest.mark.parametrize("slug", ["", "Uni A", "uni_a", "-uni", "uni-"])
def test_slug_that_is_not_lower_case_words_with_hyphens_is_refused(
    catalogue: Catalogue, slug: str
) -> None:
    with pytest.raises(InvalidInput, match="lower-case letters, digits and inner hyphens"):
        catalogue.ensure_institution(slug, {"en": "University"})
    assert catalogue.list_institutions() == []


def test_name_keyed_by_something_not_a_language_is_refused(catalogue: Catalogue) -> None:
    with pytest.raises(InvalidInput, match="'english' is not a language tag"):
        catalogue.ensure_institution("uni-a", {"english": "University A"})


def test_empty_name_is_refused(catalogue: Catalogue) -> None:
    with pytest.raises(InvalidInput, match="at least one language"):
        catalogue.ensure_institution("uni-a", {})


def test_country_given_as_a_code_is_stored_as_its_uri(catalogue: Catalogue) -> None:
    institution = catalogue.ensure_institution("uni-a", {"en": "University A"}, country="DE")
    assert institution.country == GERMANY


def test_unknown_country_is_refused_naming_the_authority_table(catalogue: Catalogue) -> None:
    with pytest.raises(InvalidInput, match="'Atlantis' is not in .*authority/country"):
        catalogue.ensure_institution("uni-a", {"en": "University A"}, country="Atlantis")
    assert catalogue.list_institutions() == []
