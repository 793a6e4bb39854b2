"""OpenID4VP over HTTP: staff make presentation requests and read results; wallets fetch the
signed request object and post their answer (direct_post).

Making a request needs a signed-in account (any staff member; roles narrow nothing yet); its
result is read only by the account that made it (404 to anyone else, as on the staff page).
The wallet-facing routes are open: the request id is unguessable, the nonce binds the answer,
and each request takes one answer.
"""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from microcred.http.auth import signed_in
from microcred.http.services import presentation_verifier_of
from microcred.services.oid4vp import PresentationRefused
from microcred.services.presentation_access import own_presentation_request

router = APIRouter(tags=["OpenID4VP"])
NO_STORE = {"Cache-Control": "no-store"}


class NewPresentationRequest(BaseModel):
    min_ects: float = Field(ge=0)
    field: str | None = None


@router.post("/api/oid4vp/requests", summary="Ask a wallet for a micro-credential", status_code=201)
def create_request(body: NewPresentationRequest, request: Request) -> JSONResponse:
    who = signed_in(request)
    try:
        made = presentation_verifier_of(request).create(
            body.min_ects, body.field, created_by=who.email
        )
    except ValueError as error:
        return JSONResponse({"detail": str(error)}, status_code=422)
    return JSONResponse(
        {"id": made.id, "request_link": made.link, "expires_at": made.expires_at.isoformat()},
        status_code=201,
    )


@router.get("/api/oid4vp/requests/{request_id}", summary="The result of a presentation request")
def read_result(request_id: str, request: Request) -> JSONResponse:
    who = signed_in(request)
    try:
        own_presentation_request(request.app.state.database, request_id, who)
        result = presentation_verifier_of(request).result(request_id)
    except LookupError as error:
        return JSONResponse({"detail": str(error)}, status_code=404)
    if result is None:
        return JSONResponse({"state": "pending"}, headers=NO_STORE)
    return JSONResponse({"state": "answered", **result}, headers=NO_STORE)


@router.get("/oid4vp/requests/{request_id}", summary="The signed request object (request_uri)")
def request_object(request_id: str, request: Request) -> Response:
    try:
        jwt = presentation_verifier_of(request).request_object(request_id)
    except PresentationRefused as error:
        return _refusal(error)
    return Response(jwt, media_type="application/oauth-authz-req+jwt", headers=NO_STORE)


@router.post("/oid4vp/response", summary="The wallet's answer (response_mode direct_post)")
def direct_post(
    request: Request, vp_token: str | None = Form(None), state: str | None = Form(None)
) -> JSONResponse:
    try:
        report = presentation_verifier_of(request).receive(state, vp_token)
    except PresentationRefused as error:
        return _refusal(error)
    return JSONResponse({"verified": report.verified}, headers=NO_STORE)


def _refusal(error: PresentationRefused) -> JSONResponse:
    body = {"error": error.error, "error_description": error.description}
    return JSONResponse(body, status_code=400, headers=NO_STORE)
