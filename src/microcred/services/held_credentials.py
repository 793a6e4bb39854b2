"""A credential a learner holds, checked by this instance's verifier and read for stacking.

The credentials are verified by `services.verifier.InstanceVerifier`; `held_credential` and
`external_learning` read what pathways and recognition look at from a verified document.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from datetime import date, datetime
from typing import Any

from microcred.domain.display_text import UNTAGGED, language_map
from microcred.domain.pathways import HeldCredential
from microcred.domain.recognition import ExternalLearning
from microcred.domain.specification import Specification, localise
from microcred.domain.vocabularies.normalise import eqf_number
from microcred.formats.ob3 import Ob3Error, specification_from_ob3
from microcred.services.ob2_badges import Ob2Badge, ob2_badge
from microcred.services.verifier import InstanceVerifier
from microcred.verify import VerificationReport
from microcred.verify.document import as_list, issuer_id
from microcred.verify.parse import read_input
from microcred.verify.report import Verdict

_OUR_ACHIEVEMENT = re.compile(r"/specifications/([0-9a-fA-F-]{36})(?:/versions/\d+)?$")


def payload_of(document: Any) -> dict[str, Any]:
    """Return the credential a document carries: the object itself, or a vc+jwt's payload."""
    payload, _ = read_input(document)
    return payload


def credential_id(document: Any) -> str:
    """Return a credential's id, or for one without an id a URN of its digest."""
    found = payload_of(document).get("id")
    return found if isinstance(found, str) and found else f"urn:sha256:{digest_hex(document)}"


def digest_hex(document: Any) -> str:
    """Return the SHA-256 (hex) of a credential as held: a JWS's text, an object's JSON."""
    return hashlib.sha256(_bytes_of(document)).hexdigest()


def digest_sri(document: Any) -> str:
    """Return the SHA-256 of a credential as held in Subresource Integrity form."""
    return "sha256-" + base64.b64encode(hashlib.sha256(_bytes_of(document)).digest()).decode()


def _bytes_of(document: Any) -> bytes:
    if isinstance(document, str):
        return document.encode("utf-8")
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def described_specification(credential: dict[str, Any]) -> Specification:
    """Return what an OB 3.0 credential says of its achievement (empty if it says nothing)."""
    try:
        return specification_from_ob3(credential)
    except Ob3Error:
        title = language_map(credential.get("name"), "en") or {"en": "credential"}
        return Specification.model_validate({"title": title})


def held_credential(
    document: Any, report: VerificationReport, checker: InstanceVerifier
) -> HeldCredential:
    """Return what pathways look at in a verified credential."""
    badge = ob2_badge(report)
    if badge is not None:
        return _held_ob2_badge(document, badge, report)
    credential = payload_of(document)
    spec = described_specification(credential)
    issuer = issuer_id(credential) or ""
    return HeldCredential(
        id=credential_id(document),
        issuer=issuer,
        title=localise(spec.title, "en"),
        specification_id=_our_specification(credential, issuer, checker),
        badge_class=_achievement_id(credential),
        ects=spec.workload.ects,
        eqf=eqf_number(spec.level.eqf) if spec.level.eqf else None,
        isced_f=list(spec.isced_f),
        esco_skills=_skills(spec),
        awarded_on=awarded_on(credential),
        trusted=report.verdict == Verdict.verified,
        digest=digest_hex(document),
    )


def _held_ob2_badge(document: Any, badge: Ob2Badge, report: VerificationReport) -> HeldCredential:
    """Return what pathways look at in an OB 2.0 badge: its BadgeClass and issuer, never
    ECTS, EQF or skills, which OB 2.0 does not state."""
    return HeldCredential(
        id=badge.assertion_id or credential_id(document),
        issuer=badge.issuer,
        title=badge.title,
        badge_class=badge.badge_class or None,
        awarded_on=badge.issued_on,
        trusted=report.verdict == Verdict.verified,
        digest=digest_hex(document),
    )


def external_learning(document: Any, report: VerificationReport) -> ExternalLearning:
    """Return what recognition compares in a credential from elsewhere (of an OB 2.0 badge,
    its BadgeClass's name and its issuer, the only learning it states)."""
    credential = payload_of(document)
    spec = described_specification(credential)
    trust = next((c for c in report.checks if c.name == "issuer_trust"), None)
    issuer_name = str(trust.details.get("trusted_name", "")) if trust is not None else ""
    badge = ob2_badge(report)
    return ExternalLearning(
        credential_id=credential_id(document),
        title=badge.title if badge else localise(spec.title, "en"),
        issuer=badge.issuer if badge else issuer_id(credential) or "",
        issuer_name=issuer_name or (badge.issuer_name if badge else ""),
        ects=spec.workload.ects,
        eqf=eqf_number(spec.level.eqf) if spec.level.eqf else None,
        isced_f=list(spec.isced_f),
        outcomes=[localise(o.text, "en") for o in spec.learning_outcomes if o.text],
        esco_skills=_skills(spec),
    )


def awarded_on(credential: dict[str, Any]) -> date | None:
    """Return the day a credential was awarded (``awardedDate``, else when it became valid)."""
    for key in ("awardedDate", "validFrom", "issuanceDate"):
        value = credential.get(key)
        if isinstance(value, str):
            try:
                return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
            except ValueError:
                continue
    return None


def titles_of(document: Any) -> dict[str, str]:
    """Return a credential's name as a language map: its own ``name``, else its achievement's."""
    credential = payload_of(document)
    subject: Any = next(iter(as_list(credential.get("credentialSubject"))), {})
    achievement = subject.get("achievement") if isinstance(subject, dict) else None
    achievement_name = achievement.get("name") if isinstance(achievement, dict) else None
    found = language_map(credential.get("name")) or language_map(achievement_name)
    if found:
        return found
    found_id = credential.get("id")
    return {UNTAGGED: found_id} if isinstance(found_id, str) else {}


def title_of(document: Any, lang: str = "en") -> str:
    """Return a credential's name in ``lang`` (else English, else any), for lists."""
    return localise(titles_of(document), lang)


def _skills(spec: Specification) -> list[str]:
    return list(dict.fromkeys(s for outcome in spec.learning_outcomes for s in outcome.esco_skills))


def _achievement_id(credential: dict[str, Any]) -> str | None:
    subject: Any = next(iter(as_list(credential.get("credentialSubject"))), {})
    achievement = subject.get("achievement") if isinstance(subject, dict) else None
    found = achievement.get("id") if isinstance(achievement, dict) else None
    return found if isinstance(found, str) else None


def _our_specification(
    credential: dict[str, Any], issuer: str, checker: InstanceVerifier
) -> str | None:
    """Return the id of our specification a credential was awarded from, if we issued it."""
    if not issuer or not checker.own_issuer(issuer):
        return None
    achievement_id = _achievement_id(credential)
    base = checker.settings.base_url.rstrip("/")
    if not isinstance(achievement_id, str) or not achievement_id.startswith(base + "/"):
        return None
    found = _OUR_ACHIEVEMENT.search(achievement_id)
    return found.group(1) if found else None
