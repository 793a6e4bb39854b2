"""A specification's awards for its registrar: who holds it, where each claim stands, resend.

- ``GET /specifications/{id}/awards``: the awards, newest first, each with its status, its claim
  (claimed / waiting / expired / not sent), downloads (credential, PDF, badge) and a button to
  e-mail the claim link again;
- ``POST /awards/{id}/claim-email``: open a new claim link and e-mail it (the earlier link stops
  working); the page shows the new link so the registrar can pass it on another way, and
  without a mail server the link is made but not sent;
- ``GET /awards/{id}/download/{file}``: the signed credential, ``certificate.pdf``,
  ``badge.png`` or ``badge.svg``.
Only a registrar of the specification's institution gets through; to others it is 404.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from microcred.http.services import awards_of
from microcred.i18n import _
from microcred.services.awards import AwardRecord
from microcred.services.catalogue import SpecificationNotFound, SpecificationRecord
from microcred.services.delivery.claims import Claims, claim_state
from microcred.services.delivery.delivered import DeliveredCredential, load_delivered
from microcred.services.delivery.links import claim_url
from microcred.services.delivery.mailing import ClaimMailer
from microcred.services.delivery.smtp import can_send
from microcred.web import csrf
from microcred.web.awards_pages import award_or_404, may_issue
from microcred.web.branding_pages import branding_of
from microcred.web.claim_pages import downloadable, seals_of
from microcred.web.errors import error_page
from microcred.web.templating import render

router = APIRouter(include_in_schema=False)
log = logging.getLogger(__name__)
SHOWN_AT_MOST = 200


@dataclass(frozen=True)
class AwardRow:
    """One line of the list: the award, its credential as delivered, and its claim."""

    award: AwardRecord
    delivered: DeliveredCredential
    claim: str  # claims.claim_state


@dataclass(frozen=True)
class Resent:
    """What a resend did, for the notice above the list."""

    award: AwardRecord
    link: str
    emailed: bool
    problem: str = ""


def _record_or_404(request: Request, spec_id: str) -> SpecificationRecord | None:
    try:
        return awards_of(request).issuer.catalogue.get(spec_id)
    except SpecificationNotFound:
        return None


def _rows(request: Request, record: SpecificationRecord) -> list[AwardRow]:
    awards = awards_of(request)
    found = awards.list(record.institution, record.id, limit=SHOWN_AT_MOST)
    claims = Claims(awards.db).by_credentials([award.credential_id for award in found])
    rows = []
    for award in found:
        delivered = load_delivered(
            awards.issuer.catalogue, awards.issuer.status, award.credential_id
        )
        state = claim_state(claims.get(award.credential_id), delivered.expired)
        rows.append(AwardRow(award, delivered, state))
    return rows


def _list_page(
    request: Request, record: SpecificationRecord, resent: Resent | None = None
) -> HTMLResponse:
    context = {"record": record, "rows": _rows(request, record), "resent": resent}
    return render(request, "award_list.html", context)


@router.get(
    "/specifications/{spec_id}/awards",
    response_class=HTMLResponse,
    dependencies=[Depends(may_issue)],
)
def award_list(request: Request, spec_id: str) -> HTMLResponse:
    record = _record_or_404(request, spec_id)
    if record is None:
        return error_page(request, 404, _("No specification has this id."))
    return _list_page(request, record)


@router.post(
    "/awards/{award_id}/claim-email",
    response_class=HTMLResponse,
    dependencies=[Depends(csrf.checked_form)],
)
def resend_claim(request: Request, award_id: str) -> HTMLResponse:
    found = award_or_404(request, award_id)
    record = awards_of(request).issuer.catalogue.get(
        found.specification_id, found.specification_version
    )
    if not found.learner_email:
        return error_page(request, 422, _("This award has no e-mail address to send a link to."))
    claim = Claims(awards_of(request).db).by_credential(found.credential_id)
    if claim is not None and claim.confirmed_at is not None:
        return error_page(request, 422, _("The learner has claimed this credential already."))
    if awards_of(request).issuer.status.status_of(found.credential_id).state == "revoked":
        return error_page(request, 422, _("This credential is revoked: there is nothing to claim."))
    return _list_page(request, record, _resend(request, found, found.learner_email))


def _resend(request: Request, award: AwardRecord, email: str) -> Resent:
    """Return the new claim link, e-mailed when mail can be sent."""
    awards = awards_of(request)
    settings = awards.settings
    if not can_send(settings):
        language = award.learner_language or "en"
        token = Claims(awards.db).open(award.credential_id, email, language)
        return Resent(award, claim_url(settings.base_url, token), emailed=False)
    mailer = ClaimMailer(awards.issuer.catalogue, awards.issuer.status, settings)
    try:
        token = mailer.send_claim(award.credential_id, email)
    except (OSError, smtplib.SMTPException) as error:
        # The class only: an SMTP error's text may name the recipient.
        log.warning("award %s: the claim e-mail was not sent (%s)", award.id, type(error).__name__)
        problem = _("The mail server did not take the e-mail; try again later.")
        return Resent(award, "", emailed=False, problem=problem)
    return Resent(award, claim_url(settings.base_url, token), emailed=True)


@router.get("/awards/{award_id}/download/{filename}")
def award_download(request: Request, award_id: str, filename: str) -> Response:
    found = award_or_404(request, award_id)
    awards = awards_of(request)
    delivered = load_delivered(awards.issuer.catalogue, awards.issuer.status, found.credential_id)
    settings = awards.settings
    response = downloadable(
        delivered, filename, settings.base_url, branding_of(request), seals_of(request)
    )
    if response is None:
        return error_page(request, 404, _("There is no file of that name to download."))
    return response
