"""An institution's branding: its stylesheet and logo (public), and the page that changes them.

``/institutions/{slug}/brand.css`` sets the site's colour properties to the institution's, so
pages keep to the Content-Security-Policy (no inline styles); ``/institutions/{slug}/logo`` is
its PNG or JPEG logo. ``/institutions/{slug}/branding`` is for the institution's administrators
and the operator: pick two colours (each checked for 4.5:1 contrast with white) and upload a logo.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData, UploadFile

from microcred.domain.accounts import Action
from microcred.http.auth import Target, authorize, signed_in
from microcred.http.services import catalogue_of
from microcred.i18n import _
from microcred.services.branding import MAX_LOGO_BYTES, Brand, Branding, brand_css
from microcred.services.catalogue import InvalidInput
from microcred.web import csrf
from microcred.web.errors import error_page
from microcred.web.templating import render

router = APIRouter(include_in_schema=False)
CACHE = "public, max-age=300"


def branding_of(request: Request) -> Branding:
    return Branding(request.app.state.database)


def brand_for(request: Request, slug: str) -> Brand:
    """Return the brand a page of institution ``slug`` is shown in."""
    return branding_of(request).brand_of(slug)


def _known(request: Request, slug: str) -> bool:
    return any(i.slug == slug for i in catalogue_of(request).list_institutions())


@router.get("/institutions/{slug}/brand.css")
def brand_stylesheet(request: Request, slug: str) -> Response:
    return Response(
        brand_css(brand_for(request, slug)),
        media_type="text/css",
        headers={"Cache-Control": CACHE},
    )


@router.get("/institutions/{slug}/logo")
def brand_logo(request: Request, slug: str) -> Response:
    logo = branding_of(request).logo_of(slug)
    if logo is None:
        return error_page(request, 404, _("This institution has no logo."))
    content, media_type = logo
    return Response(
        content,
        media_type=media_type,
        headers={"Cache-Control": CACHE, "X-Content-Type-Options": "nosniff"},
    )


def _administrator(request: Request, slug: str) -> HTMLResponse | None:
    """Return a 404 page for an unknown institution; raise 401/403 for the wrong person."""
    signed_in(request)
    if not _known(request, slug):
        return error_page(request, 404, _("There is no institution with this address."))
    authorize(request, Action.manage_branding, Target(slug))
    return None


def _page(
    request: Request, slug: str, *, message: str = "", problem: str = "", status_code: int = 200
) -> HTMLResponse:
    context = {
        "slug": slug,
        "brand": brand_for(request, slug),
        "message": message,
        "problem": problem,
        "max_logo_kib": MAX_LOGO_BYTES // 1024,
    }
    return render(request, "branding.html", context, status_code=status_code)


@router.get("/institutions/{slug}/branding", response_class=HTMLResponse)
def branding_page(request: Request, slug: str) -> HTMLResponse:
    return _administrator(request, slug) or _page(request, slug)


def _change(
    request: Request, slug: str, change: Callable[[Branding], object], done: str
) -> HTMLResponse:
    """Make ``change`` as an administrator of ``slug``; show its refusal, else ``done``."""
    refused = _administrator(request, slug)
    if refused:
        return refused
    try:
        change(branding_of(request))
    except InvalidInput as error:
        return _page(request, slug, problem=str(error), status_code=422)
    return _page(request, slug, message=done)


@router.post("/institutions/{slug}/branding", response_class=HTMLResponse)
def change_colours(
    request: Request, slug: str, form: FormData = Depends(csrf.checked_form)
) -> HTMLResponse:
    primary = str(form.get("primary_colour") or "")
    accent = str(form.get("accent_colour") or "")
    return _change(
        request,
        slug,
        lambda branding: branding.set_colours(slug, primary, accent),
        _("The colours were saved."),
    )


@router.post("/institutions/{slug}/branding/logo", response_class=HTMLResponse)
def change_logo(
    request: Request, slug: str, form: FormData = Depends(csrf.checked_form)
) -> HTMLResponse:
    if form.get("remove"):
        return _change(
            request, slug, lambda branding: branding.remove_logo(slug), _("The logo was removed.")
        )
    upload = form.get("logo")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return _administrator(request, slug) or _page(
            request, slug, problem=_("Choose a PNG or JPEG file."), status_code=422
        )
    content = upload.file.read(MAX_LOGO_BYTES + 1)
    return _change(
        request, slug, lambda branding: branding.set_logo(slug, content), _("The logo was saved.")
    )
