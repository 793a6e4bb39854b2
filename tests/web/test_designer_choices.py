"""The designer's lists: names sorted as the viewer reads them; ordered vocabularies kept."""

from __future__ import annotations

from microcred.web.designer_form import _collation_key, sorted_choices


def test_countries_are_alphabetical_in_german_with_umlauts_among_their_letter() -> None:
    names = [label for _uri, label in sorted_choices("country", "de")]
    assert names == sorted(names, key=_collation_key)
    assert names.index("Ägypten") < names.index("Albanien")  # Ä sorts as A
    assert names.index("Oman") < names.index("Österreich") < names.index("Pakistan")


def test_countries_in_english_are_sorted_by_their_english_names() -> None:
    names = [label for _uri, label in sorted_choices("country", "en")]
    assert names.index("Austria") < names.index("Germany") < names.index("Netherlands")


def test_eqf_levels_keep_their_order() -> None:
    labels = [label for _uri, label in sorted_choices("eqf", "de")]
    assert labels[:3] == ["Niveau 1", "Niveau 2", "Niveau 3"]
