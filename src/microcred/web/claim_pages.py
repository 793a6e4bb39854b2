"""The claim page: the learner opens the e-mailed link, confirms the address with a one-time code,
then downloads the credential, the PDF certificate and the baked badge, and sets the public page
on or off.

The link alone shows only the title; the downloads need the code. A confirmed browser gets a
signed cookie for this claim (CONFIRMED_FOR), so the learner does not need a code per download.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.datastructures import FormData

from microcred.domain.accounts import Principal
from microcred.http.auth import signed_in
from microcred.http.services import catalogue_of, status_lists_of, wallet_of
from microcred.i18n import _
from microcred.services.branding import Branding
from microcred.services.certificate_seal import seal_certificate_pdf
from microcred.services.delivery.claims import Claim, ClaimError, ClaimNotFound, Claims
from microcred.services.delivery.delivered import DeliveredCredential, load_delivered
from microcred.services.delivery.documents import (
    baked_badge_png,
    baked_badge_svg,
    certificate_pdf,
)
from microcred.services.delivery.links import public_path
from microcred.services.delivery.mailing import ClaimMailer
from microcred.services.delivery.public_pages import PublicPages
from microcred.services.delivery.smtp import MailNotConfigured
from microcred.services.seal_certificates import SealCertificates
from microcred.services.wallet import WalletError
from microcred.web import csrf
from microcred.web.branding_pages import brand_for, branding_of
from microcred.web.errors import error_page
from microcred.web.templating import render
from microcred.web.wallet_offer import NoOffer, ShownOffer, wallet_offer

router = APIRouter(include_in_schema=False)

COOKIE = "microcred_claim"
CONFIRMED_FOR = 24 * 3600  # seconds a confirmed browser may download without a new code
_SALT = "microcred-claim-confirmed"


def _signer(request: Request) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(request.app.state.secret_key, salt=_SALT)


def _claims(request: Request) -> Claims:
    return Claims(request.app.state.database)


def _is_confirmed(request: Request, claim: Claim) -> bool:
    cookie = request.cookies.get(COOKIE)
    if not cookie or claim.confirmed_at is None:
        return False
    try:
        claim_id = _signer(request).loads(cookie, max_age=CONFIRMED_FOR)
    except BadSignature:
        return False
    return bool(claim_id == claim.id)


def _delivered(request: Request, claim: Claim) -> DeliveredCredential:
    return load_delivered(catalogue_of(request), status_lists_of(request), claim.credential_id)


def _page(
    request: Request,
    token: str,
    claim: Claim,
    *,
    message: str = "",
    problem: str = "",
    code_sent: bool = False,
    offer: ShownOffer | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    confirmed = _is_confirmed(request, claim)
    delivered = _delivered(request, claim)
    context = {
        "token": token,
        "claim": claim,
        "delivered": delivered,
        "confirmed": confirmed,
        "public": PublicPages(request.app.state.database).is_public(claim.credential_id),
        "public_path": public_path(claim.credential_id),
        "message": message,
        "problem": problem,
        "code_sent": code_sent,
        "masked_email": _masked(claim.email),
        "credential_filename": delivered.file()[1],
        "offer": offer,
        "brand": brand_for(request, delivered.institution.slug),
        "brand_name": delivered.institution_name,
    }
    return render(request, "claim.html", context, status_code=status_code)


def _not_found(request: Request, error: ClaimNotFound) -> HTMLResponse:
    return error_page(request, 404, str(error))


def _confirmed_claim(request: Request, token: str) -> Claim | HTMLResponse:
    """Return the claim of ``token`` once its e-mail is confirmed, else the page saying why."""
    try:
        claim = _claims(request).find(token)
    except ClaimNotFound as error:
        return _not_found(request, error)
    if not _is_confirmed(request, claim):
        return _page(
            request, token, claim, problem=_("Confirm your e-mail address first."), status_code=403
        )
    return claim


@router.get("/claim/{token}", response_class=HTMLResponse)
def claim_page(request: Request, token: str) -> HTMLResponse:
    try:
        claim = _claims(request).find(token)
    except ClaimNotFound as error:
        return _not_found(request, error)
    return _page(request, token, claim)


@router.post("/claim/{token}/code", response_class=HTMLResponse)
def send_code(
    request: Request, token: str, form: FormData = Depends(csrf.checked_form)
) -> HTMLResponse:
    mailer = ClaimMailer(
        catalogue_of(request), status_lists_of(request), request.app.state.settings
    )
    try:
        claim = mailer.send_code(token)
    except ClaimNotFound as error:
        return _not_found(request, error)
    except (ClaimError, MailNotConfigured) as error:
        claim = _claims(request).find(token)
        return _page(
            request,
            token,
            claim,
            problem=str(error),
            status_code=429 if isinstance(error, ClaimError) else 503,
        )
    message = _("We sent a code to %(email)s. Enter it below.") % {"email": _masked(claim.email)}
    return _page(request, token, claim, message=message, code_sent=True)


@router.post("/claim/{token}/confirm", response_class=HTMLResponse)
def confirm_code(
    request: Request, token: str, form: FormData = Depends(csrf.checked_form)
) -> Response:
    code = form.get("code")
    try:
        claim = _claims(request).confirm(token, code if isinstance(code, str) else "")
    except ClaimNotFound as error:
        return _not_found(request, error)
    except ClaimError as error:
        claim = _claims(request).find(token)
        return _page(request, token, claim, problem=str(error), code_sent=True, status_code=400)
    response = RedirectResponse(f"/claim/{token}", status_code=303)
    response.set_cookie(
        COOKIE,
        _signer(request).dumps(claim.id),
        max_age=CONFIRMED_FOR,
        httponly=True,
        samesite="lax",
        path=f"/claim/{token}",
    )
    return response


@router.post("/claim/{token}/public", response_class=HTMLResponse)
def set_public(
    request: Request, token: str, form: FormData = Depends(csrf.checked_form)
) -> Response:
    claim = _confirmed_claim(request, token)
    if isinstance(claim, HTMLResponse):
        return claim
    visible = form.get("visible") == "on"
    PublicPages(request.app.state.database).set_public(claim.credential_id, visible)
    return RedirectResponse(f"/claim/{token}", status_code=303)


@router.post("/claim/{token}/wallet-offer", response_class=HTMLResponse)
def make_wallet_offer(
    request: Request, token: str, form: FormData = Depends(csrf.checked_form)
) -> HTMLResponse:
    claim = _confirmed_claim(request, token)
    if isinstance(claim, HTMLResponse):
        return claim
    try:
        offer = wallet_offer(request, claim.credential_id, with_tx_code=form.get("tx_code") == "on")
    except NoOffer:
        problem = _("This credential cannot be sent to a wallet from here.")
        return _page(request, token, claim, problem=problem, status_code=404)
    response = _page(request, token, claim, offer=offer, status_code=201)
    response.headers["Cache-Control"] = "no-store"  # the offer's code is shown once
    return response


@router.post("/claim/{token}/save")
def save_to_wallet(
    request: Request,
    token: str,
    form: FormData = Depends(csrf.checked_form),
    principal: Principal = Depends(signed_in),
) -> Response:
    """Put the claimed credential into the signed-in learner's wallet, then show the wallet.

    Under the claim's own address it is there already (credentials issued to an address show
    in its wallet); under another it is imported, and flagged if it names someone else.
    """
    claim = _confirmed_claim(request, token)
    if isinstance(claim, HTMLResponse):
        return claim
    if principal.email.lower() != claim.email.lower():
        content, _filename, _media_type = _delivered(request, claim).file()
        try:
            wallet_of(request).import_credential(principal.email, content, "file")
        except WalletError as error:
            return _page(request, token, claim, problem=str(error), status_code=422)
    return RedirectResponse("/wallet", status_code=303)


@router.get("/claim/{token}/{filename}")
def download(request: Request, token: str, filename: str) -> Response:
    try:
        claim = _claims(request).find(token)
    except ClaimNotFound as error:
        return _not_found(request, error)
    if not _is_confirmed(request, claim):
        return error_page(request, 403, _("Confirm your e-mail address on the claim page first."))
    delivered = _delivered(request, claim)
    settings = request.app.state.settings
    found = downloadable(
        delivered, filename, settings.base_url, branding_of(request), seals_of(request)
    )
    if found is None:
        return error_page(request, 404, _("There is no file of that name to download."))
    return found


def seals_of(request: Request) -> SealCertificates:
    """Return the institutions' seal certificates, with which PDF certificates are sealed."""
    return SealCertificates(request.app.state.database, request.app.state.settings)


