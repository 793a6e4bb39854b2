"""RFC 8785 JSON canonicalisation: member order by UTF-16 code units, ECMAScript numbers."""

from __future__ import annotations

import enum
import json
import math
import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from json_values import (
    KEYS,
    NASTY_CHARACTERS,
    NASTY_FLOATS,
    SCALARS,
    json_tree,
)

from microcred.crypto import jcs
from microcred.crypto.jcs import MAX_SAFE_INTEGER, canonicalize, format_number
from property_profiles import examples
from support.credentials import credentials


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


# RFC 8785 Appendix B: IEEE 754 bit patterns and how they are written.
APPENDIX_B = """
0000000000000000 0
8000000000000000 0
0000000000000001 5e-324
8000000000000001 -5e-324
7fefffffffffffff 1.7976931348623157e+308
ffefffffffffffff -1.7976931348623157e+308
4340000000000000 9007199254740992
c340000000000000 -9007199254740992
4430000000000000 295147905179352830000
44b52d02c7e14af5 9.999999999999997e+22
44b52d02c7e14af6 1e+23
44b52d02c7e14af7 1.0000000000000001e+23
444b1ae4d6e2ef4e 999999999999999700000
444b1ae4d6e2ef4f 999999999999999900000
444b1ae4d6e2ef50 1e+21
3eb0c6f7a0b5ed8c 9.999999999999997e-7
3eb0c6f7a0b5ed8d 0.000001
41b3de4355555553 333333333.3333332
41b3de4355555554 333333333.33333325
41b3de4355555555 333333333.3333333
41b3de4355555556 333333333.3333334
41b3de4355555557 333333333.33333343
becbf647612f3696 -0.0000033333333333333333
43143ff3c1cb0959 1424953923781206.2
"""


@pytest.mark.parametrize(
    ("bits", "expected"), [line.split() for line in APPENDIX_B.split("\n") if line]
)
def test_rfc8785_appendix_b_numbers_inside_a_document(bits, expected):
    [number] = struct.unpack(">d", bytes.fromhex(bits))
    assert canonicalize({"n": [number]}) == b'{"n":[' + expected.encode() + b"]}"
    assert format_number(number) == expected


def _significant_digits(text: str) -> str:
    mantissa = text.lower().split("e")[0].lstrip("-").replace(".", "")
    return mantissa.strip("0")


@settings(max_examples=examples(1000))
@given(st.floats(allow_nan=False, allow_infinity=False) | NASTY_FLOATS.filter(math.isfinite))
def test_numbers_round_trip_with_the_shortest_digits_in_ecmascript_form(number):
    text = format_number(number)
    assert float(text) == number
    assert _significant_digits(text) == _significant_digits(repr(number))
    mantissa = text.split("e")[0]
    assert ("e" in text) == (number != 0 and not 1e-6 <= abs(number) < 1e21)
    assert "." not in mantissa or not mantissa.endswith("0")


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


# The general writer (`_write`) is the reference: RFC 8785 rule by rule. orjson's path must give
# its bytes wherever it answers, and answer for ordinary documents.


class Colour(enum.Enum):
    RED = "red"


class Level(enum.StrEnum):
    HIGH = "high"


class Count(enum.IntEnum):
    ONE = 1


class Label(str):
    pass


ANY_SCALAR = (
    SCALARS
    | st.uuids()
    | st.sampled_from([Colour.RED, Level.HIGH, Count.ONE, Label("label"), Label("\ud800")])
)
ANY_DOCUMENT = st.dictionaries(KEYS, json_tree(ANY_SCALAR), max_size=6) | st.lists(
    json_tree(ANY_SCALAR), max_size=6
)
# What the orjson path must take: no character beyond U+FFFF or lone surrogate, finite floats,
# integers within I-JSON.
PLAIN_CHARACTERS = st.characters(max_codepoint=0xFFFF, exclude_categories=["Cs"])
PLAIN_SCALAR = (
    st.none()
    | st.booleans()
    | st.integers(-MAX_SAFE_INTEGER, MAX_SAFE_INTEGER)
    | st.floats(allow_nan=False, allow_infinity=False)
    | NASTY_FLOATS.filter(math.isfinite)
    | st.text(
        NASTY_CHARACTERS.filter(lambda ch: ch <= "\uffff" and not "\ud800" <= ch <= "\udfff")
        | PLAIN_CHARACTERS,
        max_size=12,
    )
)
PLAIN_KEYS = st.text(PLAIN_CHARACTERS, max_size=4)
PLAIN_DOCUMENT = st.dictionaries(PLAIN_KEYS, json_tree(PLAIN_SCALAR, PLAIN_KEYS), max_size=6)


def _general_writer(value: object) -> bytes:
    parts: list[str] = []
    jcs._write(value, parts)
    return "".join(parts).encode("utf-8")


@settings(max_examples=examples(400), deadline=None)
@given(ANY_DOCUMENT)
def test_the_orjson_path_gives_the_general_writers_bytes_or_steps_aside(document):
    fast = jcs._by_orjson(document)
    try:
        expected = _general_writer(document)
    except (ValueError, TypeError):
        assert fast is None
        return
    assert fast is None or fast == expected
    assert canonicalize(document) == expected


@settings(max_examples=examples(200), deadline=None)
@given(PLAIN_DOCUMENT)
def test_the_orjson_path_answers_for_documents_without_beyond_bmp_nan_or_big_integers(document):
    assert jcs._by_orjson(document) == _general_writer(document)


def test_the_orjson_path_answers_for_an_issued_micro_credential():
    [credential] = credentials(1, "did:example:issuer")
    assert credential["credentialSubject"]["achievement"]["creditsAvailable"] == 5.0
    fast = jcs._by_orjson(credential)
    assert fast is not None and fast == _general_writer(credential)
    assert b'"creditsAvailable":5,' in fast


def test_the_document_given_is_not_changed():
    document = {"a": [1.5, {"b": 2.0}], "c": {"d": "e"}}
    canonicalize(document)
    assert document == {"a": [1.5, {"b": 2.0}], "c": {"d": "e"}}
    assert type(document["a"][1]["b"]) is float


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({"x": 1e-6}, b'{"x":0.000001}'),
        ({"x": 1e16}, b'{"x":10000000000000000}'),
        ([-0.0, 1e21, 5e-324], b"[0,1e+21,5e-324]"),
        ({"b": None, "a": [True, False]}, b'{"a":[true,false],"b":null}'),
    ],
)
def test_numbers_and_literals_inside_documents(value, expected):
    assert canonicalize(value) == expected


def test_rfc8785_example_with_numbers_strings_and_literals():
    # RFC 8785 section 3.2.2, written with Python values.
    value = {
        "numbers": [333333333.33333329, 1e30, 4.50, 2e-3, 0.000000000000000000000000001],
        "string": "\u20ac$\u000f\u000aA'\u0042\u0022\u005c\\\"/",
        "literals": [None, True, False],
    }
    assert canonicalize(value) == (
        b'{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],'
        b'"string":"\xe2\x82\xac$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}'
    )


def test_nan_and_big_integers_are_refused_inside_documents_too():
    with pytest.raises(ValueError, match="not allowed"):
        canonicalize({"a": None, "x": [float("inf")]})
    with pytest.raises(ValueError, match="as a string"):
        canonicalize([2**53])
