"""Pathways over HTTP.

- ``GET /api/pathways``: every pathway (public: learners plan with them).
- ``POST /api/pathways``: a designer of the institution composes one; 201, or 422 with each
  problem (unknown specification, circular nesting, n larger than the items...).
- ``GET /api/pathways/{id}``: the pathway and the compliance of its stacked credential.
- ``GET /api/pathways/{id}/progress``: the signed-in learner's progress: met, missing, and
  catalogue suggestions.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict

from microcred.api.errors import problem_response, request_issue
from microcred.domain.accounts import Action, Principal
from microcred.http.auth import Target, authorize, signed_in
from microcred.http.services import pathways_of
from microcred.services.pathways import PathwayInvalid, PathwayNotFound

router = APIRouter(tags=["Pathways"])


class PathwayRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    institution: str
    title: dict[str, str]
    target_specification_id: str
    requirement: dict[str, Any]
    auto_award: bool = True


def _found(request: Request, pathway_id: str) -> Any:
    try:
        return pathways_of(request).get(pathway_id)
    except PathwayNotFound as error:
        raise HTTPException(404, detail=str(error)) from error


@router.get("/api/pathways", summary="Every pathway")
def list_pathways(request: Request, institution: str | None = None) -> list[dict[str, Any]]:
    return [p.model_dump(mode="json") for p in pathways_of(request).list(institution)]


@router.post(
    "/api/pathways",
    summary="Compose a pathway (designer)",
    status_code=201,
    dependencies=[Depends(signed_in)],
)
def create_pathway(request: Request, body: PathwayRequest) -> JSONResponse:
    principal = authorize(request, Action.edit_specification, Target(body.institution))
    try:
        pathway = pathways_of(request).create(
            body.institution,
            body.title,
            body.target_specification_id,
            body.requirement,
            actor=principal.label,
            auto_award=body.auto_award,
        )
    except PathwayInvalid as error:
        return problem_response(422, [request_issue("pathway", p) for p in error.problems])
    return JSONResponse(pathway.model_dump(mode="json"), status_code=201)


@router.get("/api/pathways/{pathway_id}", summary="A pathway and its credential's compliance")
def get_pathway(request: Request, pathway_id: str) -> dict[str, Any]:
    pathway = _found(request, pathway_id)
    report = pathways_of(request).compliance(
        pathway, eslp_min_eqf=request.app.state.settings.eslp_min_eqf
    )
    return {**pathway.model_dump(mode="json"), "compliance": report.model_dump(mode="json")}


@router.get("/api/pathways/{pathway_id}/progress", summary="The signed-in learner's progress")
def progress(
    request: Request, pathway_id: str, principal: Principal = Depends(signed_in)
) -> dict[str, Any]:
    pathway = _found(request, pathway_id)
    service = pathways_of(request)
    held = service.wallet.held(principal.email)
    return service.progress(pathway, held, principal.email).model_dump(mode="json")
