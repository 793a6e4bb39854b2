"""JSON Canonicalization Scheme (RFC 8785): the one byte string a JSON value canonicalises to.

Object members are sorted by the UTF-16 code units of their names (not by code points: the two
differ when a name mixes characters above U+FFFF with ones in U+E000-U+FFFF). Numbers are
written the way ECMAScript's `Number.prototype.toString` writes an IEEE 754 double
(`1e+21`, `1.5e-7`, `0.000001`, `-0` as `0`). Strings escape only what JSON requires.

Objects and arrays are written by orjson with sorted keys, which gives RFC 8785 bytes once each
float is replaced by its ECMAScript text. The general writer takes over whenever that cannot be
sure: a character beyond U+FFFF anywhere (key order could differ), NaN or infinity, integers
beyond 2^53, values of other types than the JSON ones (subclasses, enums, UUIDs), and what
orjson refuses (non-string keys, lone surrogates, nesting deeper than 254).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import orjson

MAX_SAFE_INTEGER = 2**53 - 1

_encode_string = json.encoder.encode_basestring  # type: ignore[attr-defined]

# orjson refuses integers beyond 2^53 with this; other types are kept from it by the float walk.
_ORJSON_OPTIONS = orjson.OPT_SORT_KEYS | orjson.OPT_STRICT_INTEGER
# The lead bytes of 4-byte UTF-8 sequences: characters beyond U+FFFF.
_FOUR_BYTE_LEADS = (b"\xf0", b"\xf1", b"\xf2", b"\xf3", b"\xf4")


def canonicalize(value: Any) -> bytes:
    """Return the RFC 8785 canonical UTF-8 bytes of a JSON value."""
    if type(value) is dict or type(value) is list:
        fast = _by_orjson(value)
        if fast is not None:
            return fast
    parts: list[str] = []
    _write(value, parts)
    return "".join(parts).encode("utf-8")


def _by_orjson(value: dict[str, Any] | list[Any]) -> bytes | None:
    """Return the RFC 8785 bytes of `value` written by orjson, or None when unsure."""
    try:
        output = orjson.dumps(_with_ecmascript_floats(value), option=_ORJSON_OPTIONS)
    except (TypeError, ValueError):  # orjson.JSONEncodeError is a TypeError
        return None
    if not output.isascii() and any(lead in output for lead in _FOUR_BYTE_LEADS):
        return None
    return output


def _with_ecmascript_floats(value: dict[str, Any] | list[Any] | tuple[Any, ...]) -> Any:
    """Return `value` with each float replaced by its ECMAScript text as an orjson fragment.

    Objects and arrays holding no float are shared, not copied; `value` is never changed.
    Raises ValueError for NaN and infinity, TypeError for a value of any type but the exact
    JSON ones (orjson would write UUIDs, enums and subclasses that the general writer refuses
    or writes otherwise).
    """
    slots: Iterable[tuple[Any, Any]] = value.items() if type(value) is dict else enumerate(value)
    copied: Any = None
    for slot, item in slots:
        item_kind = type(item)
        if item_kind is str:
            continue  # most values: checked first
        if item_kind is float:
            written = orjson.Fragment(format_number(item).encode("ascii"))
        elif item_kind is dict or item_kind is list or item_kind is tuple:
            written = _with_ecmascript_floats(item)
            if written is item:
                continue
        elif item_kind is int or item_kind is bool or item is None:
            continue
        else:
            raise TypeError(f"{item_kind.__name__} is left to the general writer")
        if copied is None:
            copied = dict(value) if type(value) is dict else list(value)
        copied[slot] = written
    return value if copied is None else copied


def _utf16_order(key: str) -> bytes:
    return key.encode("utf-16-be", "surrogatepass")


def _write(value: Any, out: list[str]) -> None:
    if isinstance(value, str):
        _check_well_formed(value)
        out.append(_encode_string(value))
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif value is None:
        out.append("null")
    elif isinstance(value, int):
        if abs(value) > MAX_SAFE_INTEGER:
            raise ValueError(
                f"integer {value} cannot be represented exactly in JSON (I-JSON); "
                "send it as a string"
            )
        out.append(str(value))
    elif isinstance(value, float):
        out.append(format_number(value))
    elif isinstance(value, dict):
        out.append("{")
        for index, key in enumerate(sorted(value, key=_utf16_order)):
            if not isinstance(key, str):
                raise TypeError(f"JSON object keys must be strings, got {key!r}")
            if index:
                out.append(",")
            _check_well_formed(key)
            out.append(_encode_string(key))
            out.append(":")
            _write(value[key], out)
        out.append("}")
    elif isinstance(value, list | tuple):
        out.append("[")
        for index, item in enumerate(value):
            if index:
                out.append(",")
            _write(item, out)
        out.append("]")
    else:
        raise TypeError(f"{type(value).__name__} is not a JSON value")


def _check_well_formed(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise ValueError(f"string contains a lone surrogate: {text!r}") from error


def format_number(number: float) -> str:
    """Return `number` as ECMAScript writes it (shortest round-trip digits, JS exponent rules)."""
    if math.isnan(number) or math.isinf(number):
        raise ValueError(f"{number} is not allowed in JSON")
    if number.is_integer() and abs(number) <= MAX_SAFE_INTEGER:
        return str(int(number))  # every digit is significant; -0 becomes 0
    sign = "-" if number < 0 else ""
    digits_tuple, exponent = _shortest_digits(abs(number))
    digits = "".join(map(str, digits_tuple))
    k = len(digits)
    n = exponent + k  # the decimal point sits after n digits
    if k <= n <= 21:
        text = digits + "0" * (n - k)
    elif 0 < n <= 21:
        text = f"{digits[:n]}.{digits[n:]}"
    elif -6 < n <= 0:
        text = "0." + "0" * (-n) + digits
    else:
        power = n - 1
        mantissa = digits if k == 1 else f"{digits[0]}.{digits[1:]}"
        text = f"{mantissa}e{'+' if power >= 0 else '-'}{abs(power)}"
    return sign + text


def _shortest_digits(number: float) -> tuple[tuple[int, ...], int]:
    """Return the shortest digits that round-trip to `number` and their decimal exponent."""
    parsed = Decimal(repr(number)).as_tuple()
    digits = list(parsed.digits)
    exponent = int(parsed.exponent)
    while len(digits) > 1 and digits[-1] == 0:
        digits.pop()
        exponent += 1
    while len(digits) > 1 and digits[0] == 0:
        digits.pop(0)
    return tuple(digits), exponent
