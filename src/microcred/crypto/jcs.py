"""JSON Canonicalization Scheme (RFC 8785): the one byte string a JSON value canonicalises to.

Object members are sorted by the UTF-16 code units of their names (not by code points: the two
differ when a name mixes characters above U+FFFF with ones in U+E000-U+FFFF). Numbers are
written the way ECMAScript's `Number.prototype.toString` writes an IEEE 754 double
(`1e+21`, `1.5e-7`, `0.000001`, `-0` as `0`). Strings escape only what JSON requires.
"""

from __future__ import annotations

import json
import math
from decimal import Decimal
from typing import Any

MAX_SAFE_INTEGER = 2**53 - 1

_encode_string = json.encoder.encode_basestring  # type: ignore[attr-defined]


def canonicalize(value: Any) -> bytes:
    """Return the RFC 8785 canonical UTF-8 bytes of a JSON value."""
    try:
        plain = _plain(value)
        return json.dumps(
            plain, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
        ).encode("utf-8")
    except (_NotPlain, UnicodeEncodeError, ValueError, TypeError):
        pass
    parts: list[str] = []
    _write(value, parts)
    return "".join(parts).encode("utf-8")


class _NotPlain(Exception):
    """The value needs the general writer: `json.dumps` would not give RFC 8785 bytes."""


def _plain(value: Any) -> Any:
    """Return `value` in a form `json.dumps(sort_keys=True)` writes exactly as RFC 8785 does.

    That holds when keys are strings without characters beyond U+FFFF (code point order is then
    UTF-16 order), integers are I-JSON safe, and floats are integral (written as integers) or
    ones Python's repr writes as ECMAScript does. Escaping of strings is the same in both.
    """
    kind = type(value)
    if kind is str or kind is bool or value is None:
        return value
    if kind is dict:
        for key in value:
            if type(key) is not str or (not key.isascii() and max(key) > "\uffff"):
                raise _NotPlain
        return {key: _plain(item) for key, item in value.items()}
    if kind is list or kind is tuple:
        return [_plain(item) for item in value]
    if kind is int:
        if abs(value) > MAX_SAFE_INTEGER:
            raise _NotPlain
        return value
    if kind is float:
        if value.is_integer() and abs(value) < 1e21:
            return int(value)
        if math.isfinite(value) and repr(value) == format_number(value):
            return value
    raise _NotPlain


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
    if number == 0:
        return "0"
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
