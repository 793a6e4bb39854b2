"""The mapping page: upload institutions' catalogues, see them mapped against the EU definition.

``/mapping`` maps every specification in the catalogue (``?institution=slug`` narrows it down,
and is the permanent link to one import's report). Uploading stores each readable row as a
draft of its institution and shows that import's report with the rows that were refused. The
same report downloads as PDF, as XLSX, and table by table as CSV.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from microcred.domain.accounts import Action, readable_drafts
from microcred.formats.catalogue.headers import ColumnMapping
from microcred.formats.catalogue.programmes import RowProblem
from microcred.formats.catalogue.template import template_csv, template_xlsx
from microcred.http.auth import current_user, require
from microcred.http.services import catalogue_of
from microcred.i18n import _
from microcred.reports.mapping_html import STYLESHEET, report_body
from microcred.reports.mapping_pdf import report_pdf
from microcred.reports.mapping_tables import mapping_tables
from microcred.reports.spreadsheets import table_csv, tables_xlsx
from microcred.services.catalogue import Catalogue
from microcred.services.mapping import (
    StoreResult,
    catalogue_programmes,
    classify_all,
    read_catalogues,
    store_programmes,
    summarise,
)
from microcred.services.mapping.summary import MappingSummary
from microcred.web import csrf
from microcred.web.templating import render

router = APIRouter(include_in_schema=False)

MAX_UPLOAD = 10 * 1024 * 1024  # bytes per file
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Institutions = list[str] | None


def _summary(
    request: Request, institutions: Institutions, problems: list[RowProblem] | None = None
) -> MappingSummary:
    drafts_of = readable_drafts(current_user(request))
    programmes = catalogue_programmes(catalogue_of(request), institutions or None, drafts_of)
    settings = request.app.state.settings
    classified = classify_all(programmes, eslp_min_eqf=settings.eslp_min_eqf)
    return summarise(classified, problems or [])


def _query(institutions: Institutions) -> str:
    return "?" + urlencode([("institution", slug) for slug in institutions]) if institutions else ""


def _page(
    request: Request,
    institutions: Institutions,
    stored: StoreResult | None = None,
    problems: list[RowProblem] | None = None,
    upload_error: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    summary = _summary(request, institutions, problems)
    query = _query(institutions)
    context = {
        "nav": "mapping",
        "summary": summary,
        "report": report_body(summary, request.state.lang, downloads=query),
        "stored": stored,
        "link": f"/mapping{query}",
        "institutions": institutions or [],
        "upload_error": upload_error,
    }
    return render(request, "mapping.html", context, status_code=status_code)


@router.get("/mapping", response_class=HTMLResponse)
def mapping_page(request: Request, institution: Institutions = Query(None)) -> HTMLResponse:
    return _page(request, institution)


@router.post(
    "/mapping",
    response_class=HTMLResponse,
    # An upload adds institutions and drafts: the operator's to do.
    dependencies=[Depends(require(Action.manage_institutions))],
)
async def mapping_upload(
    request: Request, form: FormData = Depends(csrf.checked_form)
) -> HTMLResponse:
    uploads = [item for item in form.getlist("files") if isinstance(item, UploadFile)]
    uploads = [item for item in uploads if item.filename]
    if not uploads:
        message = _("Choose at least one catalogue file (CSV, XLSX, JSON or EDC).")
        return _page(request, None, upload_error=message, status_code=400)
    with tempfile.TemporaryDirectory(prefix="microcred-mapping-") as folder:
        paths: list[Path] = []
        for upload in uploads:
            content = await upload.read(MAX_UPLOAD + 1)
            if len(content) > MAX_UPLOAD:
                message = _("{name} is larger than 10 MB; split the catalogue.").format(
                    name=upload.filename
                )
                return _page(request, None, upload_error=message, status_code=413)
            path = Path(folder) / Path(upload.filename or "catalogue").name
            path.write_bytes(content)
            paths.append(path)
        survey = await run_in_threadpool(read_catalogues, paths, ColumnMapping())
    catalogue: Catalogue = catalogue_of(request)
    stored = await run_in_threadpool(store_programmes, catalogue, survey.programmes)
    problems = survey.problems + stored.problems
    institutions = stored.institutions
    status = 200 if institutions or not problems else 422
    return await run_in_threadpool(_page, request, institutions, stored, problems, "", status)


@router.get("/mapping/report.pdf")
def mapping_pdf(request: Request, institution: Institutions = Query(None)) -> Response:
    pdf = report_pdf(_summary(request, institution), request.state.lang)
    headers = {"Content-Disposition": 'inline; filename="mapping-report.pdf"'}
    return Response(pdf, media_type="application/pdf", headers=headers)


@router.get("/mapping/tables.xlsx")
def mapping_xlsx(request: Request, institution: Institutions = Query(None)) -> Response:
    workbook = tables_xlsx(mapping_tables(_summary(request, institution)))
    headers = {"Content-Disposition": 'attachment; filename="mapping.xlsx"'}
    return Response(workbook, media_type=XLSX, headers=headers)


@router.get("/mapping/tables/{name}.csv")
def mapping_csv(request: Request, name: str, institution: Institutions = Query(None)) -> Response:
    tables = {table.name: table for table in mapping_tables(_summary(request, institution))}
    if name not in tables:
        known = ", ".join(f"{table}.csv" for table in tables)
        raise HTTPException(404, _("No table '{name}'; the tables are {known}.").format(
            name=name, known=known))  # fmt: skip
    headers = {"Content-Disposition": f'attachment; filename="{name}.csv"'}
    return Response(table_csv(tables[name]), media_type="text/csv; charset=utf-8", headers=headers)


@router.get("/mapping/template.csv")
def template_as_csv() -> Response:
    headers = {"Content-Disposition": 'attachment; filename="catalogue-template.csv"'}
    return Response(template_csv(), media_type="text/csv; charset=utf-8", headers=headers)


@router.get("/mapping/template.xlsx")
def template_as_xlsx() -> Response:
    headers = {"Content-Disposition": 'attachment; filename="catalogue-template.xlsx"'}
    return Response(template_xlsx(), media_type=XLSX, headers=headers)


@router.get("/mapping/report.css")
def report_stylesheet() -> PlainTextResponse:
    return PlainTextResponse(STYLESHEET.read_text(encoding="utf-8"), media_type="text/css")
