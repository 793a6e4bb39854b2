"""The verify page: drop a credential file, paste its JSON (or vc+jwt), or open ?url=, and read
the report check by check. The page answers with the VC API's status of the outcome: 200
verified, 422 invalid, 424 could not be checked. A dropped PDF certificate gets a second
verdict, on the institution's seal of the PDF itself, beside the one on the credential inside."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from microcred.formats.pdf.attachment import is_pdf
from microcred.http.services import instance_verifier_of
from microcred.http.verdicts import OUTCOME_STATUS
from microcred.services.analytics import Channel, record_verification
from microcred.verify import VerificationReport
from microcred.verify.fetch import FetchError, fetch_credential
from microcred.verify.parse import MAX_FILE_BYTES, Unparseable, read_input
from microcred.verify.report import CheckResult
from microcred.verify.statement import credential_statement
from microcred.web import csrf
from microcred.web.ob2_upgrade_page import upgrade_offers
from microcred.web.templating import render
from microcred.web.verification_text import check_label, reason_text, statement_sentence

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
    return _page(request, report=report, url=url, given=data)


@router.post("/verify", response_class=HTMLResponse)
async def verify_posted(
    request: Request, form: FormData = Depends(csrf.checked_form)
) -> HTMLResponse:
    upload, pasted = form.get("file"), form.get("credential")
    if isinstance(upload, UploadFile) and upload.filename:
        data: bytes | str = await upload.read(MAX_FILE_BYTES + 1)
    elif isinstance(pasted, str) and pasted.strip():
        data = pasted
    else:
        return _page(request, missing_input=True, status_code=400)
    # Verifying is CPU work: it runs in the thread pool, not on the event loop.
    verifier = instance_verifier_of(request)
    report = await run_in_threadpool(verifier.verify, data)
    pdf_seal = None
    if isinstance(data, bytes) and is_pdf(data):
        pdf_seal = await run_in_threadpool(verifier.verify_pdf_seal, data)
    database = request.app.state.database
    await run_in_threadpool(record_verification, database, data, report, Channel.page)
    pasted_text = pasted if isinstance(pasted, str) else ""
    return _page(request, report=report, pasted=pasted_text, given=data, pdf_seal=pdf_seal)


def _page(
    request: Request,
    *,
    report: VerificationReport | None = None,
    pdf_seal: CheckResult | None = None,
    given: bytes | str = b"",
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
        "pdf_seal": pdf_seal,
        "sentence": _sentence(request, report, given) if report is not None else "",
        "failed_reason": _failed_reason(report) if report is not None else "",
        "max_file_mb": MAX_FILE_BYTES // (1024 * 1024),
        "url": url,
        "pasted": pasted,
        "problem": problem,
        "missing_input": missing_input,
        "upgrade_offers": upgrade_offers(request, report, given) if report is not None else [],
    }
    return render(request, "verify.html", context, status_code=status_code)


def _sentence(request: Request, report: VerificationReport, given: bytes | str) -> str:
    """Return the plain sentence on what the credential says and the verdict ("" if none)."""
    if report.failed_check == "parse":
        return ""
    try:
        document, _jwt = read_input(given)
    except Unparseable:
        return ""
    lang = request.state.lang
    return statement_sentence(credential_statement(document, lang), report, lang)


def _failed_reason(report: VerificationReport) -> str:
    """Return which check failed (or could not be made) and why, in the viewer's language."""
    culprit = report.find(report.failed_check) if report.failed_check else None
    if culprit is None:
        return report.summary if report.failed_check else ""
    return f"{check_label(culprit.name)}: {reason_text(culprit)}"
