"""What the store hands back: plain records, detached from any database session."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator

from microcred.domain.specification import Specification
from microcred.domain.specification_status import SpecificationStatus
from microcred.store.catalogue_tables import InstitutionRow, SpecificationVersionRow


class Institution(BaseModel):
    """A provider that owns specifications in the catalogue."""

    model_config = ConfigDict(frozen=True, from_attributes=True)

    id: int
    slug: str
    name: dict[str, str]
    country: str | None
    is_higher_education: bool
    # Its Open Badges 2.0 issuer Profile ids, whose badges it may re-issue as OB 3.0.
    ob2_issuers: list[str] = Field(default_factory=list)
    created_at: datetime

    @field_validator("ob2_issuers", mode="before")
    @classmethod
    def _none_is_no_issuer(cls, value: object) -> object:
        return [] if value is None else value

    @classmethod
    def from_row(cls, row: InstitutionRow) -> Institution:
        return cls.model_validate(row)


class SpecificationRecord(BaseModel):
    """One version of a specification as the catalogue keeps it."""

    model_config = ConfigDict(frozen=True)

    id: str  # the family's UUID, shared by every version
    version: int
    status: SpecificationStatus
    institution: str  # the institution's slug
    specification: Specification
    created_at: datetime
    updated_at: datetime
    published_at: datetime | None
    compliant: bool  # no errors under the Council Recommendation ("eu" profile)
    errors: int
    warnings: int

    @property
    def urn(self) -> str:
        return f"urn:uuid:{self.id}"

    @classmethod
    def from_row(cls, row: SpecificationVersionRow) -> SpecificationRecord:
        return cls(
            id=row.specification_id,
            version=row.version,
            status=SpecificationStatus(row.status),
            institution=row.specification.institution.slug,
            specification=Specification.model_validate(row.document),
            created_at=row.created_at,
            updated_at=row.updated_at,
            published_at=row.published_at,
            compliant=row.compliant,
            errors=row.error_count,
            warnings=row.warning_count,
        )
