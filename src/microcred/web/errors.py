"""Error pages: the web pages answer errors in HTML, in the reader's language."""

from __future__ import annotations

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse
from starlette.exceptions import HTTPException

from microcred.i18n import _
from microcred.web.templating import render


def headings() -> dict[int, str]:
    return {
        403: _("The form could not be accepted"),
        404: _("Not found"),
        422: _("The request could not be understood"),
    }


def error_page(request: Request, status_code: int, message: str) -> HTMLResponse:
    heading = headings().get(status_code, _("Something went wrong"))
    return render(
        request, "error.html", {"heading": heading, "message": message}, status_code=status_code
    )


def http_error_page(request: Request, error: HTTPException) -> HTMLResponse:
    return error_page(request, error.status_code, str(error.detail))


def invalid_request_page(request: Request, error: RequestValidationError) -> HTMLResponse:
    problems = "; ".join(
        f"{'.'.join(str(part) for part in problem['loc'])}: {problem['msg']}"
        for problem in error.errors()
    )
    return error_page(request, 422, problems)
