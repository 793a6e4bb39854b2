"""The search columns are derived from the document the same way for every database."""

from __future__ import annotations

from microcred.domain.specification import Level, Participation, Specification, Workload
from microcred.store.search_columns import search_columns

ONLINE = "http://data.europa.eu/snb/learning-assessment/920fbb3cbe"
BLENDED = "http://data.europa.eu/snb/learning-assessment/e92d221e4d"


def test_title_text_holds_every_language_lower_cased() -> None:
    spec = Specification(title={"en": "Data Literacy", "de": "Datenkompetenz im BÜRO"})
    assert search_columns(spec)["title_text"] == "data literacy\ndatenkompetenz im büro"


def test_isced_codes_are_stored_as_delimited_codes() -> None:
    spec = Specification(
        isced_f=["http://data.europa.eu/snb/isced-f/0613", "http://data.europa.eu/snb/isced-f/0411"]
    )
    assert search_columns(spec)["isced_codes"] == " 0613 0411 "


def test_modes_are_stored_as_delimited_uris() -> None:
    spec = Specification(participation=Participation(modes=[ONLINE, BLENDED]))
    assert search_columns(spec)["modes"] == f" {ONLINE} {BLENDED} "


def test_empty_lists_are_stored_as_empty_text() -> None:
    columns = search_columns(Specification())
    assert columns["isced_codes"] == "" and columns["modes"] == "" and columns["title_text"] == ""


def test_eqf_level_comes_from_the_eqf_uri() -> None:
    spec = Specification(level=Level(eqf="http://data.europa.eu/snb/eqf/6", qf_ehea_cycle="second"))
    assert search_columns(spec)["eqf_level"] == 6


def test_eqf_level_falls_back_to_the_qf_ehea_cycle() -> None:
    assert search_columns(Specification(level=Level(qf_ehea_cycle="second")))["eqf_level"] == 7


def test_eqf_level_outside_one_to_eight_is_not_stored() -> None:
    spec = Specification(level=Level(eqf="http://data.europa.eu/snb/eqf/9"))
    assert search_columns(spec)["eqf_level"] is None


def test_ects_is_copied() -> None:
    assert search_columns(Specification(workload=Workload(ects=5)))["ects"] == 5
