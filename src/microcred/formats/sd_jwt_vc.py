"""A micro-credential as an SD-JWT VC (`dc+sd-jwt`): the EU standard elements as JWT claims.

What is always visible is only what a verifier needs to check the credential at all: `iss`,
`iat` (element 5, date of issuing), `exp`, `vct`, `cnf` (the holder's key) and `status`.

Every other claim is selectively disclosable, so the learner decides what each verifier sees:
the personal and sensitive ones (`name`, `birthdate`, `email`, `national_id`,
`institutional_id`, `grade`) and also the descriptive EU elements (title, ECTS, EQF level,
field, outcomes, assessment, participation, quality assurance, ...). Showing "title and ECTS"
must not also show the grade, and a title alone can already say more than a learner wants.

Status: SD-JWT VC names the IETF Token Status List (`status.status_list: {idx, uri}`), whose
list is a `statuslist+jwt`. microcred publishes W3C Bitstring Status Lists instead, so the
`status` claim carries those entries under its own member, `bitstring_status_list` (the very
objects a W3C credential has in `credentialStatus`). A verifier that knows only `status_list`
will not find a status it understands; ours checks the W3C lists.

Signing (`crypto.sd_jwt`) happens in `services.oid4vci`; this module only says what is claimed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from microcred.domain.specification import Specification
from microcred.formats.ob3 import AwardData

MEDIA_TYPE = "dc+sd-jwt"
STATUS_MEMBER = "bitstring_status_list"
VCT_PATH = "/vct/micro-credential"
PERSONAL_CLAIMS = ("name", "birthdate", "email", "national_id", "institutional_id", "grade")


@dataclass(frozen=True)
class SdJwtVcClaims:
    """The claims of one SD-JWT VC: those always visible and those the holder may disclose."""

    visible: dict[str, Any]
    disclosable: dict[str, Any]


def vct_for(base_url: str) -> str:
    """Return the `vct` (credential type URI) of micro-credentials issued by this instance."""
    return base_url.rstrip("/") + VCT_PATH


def micro_credential_claims(
    spec: Specification,
    award: AwardData,
    *,
    issuer: str,
    vct: str,
    holder_jwk: dict[str, str],
    status_entries: list[dict[str, Any]],
    specification_url: str,
    language: str = "en",
) -> SdJwtVcClaims:
    """Return the claims of `award` of `spec` to the holder of `holder_jwk`, issued by `issuer`."""
    visible: dict[str, Any] = {
        "iss": issuer,
        "iat": int(award.issued_on.timestamp()),
        "vct": vct,
        "cnf": {"jwk": holder_jwk},
    }
    if award.valid_until is not None:
        visible["exp"] = int(award.valid_until.timestamp())
    if status_entries:
        visible["status"] = {STATUS_MEMBER: status_entries}
    elements = _elements(spec, language) | {
        "specification": specification_url,
        "awarded_on": (award.awarded_on or award.issued_on).date().isoformat(),
    }
    personal = {
        "name": award.learner_name,
        "birthdate": award.date_of_birth.isoformat() if award.date_of_birth else None,
        "email": award.email,
        "national_id": award.national_id,
        "institutional_id": award.institutional_id,
        "grade": award.grade,
    }
    disclosable = {name: value for name, value in (elements | personal).items() if _given(value)}
    return SdJwtVcClaims(visible, disclosable)


def _elements(spec: Specification, language: str) -> dict[str, Any]:
    body = spec.awarding_bodies[0] if spec.awarding_bodies else None
    return {
        "title": _text(spec.title, language),
        "description": _text(spec.description, language),
        "awarding_body": {
            key: value
            for key, value in {
                "name": _text(body.name, language),
                "id": body.id,
                "country": body.country,
                "legal_identifier": body.legal_identifier,
            }.items()
            if value
        }
        if body
        else None,
        "issuer_countries": spec.issuer_countries,
        "learning_outcomes": [_text(o.text, language) for o in spec.learning_outcomes],
        "ects": spec.workload.ects,
        "hours": spec.workload.hours,
        "eqf_level": _last_segment_int(spec.level.eqf),
        "isced_f": [uri.rstrip("/").rsplit("/", 1)[-1] for uri in spec.isced_f],
        "assessment_types": spec.assessment.types,
        "participation_modes": spec.participation.modes,
        "learning_setting": spec.participation.learning_setting,
        "quality_assurance": spec.quality_assurance.types,
        "prerequisites": _text(spec.prerequisites, language),
        "supervision": spec.supervision.value if spec.supervision else None,
        "stackability": spec.stackability.kind.value if spec.stackability.kind else None,
        "further_information": spec.further_information_url,
    }


def _text(value: dict[str, str], language: str) -> str | None:
    """Return the text in `language`, else English, else the first language given."""
    if not value:
        return None
    return value.get(language) or value.get("en") or next(iter(value.values()))


def _last_segment_int(uri: str | None) -> int | None:
    tail = uri.rstrip("/").rsplit("/", 1)[-1] if uri else ""
    return int(tail) if tail.isdigit() else None


def _given(value: Any) -> bool:
    return value is not None and value != [] and value != {} and value != ""
