"""The DID documents of this instance's issuers, served where did:web resolution looks for them.

``did:web:{host}`` is the instance itself, at ``/.well-known/did.json`` (and at ``/did.json``
for an instance whose base URL has a path); ``did:web:{host}:institutions:{slug}`` is an
institution, at ``/institutions/{slug}/did.json``.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from microcred.http.services import issuer_keys_of
from microcred.services.catalogue import InstitutionNotFound
from microcred.services.issuer_keys import NoIssuerKey

router = APIRouter(tags=["DID documents"])

MEDIA_TYPE = "application/did+json"
# Short enough that a rotation is seen within minutes, long enough to spare repeated fetches.
CACHE_CONTROL = "public, max-age=300"


@router.get("/.well-known/did.json", summary="The DID document of this instance")
@router.get("/did.json", include_in_schema=False)
def instance_did_document(request: Request) -> JSONResponse:
    return _document(request, None)


@router.get("/institutions/{slug}/did.json", summary="The DID document of an institution")
def institution_did_document(request: Request, slug: str) -> JSONResponse:
    return _document(request, slug)


def _document(request: Request, institution: str | None) -> JSONResponse:
    try:
        document = issuer_keys_of(request).did_document(institution)
    except (NoIssuerKey, InstitutionNotFound) as error:
        return JSONResponse({"detail": str(error)}, status_code=404)
    return JSONResponse(document, media_type=MEDIA_TYPE, headers={"Cache-Control": CACHE_CONTROL})
