"""Render an unsigned Open Badges 3.0 credential that re-issues a verified Open Badges 2.0 badge.

The issuer of an OB 2.0 badge is a web address; an institution that proves it is that issuer
(see services/ob2_upgrades.py) may say the same thing again as an OB 3.0 credential, signed
with its own key and revocable on its own status lists. What the new credential says comes
from the badge as its issuer serves it:

- the achievement is the BadgeClass (same id, so a pathway that names the BadgeClass counts
  the new credential too): name, description, criteria, image, tags, alignments;
- the recipient is carried over as an ``IdentityObject`` (OB 2.0's ``sha256$``/``md5$``
  salted hash is OB 3.0's ``identityHash`` unchanged), so only the holder of the e-mail
  address can claim it, as before;
- ``awardedDate`` is the badge's ``issuedOn``, ``validUntil`` its ``expires``;
- the first ``evidence`` is the OB 2.0 assertion itself (its id), then the badge's own evidence.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from microcred.formats.ob3.context import CREDENTIAL_CONTEXTS
from microcred.formats.ob3.errors import Ob3Error
from microcred.formats.ob3.inputs import IssuerProfile
from microcred.formats.ob3.iri import is_absolute_iri
from microcred.formats.ob3.profiles import render_issuer
from microcred.formats.ob3.render import utc_timestamp

ORIGINAL_GENRE = "Open Badges 2.0 assertion"
# OB 2.0 recipient types; OB 3.0 names the e-mail one, others keep their name as an extension.
_IDENTITY_TYPES = {"email": "emailAddress"}
# A longer image value is a data: URI; the credential links images, it does not carry them.
_MAX_IMAGE_IRI = 2048
_TEXT_MEMBERS = ("name", "description", "narrative", "genre", "audience")


@dataclass(frozen=True)
class Ob2Original:
    """The verified OB 2.0 badge as its issuer serves it: the assertion's id and recipient,
    its BadgeClass, when it was awarded and until when it is valid."""

    assertion_id: str
    recipient: dict[str, Any]
    badge_class: dict[str, Any]
    awarded_on: datetime
    expires: datetime | None = None
    evidence: tuple[Any, ...] = ()


def render_upgraded_credential(
    original: Ob2Original,
    issuer: IssuerProfile,
    *,
    credential_id: str,
    issued_at: datetime,
    language: str = "en",
) -> dict[str, Any]:
    """Return the unsigned OB 3.0 credential re-issuing `original` as `issuer`.

    Raises `Ob3Error` when the badge lacks what an OB 3.0 achievement needs (an absolute id,
    a name) or the recipient has no identity.
    """
    achievement = _achievement(original.badge_class)
    credential: dict[str, Any] = {
        "@context": list(CREDENTIAL_CONTEXTS),
        "id": credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": achievement["name"],
        "description": achievement["description"],
        "issuer": render_issuer(issuer, language),
        "validFrom": utc_timestamp(issued_at),
    }
    if original.expires is not None:
        credential["validUntil"] = utc_timestamp(original.expires)
    credential["awardedDate"] = utc_timestamp(original.awarded_on)
    credential["credentialSubject"] = {
        "type": ["AchievementSubject"],
        "identifier": [identity_object(original.recipient)],
        "achievement": achievement,
    }
    credential["evidence"] = [_original_evidence(original.assertion_id)] + [
        item for item in map(_evidence, original.evidence) if item is not None
    ]
    return credential


def identity_object(recipient: dict[str, Any]) -> dict[str, Any]:
    """Return the OB 3.0 IdentityObject of an OB 2.0 recipient (hash and salt unchanged)."""
    identity = recipient.get("identity")
    if not isinstance(identity, str) or not identity.strip():
        raise Ob3Error("recipient", "the badge's recipient has no identity to carry over")
    kind = _text(recipient.get("type")) or "email"
    node: dict[str, Any] = {
        "type": "IdentityObject",
        "identityType": _IDENTITY_TYPES.get(kind, f"ext:{kind}"),
        "hashed": recipient.get("hashed") is True,
        "identityHash": identity.strip(),
    }
    salt = recipient.get("salt")
    if node["hashed"] and isinstance(salt, str) and salt:
        node["salt"] = salt
    return node


def _achievement(badge_class: dict[str, Any]) -> dict[str, Any]:
    badge_id = badge_class.get("id")
    if not isinstance(badge_id, str) or not is_absolute_iri(badge_id):
        raise Ob3Error("badge_class.id", f"{badge_id!r} is not an absolute IRI")
    name = _text(badge_class.get("name"))
    if not name:
        raise Ob3Error("badge_class.name", "the BadgeClass has no name")
    achievement: dict[str, Any] = {
        "id": badge_id,
        "type": ["Achievement"],
        "achievementType": "Badge",
        "name": name,
        "description": _text(badge_class.get("description")) or name,
        "criteria": _criteria(badge_class.get("criteria"), badge_id),
    }
    image = _iri(badge_class.get("image"))
    if image is not None and len(image) <= _MAX_IMAGE_IRI:
        achievement["image"] = {"id": image, "type": "Image"}
    tags = [_text(tag) for tag in _as_list(badge_class.get("tags")) if _text(tag)]
    if tags:
        achievement["tag"] = tags
    alignments = [a for a in map(_alignment, _as_list(badge_class.get("alignment"))) if a]
    if alignments:
        achievement["alignment"] = alignments
    return achievement


def _criteria(criteria: Any, badge_id: str) -> dict[str, Any]:
    """OB 2.0 criteria are a URL or a Criteria node (id and/or narrative); OB 3.0 the node."""
    url = _iri(criteria)
    narrative = _text(criteria.get("narrative")) if isinstance(criteria, dict) else ""
    node: dict[str, Any] = {}
    if url is not None:
        node["id"] = url
    if narrative:
        node["narrative"] = narrative
    return node or {"narrative": f"As stated by the Open Badges 2.0 BadgeClass {badge_id}."}


def _alignment(value: Any) -> dict[str, Any] | None:
    """An OB 3.0 Alignment needs a name and a URL; an OB 2.0 one without them is left out."""
    if not isinstance(value, dict):
        return None
    name, url = _text(value.get("targetName")), _iri(value.get("targetUrl"))
    if not name or url is None:
        return None
    alignment: dict[str, Any] = {"type": ["Alignment"], "targetName": name, "targetUrl": url}
    for member in ("targetDescription", "targetFramework", "targetCode"):
        if _text(value.get(member)):
            alignment[member] = _text(value[member])
    return alignment


def _original_evidence(assertion_id: str) -> dict[str, Any]:
    if not is_absolute_iri(assertion_id):
        raise Ob3Error("assertion.id", f"{assertion_id!r} is not an absolute IRI")
    return {
        "id": assertion_id,
        "type": ["Evidence"],
        "name": "Open Badges 2.0 badge",
        "description": "The Open Badges 2.0 assertion this credential re-issues; it verified "
        "when it was re-issued.",
        "genre": ORIGINAL_GENRE,
    }


def _evidence(value: Any) -> dict[str, Any] | None:
    """Return the OB 3.0 Evidence of one OB 2.0 evidence item (a URL or an Evidence node)."""
    url = _iri(value)
    node: dict[str, Any] = {"type": ["Evidence"]}
    if url is not None:
        node["id"] = url
    if isinstance(value, dict):
        node |= {m: _text(value[m]) for m in _TEXT_MEMBERS if _text(value.get(m))}
    return node if len(node) > 1 else None


def _iri(value: Any) -> str | None:
    """Return the IRI a value names: the string, or a node's id, when absolute."""
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, str) and is_absolute_iri(value) else None


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]
