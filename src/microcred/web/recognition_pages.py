"""The recognition officer's pages: open a case, read the proposal, decide, export.

- ``GET /recognition``: the institution's cases, and the form opening one from an uploaded or
  pasted credential, or from a learner's share link, against one of our published modules.
- ``GET /recognition/model``: how far the loading of the comparison model has come (the page
  shows it while it loads, and starts the load if the server has not);
- ``POST /recognition/cases``: opens the case (verified and compared) and shows it; a link
  sharing several credentials first asks which one. A refusal changes nothing.
- ``GET /recognition/cases/{id}``: the proposal with its reasons, the criteria and how alike
  each pair of outcomes reads; the decision, or the form recording it (once).
- ``POST /recognition/cases/{id}/decision``: full, partial or none, the ECTS and the reason.
The export is the API's (``/api/recognition/export``), which a signed-in browser may read.
Only recognition officers (``decide-recognition``) of the case's institution get through.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from microcred.domain.accounts import Action, Principal
from microcred.domain.recognition import Proposal
from microcred.domain.specification_status import SpecificationStatus
from microcred.http.access import case_in_reach
from microcred.http.auth import Target, authorize, signed_in
from microcred.http.services import catalogue_of, recognition_of
from microcred.http.wallet_links import token_from_link
from microcred.i18n import _
from microcred.services.catalogue_query import CatalogueQuery
from microcred.services.held_credentials import title_of
from microcred.services.model_preload import MODEL_PRELOAD, ModelState
from microcred.services.recognition import RecognitionCase, RecognitionError
from microcred.services.wallet import ShareLinkInvalid
from microcred.verify.parse import MAX_BYTES, Unparseable, read_input
from microcred.web import csrf
from microcred.web.staff_access import institutions_for, staff_for
from microcred.web.templating import render

router = APIRouter()
officer_only = staff_for(Action.decide_recognition)
OPEN_FIELDS = ("institution", "target", "credential", "share_link", "credential_id", "learner")


@router.get("/recognition", response_class=HTMLResponse)
def cases_page(
    request: Request, institution: str = "", principal: Principal = Depends(officer_only)
) -> HTMLResponse:
    return _cases_page(request, principal, {"institution": institution})


@router.post("/recognition/cases", response_class=HTMLResponse)
async def open_case(request: Request, principal: Principal = Depends(officer_only)) -> Response:
    form = await csrf.checked_form(request)
    upload = form.get("file")
    data = await upload.read(MAX_BYTES + 1) if isinstance(upload, UploadFile) else b""
    values = {name: str(form.get(name) or "").strip() for name in OPEN_FIELDS}
    # Verifying and comparing outcomes is CPU work: it runs in the thread pool.
    return await run_in_threadpool(_open_now, request, principal, values, data)


def _open_now(
    request: Request, principal: Principal, values: dict[str, str], data: bytes
) -> Response:
    institution = values["institution"]
    authorize(request, Action.decide_recognition, Target(institution))
    service = recognition_of(request)
    try:
        if values["share_link"]:
            token = token_from_link(values["share_link"])
            credential = values["credential_id"] or _only_shared(request, token)
            if not credential:  # several shared: the officer picks one first
                return _cases_page(request, principal, values, choices=_shared(request, token))
            case = service.open_from_share_link(
                institution, token, credential, values["target"], actor=principal.label
            )
        else:
            document = _document(data, values["credential"])
            case = service.open_case(
                institution,
                document,
                values["target"],
                actor=principal.label,
                learner=values["learner"],
            )
    except RecognitionError as refused:
        return _cases_page(request, principal, values, problem=str(refused), status_code=422)
    return RedirectResponse(f"/recognition/cases/{case.id}", status_code=303)


@router.get("/recognition/cases/{case_id}", response_class=HTMLResponse)
def case_page(request: Request, case_id: str) -> HTMLResponse:
    signed_in(request)  # before the case is looked up: anonymous learns nothing of cases
    return _case_page(request, case_in_reach(request, case_id))


@router.post("/recognition/cases/{case_id}/decision", response_class=HTMLResponse)
def decide(request: Request, case_id: str, form: FormData = Depends(csrf.checked_form)) -> Response:
    signed_in(request)
    case = case_in_reach(request, case_id)
    principal = authorize(request, Action.decide_recognition, Target(case.institution))
    values = {name: str(form.get(name) or "").strip() for name in ("decision", "ects", "note")}
    try:
        ects = float(values["ects"].replace(",", ".")) if values["ects"] else None
    except ValueError:
        problem = _("ECTS must be a number, got %(value)s.") % {"value": values["ects"]}
        return _case_page(request, case, values=values, problem=problem, status_code=422)
    try:
        recognition_of(request).decide(
            case.id, values["decision"], actor=principal.label, ects=ects, note=values["note"]
        )
    except RecognitionError as refused:
        return _case_page(request, case, values=values, problem=str(refused), status_code=422)
    return RedirectResponse(f"/recognition/cases/{case.id}?decided=1", status_code=303)


def _cases_page(
    request: Request,
    principal: Principal,
    values: dict[str, str],
    *,
    choices: list[tuple[str, str]] | None = None,
    problem: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    mine = institutions_for(request, principal, Action.decide_recognition)
    asked = values.get("institution", "")
    institution = asked if asked in mine else mine[0]
    query = CatalogueQuery(
        institution=institution, status=SpecificationStatus.published, limit=1000
    )
    context = {
        "nav": "recognition",
        "institutions": mine,
        "institution": institution,
        "modules": catalogue_of(request).search(query),
        "cases": recognition_of(request).cases(institution),
        "values": values,
        "choices": choices or [],
        "problem": problem,
        "model": _model_state(),
    }
    return render(request, "recognition.html", context, status_code=status_code)


def _model_state() -> ModelState:
    """Return where the comparison model stands, starting its load if nobody has yet.

    An officer opening this page will soon compare outcomes: loading now, in the background,
    means the first case does not wait for it (or waits only for what is left).
    """
    MODEL_PRELOAD.start()
    return MODEL_PRELOAD.state()


@router.get("/recognition/model", response_class=HTMLResponse)
def model_state(request: Request, principal: Principal = Depends(officer_only)) -> HTMLResponse:
    """Return the model's progress line (htmx asks again every two seconds while it loads)."""
    return render(request, "partials/model_state.html", {"model": MODEL_PRELOAD.state()})


