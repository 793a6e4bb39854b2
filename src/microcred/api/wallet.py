"""The learner's wallet over HTTP (a signed-in account; changes by API token).

- ``GET /api/wallet/credentials``: every credential, verified now.
- ``POST /api/wallet/credentials``: import ``{"credential": ...}`` or ``{"url": "..."}``; 201,
  or 422 naming what to fix (nothing stored). A completed pathway is awarded right after.
- ``POST /api/wallet/share-links``: ``{"credential_ids", "days", "label"}``; 201 with the URL
  (its token is shown this once). ``DELETE /api/wallet/share-links/{id}`` revokes it.
- ``POST /api/wallet/presentations``: a presentation signed by the learner's holder key.
- ``GET /api/wallet/record.pdf``: the learner record, a PDF of every credential.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from microcred.api.errors import problem_response, request_issue
from microcred.domain.accounts import Principal
from microcred.http.auth import signed_in
from microcred.http.services import wallet_of
from microcred.http.wallet_links import award_completed_pathways, share_url
from microcred.services.learner_record import learner_record_pdf
from microcred.services.wallet import WalletCredential, WalletError

router = APIRouter(tags=["Wallet"])


class ImportRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    credential: dict[str, Any] | str | None = None
    url: str | None = None


class ShareRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    credential_ids: list[str] = Field(min_length=1)
    days: int = 30
    label: str = ""


class PresentationRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    credential_ids: list[str] = Field(min_length=1)
    challenge: str
    domain: str | None = None


def _listed(entry: WalletCredential) -> dict[str, Any]:
    return entry.model_dump(mode="json", exclude={"document"})


def _refused(error: WalletError, status: int = 422) -> JSONResponse:
    return problem_response(status, [request_issue(error.where, error.message)])


@router.get("/api/wallet/credentials", summary="The learner's credentials, verified now")
def list_credentials(
    request: Request, principal: Principal = Depends(signed_in)
) -> list[dict[str, Any]]:
    return [_listed(entry) for entry in wallet_of(request).credentials(principal.email)]


@router.post("/api/wallet/credentials", summary="Import a credential (JSON, vc+jwt or URL)")
def import_credential(
    request: Request, body: ImportRequest, principal: Principal = Depends(signed_in)
) -> JSONResponse:
    wallet = wallet_of(request)
    try:
        if body.url and body.credential is None:
            entry = wallet.import_url(principal.email, body.url)
        elif body.credential is not None and not body.url:
            entry = wallet.import_credential(principal.email, body.credential, "file")
        else:
            raise WalletError("body", "send either 'credential' or 'url'")
    except WalletError as error:
        return _refused(error)
    awarded = award_completed_pathways(request, principal)
    return JSONResponse({**_listed(entry), "awarded": awarded}, status_code=201)


@router.post("/api/wallet/share-links", summary="Share chosen credentials by link")
def create_share_link(
    request: Request, body: ShareRequest, principal: Principal = Depends(signed_in)
) -> JSONResponse:
    try:
        link, token = wallet_of(request).create_share_link(
            principal.email, body.credential_ids, days=body.days, label=body.label
        )
    except WalletError as error:
        return _refused(error)
    payload = {**link.model_dump(mode="json"), "url": share_url(request, token)}
    return JSONResponse(payload, status_code=201)


@router.get("/api/wallet/share-links", summary="The learner's share links")
def list_share_links(
    request: Request, principal: Principal = Depends(signed_in)
) -> list[dict[str, Any]]:
    return [
        link.model_dump(mode="json") for link in wallet_of(request).share_links(principal.email)
    ]


@router.delete("/api/wallet/share-links/{link_id}", summary="Revoke a share link")
def revoke_share_link(
    request: Request, link_id: str, principal: Principal = Depends(signed_in)
) -> JSONResponse:
    try:
        link = wallet_of(request).revoke_share_link(principal.email, link_id)
    except WalletError as error:
        return _refused(error, 404)
    return JSONResponse(link.model_dump(mode="json"))


@router.post("/api/wallet/presentations", summary="A presentation signed by the holder key")
def presentation(
    request: Request, body: PresentationRequest, principal: Principal = Depends(signed_in)
) -> JSONResponse:
    try:
        signed = wallet_of(request).presentation(
            principal.email, body.credential_ids, challenge=body.challenge, domain=body.domain
        )
    except WalletError as error:
        return _refused(error)
    return JSONResponse(signed, media_type="application/vp+ld+json")


@router.get("/api/wallet/record.pdf", summary="The learner record: every credential, as a PDF")
def learner_record(request: Request, principal: Principal = Depends(signed_in)) -> Response:
    wallet = wallet_of(request)
    entries = wallet.credentials(principal.email)
    pdf = learner_record_pdf(principal.email, entries, wallet.holder_name(principal.email))
    headers = {"Content-Disposition": 'attachment; filename="learner-record.pdf"'}
    return Response(pdf, media_type="application/pdf", headers=headers)
