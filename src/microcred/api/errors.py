"""How the API reports bad input: one ``{element, rule, message, severity}`` entry per problem."""

from __future__ import annotations

from collections.abc import Iterable

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from microcred.domain.compliance.report import ComplianceIssue, Severity

# The rule id of a problem found in the HTTP request itself rather than in a specification.
REQUEST_RULE = "API-REQUEST"
# Paths of the JSON API and the W3C VC API: their errors are JSON, never pages.
API_PREFIXES = ("/api/", "/credentials/", "/presentations/")


def problem_response(status_code: int, issues: Iterable[ComplianceIssue]) -> JSONResponse:
    """Return a JSON error response listing each issue."""
    detail = [
        {
            "element": issue.element,
            "rule": issue.rule,
            "message": issue.message,
            "severity": str(issue.severity),
        }
        for issue in issues
    ]
    return JSONResponse({"detail": detail}, status_code=status_code)


def request_issue(element: str, message: str) -> ComplianceIssue:
    """Return a problem found in the request itself rather than in a specification."""
    return ComplianceIssue(
        rule=REQUEST_RULE, severity=Severity.error, element=element, message=message
    )


def request_issues(error: RequestValidationError) -> list[ComplianceIssue]:
    """Return the problems of a malformed request (bad JSON, a mistyped query parameter)."""
    return [
        request_issue(
            ".".join(str(part) for part in problem.get("loc", ())),
            str(problem.get("msg", "invalid value")),
        )
        for problem in error.errors()
    ]


def is_api_request(request: Request) -> bool:
    """True for the JSON API (and the VC API), or for any client asking for JSON, not a page."""
    if request.url.path == "/api" or request.url.path.startswith(API_PREFIXES):
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept
