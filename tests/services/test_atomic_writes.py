"""A write that fails leaves nothing behind (the store tests interrupt a transaction half-way)."""

from __future__ import annotations

import pytest
from catalogue_specs import course

from microcred.services.catalogue import (
    Catalogue,
    CatalogueQuery,
    Institution,
    InstitutionNotFound,
    InvalidInput,
)


def test_create_for_an_unknown_institution_leaves_no_rows(
    catalogue: Catalogue, institution: Institution
) -> None:
    with pytest.raises(InstitutionNotFound, match="'uni-nowhere'.*known: uni-example"):
        catalogue.create("uni-nowhere", course({"en": "Data literacy"}))
    assert catalogue.count(CatalogueQuery()) == 0
    assert catalogue.search(CatalogueQuery()) == []


def test_raw_dict_instead_of_a_specification_is_refused_and_adds_no_version(
    catalogue: Catalogue, institution: Institution
) -> None:
    created = catalogue.create(institution.slug, course({"en": "Data literacy"}))
    catalogue.publish(created.id)
    raw = {"title": {"en": "not validated"}}
    with pytest.raises(InvalidInput, match="parse_specification"):
        catalogue.update(created.id, raw)  # type: ignore[arg-type]
    assert [v.version for v in catalogue.versions(created.id)] == [1]
