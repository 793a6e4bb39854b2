"""The verify page: drop a credential file, paste its JSON (or vc+jwt), or open ?url=, and read
the report check by check. The page answers with the VC API's status of the outcome: 200
verified, 422 invalid, 424 could not be checked."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from microcred.http.services import instance_verifier_of
from microcred.http.verdicts import OUTCOME_STATUS
from microcred.services.analytics import Channel, record_verification
from microcred.verify import VerificationReport
from microcred.verify.fetch import FetchError, fetch_credential
from microcred.verify.parse import MAX_BYTES
from microcred.web import csrf
from microcred.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/verify", response_class=HTMLResponse)
def verify_page(request: Request, url: str = "") -> HTMLResponse:
    if not url:
        return _page(request)
    try:
        data = fetch_credential(url)
    except FetchError as error:
        return _page(request, url=url, problem=str(error), status_code=400)
    report = instance_verifier_of(request).verify(data)
    record_verification(request.app.state.database, data, report, Channel.page)
    return _page(request, report=report, url=url)


@router.post("/verify", response_class=HTMLResponse)
async def verify_posted(
    request: Request, form: FormData = Depends(csrf.checked_form)
) -> HTMLResponse:
    upload, pasted = form.get("file"), form.get("credential")
    if isinstance(upload, UploadFile) and upload.filename:
        data: bytes | str = await upload.read(MAX_BYTES + 1)
    elif isinstance(pasted, str) and pasted.strip():
        data = pasted
    else:
        return _page(request, missing_input=True, status_code=400)
    # Verifying is CPU work: it runs in the thread pool, not on the event loop.
    report = await run_in_threadpool(instance_verifier_of(request).verify, data)
    database = request.app.state.database
    await run_in_threadpool(record_verification, database, data, report, Channel.page)
    pasted_text = pasted if isinstance(pasted, str) else ""
    return _page(request, report=report, pasted=pasted_text)


def _page(
    request: Request,
    *,
    report: VerificationReport | None = None,
    url: str = "",
    pasted: str = "",
    problem: str = "",
    missing_input: bool = False,
    status_code: int | None = None,
) -> HTMLResponse:
    if status_code is None:
        status_code = OUTCOME_STATUS[report.outcome] if report is not None else 200
    context = {
        "nav": "verify",
        "report": report,
        "url": url,
        "pasted": pasted,
        "problem": problem,
        "missing_input": missing_input,
    }
    return render(request, "verify.html", context, status_code=status_code)