def downloadable(
    delivered: DeliveredCredential,
    filename: str,
    base_url: str,
    branding: Branding,
    seals: SealCertificates | None = None,
) -> Response | None:
    """Return the named download of a credential as a response, or None for an unknown name;
    with ``seals``, the PDF certificate carries the institution's PAdES seal."""
    content, credential_name, media_type = delivered.file()
    files: dict[str, tuple[bytes, str]] = {credential_name: (content, media_type)}
    if filename == "certificate.pdf":
        colour, logo = branding.colour_and_logo(delivered.institution.slug)
        pdf = certificate_pdf(delivered, base_url, colour, logo)
        if seals is not None:
            pdf = seal_certificate_pdf(pdf, seals, delivered.institution.slug)
        files[filename] = (pdf, "application/pdf")
    elif filename == "badge.png":
        files[filename] = (baked_badge_png(delivered), "image/png")
    elif filename == "badge.svg":
        files[filename] = (baked_badge_svg(delivered).encode("utf-8"), "image/svg+xml")
    if filename not in files:
        return None
    body, media = files[filename]
    return Response(
        body,
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _masked(email: str) -> str:
    """Return an address with most of its local part hidden: ``j***@example.org``."""
    local, _at, domain = email.partition("@")
    return f"{local[:1]}***@{domain}"
