"""What rendering needs besides the Specification: the award to one learner and the issuer."""

from __future__ import annotations

import secrets
import uuid
from datetime import date
from typing import Annotated, Self

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from microcred.domain.specification import LanguageMap
from microcred.formats.ob3.iri import check_absolute_iri

AbsoluteIri = Annotated[str, AfterValidator(check_absolute_iri)]


def new_credential_id() -> str:
    return f"urn:uuid:{uuid.uuid4()}"


class Evidence(BaseModel):
    """A credential this award rests on (a stacked credential's component): id and digest."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: AbsoluteIri  # the component credential's id
    name: str = ""
    digest_sri: str = Field(pattern=r"^sha256-[A-Za-z0-9+/]{43}=$")  # SHA-256, SRI form


class AwardData(BaseModel):
    """One award of a micro-credential to one learner; times must carry a time zone."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    learner_name: str | None = None
    email: str | None = None
    institutional_id: str | None = None
    national_id: str | None = None
    did: AbsoluteIri | None = None  # the learner's DID (or another absolute IRI): subject id
    date_of_birth: date | None = None
    grade: str | None = None
    issued_on: AwareDatetime
    awarded_on: AwareDatetime | None = None
    valid_until: AwareDatetime | None = None
    credential_id: AbsoluteIri = Field(default_factory=new_credential_id)
    # Salt of the hashed identifiers: random per award, so equal emails give unequal hashes.
    identity_salt: str = Field(default_factory=lambda: secrets.token_hex(16), min_length=8)
    evidence: list[Evidence] = Field(default_factory=list)

    @model_validator(mode="after")
    def _valid_until_after_issue(self) -> Self:
        if self.valid_until is not None and self.valid_until <= self.issued_on:
            raise ValueError(
                f"valid_until ({self.valid_until.isoformat()}) must be after "
                f"issued_on ({self.issued_on.isoformat()})"
            )
        return self


class IssuerProfile(BaseModel):
    """The organisation that signs the credential (its DID is the proof's controller)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    id: AbsoluteIri  # the issuer's DID
    name: LanguageMap
    url: AbsoluteIri | None = None
    country: AbsoluteIri | None = None  # publications.europa.eu country authority URI
    legal_identifier: str | None = None
