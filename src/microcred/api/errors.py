"""How the API reports bad input: one ``{element, rule, message, severity}`` entry per problem."""

from __future__ import annotations

from collections.abc import Iterable

from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from microcred.domain.compliance.report import ComplianceIssue, Severity

# The rule id of a problem found in the HTTP request itself rather than in a specification.
REQUEST_RULE = "API-REQUEST"


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
