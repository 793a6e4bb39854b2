"""The data model check: VC 2.0 / 1.1 required fields and types, and Open Badges 3.0 shapes.

1EdTech's JSON Schema for OB 3.0 is not among the pinned files, so its required fields
(AchievementCredential, Profile, AchievementSubject, Achievement, Criteria) are written here
as `Rule`s.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from microcred.formats.jsonld import pinned_context_bytes
from microcred.i18n import N_
from microcred.verify.document import as_list, types_of, vc_version
from microcred.verify.related_resources import check_related_resources
from microcred.verify.report import CheckResult, failed, ok, said
from microcred.verify.shape import (
    Rule,
    has_any_type,
    has_type,
    is_date_time,
    is_iri,
    is_iri_or_node,
    is_object_or_objects,
    is_text,
    problems_in,
)
from microcred.verify.subject import Subject
from microcred.verify.vc2_rules import credential_problems, presentation_problems

NAME = "data_model"
NOT_BUILT_AS_A_CREDENTIAL = N_(
    "the file lacks parts a verifiable credential must have, or has them in the wrong form"
)
RELATED_RESOURCE_CHANGED = N_(
    "a document the credential relies on has changed since the credential was issued"
)
OB3_TYPES = ("OpenBadgeCredential", "AchievementCredential")

_PROOF = Rule("proof", is_object_or_objects, "a proof object or a list of them", required=False)
VC_V1 = [
    Rule(
        "type", has_type("VerifiableCredential"), "a type list that includes VerifiableCredential"
    ),
    Rule("issuer", is_iri_or_node, "a URL/DID, or an object whose id is one"),
    Rule("credentialSubject", is_object_or_objects, "an object or a list of objects"),
    Rule("issuanceDate", is_date_time, "an XML Schema date-time"),
    Rule("expirationDate", is_date_time, "an XML Schema date-time", required=False),
    Rule("id", is_iri, "a URL, DID or URN", required=False),
    Rule("credentialStatus", is_object_or_objects, "an object with a type", required=False),
    _PROOF,
]
PRESENTATION_V1 = [
    Rule("type", has_type("VerifiablePresentation"), "a type list with VerifiablePresentation"),
    Rule("holder", is_iri_or_node, "a URL/DID, or an object whose id is one", required=False),
    Rule("verifiableCredential", is_object_or_objects, "a credential or a list", required=False),
    Rule("id", is_iri, "a URL, DID or URN", required=False),
    _PROOF,
]
OB3_CREDENTIAL = [
    Rule("type", has_any_type(*OB3_TYPES), "OpenBadgeCredential or AchievementCredential"),
    Rule("id", is_iri, "a URL, DID or URN"),
    Rule("name", is_text, "a string or language-tagged strings"),
    Rule("credentialSubject", lambda v: isinstance(v, dict), "one AchievementSubject object"),
]
OB3_PROFILE = [
    Rule("id", is_iri, "a URL or DID"),
    Rule("type", has_type("Profile"), "a type list that includes Profile"),
]
OB3_SUBJECT = [
    Rule("type", has_type("AchievementSubject"), "a type list with AchievementSubject"),
    Rule("id", is_iri, "the learner's DID or URL", required=False),
    Rule("achievement", lambda v: isinstance(v, dict), "one Achievement object"),
]
OB3_ACHIEVEMENT = [
    Rule("id", is_iri, "a URL or URN"),
    Rule("type", has_type("Achievement"), "a type list that includes Achievement"),
    Rule("name", is_text, "a string or language-tagged strings"),
    Rule("description", is_text, "a string or language-tagged strings"),
    Rule("criteria", lambda v: isinstance(v, dict), "a Criteria object (id or narrative)"),
]
OB3_CRITERIA = [
    Rule("id", is_iri, "a URL", required=False),
    Rule("narrative", is_text, "a string or language-tagged strings", required=False),
]


def check_data_model(subject: Subject) -> CheckResult:
    """Return ok when the document has the fields and types its data model requires."""
    document = subject.parsed
    # A document naming neither base context first is held to VC 2.0, whose rules say so.
    version = vc_version(document) or "2.0"
    if subject.kind == "presentation":
        problems = _presentation_problems(document, version)
        model = f"VC {version} presentation"
    else:
        problems = _credential_problems(document, version)
        model = f"VC {version}"
        if set(OB3_TYPES) & set(types_of(document)):
            problems += ob3_problems(document, version)
            model += " + Open Badges 3.0"
    problems += _proof_problems(document)
    if problems:
        return failed(
            NAME,
            said(NOT_BUILT_AS_A_CREDENTIAL),
            model=model,
            problems=problems,
            technical="; ".join(problems[:5]),
        )
    digests = check_related_resources(document, pinned_context_bytes)
    related = [asdict(result) for result in digests]
    mismatched = [
        f"relatedResource {r.id}: {r.reason}" for r in digests if r.status == "mismatched"
    ]
    if mismatched:
        return failed(
            NAME,
            said(RELATED_RESOURCE_CHANGED),
            model=model,
            related_resources=related,
            technical="; ".join(mismatched),
        )
    reason = said(N_("the document follows the %(model)s data model"), model=model)
    unchecked = sum(result.status == "not checked" for result in digests)
    if unchecked:
        reason = said(
            N_(
                "the document follows the %(model)s data model (%(unchecked)s related "
                "resource(s) not available offline, digests not checked)"
            ),
            model=model,
            unchecked=unchecked,
        )
    return ok(NAME, reason, model=model, **({"related_resources": related} if related else {}))


def _credential_problems(document: dict[str, Any], version: str) -> list[str]:
    if version == "1.1":
        return problems_in(document, "$", VC_V1)
    return [str(problem) for problem in credential_problems(document)] + problems_in(
        document, "$", [_PROOF]
    )


def _presentation_problems(document: dict[str, Any], version: str) -> list[str]:
    if version == "1.1":
        return problems_in(document, "$", PRESENTATION_V1)
    return [str(problem) for problem in presentation_problems(document)] + problems_in(
        document, "$", [_PROOF]
    )


def ob3_problems(document: dict[str, Any], version: str) -> list[str]:
    """Return what an Open Badges 3.0 AchievementCredential lacks or has in the wrong shape."""
    problems = problems_in(document, "$", OB3_CREDENTIAL)
    if version == "2.0" and "validFrom" not in document:
        problems.append("$.validFrom is required by Open Badges 3.0 on VC 2.0")
    if isinstance(document.get("issuer"), dict):
        problems += problems_in(document["issuer"], "$.issuer", OB3_PROFILE)
    subject = document.get("credentialSubject")
    if not isinstance(subject, dict):
        return problems
    problems += problems_in(subject, "$.credentialSubject", OB3_SUBJECT)
    achievement = subject.get("achievement")
    if not isinstance(achievement, dict):
        return problems
    where = "$.credentialSubject.achievement"
    problems += problems_in(achievement, where, OB3_ACHIEVEMENT)
    criteria = achievement.get("criteria")
    if isinstance(criteria, dict):
        problems += problems_in(criteria, f"{where}.criteria", OB3_CRITERIA)
        if "id" not in criteria and "narrative" not in criteria:
            problems.append(f"{where}.criteria needs an id or a narrative")
    return problems


def _proof_problems(document: dict[str, Any]) -> list[str]:
    problems = []
    for index, proof in enumerate(as_list(document.get("proof"))):
        if isinstance(proof, dict) and not isinstance(proof.get("type"), str):
            problems.append(f"$.proof[{index}].type must be a string")
    return problems
