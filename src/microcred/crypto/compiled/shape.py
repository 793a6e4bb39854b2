"""The shape of a JSON document: its structure as a hashable key, and its variable values in order.

Two documents have the same shape when they have the same keys in the same order, the same
nesting, the same array lengths and the same JSON type in each place, and agree on every value
that can change how JSON-LD expands them: `@context`, `type`/`@type`, the other keywords'
values (`@language`, `@direction`, ...), blank node identifiers (`_:x`), booleans, and numbers
that do not become a plain integer or double literal. Everything else (strings, numbers) is a
*slot*: its value may differ between documents of one shape.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

try:
    from microcred.crypto.compiled._shape import read as _read_in_c
except ImportError:  # built without a C compiler: the Python reader does the same, more slowly
    _read_in_c = None

MAX_DEPTH = 64
MAX_SLOTS = 20_000
BIG_NUMBER = 10**21

# Structure tokens: small ints, never equal to a key or a value (those are strings).
_OBJECT, _LIST, _END, _TRUE, _FALSE, _NULL = range(6)
_KEPT, _KEPT_NUMBER = 6, 7

# Slot kinds, one token each.
TEXT, INTEGER, INTEGRAL_FLOAT, FRACTIONAL_FLOAT = 10, 11, 12, 13

# How a dict key decides what its value's scalars are: slots, kept in the key, or (for
# `@context`) the whole subtree kept.
_SLOTS, _KEEP_SCALARS, _KEEP_ALL = 0, 1, 2
_TYPE_KEYS = frozenset({"type", "@type"})
_SLOT_KEYWORDS = frozenset(
    {"@id", "@value", "@graph", "@list", "@set", "@included", "@reverse", "@nest"}
)


class NoShape(ValueError):
    """The document is not plain JSON within our limits; it takes the reference path."""


class Shape:
    """A document's structural key and its slot values (in document order) with their kinds."""

    __slots__ = ("key", "values", "kinds")

    def __init__(self, key: tuple[Any, ...], values: list[Any], kinds: list[int]) -> None:
        self.key = key
        self.values = values
        self.kinds = kinds


def child_mode(key: str, mode: int) -> int:
    """Return how the value under `key` is read, inside a node read in `mode`."""
    if mode == _SLOTS and key[:1] != "@" and key != "type":
        return _SLOTS
    if mode == _KEEP_ALL or key == "@context":
        return _KEEP_ALL
    if key in _TYPE_KEYS or (key[:1] == "@" and key not in _SLOT_KEYWORDS):
        return _KEEP_SCALARS
    return _SLOTS


def number_kind(value: int | float) -> int | None:
    """Return the slot kind of a number, or None when its value must be part of the shape."""
    if isinstance(value, int):
        return INTEGER if -BIG_NUMBER < value < BIG_NUMBER else None
    if not math.isfinite(value):
        return None
    if value.is_integer():
        return INTEGRAL_FLOAT if -BIG_NUMBER < value < BIG_NUMBER else None
    return FRACTIONAL_FLOAT


def read_shape(document: Any) -> Shape:
    """Return the shape of `document`; raises `NoShape` for anything but plain, bounded JSON.

    The C reader (`_shape.c`) is used when it was built; `read_shape_in_python` is the same
    reading, and the reference the C one is tested against.
    """
    if _read_in_c is None:
        return read_shape_in_python(document)
    return _bounded(*_read_in_c(document, NoShape))


def read_shape_in_python(document: Any) -> Shape:
    """`read_shape` without the C reader."""
    tokens: list[Any] = []
    values: list[Any] = []
    kinds: list[int] = []
    _read(document, _SLOTS, 0, tokens, values, kinds)
    return _bounded(tuple(tokens), values, kinds)


def _bounded(key: tuple[Any, ...], values: list[Any], kinds: list[int]) -> Shape:
    if len(values) > MAX_SLOTS:
        raise NoShape(f"more than {MAX_SLOTS} values")
    return Shape(key, values, kinds)


def _read(
    value: Any, mode: int, depth: int, tokens: list[Any], values: list[Any], kinds: list[int]
) -> None:
    # Strings are most of a credential, so they are handled inline in the container loops.
    kind = type(value)
    if kind is dict:
        if depth >= MAX_DEPTH:
            raise NoShape(f"nested deeper than {MAX_DEPTH} levels")
        tokens.append(_OBJECT)
        for key, item in value.items():
            if type(key) is not str:
                raise NoShape("an object key is not a string")
            tokens.append(key)
            item_mode = child_mode(key, mode)
            if type(item) is str and item_mode == _SLOTS and item[:2] != "_:":
                tokens.append(TEXT)
                values.append(item)
                kinds.append(TEXT)
            else:
                _read(item, item_mode, depth + 1, tokens, values, kinds)
        tokens.append(_END)
    elif kind is list:
        if depth >= MAX_DEPTH:
            raise NoShape(f"nested deeper than {MAX_DEPTH} levels")
        tokens.append(_LIST)
        for item in value:
            if type(item) is str and mode == _SLOTS and item[:2] != "_:":
                tokens.append(TEXT)
                values.append(item)
                kinds.append(TEXT)
            else:
                _read(item, mode, depth + 1, tokens, values, kinds)
        tokens.append(_END)
    elif kind is str:
        if mode != _SLOTS or value[:2] == "_:":
            tokens.append(_KEPT)
            tokens.append(value)
        else:
            tokens.append(TEXT)
            values.append(value)
            kinds.append(TEXT)
    elif kind is bool:
        tokens.append(_TRUE if value else _FALSE)
    elif value is None:
        tokens.append(_NULL)
    elif kind is int or kind is float:
        slot_kind = number_kind(value) if mode == _SLOTS else None
        if slot_kind is None:
            tokens.append(_KEPT_NUMBER)
            tokens.append(f"{kind.__name__}:{value!r}")
        else:
            tokens.append(slot_kind)
            values.append(value)
            kinds.append(slot_kind)
    else:
        raise NoShape(f"{kind.__name__} is not a JSON value")


def replace_slots(document: Any, replacements: list[Any]) -> Any:
    """Return a copy of `document` whose slots hold `replacements`, in document order."""
    new_values = iter(replacements)
    return _rebuild(document, _SLOTS, lambda _old: next(new_values))


def _rebuild(value: Any, mode: int, replace: Callable[[Any], Any]) -> Any:
    kind = type(value)
    if kind is dict:
        return {key: _rebuild(item, child_mode(key, mode), replace) for key, item in value.items()}
    if kind is list:
        return [_rebuild(item, mode, replace) for item in value]
    if mode != _SLOTS or kind is bool or value is None:
        return value
    if kind is str:
        return value if value[:2] == "_:" else replace(value)
    if number_kind(value) is None:
        return value
    return replace(value)
