"""Credential status over HTTP: the published status lists, and the VC API status update.

- ``GET /status/{institution}/{purpose}/{list_no}``: the signed BitstringStatusListCredential,
  with an ETag (``If-None-Match`` gives 304) and ``Cache-Control: max-age``.
- ``POST /credentials/status`` (W3C CCG VC API): ``{"credentialId": ..., "credentialStatus":
  [{"type": "BitstringStatusListCredential", "status": "revoked" | "suspended" | "active"}]}``,
  or the newer ``{"credentialId": ..., "credentialStatus": {"type": "BitstringStatusList",
  "statusPurpose": "revocation" | "suspension"}, "status": true | false}``, with the reason and
  who did it if given (``reason``, ``actor``: recorded in the audit log). 200 with
  the credential's new state; 400 for bad input, 404 for an unknown credential, 409 for a
  change that does not apply (a revocation is final). Nothing changes on an error. It needs
  ``Authorization: Bearer <API token>`` of a registrar (or administrator) of the credential's
  institution with the ``revoke`` scope (401 without; 403 for another institution's credential
  or a token without the scope). The audit log names the token's owner beside ``actor``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field, StrictBool, ValidationError

from microcred.api.vc_verify import RequestBody, capped_body
from microcred.domain.accounts import Action
from microcred.http.auth import Target, authorize, signed_in
from microcred.http.services import status_lists_of
from microcred.services.status import (
    CredentialNotFound,
    CredentialStatus,
    StatusChangeRefused,
    StatusError,
    StatusListNotFound,
)
from microcred.status.entry import PURPOSES
from microcred.verify.parse import Unparseable, parse_json_object

router = APIRouter(tags=["Credential status"])

# Verifiers may keep a list this long; a revocation is visible to all of them within it.
MAX_AGE_SECONDS = 300
MEDIA_TYPE = "application/vc+ld+json"
# VC API status words, and the change each asks for.
CHANGES = {"revoked": "revoke", "suspended": "suspend", "active": "reinstate"}


@router.get("/status/{institution}/{purpose}/{list_no}", response_class=JSONResponse)
def get_status_list(request: Request, institution: str, purpose: str, list_no: int) -> Response:
    """Return a signed status list credential (a plain ``def``: signing a new list is CPU work)."""
    if purpose not in PURPOSES:
        return JSONResponse(
            {"detail": f"purpose must be one of {', '.join(PURPOSES)}, not {purpose!r}"}, 404
        )
    try:
        published = status_lists_of(request).published.signed_list(institution, purpose, list_no)
    except StatusListNotFound as error:
        return JSONResponse({"detail": str(error)}, status_code=404)
    headers = {"ETag": published.etag, "Cache-Control": f"public, max-age={MAX_AGE_SECONDS}"}
    if published.etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    return JSONResponse(published.document, headers=headers, media_type=MEDIA_TYPE)


class StatusUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: str = "BitstringStatusListCredential"
    status: str


class PurposeStatus(BaseModel):
    """The status entry to set or clear, named by its purpose (the newer VC API shape)."""

    model_config = ConfigDict(extra="forbid")

    type: str = "BitstringStatusList"
    statusPurpose: str
    id: str | None = None
    statusListIndex: str | None = None
    statusListCredential: str | None = None


class UpdateCredentialStatus(BaseModel):
    """The VC API request body, in either of its shapes, with the reason and actor microcred
    records (when left out: a VC API update, by the token's owner)."""

    model_config = ConfigDict(extra="forbid")

    credentialId: str = Field(min_length=1)
    credentialStatus: (
        Annotated[list[StatusUpdate], Field(min_length=1, max_length=1)] | PurposeStatus
    )
    status: StrictBool | None = None
    reason: str = Field("VC API status update", min_length=1)
    actor: str = Field("VC API client", min_length=1)


# The newer shape's (purpose, status) and the change each asks for; None: refused (409).
PURPOSE_CHANGES = {
    ("revocation", True): "revoke",
    ("revocation", False): None,
    ("suspension", True): "suspend",
    ("suspension", False): "reinstate",
}


def requested_change(update: UpdateCredentialStatus) -> str | None:
    """Return the change asked for (revoke, suspend, reinstate; None for undoing a
    revocation); raises ValueError naming what to fix."""
    given = update.credentialStatus
    if isinstance(given, list):
        if update.status is not None:
            raise ValueError("status: give it with credentialStatus {type, statusPurpose} only")
        word = given[0].status
        if word not in CHANGES:
            raise ValueError(
                f"credentialStatus.0.status: must be one of {', '.join(CHANGES)}, not {word!r}"
            )
        return CHANGES[word]
    if update.status is None:
        raise ValueError("status: true (set) or false (clear) is required")
    key = (given.statusPurpose, update.status)
    if key not in PURPOSE_CHANGES:
        raise ValueError(
            "credentialStatus.statusPurpose: must be revocation or suspension "
            f"(this issuer's lists hold no other purpose), not {given.statusPurpose!r}"
        )
    return PURPOSE_CHANGES[key]


@router.post(
    "/credentials/status",
    responses={
        200: {"description": "Credential status successfully updated"},
        400: {"description": "Bad request: the message names what to fix"},
        401: {"description": "No or a wrong bearer token"},
        403: {"description": "The token may not change this credential (role or 'revoke' scope)"},
        404: {"description": "Credential not found"},
        409: {"description": "The change does not apply (e.g. a revocation is final)"},
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"type": "object"}}},
        }
    },
)
def update_credential_status(
    request: Request, body: RequestBody = Depends(capped_body)
) -> JSONResponse:
    """Revoke, suspend or reinstate an issued credential (needs the API bearer token).

    The body is read here, not by FastAPI, so that any body that is not a JSON object of the
    right shape is a 400 naming what to fix, as the VC API asks (never a 422 or a 500).
    """
    signed_in(request)
    if body.too_large:
        return JSONResponse({"detail": ["the request body is too large"]}, status_code=400)
    try:
        envelope = parse_json_object(body.data.decode("utf-8", errors="replace"))
    except Unparseable as error:
        return JSONResponse({"detail": [f"body: {error}"]}, status_code=400)
    try:
        update = UpdateCredentialStatus.model_validate(envelope)
    except ValidationError as error:
        problems = [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in error.errors()]
        return JSONResponse({"detail": problems}, status_code=400)
    try:
        action = requested_change(update)
    except ValueError as error:
        return JSONResponse({"detail": [str(error)]}, status_code=400)
    lists = status_lists_of(request)
    try:
        owner = lists.status_of(update.credentialId).institution
        principal = authorize(request, Action.change_status, Target(owner))
        actor = f"{update.actor} (signed in as {principal.label})"[:200]
        if action is None:
            raise StatusChangeRefused("a revocation is final: its status cannot be set to false")
        change = getattr(lists, action)
        result: CredentialStatus = change(update.credentialId, reason=update.reason, actor=actor)
    except CredentialNotFound as error:
        return JSONResponse({"detail": [str(error)]}, status_code=404)
    except StatusChangeRefused as error:
        return JSONResponse({"detail": [str(error)]}, status_code=409)
    except StatusError as error:
        return JSONResponse({"detail": [str(error)]}, status_code=400)
    return JSONResponse({"credentialId": result.credential_id, "status": result.state})
