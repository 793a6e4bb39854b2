"""How the learner is identified on the credential: OB 3.0 `IdentityObject`s (Annex I element 1).

The specification says which identifiers an award carries (required and optional); only
those go on the credential. The name is written in the clear, because the credential must
say whose it is; every other identifier is a salted SHA-256 hash (`sha256$<hex>`), which a
verifier who is told the value can check, and nobody else can read.
"""

from __future__ import annotations

import hashlib
from typing import Any

from microcred.domain.specification import LearnerIdentifier, Specification
from microcred.formats.ob3.inputs import AwardData

# LearnerIdentifier -> (OB 3.0 identityType, AwardData field)
IDENTITY_TYPES: dict[LearnerIdentifier, tuple[str, str]] = {
    LearnerIdentifier.full_name: ("name", "learner_name"),
    LearnerIdentifier.email: ("emailAddress", "email"),
    LearnerIdentifier.institutional_id: ("sisSourcedId", "institutional_id"),
    LearnerIdentifier.national_id: ("nationalIdentityNumber", "national_id"),
    LearnerIdentifier.date_of_birth: ("ext:dateOfBirth", "date_of_birth"),
}

# Without a policy in the specification, the credential names the learner and nothing more.
DEFAULT_IDENTIFIERS = [LearnerIdentifier.full_name, LearnerIdentifier.did]


def identity_hash(value: str, salt: str) -> str:
    """Return the OB 3.0 IdentityHash of `value` salted with `salt`: ``sha256$<hex>``."""
    return "sha256$" + hashlib.sha256((value + salt).encode("utf-8")).hexdigest()


def identifiers_to_show(spec: Specification) -> list[LearnerIdentifier]:
    """Return the identifiers the specification asks for, required first, without repeats."""
    policy = spec.learner_identification
    wanted = list(dict.fromkeys([*policy.required, *policy.optional]))
    return wanted or DEFAULT_IDENTIFIERS


def missing_identifiers(spec: Specification, award: AwardData) -> list[str]:
    """Return the AwardData fields that the specification requires but the award lacks."""
    fields = {kind: field for kind, (_type, field) in IDENTITY_TYPES.items()}
    fields[LearnerIdentifier.did] = "did"
    return [
        fields[kind]
        for kind in spec.learner_identification.required
        if getattr(award, fields[kind]) in (None, "")
    ]


def render_identity_objects(spec: Specification, award: AwardData) -> list[dict[str, Any]]:
    """Return the IdentityObjects for the identifiers the specification asks for."""
    objects: list[dict[str, Any]] = []
    for kind in identifiers_to_show(spec):
        if kind not in IDENTITY_TYPES:
            continue  # the DID is the subject's id, not an IdentityObject
        identity_type, field = IDENTITY_TYPES[kind]
        value = getattr(award, field)
        if value in (None, ""):
            continue
        text = value.isoformat() if field == "date_of_birth" else str(value)
        if kind is LearnerIdentifier.email:
            text = text.lower()  # addresses differ in case only by accident
        identity: dict[str, Any] = {"type": "IdentityObject", "identityType": identity_type}
        if kind is LearnerIdentifier.full_name:
            identity |= {"hashed": False, "identityHash": text}
        else:
            identity |= {
                "hashed": True,
                "identityHash": identity_hash(text, award.identity_salt),
                "salt": award.identity_salt,
            }
        objects.append(identity)
    return objects


def names_holder(credential: Any, email: str, name: str = "") -> bool | None:
    """Return whether a credential's subject is the account of ``email`` (and ``name``).

    True when an e-mail identifier matches (hashed or not); False when the credential names
    someone else: an e-mail identifier that does not match, or, with no e-mail on it, a name
    in the clear that is not the account's; None when it says nothing to compare with.
    A wallet flags a False credential and a learner record does not count it.
    """
    subject = credential.get("credentialSubject") if isinstance(credential, dict) else None
    if isinstance(subject, list):
        subject = next((item for item in subject if isinstance(item, dict)), None)
    if not isinstance(subject, dict):
        return None
    found = [item for item in subject.get("identifier") or [] if isinstance(item, dict)]
    emails = [item for item in found if item.get("identityType") == "emailAddress"]
    if emails:
        return any(_identifies(item, email.strip()) for item in emails)
    names = [item for item in found if item.get("identityType") == "name"]
    if names and name.strip():
        return any(_identifies(item, name.strip()) for item in names)
    return None


def _identifies(identity: dict[str, Any], value: str) -> bool:
    """True when an IdentityObject holds ``value`` (compared without case, as people type)."""
    stated = identity.get("identityHash")
    if not isinstance(stated, str):
        return False
    candidates = {value, value.lower()}
    if not identity.get("hashed"):
        return stated.strip().lower() == value.lower()
    salt = identity.get("salt") if isinstance(identity.get("salt"), str) else ""
    return any(identity_hash(candidate, str(salt)) == stated for candidate in candidates)
