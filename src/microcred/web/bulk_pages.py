"""Bulk awards, revocations and re-issues from the web: template, upload, preview, confirm.

- ``GET /specifications/{id}/bulk``: the templates (CSV, XLSX) and the upload form; the
  specification's recent jobs.
- ``POST`` the same: reads the file and shows the preview: every bad row with its reasons, how
  many rows are good and how many learners hold the credential already. Nothing is issued.
- ``POST /specifications/{id}/bulk/{upload}``: confirms; the job starts and the registrar
  follows it on its page (web/job_pages.py).
Only a registrar (the ``issue`` permission) of the specification's institution gets through.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData, UploadFile

from microcred.http.services import awards_of, job_runner_of
from microcred.i18n import _
from microcred.jobs.bulk import bulk_job, revocation_job
from microcred.jobs.model import JobView, recent_jobs
from microcred.services.bulk.gradebook import (
    MAX_GRADEBOOK_BYTES,
    GradebookTooLarge,
    GradebookUnreadable,
    read_gradebook,
)
from microcred.services.bulk.preview import BulkPreview, parse_date, preview_gradebook
from microcred.services.bulk.revocation import RevocationList, revocation_list
from microcred.services.bulk.template import template_csv, template_xlsx
from microcred.services.bulk.uploads import Upload, drop_upload, find_upload, keep_upload
from microcred.services.catalogue import SpecificationRecord
from microcred.web import csrf
from microcred.web.awards_pages import may_issue, published_or_404
from microcred.web.templating import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(may_issue)])

KINDS = ("bulk-award", "bulk-revoke", "bulk-reissue")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHOWN_ROWS = 500  # bad rows listed on the page; the CSV of failed rows has them all


def kind_names() -> dict[str, str]:
    return {
        "bulk-award": _("Award"),
        "bulk-revoke": _("Revoke"),
        "bulk-reissue": _("Re-issue with corrected data"),
    }


def actor_of(request: Request) -> str:
    principal = getattr(request.state, "principal", None)
    return str(getattr(principal, "email", None) or "web")


def _upload_page(
    request: Request,
    record: SpecificationRecord,
    values: dict[str, str] | None = None,
    errors: dict[str, list[str]] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    jobs = [
        job
        for job in recent_jobs(awards_of(request).db, record.institution, limit=50)
        if job.payload.get("spec_id") == record.id
    ][:10]
    context = {
        "record": record,
        "spec": record.specification,
        "values": values or {"kind": "bulk-award", "awarded_on": date.today().isoformat()},
        "errors": errors or {},
        "kinds": list(kind_names().items()),
        "jobs": jobs,
        "kind_names": kind_names(),
    }
    return render(request, "bulk.html", context, status_code=status_code)


@router.get("/specifications/{spec_id}/bulk", response_class=HTMLResponse)
def bulk_page(request: Request, spec_id: str) -> HTMLResponse:
    return _upload_page(request, published_or_404(request, spec_id))


@router.get("/specifications/{spec_id}/bulk/template.csv")
def bulk_template_csv(request: Request, spec_id: str) -> Response:
    record = published_or_404(request, spec_id)
    return _download(template_csv(record.specification).encode("utf-8"), "awards.csv", "text/csv")


@router.get("/specifications/{spec_id}/bulk/template.xlsx")
def bulk_template_xlsx(request: Request, spec_id: str) -> Response:
    record = published_or_404(request, spec_id)
    return _download(template_xlsx(record.specification), "awards.xlsx", XLSX)


def _download(content: bytes, filename: str, media_type: str) -> Response:
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(content, media_type=media_type, headers=headers)


@router.post("/specifications/{spec_id}/bulk", response_class=HTMLResponse)
def bulk_preview(
    request: Request, spec_id: str, form: FormData = Depends(csrf.checked_form)
) -> HTMLResponse:
    record = published_or_404(request, spec_id)
    values = {name: str(form.get(name) or "").strip() for name in ("kind", "reason", "awarded_on")}
    errors: dict[str, list[str]] = {}
    if values["kind"] not in KINDS:
        errors["kind"] = [_("Choose what to do with the file.")]
    if values["kind"] in ("bulk-revoke", "bulk-reissue") and not values["reason"]:
        errors["reason"] = [_("Give the reason; it is recorded with each credential.")]
    if values["awarded_on"] and parse_date(values["awarded_on"]) is None:
        errors["awarded_on"] = [_("Not a date: write it as 2025-03-01.")]
    upload = form.get("file")
    content = b""
    status_code = 422
    if not isinstance(upload, UploadFile) or not upload.filename:
        errors["file"] = [_("Choose a CSV or XLSX file.")]
    else:
        content = upload.file.read(MAX_GRADEBOOK_BYTES + 1)
        if len(content) > MAX_GRADEBOOK_BYTES:
            errors["file"] = [_("The file is larger than 20 MB; split it into smaller files.")]
            status_code = 413
    if not errors:
        assert isinstance(upload, UploadFile)
        filename = upload.filename or "upload.csv"
        options = {"reason": values["reason"], "awarded_on": values["awarded_on"]}
        try:
            checked = _checked(request, record, values["kind"], filename, content, options)
        except GradebookUnreadable as unreadable:
            errors["file"] = [str(unreadable)]
            if isinstance(unreadable, GradebookTooLarge):
                status_code = 413
        else:
            upload_id = keep_upload(
                awards_of(request).db,
                values["kind"],
                record.institution,
                record.id,
                filename,
                content,
                options,
                actor=actor_of(request),
            )
            return _preview_page(request, record, values["kind"], filename, upload_id, checked)
    return _upload_page(request, record, values, errors, status_code=status_code)


Checked = BulkPreview | RevocationList


def _checked(
    request: Request,
    record: SpecificationRecord,
    kind: str,
    filename: str,
    content: bytes,
    options: dict[str, Any],
) -> Checked:
    """Return the preview of a file: rows to award or re-issue, or credentials to revoke."""
    gradebook = read_gradebook(content, filename)
    if kind == "bulk-revoke":
        return revocation_list(gradebook, awards_of(request), record.id)
    today = date.today()
    awarded_on = parse_date(options.get("awarded_on") or "") or today
    return preview_gradebook(gradebook, record, awarded_on=awarded_on, today=today)


def _preview_page(
    request: Request,
    record: SpecificationRecord,
    kind: str,
    filename: str,
    upload_id: str,
    checked: Checked,
) -> HTMLResponse:
    already = 0
    if isinstance(checked, BulkPreview) and kind == "bulk-award":
        already = awards_of(request).count_awarded(record, [r.learner for r in checked.accepted])
    context = {
        "record": record,
        "spec": record.specification,
        "kind": kind,
        "kind_names": kind_names(),
        "filename": filename,
        "upload_id": upload_id,
        "good": len(checked.accepted),
        "already": already,
        "rejected": checked.rejected[:SHOWN_ROWS],
        "rejected_count": len(checked.rejected),
        "layout": getattr(checked, "layout", None),
    }
    return render(request, "bulk_preview.html", context)


@router.post("/specifications/{spec_id}/bulk/{upload_id}")
def bulk_confirm(
    request: Request, spec_id: str, upload_id: str, form: FormData = Depends(csrf.checked_form)
) -> Response:
    record = published_or_404(request, spec_id)
    awards = awards_of(request)
    upload = find_upload(awards.db, upload_id, record.id)
    if upload is None:
        raise HTTPException(
            404, detail=_("This upload was confirmed already or has expired; upload it again.")
        )
    checked = _checked(
        request, record, upload.kind, upload.filename, upload.content, upload.options
    )
    job = start_job(request, record, upload, checked)
    drop_upload(awards.db, upload.id)
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


def start_job(
    request: Request, record: SpecificationRecord, upload: Upload, checked: Checked
) -> JobView:
    """Start the job a confirmed upload asks for; return it."""
    awards = awards_of(request)
    actor = actor_of(request)
    reason = upload.options.get("reason") or None
    if isinstance(checked, RevocationList):
        job = revocation_job(awards.db, checked, record, actor=actor, reason=reason or "")
    else:
        awards.prepare(record)
        job = bulk_job(awards.db, upload.kind, checked, record, actor=actor, reason=reason)
    job_runner_of(request).submit(job.id)
    return job
