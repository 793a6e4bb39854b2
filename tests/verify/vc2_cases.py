"""VC Data Model 2.0 rules as pairs of documents: one that keeps the rule, one that breaks it.

Written from the MUST statements of the Recommendation (§4.3-§4.10, §5.3, §11.1); both the
issuer (`POST /credentials/issue`) and the verifier's data model check are held to them.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

V2 = "https://www.w3.org/ns/credentials/v2"
OB3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
POLICY = "https://vocab.example/#Policy"
SRI = "sha384-" + base64.b64encode(hashlib.sha384(b"a picture").digest()).decode()

Change = Callable[[dict[str, Any]], None]


def minimal_credential(issuer: str) -> dict[str, Any]:
    """Return a small VC 2.0 credential that keeps every rule."""
    return {
        "@context": [V2],
        "id": "urn:uuid:5e9b0f1c-7d0a-4f0e-8a53-1b2f3c4d5e6f",
        "type": ["VerifiableCredential"],
        "issuer": issuer,
        "validFrom": "2025-03-01T09:30:00Z",
        "credentialSubject": {"id": "did:example:learner", "name": "Jana Nowak"},
    }


@dataclass(frozen=True)
class RuleCase:
    """A rule: a change that keeps it, a change that breaks it, and the problem it gives."""

    name: str
    keeps: Change
    breaks: Change
    member: str  # the path of the member named, from the credential's root
    message: str  # a fragment of the problem's message


def put(**members: Any) -> Change:
    return lambda document: document.update(members)


def drop(key: str) -> Change:
    return lambda document: document.pop(key)


def claims(subject: Any) -> Change:
    return put(credentialSubject=subject)


def typed(key: str, keeps: Any, breaks: Any, member: str) -> RuleCase:
    return RuleCase(
        f"{key}-without-type", put(**{key: keeps}), put(**{key: breaks}), member, "type"
    )


def resource(**members: Any) -> dict[str, Any]:
    return {"id": "https://resources.example/a.png", "digestSRI": SRI, **members}


CASES = [
    RuleCase("context-missing", put(**{"@context": V2}), drop("@context"), "@context", "required"),
    RuleCase(
        "context-not-first",
        put(**{"@context": [V2, OB3]}),
        put(**{"@context": [OB3, V2]}),
        "@context",
        "must come first",
    ),
    RuleCase(
        "context-vocab-null",
        put(**{"@context": [V2, {"@vocab": "https://vocab.example/#"}]}),
        put(**{"@context": [V2, {"@vocab": None}]}),
        "@context[1].@vocab",
        "null cannot be processed",
    ),
    RuleCase(
        "type-lacks-verifiable-credential",
        put(type=["VerifiableCredential", POLICY]),
        put(type=[POLICY]),
        "type",
        "must include VerifiableCredential",
    ),
    RuleCase("id-not-a-url", put(id="https://x.example/1"), put(id="credential-1"), "id", "URL"),
    RuleCase(
        "issuer-not-a-url",
        put(issuer={"id": "ISSUER", "name": "TH Lahntal"}),
        put(issuer="TH Lahntal"),
        "issuer",
        "must be a URL",
    ),
    RuleCase(
        "issuer-object-without-url-id",
        put(issuer={"id": "ISSUER"}),
        put(issuer={"name": "TH Lahntal"}),
        "issuer",
        "must be a URL",
    ),
    RuleCase(
        "subject-null",
        claims([{"name": "Jana"}, {"name": "Jan"}]),
        claims(None),
        "credentialSubject",
        "got null",
    ),
    RuleCase(
        "subject-not-objects",
        claims([{"name": "Jana"}]),
        claims([{"name": "Jana"}, "did:example:jan"]),
        "credentialSubject[1]",
        "must be an object of claims, got a string",
    ),
    RuleCase(
        "subject-without-claims",
        claims({"id": "did:example:learner", "name": "Jana"}),
        claims({"id": "did:example:learner"}),
        "credentialSubject",
        "at least one claim",
    ),
    RuleCase(
        "subject-id-not-a-url",
        claims({"id": "did:example:learner", "name": "Jana"}),
        claims({"id": "learner-42", "name": "Jana"}),
        "credentialSubject.id",
        "URL",
    ),
    typed(
        "credentialStatus",
        {"id": "https://status.example/1#5", "type": POLICY},
        {"id": "https://status.example/1#5"},
        "credentialStatus",
    ),
    typed(
        "termsOfUse",
        [{"type": POLICY}, {"type": POLICY, "id": "https://policy.example/2"}],
        [{"type": POLICY}, {"id": "https://policy.example/2"}],
        "termsOfUse[1]",
    ),
    typed("evidence", {"type": POLICY}, {"id": "https://evidence.example/1"}, "evidence"),
    typed("refreshService", {"type": POLICY}, "https://refresh.example/", "refreshService"),
    typed(
        "credentialSchema",
        {"id": "https://schema.example/a.json", "type": "JsonSchema"},
        {"id": "https://schema.example/a.json"},
        "credentialSchema",
    ),
    RuleCase(
        "credentialSchema-without-id",
        put(credentialSchema={"id": "https://schema.example/a.json", "type": "JsonSchema"}),
        put(credentialSchema={"type": "JsonSchema"}),
        "credentialSchema.id",
        "URL of the schema",
    ),
    RuleCase(
        "validFrom-without-zone",
        put(validFrom="2025-03-01T09:30:00+02:00"),
        put(validFrom="2025-03-01T09:30:00"),
        "validFrom",
        "time zone",
    ),
    RuleCase(
        "validUntil-a-date",
        put(validUntil="2030-03-01T00:00:00Z"),
        put(validUntil="2030-03-01"),
        "validUntil",
        "dateTimeStamp",
    ),
    RuleCase(
        "validUntil-before-validFrom",
        put(validUntil="2025-03-01T09:30:00Z"),
        put(validUntil="2025-03-01T09:29:59Z"),
        "validUntil",
        "earlier than validFrom",
    ),
    RuleCase(
        "relatedResource-not-object",
        put(relatedResource=[resource()]),
        put(relatedResource=["https://resources.example/a.png"]),
        "relatedResource[0]",
        "must be an object",
    ),
    RuleCase(
        "relatedResource-without-id",
        put(relatedResource=resource()),
        put(relatedResource={"digestSRI": SRI}),
        "relatedResource.id",
        "is required",
    ),
    RuleCase(
        "relatedResource-repeated-id",
        put(relatedResource=[resource(), resource(id="https://resources.example/b.png")]),
        put(relatedResource=[resource(), resource()]),
        "relatedResource[1].id",
        "listed twice",
    ),
    RuleCase(
        "relatedResource-without-digest",
        put(relatedResource=[resource(mediaType="image/png")]),
        put(relatedResource=[{"id": "https://resources.example/a.png", "mediaType": "image/png"}]),
        "relatedResource[0]",
        "needs a digestSRI or a digestMultibase",
    ),
    RuleCase(
        "name-language-value",
        put(name=[{"@value": "Zertifikat", "@language": "de"}, "Certificate"]),
        put(name={"@value": "Zertifikat", "@lang": "de"}),
        "name",
        "only @value, @language and @direction",
    ),
    RuleCase(
        "description-not-text",
        put(description={"@value": "Ein Kurs", "@language": "de", "@direction": "ltr"}),
        put(description=42),
        "description",
        "string or a language value object",
    ),
]


def applied(case_change: Change, issuer: str) -> dict[str, Any]:
    """Return the minimal credential of `issuer` with one change made (ISSUER: that issuer)."""
    document = minimal_credential(issuer)
    case_change(document)
    if isinstance(document.get("issuer"), dict) and document["issuer"].get("id") == "ISSUER":
        document["issuer"] = {**document["issuer"], "id": issuer}
    return document
