"""A job's page: a live progress bar while it runs, then its result with the failed rows.

- ``GET /jobs/{id}``: the page; the progress part (``/jobs/{id}/progress``) is fetched again
  every second by htmx until the job has finished, then shows the result: counts, every
  failure with its reason, and the failed rows as a CSV to fix and upload again.
- ``POST /jobs/{id}/revoke``: revokes every credential the job issued, with a reason, as a job.
Only a registrar of the job's institution may see a job; to anyone else it does not exist.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from microcred.domain.accounts import Action
from microcred.domain.specification import localise
from microcred.http.auth import Target, authorize, signed_in
from microcred.http.services import awards_of, job_runner_of
from microcred.i18n import _
from microcred.jobs.bulk import revocation_job
from microcred.jobs.model import JobNotFound, JobView, job_failures, job_view
from microcred.services.bulk.revocation import job_revocations
from microcred.services.bulk.template import rows_csv
from microcred.web import csrf
from microcred.web.bulk_pages import actor_of, kind_names
from microcred.web.templating import render

router = APIRouter(include_in_schema=False)


def job_or_404(request: Request, job_id: str) -> JobView:
    """Return a job the signed-in registrar may see: 404 to anyone else, as if missing."""
    signed_in(request)
    try:
        job = job_view(awards_of(request).db, job_id)
    except JobNotFound:
        raise HTTPException(404, detail=_("No job has this id.")) from None
    authorize(request, Action.issue, Target(job.institution, public=False))
    return job


def count_names(kind: str) -> tuple[str, str]:
    """Return what the done and the unchanged rows of a job of ``kind`` are called."""
    if kind == "bulk-revoke":
        return _("Revoked"), _("Already revoked")
    if kind == "bulk-reissue":
        return _("Re-issued"), _("Already re-issued")
    return _("Issued"), _("Already issued")


def _context(request: Request, job: JobView) -> dict[str, Any]:
    catalogue = awards_of(request).issuer.catalogue
    record = catalogue.get(job.payload["spec_id"], job.payload.get("version"))
    failures = job_failures(awards_of(request).db, job.id) if job.finished else []
    return {
        "job": job,
        "record": record,
        "title": localise(record.specification.title, request.state.lang),
        "kind_name": kind_names().get(job.kind, job.kind),
        "count_names": count_names(job.kind),
        "failures": failures,
    }


@router.get("/jobs/{job_id}", response_class=HTMLResponse)
def job_page(request: Request, job_id: str) -> HTMLResponse:
    job = job_or_404(request, job_id)
    return render(request, "job.html", _context(request, job))


@router.get("/jobs/{job_id}/progress", response_class=HTMLResponse)
def job_progress(request: Request, job_id: str) -> HTMLResponse:
    job = job_or_404(request, job_id)
    return render(request, "partials/job_progress.html", _context(request, job))


@router.get("/jobs/{job_id}/failed.csv")
def failed_rows(request: Request, job_id: str) -> Response:
    job = job_or_404(request, job_id)
    failures = job_failures(awards_of(request).db, job.id)
    columns = list(job.payload.get("columns") or [])
    rows = [{**failure.get("raw", {}), "problem": failure["reason"]} for failure in failures]
    if not columns:  # rows named by credential id, with no file behind them
        columns = ["credential_id"]
        rows = [
            {"credential_id": f.get("credential_id", ""), "problem": f["reason"]} for f in failures
        ]
    text = rows_csv(columns, rows)
    headers = {"Content-Disposition": f'attachment; filename="failed-rows-{job.id[:8]}.csv"'}
    return Response(text.encode("utf-8-sig"), media_type="text/csv", headers=headers)


@router.post("/jobs/{job_id}/revoke")
def revoke_job_credentials(
    request: Request, job_id: str, form: FormData = Depends(csrf.checked_form)
) -> Response:
    job = job_or_404(request, job_id)
    authorize(request, Action.change_status, Target(job.institution, public=False))
    reason = str(form.get("reason") or "").strip()
    if not reason:
        context = _context(request, job) | {"revoke_error": _("Give the reason for revoking.")}
        return render(request, "job.html", context, status_code=422)
    awards = awards_of(request)
    record = awards.issuer.catalogue.get(job.payload["spec_id"], job.payload.get("version"))
    revocations = job_revocations(awards, job.institution, job.id)
    revoking = revocation_job(
        awards.db, revocations, record, actor=actor_of(request), reason=reason
    )
    job_runner_of(request).submit(revoking.id)
    return RedirectResponse(f"/jobs/{revoking.id}", status_code=303)
