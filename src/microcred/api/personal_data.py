"""The operator's personal-data endpoints (GDPR): export and erase what is held about a person.

The address travels in the body, never in the URL, so it stays out of access logs.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import BaseModel, Field

from microcred.domain.accounts import Action, Principal
from microcred.http.auth import require
from microcred.services.gdpr import PersonalData, PersonalDataError

router = APIRouter(prefix="/api/personal-data", tags=["Personal data (GDPR)"])


class PersonRequest(BaseModel):
    email: str = Field(max_length=320, description="The person's e-mail address")


class ErasureRequest(PersonRequest):
    reason: str = Field(min_length=1, max_length=2000, description="Why; kept in the audit log")


class ErasureResult(BaseModel):
    erasure_id: str
    awards: int
    credentials: int
    account_deleted: bool


def _service(request: Request) -> PersonalData:
    return PersonalData(request.app.state.database)


@router.post("/export", summary="Everything held about a person, as JSON")
def export_personal_data(
    request: Request,
    body: PersonRequest,
    principal: Principal = Depends(require(Action.manage_institutions)),
) -> dict[str, Any]:
    try:
        return _service(request).export(body.email)
    except PersonalDataError as error:
        raise HTTPException(422, detail=str(error)) from None


@router.post("/erase", summary="Erase a person's data; issued credentials stay verifiable")
def erase_personal_data(
    request: Request,
    body: ErasureRequest,
    principal: Principal = Depends(require(Action.manage_institutions)),
) -> ErasureResult:
    try:
        erasure = _service(request).erase(body.email, actor=principal.email, reason=body.reason)
    except PersonalDataError as error:
        raise HTTPException(422, detail=str(error)) from None
    return ErasureResult(
        erasure_id=erasure.erasure_id,
        awards=erasure.awards,
        credentials=erasure.credentials,
        account_deleted=erasure.account_deleted,
    )
