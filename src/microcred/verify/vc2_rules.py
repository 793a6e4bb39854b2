"""The W3C VC Data Model 2.0 MUSTs a document can be held to without fetching anything.

The issuer refuses to sign what breaks them (`POST /credentials/issue`), and the verifier's
data model check reports the same problems: one set of rules for both sides. Each problem
names the member (`credentialSubject[0]`, `relatedResource[1].id`) from the document's root.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from microcred.verify.document import VC_V2_CONTEXT, as_list, types_of
from microcred.verify.parse import json_kind
from microcred.verify.shape import is_iri, is_iri_or_node, parse_date_time

# Objects the data model says MUST say what they are (§4.5 Types, §5.7 reserved extensions).
TYPED_MEMBERS = (
    "credentialStatus",
    "termsOfUse",
    "evidence",
    "refreshService",
    "credentialSchema",
    "confidenceMethod",
    "renderMethod",
)
_VALUE_OBJECT_KEYS = {"@value", "@language", "@direction"}
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")
_SRI = re.compile(r"^sha(256|384|512)-[A-Za-z0-9+/]+={0,2}$")


@dataclass(frozen=True)
class ModelProblem:
    """One broken rule: the member it is about (empty: the document itself) and what is wrong."""

    path: str
    message: str

    def under(self, root: str) -> str:
        """Return the member's path written below `root` (`$`, `credential`)."""
        if not self.path:
            return root
        return f"{root}{self.path}" if self.path.startswith("[") else f"{root}.{self.path}"

    def __str__(self) -> str:
        return f"{self.under('$')} {self.message}"


def credential_problems(document: dict[str, Any]) -> list[ModelProblem]:
    """Return every VC Data Model 2.0 MUST the credential breaks (none: it conforms)."""
    return [
        *_context_problems(document),
        *_type_problems(document, "VerifiableCredential"),
        *_id_problem(document, ""),
        *_text_problems(document, ""),
        *_issuer_problems(document.get("issuer", _MISSING)),
        *_subject_problems(document.get("credentialSubject", _MISSING)),
        *_validity_problems(document),
        *_typed_member_problems(document),
        *_related_resource_problems(document),
    ]


def presentation_problems(document: dict[str, Any]) -> list[ModelProblem]:
    """Return every VC Data Model 2.0 MUST the presentation breaks (none: it conforms)."""
    problems = [
        *_context_problems(document),
        *_type_problems(document, "VerifiablePresentation"),
        *_id_problem(document, ""),
        *_typed_member_problems(document),
    ]
    if "holder" in document and not is_iri_or_node(document["holder"]):
        problems.append(ModelProblem("holder", "must be a URL or an object whose id is a URL"))
    for index, item in _indexed(document, "verifiableCredential"):
        if not isinstance(item, dict):
            problems.append(
                ModelProblem(index, "must be a credential object, not a string, number or URL")
            )
    return problems


class _Missing:
    """Stands for a member the document does not have (None would be JSON null)."""


_MISSING = _Missing()


def _context_problems(document: dict[str, Any]) -> Iterator[ModelProblem]:
    if "@context" not in document:
        yield ModelProblem("@context", f"is required; its first entry must be {VC_V2_CONTEXT}")
        return
    contexts = as_list(document["@context"])
    if not contexts or contexts[0] != VC_V2_CONTEXT:
        where = "must come first" if VC_V2_CONTEXT in contexts else "must be the first entry"
        yield ModelProblem("@context", f"{VC_V2_CONTEXT} {where}")
    for index, context in enumerate(contexts[1:], start=1):
        if isinstance(context, str) and not is_iri(context):
            yield ModelProblem(f"@context[{index}]", f"must be a URL, got {context!r:.80}")
        elif not isinstance(context, str | dict):
            yield ModelProblem(f"@context[{index}]", "must be a URL or a context object")
        elif isinstance(context, dict) and "@vocab" in context and context["@vocab"] is None:
            # Valid JSON-LD, but the processor used here (pyld) fails on it: it is not
            # processable as a context by this installation, so it is refused up front.
            yield ModelProblem(
                f"@context[{index}].@vocab",
                "null cannot be processed here; leave @vocab out instead of resetting it",
            )


def _type_problems(node: dict[str, Any], required: str) -> Iterator[ModelProblem]:
    if "type" not in node:
        yield ModelProblem("type", f"is required and must include {required}")
        return
    values = as_list(node["type"])
    if not values or not all(isinstance(value, str) and value for value in values):
        yield ModelProblem("type", "must be a term or URL, or a list of them")
    elif required not in values:
        yield ModelProblem("type", f"must include {required}")


def _id_problem(node: dict[str, Any], path: str) -> Iterator[ModelProblem]:
    if "id" in node and not is_iri(node["id"]):
        yield ModelProblem(_join(path, "id"), f"must be a single URL, got {node['id']!r:.80}")


def _text_problems(node: dict[str, Any], path: str) -> Iterator[ModelProblem]:
    """`name` and `description`: a string or language value objects (§4.6, §11.1)."""
    for key in ("name", "description"):
        if key in node:
            problem = _language_value_problem(node[key])
            if problem:
                yield ModelProblem(_join(path, key), problem)


