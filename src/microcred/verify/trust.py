"""The trusted-issuer registry: which issuer DIDs (and URLs) a verifier accepts, and their names.

A registry file is TOML or JSON with a list of issuers::

    [[issuers]]
    id = "did:web:www.th-lahntal.example"
    name = "Technische Hochschule Lahntal"

The installation's own institutions' issuers are added with `TrustRegistry.with_issuers`.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from microcred.formats.ob3.iri import is_absolute_iri


class TrustRegistryError(ValueError):
    """A trusted-issuer file cannot be read; the message names the file and what to fix."""


@dataclass(frozen=True)
class TrustedIssuer:
    """An issuer whose credentials a verifier accepts: its DID (or URL) and its name."""

    id: str
    name: str
    source: str = "registry"  # "registry" (a file) or "own institution"


class TrustRegistry:
    """A set of trusted issuers looked up by id."""

    def __init__(self, issuers: Iterable[TrustedIssuer] = ()) -> None:
        self._by_id = {issuer.id: issuer for issuer in issuers}

    def __len__(self) -> int:
        return len(self._by_id)

    def lookup(self, issuer_id: str) -> TrustedIssuer | None:
        """Return the entry for `issuer_id`, or None when that issuer is not trusted."""
        return self._by_id.get(issuer_id)

    def with_issuers(self, issuers: Iterable[TrustedIssuer]) -> TrustRegistry:
        """Return a registry holding these issuers as well (later entries win on equal ids)."""
        return TrustRegistry([*self._by_id.values(), *issuers])

    @classmethod
    def load(cls, path: str | Path) -> TrustRegistry:
        """Return the registry in a TOML or JSON file; raises `TrustRegistryError`."""
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as error:
            raise TrustRegistryError(
                f"{path}: cannot read the trusted-issuer file: {error}"
            ) from error
        try:
            data = json.loads(text) if path.suffix == ".json" else tomllib.loads(text)
        except (ValueError, tomllib.TOMLDecodeError) as error:
            kind = "JSON" if path.suffix == ".json" else "TOML"
            raise TrustRegistryError(f"{path}: not valid {kind}: {error}") from error
        return cls(_entries(data, str(path)))


def _entries(data: Any, where: str) -> list[TrustedIssuer]:
    issuers = data.get("issuers") if isinstance(data, dict) else None
    if not isinstance(issuers, list):
        raise TrustRegistryError(f"{where}: expected a list called 'issuers'")
    entries = []
    for index, entry in enumerate(issuers):
        if not isinstance(entry, dict):
            raise TrustRegistryError(f"{where}: issuers[{index}] must be a table/object")
        issuer_id, name = entry.get("id"), entry.get("name")
        if not isinstance(issuer_id, str) or not is_absolute_iri(issuer_id):
            raise TrustRegistryError(
                f"{where}: issuers[{index}].id must be a DID or URL, got {issuer_id!r}"
            )
        if not isinstance(name, str) or not name.strip():
            raise TrustRegistryError(f"{where}: issuers[{index}].name must be a non-empty string")
        entries.append(TrustedIssuer(issuer_id, name.strip()))
    return entries
