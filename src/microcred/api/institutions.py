"""REST API: the institutions that offer specifications."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from microcred.domain.accounts import Action
from microcred.http.auth import require
from microcred.http.services import catalogue_of
from microcred.services.catalogue import Institution

router = APIRouter(prefix="/api/institutions", tags=["institutions"])


class InstitutionIn(BaseModel):
    name: dict[str, str] = Field(description="Language map, e.g. {'en': 'University of Example'}")
    country: str | None = None
    is_higher_education: bool = True
    ob2_issuers: list[str] | None = Field(
        default=None,
        max_length=20,
        description="Web addresses of the institution's Open Badges 2.0 issuer Profiles, whose "
        "badges its registrars may re-issue as Open Badges 3.0 (omitted: kept as they are)",
    )


@router.get("", response_model=list[Institution])
def list_institutions(request: Request) -> list[Institution]:
    """Return every institution, ordered by slug."""
    return catalogue_of(request).list_institutions()


@router.put(
    "/{slug}",
    response_model=Institution,
    responses={422: {"description": "Bad input"}},
    dependencies=[Depends(require(Action.manage_institutions))],
)
def put_institution(request: Request, slug: str, details: InstitutionIn) -> Institution:
    """Create the institution ``slug``, or update it to the details given (the operator only)."""
    return catalogue_of(request).ensure_institution(
        slug, details.name, details.country, details.is_higher_education, details.ob2_issuers
    )