def _language_value_problem(value: Any) -> str | None:
    items = as_list(value)
    if not items:
        return "must be a string or a language value object"
    for item in items:
        if isinstance(item, str):
            continue
        if not isinstance(item, dict) or not isinstance(item.get("@value"), str):
            return "must be a string or a language value object with a string @value"
        extra = set(item) - _VALUE_OBJECT_KEYS
        if extra:
            return (
                "a language value object may hold only @value, @language and @direction, "
                f"not {', '.join(sorted(extra))}"
            )
        language = item.get("@language")
        if language is not None and not (
            isinstance(language, str) and _LANGUAGE_TAG.match(language)
        ):
            return f"@language must be a language tag (BCP 47), got {language!r:.40}"
        if item.get("@direction", "ltr") not in ("ltr", "rtl"):
            return "@direction must be ltr or rtl"
    return None


def _issuer_problems(issuer: Any) -> Iterator[ModelProblem]:
    if issuer is _MISSING:
        yield ModelProblem("issuer", "is required: a URL, or an object whose id is a URL")
    elif not is_iri_or_node(issuer):
        yield ModelProblem(
            "issuer", f"must be a URL, or an object whose id is a URL, got {issuer!r:.80}"
        )
    elif isinstance(issuer, dict):
        yield from _text_problems(issuer, "issuer")


def _subject_problems(subject: Any) -> Iterator[ModelProblem]:
    if subject is _MISSING:
        yield ModelProblem("credentialSubject", "is required: the claims the credential makes")
        return
    subjects = subject if isinstance(subject, list) else [subject]
    if not subjects:
        yield ModelProblem("credentialSubject", "must hold at least one subject")
    for index, item in enumerate(subjects):
        path = f"credentialSubject[{index}]" if isinstance(subject, list) else "credentialSubject"
        if not isinstance(item, dict):
            yield ModelProblem(path, f"must be an object of claims, got {json_kind(item)}")
        elif not set(item) - {"id"}:
            yield ModelProblem(path, "must make at least one claim about its subject")
        else:
            yield from _id_problem(item, path)


def _validity_problems(document: dict[str, Any]) -> Iterator[ModelProblem]:
    moments = {}
    for key in ("validFrom", "validUntil"):
        if key not in document:
            continue
        moment = parse_date_time(document[key], zone_required=True)
        if moment is None:
            yield ModelProblem(
                key,
                "must be an XML Schema dateTimeStamp: a date, a time and a time zone "
                f"(2025-03-01T09:30:00Z), got {document[key]!r:.60}",
            )
        moments[key] = moment
    start, end = moments.get("validFrom"), moments.get("validUntil")
    if start and end and start > end:
        yield ModelProblem("validUntil", "must not be earlier than validFrom")


def _typed_member_problems(document: dict[str, Any]) -> Iterator[ModelProblem]:
    for key in TYPED_MEMBERS:
        if key in document and not as_list(document[key]):
            yield ModelProblem(key, "must be an object with a type, or a list of them")
        for path, item in _indexed(document, key):
            if not isinstance(item, dict):
                yield ModelProblem(path, f"must be an object with a type, got {json_kind(item)}")
                continue
            if not types_of(item):
                yield ModelProblem(path, "must have a type")
            if key == "credentialSchema" and "id" not in item:
                yield ModelProblem(_join(path, "id"), "is required: the URL of the schema")
            yield from _id_problem(item, path)


def _related_resource_problems(document: dict[str, Any]) -> Iterator[ModelProblem]:
    if "relatedResource" in document and not as_list(document["relatedResource"]):
        yield ModelProblem("relatedResource", "must be one or more objects")
    seen: set[str] = set()
    for path, item in _indexed(document, "relatedResource"):
        if not isinstance(item, dict):
            yield ModelProblem(
                path, f"must be an object with id and a digest, got {json_kind(item)}"
            )
            continue
        resource = item.get("id")
        if not is_iri(resource):
            yield ModelProblem(_join(path, "id"), "is required and must be a URL")
        elif resource in seen:
            yield ModelProblem(_join(path, "id"), f"{resource} is listed twice; ids must be unique")
        else:
            seen.add(str(resource))
        if "digestSRI" not in item and "digestMultibase" not in item:
            yield ModelProblem(path, "needs a digestSRI or a digestMultibase")
        sri = item.get("digestSRI")
        if "digestSRI" in item and not (
            isinstance(sri, str) and sri.split() and all(map(_SRI.match, sri.split()))
        ):
            yield ModelProblem(
                _join(path, "digestSRI"), "must be sha256-, sha384- or sha512- and base64"
            )
        if "digestMultibase" in item and not isinstance(item["digestMultibase"], str):
            yield ModelProblem(_join(path, "digestMultibase"), "must be a multibase string")


def _indexed(document: dict[str, Any], key: str) -> Iterator[tuple[str, Any]]:
    """Yield (path, item) for each value of `key`: `key` alone, or `key[i]` in a list."""
    value = document.get(key)
    if isinstance(value, list):
        yield from ((f"{key}[{index}]", item) for index, item in enumerate(value))
    elif key in document:
        yield key, value


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key
