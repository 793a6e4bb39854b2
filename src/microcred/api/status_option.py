"""The VC API issue option ``credentialStatus``: which status entries a credential asks for.

``{"type": "BitstringStatusList", "statusPurpose": "revocation"}`` (or a list of such objects,
or ``statusPurpose`` as a list) asks for an entry of each purpose in the issuer's lists.
"""

from __future__ import annotations

from typing import Any

from microcred.status.entry import ENTRY_TYPE, PURPOSES

TYPES = ("BitstringStatusList", ENTRY_TYPE)
# Bitstring Status List v1.0 defines this purpose too; our lists hold one bit per entry.
MESSAGE = "message"


class BadStatusOption(ValueError):
    """``options.credentialStatus`` cannot be read; the message names what to fix."""


def requested_purposes(option: Any) -> tuple[str, ...]:
    """Return the status purposes asked for, each once, in the order given (none for None)."""
    if option is None:
        return ()
    requests = option if isinstance(option, list) else [option]
    if not requests:
        raise BadStatusOption("give at least one {type, statusPurpose} object")
    purposes: list[str] = []
    for request in requests:
        if not isinstance(request, dict):
            raise BadStatusOption("must be a JSON object {type, statusPurpose}, or a list of them")
        unknown = sorted(set(request) - {"type", "statusPurpose"})
        if unknown:
            raise BadStatusOption(f"unknown member {', '.join(unknown)}; give type, statusPurpose")
        if request.get("type") not in TYPES:
            raise BadStatusOption(f"type must be one of {', '.join(TYPES)}")
        asked = request.get("statusPurpose")
        for purpose in asked if isinstance(asked, list) else [asked]:
            purposes.append(_purpose(purpose))
    return tuple(dict.fromkeys(purposes))


def _purpose(purpose: Any) -> str:
    if purpose == MESSAGE:
        raise BadStatusOption(
            "statusPurpose 'message' is not supported: this issuer's lists hold one bit per "
            f"entry; use {' or '.join(PURPOSES)}"
        )
    if purpose not in PURPOSES:
        raise BadStatusOption(
            f"statusPurpose must be one of {', '.join(PURPOSES)}, not {purpose!r}"
        )
    return str(purpose)
