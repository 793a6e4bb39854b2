"""Matching a table's header row to the template's columns (variants, languages, a mapping)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field

from microcred.domain.vocabularies.languages import is_language_code
from microcred.formats.catalogue.columns import COLUMNS, COLUMNS_BY_NAME


def header_key(header: str) -> str:
    """Return a header reduced for matching: lower case, punctuation as single spaces."""
    text = unicodedata.normalize("NFC", header).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", text).replace("_", " ").split())


_LANGUAGE_SUFFIX = re.compile(r"^(?P<base>.+?)\s+(?P<lang>[a-z]{2})$")


@dataclass(frozen=True)
class ColumnMapping:
    """Headers of the caller's files for template columns: ``{"title": ["Kurstitel"]}``."""

    headers: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def from_data(cls, data: object) -> ColumnMapping:
        """Return the mapping in ``data`` ({column: header or [headers]}); ValueError if bad."""
        if isinstance(data, Mapping) and "columns" in data:
            data = data["columns"]
        if not isinstance(data, Mapping):
            raise ValueError("a column mapping is an object: {template column: your header(s)}")
        headers: dict[str, tuple[str, ...]] = {}
        for name, given in data.items():
            if name not in COLUMNS_BY_NAME:
                known = ", ".join(COLUMNS_BY_NAME)
                raise ValueError(f"'{name}' is not a template column (known: {known})")
            values = [given] if isinstance(given, str) else given
            if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
                raise ValueError(f"the headers for '{name}' must be text or a list of texts")
            headers[name] = tuple(values)
        return cls(headers)

    def merged(self, other: ColumnMapping) -> ColumnMapping:
        joined = {name: tuple(values) for name, values in self.headers.items()}
        for name, values in other.headers.items():
            joined[name] = joined.get(name, ()) + tuple(values)
        return ColumnMapping(joined)


def _known_headers(mapping: ColumnMapping) -> dict[str, str]:
    known: dict[str, str] = {}
    for name, headers in mapping.headers.items():  # the caller's mapping wins
        for header in headers:
            known.setdefault(header_key(header), name)
    for column in COLUMNS:
        for header in (column.name, *column.aliases):
            known.setdefault(header_key(header), column.name)
    return known


def match_headers(headers: list[str], mapping: ColumnMapping) -> dict[int, tuple[str, str | None]]:
    """Return, by column index, the template column and language (if any) of each header."""
    known = _known_headers(mapping)
    matched: dict[int, tuple[str, str | None]] = {}
    for index, header in enumerate(headers):
        key = header_key(header)
        if key in known:
            matched[index] = (known[key], None)
            continue
        suffix = _LANGUAGE_SUFFIX.match(key)
        if suffix and is_language_code(suffix["lang"]):
            name = known.get(suffix["base"])
            if name and COLUMNS_BY_NAME[name].text:
                matched[index] = (name, suffix["lang"])
    return matched
