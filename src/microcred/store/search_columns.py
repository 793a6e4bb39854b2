"""The search columns of a specification version, derived from its document.

Lists are stored space-delimited with a space at each end (``" 0613 0611 "``), so one LIKE
pattern finds a whole value (``"% 0613 %"``) or a code prefix (``"% 06%"``) on SQLite and
PostgreSQL alike.
"""

from __future__ import annotations

from typing import Any

from microcred.domain.specification import Specification
from microcred.domain.vocabularies.normalise import QF_EHEA_CYCLE_TO_EQF, eqf_number


def search_columns(spec: Specification) -> dict[str, Any]:
    """Return the denormalised column values the catalogue searches on."""
    return {
        "title_text": "\n".join(searchable_text(text) for text in spec.title.values()),
        "ects": spec.workload.ects,
        "eqf_level": eqf_level(spec),
        "isced_codes": delimited(last_segment(uri) for uri in spec.isced_f),
        "modes": delimited(spec.participation.modes),
    }


def searchable_text(text: str) -> str:
    """Return text as it is stored and matched: lower-cased the same way in every database."""
    return text.lower()


def eqf_level(spec: Specification) -> int | None:
    """Return the EQF level as a number, from the EQF URI or else from the QF-EHEA cycle."""
    level = eqf_number(spec.level.eqf) if spec.level.eqf else None
    if level is None and spec.level.qf_ehea_cycle:
        level = QF_EHEA_CYCLE_TO_EQF[spec.level.qf_ehea_cycle]
    return level


def last_segment(uri: str) -> str:
    """Return the code at the end of a vocabulary URI (a bare code is returned as it is)."""
    return uri.rstrip("/").rsplit("/", 1)[-1]


def delimited(values: Any) -> str:
    words = [value for value in values if value]
    return f" {' '.join(words)} " if words else ""
