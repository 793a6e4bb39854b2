"""OpenID4VCI over HTTP: metadata, token, nonce and credential endpoints, and making offers.

The wallet-facing endpoints are protected by the protocol itself (the pre-authorised code,
then the access token it buys), not by accounts. Making an offer for an award needs a
registrar (or administrator) of the award's institution (``issue``). Errors are the
protocol's JSON (``error``, ``error_description``), never cached.
Handlers are plain `def`: signing is CPU work and runs in the thread pool.
"""

from __future__ import annotations

import contextlib
from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from microcred.api.vc_verify import RequestBody, capped_body
from microcred.domain.accounts import Action
from microcred.http.auth import Target, authorize, signed_in
from microcred.http.services import oid4vci_of
from microcred.services.awards import AwardNotFound
from microcred.services.oid4vci import Oid4vciError
from microcred.verify.parse import Unparseable, parse_json_object

router = APIRouter(tags=["OpenID4VCI"])
NO_STORE = {"Cache-Control": "no-store"}


def _error(error: Oid4vciError) -> JSONResponse:
    headers = dict(NO_STORE)
    if error.status_code == 401:
        headers["WWW-Authenticate"] = f'Bearer error="{error.error}"'
    body = {"error": error.error, "error_description": error.description}
    return JSONResponse(body, status_code=error.status_code, headers=headers)


@router.get("/.well-known/openid-credential-issuer", summary="Credential Issuer Metadata")
def issuer_metadata(request: Request) -> JSONResponse:
    return JSONResponse(oid4vci_of(request).metadata())


@router.get("/.well-known/oauth-authorization-server", summary="Authorization Server Metadata")
def authorization_server_metadata(request: Request) -> JSONResponse:
    return JSONResponse(oid4vci_of(request).authorization_server_metadata())


@router.post("/oid4vci/token", summary="Token endpoint (pre-authorized_code grant)")
def token_endpoint(
    request: Request,
    grant_type: str | None = Form(None),
    pre_authorized_code: str | None = Form(None, alias="pre-authorized_code"),
    tx_code: str | None = Form(None),
) -> JSONResponse:
    form = {"grant_type": grant_type, "pre-authorized_code": pre_authorized_code}
    form["tx_code"] = tx_code
    try:
        grant = oid4vci_of(request).token({k: v for k, v in form.items() if v is not None})
    except Oid4vciError as error:
        return _error(error)
    return JSONResponse(grant, headers=NO_STORE)


@router.post("/oid4vci/nonce", summary="Nonce endpoint: a fresh c_nonce for a key proof")
def nonce_endpoint(request: Request) -> JSONResponse:
    return JSONResponse({"c_nonce": oid4vci_of(request).new_nonce()}, headers=NO_STORE)


@router.post("/oid4vci/credential", summary="Credential endpoint (JWT key proof)")
def credential_endpoint(request: Request, body: RequestBody = Depends(capped_body)) -> JSONResponse:
    service = oid4vci_of(request)
    authorization = request.headers.get("authorization", "")
    scheme, _, token = authorization.partition(" ")
    access_token = token.strip() if scheme.lower() == "bearer" else None
    payload: Any = None  # refused after the access token is checked
    if not body.too_large:
        with contextlib.suppress(Unparseable):
            payload = parse_json_object(body.data.decode("utf-8", errors="replace"))
    try:
        return JSONResponse(service.credential(access_token, payload), headers=NO_STORE)
    except Oid4vciError as error:
        return _error(error)


class OfferRequest(BaseModel):
    with_tx_code: bool = False
    configuration_ids: list[str] | None = None


@router.post(
    "/api/awards/{award_id}/wallet-offers",
    summary="Make an OpenID4VCI credential offer for an award (QR link and optional tx_code)",
    status_code=201,
    # Signed in before the award is looked up, so anonymous callers learn nothing of awards.
    dependencies=[Depends(signed_in)],
)
def create_offer_endpoint(award_id: str, body: OfferRequest, request: Request) -> JSONResponse:
    service = oid4vci_of(request)
    try:
        award = service.awards.get(award_id)
    except AwardNotFound as error:
        return JSONResponse({"detail": str(error)}, status_code=404)
    authorize(request, Action.issue, Target(award.institution))
    try:
        offer = service.create_offer(
            award.id, with_tx_code=body.with_tx_code, configuration_ids=body.configuration_ids
        )
    except ValueError as error:
        return JSONResponse({"detail": str(error)}, status_code=422)
    return JSONResponse(
        {
            "offer_id": offer.offer_id,
            "credential_offer": offer.offer,
            "credential_offer_uri": offer.uri,
            "tx_code": offer.tx_code,
            "expires_at": offer.expires_at.isoformat().replace("+00:00", "Z"),
        },
        status_code=201,
        headers=NO_STORE,
    )
