"""A catalogue query is checked before any SQL runs; bad criteria say how to fix them."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from microcred.services.catalogue_query import CatalogueQuery


def test_ects_minimum_above_maximum_is_refused() -> None:
    with pytest.raises(ValidationError, match=r"ects_min \(10\) is greater than ects_max \(5\)"):
        CatalogueQuery(ects_min=10, ects_max=5)


def test_isced_f_that_is_not_a_code_is_refused_with_an_example() -> None:
    with pytest.raises(ValidationError, match="not an ISCED-F code.*'0613'"):
        CatalogueQuery(isced_f="computing")


def test_isced_f_uri_becomes_its_code() -> None:
    assert CatalogueQuery(isced_f="http://data.europa.eu/snb/isced-f/0613").isced_f == "0613"


def test_eqf_uri_becomes_its_level() -> None:
    assert CatalogueQuery(eqf="http://data.europa.eu/snb/eqf/7").eqf == 7


def test_eqf_outside_one_to_eight_is_refused() -> None:
    with pytest.raises(ValidationError, match="eqf"):
        CatalogueQuery(eqf=9)


def test_blank_form_fields_count_as_absent() -> None:
    query = CatalogueQuery.model_validate({"text": "  ", "isced_f": "", "eqf": "", "status": ""})
    assert (query.text, query.isced_f, query.eqf, query.status) == (None, None, None, None)


def test_unknown_criterion_is_refused() -> None:
    with pytest.raises(ValidationError, match="colour"):
        CatalogueQuery.model_validate({"colour": "blue"})
