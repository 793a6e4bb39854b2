"""Upgrading an Open Badges 2.0 badge to Open Badges 3.0 over HTTP.

``POST /api/institutions/{slug}/ob2-upgrades`` with ``{"badge": ...}`` (the assertion's JSON,
its JWS, the hosted assertion's URL, or a baked SVG's text): 201 with the signed OB 3.0
credential when it is made, 200 with the same credential when the badge was upgraded before,
422 when the badge does not verify or its issuer is not one of the institution's. Needs the
``issue`` permission at the institution.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from microcred.api.errors import problem_response, request_issue
from microcred.domain.accounts import Action, Principal
from microcred.http.auth import Target, require
from microcred.http.services import ob2_upgrades_of
from microcred.services.ob2_upgrades import Ob2UpgradeRefused

router = APIRouter(tags=["Awards"])


class UpgradeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    badge: dict[str, Any] | str = Field(
        description="The OB 2.0 badge: the assertion's JSON, its compact JWS (a signed badge), "
        "the URL of a hosted assertion, or the text of a baked SVG"
    )


def _institution_in_path(request: Request) -> Target:
    return Target(request.path_params["slug"])


@router.post(
    "/api/institutions/{slug}/ob2-upgrades",
    summary="Re-issue one of the institution's Open Badges 2.0 badges as Open Badges 3.0",
    status_code=201,
    responses={200: {"description": "Upgraded before: the same credential"}},
)
def upgrade_ob2_badge(
    request: Request,
    slug: str,
    body: UpgradeRequest,
    principal: Principal = Depends(require(Action.issue, _institution_in_path)),
) -> JSONResponse:
    """Return the signed OB 3.0 credential re-issuing the badge (made once per badge)."""
    try:
        upgrade = ob2_upgrades_of(request).upgrade(slug, body.badge, actor=principal.label)
    except Ob2UpgradeRefused as error:
        return problem_response(422, [request_issue(error.where, error.message)])
    content = {
        "credential": upgrade.credential,
        "created": upgrade.created,
        "institution": upgrade.institution,
        "original": upgrade.original,
    }
    return JSONResponse(content, status_code=201 if upgrade.created else 200)
