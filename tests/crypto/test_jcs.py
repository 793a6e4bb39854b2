"""RFC 8785 JSON canonicalisation: member order by UTF-16 code units, ECMAScript numbers."""

from __future__ import annotations

import json

import pytest

from microcred.crypto.jcs import canonicalize, format_number


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        (333333333.33333329, "333333333.3333333"),
        (1e30, "1e+30"),
        (4.50, "4.5"),
        (2e-3, "0.002"),
        (0.000001, "0.000001"),
        (1e-7, "1e-7"),
        (1e21, "1e+21"),
        (1e20, "100000000000000000000"),
        (295147905179352830000.0, "295147905179352830000"),
        (-0.0, "0"),
        (5e-324, "5e-324"),
        (1.0, "1"),
    ],
)
def test_numbers_are_written_as_ecmascript_writes_them(number, expected):
    assert format_number(number) == expected


def test_members_sort_by_utf16_code_units_not_code_points():
    # U+1F600 is D83D DE00 in UTF-16, which sorts before U+E000.
    assert canonicalize({"\ue000": 1, "\U0001f600": 2, "a": 3}) == (
        '{"a":3,"\U0001f600":2,"\ue000":1}'.encode()
    )


def test_rfc8785_sorting_example():
    value = {
        "\u20ac": "Euro Sign",
        "\r": "Carriage Return",
        "\ufb33": "Hebrew Letter Dalet With Dagesh",
        "1": "One",
        "\U0001f600": "Emoji: Grinning Face",
        "\u0080": "Control",
        "\u00f6": "Latin Small Letter O With Diaeresis",
    }
    keys = list(json.loads(canonicalize(value)))
    assert keys == ["\r", "1", "\u0080", "\u00f6", "\u20ac", "\U0001f600", "\ufb33"]


def test_strings_escape_only_what_json_requires():
    assert canonicalize(['\u2028\x7f\x1f"\\é']) == '["\u2028\x7f\\u001f\\"\\\\é"]'.encode()


def test_bad_values_are_refused_with_a_reason():
    with pytest.raises(ValueError, match="not allowed"):
        canonicalize({"x": float("nan")})
    with pytest.raises(ValueError, match="as a string"):
        canonicalize({"x": 2**60})
    with pytest.raises(ValueError, match="lone surrogate"):
        canonicalize({"x": "\ud800"})
