"""The staff verifier's page: ask a wallet for a micro-credential over OpenID4VP and watch.

- ``GET /verifier/wallet``: the form (at least N ECTS, optionally in an ISCED-F field).
- ``POST /verifier/wallet``: makes the presentation request and shows it.
- ``GET /verifier/wallet/{id}``: the QR code and ``openid4vp://`` link for the wallet, and the
  result, which the page polls (htmx) until the wallet has answered.
- ``GET /verifier/wallet/{id}/result``: that result alone: the verification report and only
  the claims the wallet disclosed.
Staff (any role, or the operator) only; a request is seen by the person who made it.
"""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from microcred.domain.accounts import Principal
from microcred.formats.pdf.qr import qr_png
from microcred.http.auth import signed_in
from microcred.http.services import presentation_verifier_of
from microcred.i18n import _
from microcred.services.oid4vp import WALLET_SCHEME
from microcred.services.presentation_access import (
    PresentationRequestView,
    presentation_request_view,
)
from microcred.web import csrf
from microcred.web.staff_access import is_staff
from microcred.web.templating import render

router = APIRouter()
POLL_SECONDS = 2


def staff_only(request: Request) -> Principal:
    """Let through anyone holding a staff role (or the operator); others get 403."""
    principal = signed_in(request)
    if not is_staff(principal):
        raise HTTPException(403, detail=_("Asking wallets for credentials is for staff."))
    return principal


@router.get("/verifier/wallet", response_class=HTMLResponse)
def request_form(request: Request, principal: Principal = Depends(staff_only)) -> HTMLResponse:
    return _form_page(request, {"min_ects": "5", "field": ""})


@router.post("/verifier/wallet", response_class=HTMLResponse)
def make_request(
    request: Request,
    form: FormData = Depends(csrf.checked_form),
    principal: Principal = Depends(staff_only),
) -> Response:
    values = {name: str(form.get(name) or "").strip() for name in ("min_ects", "field")}
    try:
        min_ects = float(values["min_ects"].replace(",", ".") or "0")
    except ValueError:
        problem = _("ECTS must be a number, got %(value)s.") % {"value": values["min_ects"]}
        return _form_page(request, values, problem=problem, status_code=422)
    try:
        made = presentation_verifier_of(request).create(
            min_ects, values["field"] or None, created_by=principal.email
        )
    except ValueError as error:
        return _form_page(request, values, problem=str(error), status_code=422)
    return RedirectResponse(f"/verifier/wallet/{made.id}", status_code=303)


@router.get("/verifier/wallet/{request_id}", response_class=HTMLResponse)
def request_page(
    request: Request, request_id: str, principal: Principal = Depends(staff_only)
) -> HTMLResponse:
    asked = _own_request(request, request_id, principal)
    verifier = presentation_verifier_of(request)
    query = {"client_id": verifier.client_id, "request_uri": verifier.request_uri(asked.id)}
    link = WALLET_SCHEME + "?" + urlencode(query)
    context = {
        "nav": "wallet-verifier",
        "asked": asked,
        "link": link,
        "qr": "data:image/png;base64," + base64.b64encode(qr_png(link, scale=6)).decode(),
        **_result_context(asked),
    }
    return render(request, "oid4vp_request.html", context)


@router.get("/verifier/wallet/{request_id}/result", response_class=HTMLResponse)
def result_part(
    request: Request, request_id: str, principal: Principal = Depends(staff_only)
) -> HTMLResponse:
    asked = _own_request(request, request_id, principal)
    response = render(
        request, "partials/oid4vp_result.html", {"asked": asked, **_result_context(asked)}
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def _form_page(
    request: Request, values: dict[str, str], *, problem: str = "", status_code: int = 200
) -> HTMLResponse:
    context = {"nav": "wallet-verifier", "values": values, "problem": problem}
    return render(request, "oid4vp_form.html", context, status_code=status_code)


def _own_request(
    request: Request, request_id: str, principal: Principal
) -> PresentationRequestView:
    """Return a presentation request its maker asks about; 404 to anyone else, as if missing."""
    try:
        return presentation_request_view(request.app.state.database, request_id, principal)
    except LookupError:
        raise HTTPException(404, detail=_("No presentation request has this id.")) from None


def _result_context(asked: PresentationRequestView) -> dict[str, Any]:
    return {
        "answered": asked.answered,
        "expired": asked.expired,
        "report": asked.report,
        "disclosed": asked.disclosed,
        "poll_seconds": POLL_SECONDS,
    }