def _case_page(
    request: Request,
    case: RecognitionCase,
    *,
    values: dict[str, str] | None = None,
    problem: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    report = case.report
    proposed = {"decision": report.proposal.value, "ects": f"{report.proposed_ects:g}"}
    context: dict[str, Any] = {
        "nav": "recognition",
        "case": case,
        "report": report,
        "credential_title": _title(case.credential, request.state.lang),
        "values": values or proposed,
        "decisions": {
            Proposal.full: _("Full recognition"),
            Proposal.partial: _("Partial recognition"),
            Proposal.none: _("No recognition"),
        },
        "fits": {"meets": _("meets"), "short": _("falls short"), "unknown": _("not stated")},
        "criteria_names": {"ects": _("Workload"), "eqf": _("EQF level"), "field": _("Field")},
        "problem": problem,
        "decided": request.query_params.get("decided") == "1",
    }
    return render(request, "recognition_case.html", context, status_code=status_code)


def _document(data: bytes, pasted: str) -> Any:
    """Return the credential uploaded or pasted (a JSON object, or a vc+jwt as text)."""
    if data and pasted:
        raise RecognitionError("credential", _("upload a file or paste, not both"))
    if not data and not pasted:
        raise RecognitionError(
            "credential", _("upload the credential, paste it, or give a learner's share link")
        )
    if len(data) > MAX_BYTES:
        raise RecognitionError("credential", _("the file is larger than 1 MB"))
    try:
        document, jwt = read_input(data or pasted)
    except Unparseable as error:
        raise RecognitionError("credential", str(error)) from error
    return jwt or document


def _shared(request: Request, token: str) -> list[tuple[str, str]]:
    """Return (id, title) of each credential a share link shows; raises `RecognitionError`."""
    wallet = recognition_of(request).wallet
    if wallet is None:
        raise RecognitionError("share link", _("this installation has no learner wallets"))
    try:
        _link, credentials = wallet.shared(token)
    except ShareLinkInvalid as error:
        raise RecognitionError("share link", str(error)) from error
    return [(credential.id, credential.title_in(request.state.lang)) for credential in credentials]


def _only_shared(request: Request, token: str) -> str:
    """Return the one credential a link shares; "" when it shares several."""
    shared = _shared(request, token)
    return shared[0][0] if len(shared) == 1 else ""


def _title(document: Any, lang: str) -> str:
    try:
        return title_of(document, lang)
    except Unparseable:
        return ""
