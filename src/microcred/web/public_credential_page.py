"""The public page of a credential, /credentials/{id}: what it certifies, checked live.

Shown when the learner leaves it public (the default; see services.delivery.public_pages).
It shows the learner's name, the title, the dates and the EU standard elements of the
micro-credential, the live verification report, a banner when the credential is revoked,
suspended, expired or renewed, downloads, OpenGraph tags and an "Add to LinkedIn" link.
Nothing else about the learner is shown.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from microcred.formats.pdf.elements import CertificateData, certificate_elements, date_text
from microcred.http.services import catalogue_of, instance_verifier_of, status_lists_of
from microcred.i18n import _
from microcred.services.analytics import Channel, record_verification
from microcred.services.delivery.delivered import DeliveredCredential, NotDelivered, load_delivered
from microcred.services.delivery.linkedin import linkedin_add_url
from microcred.services.delivery.links import credential_id_from_path, public_page_url, public_path
from microcred.services.delivery.public_pages import PublicPages
from microcred.web.branding_pages import brand_for, branding_of
from microcred.web.claim_pages import downloadable, seals_of
from microcred.web.errors import error_page
from microcred.web.templating import render

router = APIRouter(include_in_schema=False)
PUBLIC_DOWNLOADS = ("badge.png", "badge.svg")


def _public(request: Request, segment: str) -> DeliveredCredential | HTMLResponse:
    credential_id = credential_id_from_path(segment)
    missing = _("No public credential has this address. It may be private or the link mistyped.")
    if not PublicPages(request.app.state.database).is_public(credential_id):
        return error_page(request, 404, missing)
    try:
        return load_delivered(catalogue_of(request), status_lists_of(request), credential_id)
    except NotDelivered:
        return error_page(request, 404, missing)


@router.get("/credentials/{segment}", response_class=HTMLResponse)
def public_credential(request: Request, segment: str) -> HTMLResponse:
    found = _public(request, segment)
    if isinstance(found, HTMLResponse):
        return found
    delivered = found
    settings = request.app.state.settings
    url = public_page_url(settings.base_url, delivered.credential_id)
    report = instance_verifier_of(request).verify(delivered.document)
    record_verification(
        request.app.state.database,
        delivered.document,
        report,
        Channel.public_page,
        credential_id=delivered.credential_id,
    )
    elements = certificate_elements(
        CertificateData(
            specification=delivered.specification,
            learner_name=delivered.learner_name,
            institution_name=delivered.institution_name,
            issued_on=delivered.issued_at,
            public_url=url,
            credential_id=delivered.credential_id,
            credential_file=b"",
            valid_until=delivered.valid_until,
            language=request.state.lang,
            countries=[delivered.institution.country] if delivered.institution.country else [],
        )
    )
    context = {
        "delivered": delivered,
        "report": report,
        "elements": elements,  # no grade: the public page shows no result
        "page_url": url,
        "issued": date_text(delivered.issued_at, request.state.lang),
        "valid_until": date_text(delivered.valid_until, request.state.lang),
        "credential_filename": delivered.file()[1],
        "linkedin_url": linkedin_add_url(
            name=delivered.title,
            organization=delivered.institution_name,
            issued=delivered.issued_at,
            expires=delivered.valid_until,
            cert_url=url,
            cert_id=delivered.credential_id,
        ),
        "replaced_by_path": public_path(delivered.replaced_by) if delivered.replaced_by else "",
        "replaces_path": public_path(delivered.replaces) if delivered.replaces else "",
        "brand": brand_for(request, delivered.institution.slug),
        "brand_name": delivered.institution_name,
    }
    return render(request, "public_credential.html", context)


@router.get("/credentials/{segment}/{filename}")
def public_download(request: Request, segment: str, filename: str) -> Response:
    found = _public(request, segment)
    if isinstance(found, HTMLResponse):
        return found
    allowed = (*PUBLIC_DOWNLOADS, found.file()[1])
    response = (
        downloadable(
            found,
            filename,
            request.app.state.settings.base_url,
            branding_of(request),
            seals_of(request),
        )
        if filename in allowed
        else None
    )
    if response is None:
        return error_page(request, 404, _("There is no file of that name to download."))
    return response
