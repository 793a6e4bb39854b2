"""Recognition over HTTP, for recognition officers of the institution.

- ``POST /api/recognition/cases``: ``{"institution", "target_specification_id"}`` and either
  ``"credential"`` (as received through the verifier) or ``"share_link"`` plus
  ``"credential_id"`` (a learner's link); 201 with the comparison and the proposal.
- ``GET /api/recognition/cases?institution=``; ``GET /api/recognition/cases/{id}``.
- ``POST /api/recognition/cases/{id}/decision``: ``{"decision", "ects", "note"}``, once.
- ``GET /api/recognition/export?institution=&format=csv|json``.
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict

from microcred.api.errors import problem_response, request_issue
from microcred.domain.accounts import Action
from microcred.http.access import case_in_reach
from microcred.http.auth import Target, authorize, signed_in
from microcred.http.services import recognition_of
from microcred.http.wallet_links import token_from_link
from microcred.services.recognition import (
    RecognitionCase,
    RecognitionError,
)

router = APIRouter(tags=["Recognition"])


class CaseRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    institution: str
    target_specification_id: str
    credential: dict[str, Any] | str | None = None
    share_link: str | None = None
    credential_id: str | None = None
    learner: str = ""


class DecisionRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision: Literal["full", "partial", "none"]
    ects: float | None = None
    note: str


def shown(case: RecognitionCase) -> dict[str, Any]:
    return case.model_dump(mode="json", exclude={"credential"})


def _refused(error: RecognitionError) -> JSONResponse:
    return problem_response(422, [request_issue(error.where, error.message)])


@router.post(
    "/api/recognition/cases",
    summary="Open a recognition case",
    status_code=201,
    dependencies=[Depends(signed_in)],
)
def open_case(request: Request, body: CaseRequest) -> JSONResponse:
    principal = authorize(request, Action.decide_recognition, Target(body.institution))
    service = recognition_of(request)
    try:
        if body.share_link and body.credential_id and body.credential is None:
            case = service.open_from_share_link(
                body.institution,
                token_from_link(body.share_link),
                body.credential_id,
                body.target_specification_id,
                actor=principal.label,
            )
        elif body.credential is not None and not body.share_link:
            case = service.open_case(
                body.institution,
                body.credential,
                body.target_specification_id,
                actor=principal.label,
                learner=body.learner,
            )
        else:
            raise RecognitionError(
                "body", "send 'credential', or 'share_link' with 'credential_id'"
            )
    except RecognitionError as error:
        return _refused(error)
    return JSONResponse(shown(case), status_code=201)


@router.get(
    "/api/recognition/cases",
    summary="An institution's recognition cases",
    dependencies=[Depends(signed_in)],
)
def list_cases(request: Request, institution: str) -> list[dict[str, Any]]:
    authorize(request, Action.decide_recognition, Target(institution, public=False))
    return [shown(case) for case in recognition_of(request).cases(institution)]


@router.get(
    "/api/recognition/cases/{case_id}",
    summary="One recognition case",
    dependencies=[Depends(signed_in)],
)
def get_case(request: Request, case_id: str) -> dict[str, Any]:
    return shown(case_in_reach(request, case_id))


@router.post(
    "/api/recognition/cases/{case_id}/decision",
    summary="Record the decision",
    dependencies=[Depends(signed_in)],
)
def decide(request: Request, case_id: str, body: DecisionRequest) -> JSONResponse:
    case = case_in_reach(request, case_id)
    principal = authorize(request, Action.decide_recognition, Target(case.institution))
    try:
        decided = recognition_of(request).decide(
            case_id,
            body.decision,
            actor=principal.label,
            ects=body.ects,
            note=body.note,
        )
    except RecognitionError as error:
        return _refused(error)
    return JSONResponse(shown(decided))


@router.get(
    "/api/recognition/export",
    summary="The cases as CSV or JSON",
    dependencies=[Depends(signed_in)],
)
def export(request: Request, institution: str, format: Literal["csv", "json"] = "csv") -> Response:
    authorize(request, Action.decide_recognition, Target(institution, public=False))
    service = recognition_of(request)
    if format == "json":
        return Response(service.export_json(institution), media_type="application/json")
    headers = {"Content-Disposition": f'attachment; filename="recognition-{institution}.csv"'}
    return Response(service.export_csv(institution), media_type="text/csv", headers=headers)
