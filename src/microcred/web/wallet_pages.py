"""The learner's wallet pages: credentials, import, share links, the learner record; and the
public page a share link opens (no sign-in: the link is the permission)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from microcred.domain.accounts import Principal
from microcred.http.auth import signed_in
from microcred.http.services import wallet_of
from microcred.http.wallet_links import award_completed_pathways, share_url
from microcred.i18n import _
from microcred.services.wallet import ShareLinkInvalid, WalletError
from microcred.web import csrf
from microcred.web.templating import render

router = APIRouter()
MAX_UPLOAD = 2 * 1024 * 1024


def _wallet_page(
    request: Request,
    principal: Principal,
    *,
    problem: str = "",
    notice: str = "",
    new_link: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    wallet = wallet_of(request)
    context = {
        "nav": "wallet",
        "credentials": wallet.credentials(principal.email),
        "links": wallet.share_links(principal.email),
        "problem": problem,
        "notice": notice,
        "new_link": new_link,
    }
    return render(request, "wallet.html", context, status_code=status_code)


@router.get("/wallet", response_class=HTMLResponse)
def wallet_page(request: Request, principal: Principal = Depends(signed_in)) -> HTMLResponse:
    return _wallet_page(request, principal)


@router.post("/wallet/import", response_class=HTMLResponse)
async def import_credential(
    request: Request, principal: Principal = Depends(signed_in)
) -> HTMLResponse:
    form = await csrf.checked_form(request)
    upload = form.get("file")
    data = b""
    if isinstance(upload, UploadFile) and upload.filename:
        data = await upload.read(MAX_UPLOAD + 1)
    url = str(form.get("url") or "").strip()
    # Verifying is CPU work: it runs in the thread pool, not in the event loop.
    return await run_in_threadpool(_import_now, request, principal, data, url)


def _import_now(request: Request, principal: Principal, data: bytes, url: str) -> HTMLResponse:
    wallet = wallet_of(request)
    try:
        if len(data) > MAX_UPLOAD:
            raise WalletError("file", _("The file is larger than 2 MB."))
        if data and not url:
            source = "baked" if data[:1] in (b"\x89", b"<") else "file"
            entry = wallet.import_credential(principal.email, data, source)
        elif url and not data:
            entry = wallet.import_url(principal.email, url)
        else:
            raise WalletError("import", _("Choose a file or give a link, not both."))
    except WalletError as error:
        return _wallet_page(request, principal, problem=str(error), status_code=422)
    awarded = award_completed_pathways(request, principal)
    notice = _("Imported: %(title)s.") % {"title": entry.title_in(request.state.lang)}
    if entry.someone_else:
        notice += " " + _(
            "It names someone else, not you: it is kept, flagged, and not counted in your "
            "learner record or toward a pathway."
        )
    if awarded:
        notice += " " + _("A pathway is complete: its credential was added to your wallet.")
    return _wallet_page(request, principal, notice=notice, status_code=201)


@router.post("/wallet/share", response_class=HTMLResponse)
def create_share_link(
    request: Request,
    form: FormData = Depends(csrf.checked_form),
    principal: Principal = Depends(signed_in),
) -> HTMLResponse:
    chosen = [str(value) for value in form.getlist("credential")]
    try:
        days = int(str(form.get("days") or "30"))
        _link, token = wallet_of(request).create_share_link(
            principal.email, chosen, days=days, label=str(form.get("label") or "")
        )
    except ValueError as error:
        message = str(error) if isinstance(error, WalletError) else _("Days must be a number.")
        return _wallet_page(request, principal, problem=message, status_code=422)
    return _wallet_page(request, principal, new_link=share_url(request, token), status_code=201)


@router.post("/wallet/share/{link_id}/revoke")
def revoke_share_link(
    request: Request,
    link_id: str,
    form: FormData = Depends(csrf.checked_form),
    principal: Principal = Depends(signed_in),
) -> Response:
    try:
        wallet_of(request).revoke_share_link(principal.email, link_id)
    except WalletError as error:
        return _wallet_page(request, principal, problem=str(error), status_code=404)
    return RedirectResponse("/wallet", status_code=303)


@router.get("/shared/{token}", response_class=HTMLResponse)
def shared_page(request: Request, token: str) -> HTMLResponse:
    try:
        link, credentials = wallet_of(request).shared(token)
    except ShareLinkInvalid:
        refused = {"problem": _("This link is unknown, has expired or was revoked by its owner.")}
        return render(request, "shared.html", refused, status_code=404)
    context: dict[str, Any] = {"link": link, "credentials": credentials, "problem": ""}
    response = render(request, "shared.html", context)
    response.headers["Referrer-Policy"] = "no-referrer"  # the token must not leak onward
    response.headers["X-Robots-Tag"] = "noindex"
    return response
