"""Imported programmes become drafts of their institutions, once; bad rows store nothing."""

from __future__ import annotations

from pathlib import Path

from microcred.services.catalogue import Catalogue, CatalogueQuery, SpecificationStatus
from microcred.services.mapping import (
    catalogue_programmes,
    classify_all,
    read_catalogues,
    store_programmes,
    summarise,
)
from microcred.services.mapping.demo import read_demo_survey, seed_mapping_demo


def test_demo_survey_is_stored_as_drafts_once(catalogue: Catalogue) -> None:
    first = seed_mapping_demo(catalogue)
    assert len(first.created) == 66
    assert {record.status for record in first.created} == {SpecificationStatus.draft}
    assert len(first.problems) == 2
    assert len(first.institutions) == 6
    again = seed_mapping_demo(catalogue)
    assert again.created == [] and len(again.existing) == 66
    assert catalogue.count(CatalogueQuery()) == 66


def test_stored_catalogue_maps_like_the_files(catalogue: Catalogue) -> None:
    survey = read_demo_survey()
    store_programmes(catalogue, survey.programmes)
    from_files = summarise(classify_all(survey.programmes))
    from_catalogue = summarise(classify_all(catalogue_programmes(catalogue)))
    assert from_catalogue.meets == from_files.meets
    assert from_catalogue.missing == from_files.missing
    koivula = catalogue_programmes(catalogue, ["university-of-koivula"])
    assert len(koivula) == 12
    assert {p.provider.slug for p in koivula} == {"university-of-koivula"}


def test_malformed_row_stores_nothing_of_itself(catalogue: Catalogue, tmp_path: Path) -> None:
    path = tmp_path / "catalogue.csv"
    path.write_text(
        "Institution,Institution country,Title,ECTS\n"
        "Uni Nord,DE,Good course,5\n"
        "Uni Nord,DE,Broken course,many\n",
        encoding="utf-8",
    )
    survey = read_catalogues([path])
    result = store_programmes(catalogue, survey.programmes)
    assert [r.specification.title["en"] for r in result.created] == ["Good course"]
    assert [(p.row, p.reason.split(":")[0]) for p in survey.problems] == [(3, "ects")]
    assert catalogue.count(CatalogueQuery(text="Broken")) == 0
    [institution] = [i for i in catalogue.list_institutions() if i.slug == "uni-nord"]
    assert institution.country == "http://publications.europa.eu/resource/authority/country/DEU"
