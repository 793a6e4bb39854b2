"""A specification's awards for its registrar: who holds it, where each claim stands, resend.

- ``GET /specifications/{id}/awards``: the awards, newest first, each with its status, its claim
  (claimed / waiting / expired / not sent), downloads (credential, PDF, badge) and a button to
  e-mail the claim link again;
- ``POST /awards/{id}/claim-email``: open a new claim link and e-mail it (the earlier link stops
  working); the page shows the new link so the registrar can pass it on another way, and
  without a mail server the link is made but not sent;
- ``GET /specifications/{id}/awards.csv``: the same list as CSV; both take ``q`` (a search on
  the learner's name or e-mail) and ``status`` (a credential or a claim state);
- ``GET /jobs/{id}/recipients`` (and ``.csv``): the awards one bulk job made, the same way;
- ``GET /awards/{id}/download/{file}``: the signed credential, ``certificate.pdf``,
  ``badge.png`` or ``badge.svg``.
Only a registrar of the specification's institution gets through; to others it is 404.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from microcred.http.services import awards_of
from microcred.i18n import _
from microcred.jobs.model import JobView
from microcred.services.awards import AwardRecord
from microcred.services.catalogue import SpecificationNotFound, SpecificationRecord
from microcred.services.delivery.claims import Claims
from microcred.services.delivery.delivered import load_delivered
from microcred.services.delivery.links import claim_url
from microcred.services.delivery.mailing import ClaimMailer
from microcred.services.delivery.smtp import can_send
from microcred.services.recipients import (
    CLAIM_STATES,
    CREDENTIAL_STATES,
    Recipient,
    matching,
    recipients,
    recipients_csv,
)
from microcred.web import csrf
from microcred.web.awards_pages import award_or_404, may_issue
from microcred.web.branding_pages import branding_of
from microcred.web.claim_pages import downloadable, seals_of
from microcred.web.errors import error_page
from microcred.web.job_pages import job_or_404
from microcred.web.templating import render

router = APIRouter(include_in_schema=False)
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Resent:
    """What a resend did, for the notice above the list."""

    award: AwardRecord
    link: str
    emailed: bool
    problem: str = ""


@dataclass(frozen=True)
class Filters:
    """The search and the state the list is narrowed to, as the query string gives them."""

    search: str = ""
    state: str = ""

    @classmethod
    def of(cls, request: Request) -> Filters:
        """Return the filters of the request; a state that is none of ours means no filter."""
        state = request.query_params.get("status", "")
        known = state in CREDENTIAL_STATES or state in CLAIM_STATES
        return cls(request.query_params.get("q", "")[:200], state if known else "")

    def query(self) -> str:
        """Return the filters as a query string (for the CSV link), empty when there are none."""
        pairs = (("q", self.search), ("status", self.state))
        given = {name: value for name, value in pairs if value}
        return "?" + urlencode(given) if given else ""


def _record_or_404(request: Request, spec_id: str) -> SpecificationRecord | None:
    try:
        return awards_of(request).issuer.catalogue.get(spec_id)
    except SpecificationNotFound:
        return None


def _listed(request: Request, record: SpecificationRecord, job: JobView | None) -> list[Recipient]:
    """Return the recipients of the job when there is one, else of the specification."""
    return recipients(
        awards_of(request),
        record.institution,
        spec_id=None if job else record.id,
        job_id=job.id if job else None,
    )


def _list_page(
    request: Request,
    record: SpecificationRecord,
    resent: Resent | None = None,
    job: JobView | None = None,
) -> HTMLResponse:
    filters = Filters.of(request)
    listed = _listed(request, record, job)
    shown = matching(listed, filters.search, filters.state)
    base = f"/jobs/{job.id}/recipients" if job else f"/specifications/{record.id}/awards"
    context = {
        "record": record,
        "rows": shown,
        "total": len(listed),
        "resent": resent,
        "job": job,
        "filters": filters,
        "list_path": base,
        "csv_path": base + ".csv" + filters.query(),
        "credential_states": CREDENTIAL_STATES,
        "claim_states": CLAIM_STATES,
    }
    return render(request, "award_list.html", context)


def _csv(request: Request, record: SpecificationRecord, job: JobView | None) -> Response:
    filters = Filters.of(request)
    listed = _listed(request, record, job)
    name = f"recipients-{job.id if job else record.id}.csv"
    return Response(
        recipients_csv(matching(listed, filters.search, filters.state)),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


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


@router.get("/specifications/{spec_id}/awards.csv", dependencies=[Depends(may_issue)])
def award_list_csv(request: Request, spec_id: str) -> Response:
    record = _record_or_404(request, spec_id)
    if record is None:
        return error_page(request, 404, _("No specification has this id."))
    return _csv(request, record, None)


def _job_and_record(request: Request, job_id: str) -> tuple[JobView, SpecificationRecord]:
    job = job_or_404(request, job_id)
    catalogue = awards_of(request).issuer.catalogue
    return job, catalogue.get(job.payload["spec_id"], job.payload.get("version"))


@router.get("/jobs/{job_id}/recipients", response_class=HTMLResponse)
def job_recipients(request: Request, job_id: str) -> HTMLResponse:
    job, record = _job_and_record(request, job_id)
    return _list_page(request, record, job=job)


@router.get("/jobs/{job_id}/recipients.csv")
def job_recipients_csv(request: Request, job_id: str) -> Response:
    job, record = _job_and_record(request, job_id)
    return _csv(request, record, job)


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
