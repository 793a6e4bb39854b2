"""Searching the catalogue by title in any language, field, level, workload, mode and status."""

from __future__ import annotations

import pytest
from catalogue_specs import BLENDED, ONLINE, PRESENTIAL, course, published_then_revised

from microcred.services.catalogue import (
    Catalogue,
    CatalogueQuery,
    Institution,
    SpecificationRecord,
    SpecificationStatus,
)


def titles(records: list[SpecificationRecord]) -> set[str]:
    return {record.specification.title["en"] for record in records}


@pytest.fixture
def shelf(catalogue: Catalogue, institution: Institution) -> Catalogue:
    """A catalogue of four published courses and one draft, from two institutions."""
    other = catalogue.ensure_institution("hs-other", {"de": "Hochschule Anderswo"})
    published = [
        (institution, course({"en": "Data Literacy", "de": "Datenkompetenz"}, 5, 6, "0613")),
        (institution, course({"en": "Machine Learning Basics"}, 10, 7, "0619", (BLENDED,))),
        (
            other,
            course({"en": "Care Robotics", "de": "Pflegerobotik"}, 3, 5, "0913", (PRESENTIAL,)),
        ),
        (other, course({"en": "Green Accounting"}, 30, 7, "0411", (ONLINE, BLENDED))),
    ]
    for owner, spec in published:
        catalogue.publish(catalogue.create(owner.slug, spec).id)
    catalogue.create(institution.slug, course({"en": "Draft Data Ethics"}, 4, 6, "0613"))
    return catalogue


def test_text_matches_an_english_title_whatever_its_case(shelf: Catalogue) -> None:
    assert titles(shelf.search(CatalogueQuery(text="LITERACY"))) == {"Data Literacy"}


def test_text_matches_a_german_title(shelf: Catalogue) -> None:
    assert titles(shelf.search(CatalogueQuery(text="pflegeroboti"))) == {"Care Robotics"}
    assert titles(shelf.search(CatalogueQuery(text="KOMPETENZ"))) == {"Data Literacy"}


def test_text_wildcards_match_only_themselves(shelf: Catalogue) -> None:
    assert shelf.search(CatalogueQuery(text="%")) == []
    assert shelf.search(CatalogueQuery(text="Data_Literacy")) == []


def test_eqf_level_filters_exactly(shelf: Catalogue) -> None:
    found = shelf.search(CatalogueQuery(eqf=7))
    assert titles(found) == {"Machine Learning Basics", "Green Accounting"}


def test_ects_range_includes_both_ends(shelf: Catalogue) -> None:
    found = shelf.search(CatalogueQuery(ects_min=4, ects_max=10))
    assert titles(found) == {"Data Literacy", "Machine Learning Basics", "Draft Data Ethics"}


def test_mode_matches_any_of_the_modes_of_a_course(shelf: Catalogue) -> None:
    found = shelf.search(CatalogueQuery(mode=BLENDED))
    assert titles(found) == {"Machine Learning Basics", "Green Accounting"}


def test_isced_prefix_matches_every_code_below_it(shelf: Catalogue) -> None:
    assert titles(shelf.search(CatalogueQuery(isced_f="061"))) == {
        "Data Literacy",
        "Machine Learning Basics",
        "Draft Data Ethics",
    }
    assert titles(
        shelf.search(CatalogueQuery(isced_f="http://data.europa.eu/snb/isced-f/0619"))
    ) == {"Machine Learning Basics"}


def test_status_published_leaves_out_drafts(shelf: Catalogue) -> None:
    found = shelf.search(CatalogueQuery(status=SpecificationStatus.published, isced_f="0613"))
    assert titles(found) == {"Data Literacy"}


def test_institution_filters_by_slug(shelf: Catalogue) -> None:
    found = shelf.search(CatalogueQuery(institution="hs-other"))
    assert titles(found) == {"Care Robotics", "Green Accounting"}
    assert {record.institution for record in found} == {"hs-other"}


def test_criteria_combine(shelf: Catalogue) -> None:
    found = shelf.search(CatalogueQuery(text="a", eqf=7, mode=ONLINE))
    assert titles(found) == {"Green Accounting"}


def test_each_specification_appears_once_as_its_latest_version(
    catalogue: Catalogue, institution: Institution
) -> None:
    published_then_revised(catalogue, institution.slug, "Old title", "New title")

    everything = catalogue.search(CatalogueQuery())
    published = catalogue.search(CatalogueQuery(status=SpecificationStatus.published))

    assert [(r.version, r.status) for r in everything] == [(2, SpecificationStatus.draft)]
    assert [(r.version, r.specification.title["en"]) for r in published] == [(1, "Old title")]
    assert catalogue.search(CatalogueQuery(text="old")) == []


def test_limit_and_offset_page_through_the_results(shelf: Catalogue) -> None:
    query = CatalogueQuery(limit=2)
    pages = [shelf.search(query.model_copy(update={"offset": n})) for n in (0, 2, 4)]
    assert [len(page) for page in pages] == [2, 2, 1]
    assert len({record.id for page in pages for record in page}) == 5
    assert shelf.count(query) == 5


def test_newest_change_comes_first(shelf: Catalogue) -> None:
    found = shelf.search(CatalogueQuery())
    assert found[0].specification.title["en"] == "Draft Data Ethics"
    assert [r.updated_at for r in found] == sorted((r.updated_at for r in found), reverse=True)
