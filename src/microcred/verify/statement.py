"""What a credential says, in the few words a verifier reads before the check table.

"Anna Schmidt holds Urban Beekeeping (5 ECTS, EQF 5) from University of Kaltenbach, issued
5 Dec 2026": the holder's name (when the credential states it in the clear), the title, its
credits and EQF level, the issuer's name and the date. Read from an Open Badges 3.0 /
VC 2.0 document as it stands; whether any of it is true is what the checks decide, so a page
pairs this with the verdict and never shows it alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from microcred.domain.display_text import display_text

_EQF_LEVEL = re.compile(r"(?:eqf/|^)([1-8])$")
_ISSUED_KEYS = ("validFrom", "issuanceDate", "awardedDate")


@dataclass(frozen=True)
class CredentialStatement:
    """The facts a credential states about itself; any may be missing ("" or None)."""

    holder: str
    title: str
    issuer: str
    ects: float | None = None
    eqf: int | None = None
    issued: date | None = None


def credential_statement(document: Any, lang: str) -> CredentialStatement | None:
    """Return what ``document`` says, texts in ``lang``; None when it names no achievement."""
    if not isinstance(document, dict):
        return None
    subject = _first_object(document.get("credentialSubject"))
    achievement = _first_object(subject.get("achievement"))
    title = display_text(achievement.get("name"), lang) or display_text(document.get("name"), lang)
    if not title:
        return None
    issuer = document.get("issuer")
    issuer_name = (
        display_text(issuer.get("name"), lang) or str(issuer.get("id") or "")
        if isinstance(issuer, dict)
        else str(issuer or "")
    )
    return CredentialStatement(
        holder=_holder_name(subject, lang),
        title=title,
        issuer=issuer_name,
        ects=_number(achievement.get("creditsAvailable")),
        eqf=_eqf_level(achievement.get("eqfLevel")),
        issued=_issued_on(document),
    )


def _first_object(value: Any) -> dict[str, Any]:
    """Return ``value`` if it is an object, the first object of a list, else an empty dict."""
    if isinstance(value, list):
        value = next((item for item in value if isinstance(item, dict)), None)
    return value if isinstance(value, dict) else {}


def _holder_name(subject: dict[str, Any], lang: str) -> str:
    """Return the holder's name: an unhashed `name` identity object, else the subject's name."""
    for identifier in subject.get("identifier") or []:
        if (
            isinstance(identifier, dict)
            and identifier.get("identityType") == "name"
            and identifier.get("hashed") is False
            and isinstance(identifier.get("identityHash"), str)
        ):
            return str(identifier["identityHash"]).strip()
    return display_text(subject.get("name"), lang)


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        return None
    return float(value)


def _eqf_level(value: Any) -> int | None:
    found = _EQF_LEVEL.search(value.strip()) if isinstance(value, str) else None
    return int(found.group(1)) if found else None


def _issued_on(document: dict[str, Any]) -> date | None:
    for key in _ISSUED_KEYS:
        value = document.get(key)
        if not isinstance(value, str):
            continue
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            continue
        return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC).date()
    return None
