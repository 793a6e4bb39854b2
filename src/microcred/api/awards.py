"""Awards over HTTP: award one learner, list awards, upload a gradebook as a bulk job, follow it.

- ``POST /api/specifications/{id}/awards``: one award; 201 when made, 200 when the same
  learner and attempt had it already (nothing issued); 422 names each field to fix.
- ``POST /api/specifications/{id}/awards/bulk``: a CSV or XLSX gradebook; with ``confirm=false``
  only the preview (bad rows with reasons), with ``confirm=true`` the job is started (202).
- ``GET /api/jobs/{id}``: progress (done, failed with reasons, remaining).
Every route needs the ``issue`` permission at the specification's (or job's) institution.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, File, Query, Request, UploadFile
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict

from microcred.api.errors import problem_response, request_issue
from microcred.domain.accounts import Action
from microcred.http.auth import Target, authorize, require, signed_in, specification_target
from microcred.http.services import awards_of, job_runner_of
from microcred.jobs.bulk import bulk_job
from microcred.jobs.model import JobNotFound, JobView, job_failures, job_view
from microcred.services.award_input import LearnerInput
from microcred.services.awards import AwardError
from microcred.services.bulk.gradebook import (
    GradebookTooLarge,
    GradebookUnreadable,
    read_gradebook,
)
from microcred.services.bulk.preview import BulkPreview, preview_gradebook
from microcred.services.issuing import IssuingError

router = APIRouter(tags=["Awards"])
MAX_UPLOAD = 20 * 1024 * 1024


class AwardRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    learner: LearnerInput
    grade: str | None = None
    awarded_on: date | None = None
    attempt: int = 1
    version: int | None = None


def _refused(error: AwardError | IssuingError) -> JSONResponse:
    if isinstance(error, AwardError):
        issues = [request_issue(p.field, p.message) for p in error.problems]
    else:
        issues = [request_issue(error.where, error.message)]
    return problem_response(422, issues)


@router.post(
    "/api/specifications/{spec_id}/awards",
    summary="Award a published specification to one learner (idempotent)",
    status_code=201,
    dependencies=[Depends(require(Action.issue, specification_target))],
)
def award_one(request: Request, spec_id: str, body: AwardRequest) -> JSONResponse:
    try:
        award, made = awards_of(request).award_once(
            spec_id,
            body.version,
            body.learner,
            grade=body.grade,
            awarded_on=body.awarded_on,
            attempt=body.attempt,
        )
    except (AwardError, IssuingError) as error:
        return _refused(error)
    return JSONResponse(award.model_dump(mode="json"), status_code=201 if made else 200)


@router.get(
    "/api/specifications/{spec_id}/awards",
    summary="The awards of a specification, newest first",
    dependencies=[Depends(require(Action.issue, specification_target))],
)
def list_awards(
    request: Request,
    spec_id: str,
    email: str | None = None,
    limit: int = Query(100, ge=1, le=1000),
    offset: int = Query(0, ge=0),
) -> list[dict[str, Any]]:
    awards = awards_of(request).list(
        _owner(request, spec_id), spec_id, email=email, limit=limit, offset=offset
    )
    return [award.model_dump(mode="json") for award in awards]


@router.post(
    "/api/specifications/{spec_id}/awards/bulk",
    summary="Preview a gradebook (confirm=false) or award its good rows as a job (confirm=true)",
    dependencies=[Depends(require(Action.issue, specification_target))],
)
def bulk_award(
    request: Request,
    spec_id: str,
    file: UploadFile = File(...),
    confirm: bool = Query(False),
    version: int | None = Query(None, ge=1),
    awarded_on: date | None = Query(None),
) -> JSONResponse:
    awards = awards_of(request)
    try:
        record = awards.issuable(spec_id, version)
        preview = read_preview(file, record, awarded_on)
    except GradebookTooLarge as error:
        return problem_response(413, [request_issue("file", str(error))])
    except (GradebookUnreadable, IssuingError) as error:
        return problem_response(422, [request_issue("file", str(error))])
    body: dict[str, Any] = {"preview": preview_json(preview)}
    if not confirm:
        return JSONResponse(body)
    awards.prepare(record)
    job = bulk_job(awards.db, "bulk-award", preview, record, actor=_actor(request))
    job_runner_of(request).submit(job.id)
    body["job"] = job_json(job)
    return JSONResponse(body, status_code=202, headers={"Location": f"/api/jobs/{job.id}"})


@router.get(
    "/api/jobs/{job_id}",
    summary="Where a job stands, with its failed rows",
    # Signed in before the job is looked up, so anonymous callers learn nothing of jobs.
    dependencies=[Depends(signed_in)],
)
def get_job(request: Request, job_id: str) -> JSONResponse:
    try:
        job = job_view(awards_of(request).db, job_id)
    except JobNotFound as error:
        return JSONResponse({"detail": str(error)}, status_code=404)
    authorize(request, Action.issue, Target(job.institution, False))
    return JSONResponse({**job_json(job), "failures": job_failures(awards_of(request).db, job_id)})


def read_preview(file: UploadFile, record: Any, awarded_on: date | None) -> BulkPreview:
    """Return the preview of an uploaded gradebook for ``record``."""
    data = file.file.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        raise GradebookTooLarge(f"the file is larger than {MAX_UPLOAD // 1024 // 1024} MB")
    today = date.today()
    gradebook = read_gradebook(data, file.filename or "upload.csv")
    return preview_gradebook(gradebook, record, awarded_on=awarded_on or today, today=today)


def preview_json(preview: BulkPreview) -> dict[str, Any]:
    return {
        "layout": preview.layout,
        "to_award": len(preview.accepted),
        "rejected": [{"row": r.row, "reasons": r.reasons} for r in preview.rejected],
    }


def job_json(job: JobView) -> dict[str, Any]:
    return {
        "id": job.id,
        "kind": job.kind,
        "state": job.state,
        "total": job.total,
        "done": job.done,
        "unchanged": job.unchanged,
        "failed": job.failed,
        "remaining": job.remaining,
        "error": job.error,
    }


def _owner(request: Request, spec_id: str) -> str:
    return specification_target(request).institution or ""


def _actor(request: Request) -> str:
    principal = getattr(request.state, "principal", None)
    return str(getattr(principal, "email", None) or "api")
