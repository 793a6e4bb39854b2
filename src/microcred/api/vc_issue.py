"""Issuing over HTTP: the W3C CCG VC API `POST /credentials/issue`, and from a specification.

Both need ``Authorization: Bearer <API token>`` of a registrar (or administrator) of the
issuing institution, with the ``issue`` scope (401 without, 403 for another institution's
issuer or a token without the scope; see api/auth.py). Bad input gets 400 (the body
cannot be read, or the credential breaks a VC Data Model 2.0 rule) or 422 (it was read but
cannot be signed here), one entry per problem naming where.
Handlers are plain `def`: signing is CPU work and runs in the thread pool.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse

from microcred.api.errors import problem_response, request_issue
from microcred.api.status_option import BadStatusOption, requested_purposes
from microcred.api.vc_verify import RequestBody, _request_schema, capped_body
from microcred.domain.accounts import Action
from microcred.formats.ob3 import AwardData
from microcred.http.auth import Target, authorize, require, signed_in, specification_target
from microcred.http.services import credential_issuer_of, issuer_keys_of, status_lists_of
from microcred.services.issuer_keys import IssuerKeyError
from microcred.services.issuing import (
    DEFAULT_SUITE,
    Format,
    IssuingError,
    NonConformingCredential,
    check_unsigned_credential,
    issuer_id,
)
from microcred.verify.parse import Unparseable, parse_json_object

router = APIRouter(tags=["VC API"])

ISSUE_OPTIONS = ("cryptosuite", "credentialStatus", "mandatoryPointers")
_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"description": "The body cannot be read, or the credential breaks VC Data Model 2.0"},
    401: {"description": "No or a wrong bearer token"},
    403: {"description": "The token may not issue for this issuer (role or 'issue' scope)"},
    422: {"description": "The credential cannot be issued; each problem names where"},
}
_ISSUE_BODY = _request_schema(
    "credential",
    {
        "cryptosuite": {"type": "string"},
        "credentialStatus": {"type": "object"},
        "mandatoryPointers": {"type": "array", "items": {"type": "string"}},
    },
)


def _problem(status_code: int, where: str, message: str) -> JSONResponse:
    return problem_response(status_code, [request_issue(where, message)])


@router.post(
    "/credentials/issue",
    summary="Sign a credential as one of this instance's issuers",
    status_code=201,
    responses={201: {"description": "{verifiableCredential}"}, **_ERRORS},
    openapi_extra=_ISSUE_BODY,
)
def issue_credential_endpoint(
    request: Request, body: RequestBody = Depends(capped_body)
) -> JSONResponse:
    signed_in(request)
    if body.too_large:
        return _problem(400, "body", "the request body is too large")
    try:
        envelope = parse_json_object(body.data.decode("utf-8", errors="replace"))
    except Unparseable as error:
        return _problem(400, "body", str(error))
    credential, options = envelope.get("credential"), envelope.get("options", {})
    if not isinstance(credential, dict):
        return _problem(400, "credential", "the body needs 'credential': a JSON object")
    if not isinstance(options, dict):
        return _problem(400, "options", "must be a JSON object")
    unknown = sorted(set(options) - set(ISSUE_OPTIONS))
    if unknown:
        return _problem(
            422,
            "options",
            f"not supported: {', '.join(unknown)}; supported: {', '.join(ISSUE_OPTIONS)}",
        )
    suite = options.get("cryptosuite")
    pointers = options.get("mandatoryPointers")
    if pointers is not None and (
        not isinstance(pointers, list) or not all(isinstance(p, str) for p in pointers)
    ):
        return _problem(400, "options.mandatoryPointers", "must be a list of JSON pointers")
    try:
        purposes = requested_purposes(options.get("credentialStatus"))
    except BadStatusOption as error:
        return _problem(400, "options.credentialStatus", str(error))
    try:
        check_unsigned_credential(credential)
        owner = issuer_keys_of(request).owner_of(str(issuer_id(credential)))
        authorize(request, Action.issue, Target(owner))
        issuer = credential_issuer_of(request, status_lists_of(request))
        suite = issuer.suite_for(owner) if suite is None else suite
        signed = (
            issuer.sign_credential_with_status(credential, owner, purposes, str(suite), pointers)
            if purposes
            else issuer.sign_credential(credential, owner, str(suite), pointers)
        )
    except NonConformingCredential as error:
        issues = [request_issue(p.under("credential"), p.message) for p in error.problems]
        return problem_response(400, issues)
    except IssuingError as error:
        return _problem(422, error.where, error.message)
    except IssuerKeyError as error:
        return _problem(422, "credential.issuer", str(error))
    return JSONResponse({"verifiableCredential": signed}, status_code=201)


@router.post(
    "/api/specifications/{spec_id}/credentials",
    summary="Issue a signed credential of a published specification to one learner",
    status_code=201,
    responses={201: {"description": "{verifiableCredential}"}, 404: {}, **_ERRORS},
    dependencies=[Depends(require(Action.issue, specification_target))],
)
def issue_from_specification(
    request: Request,
    spec_id: str,
    award: AwardData,
    version: int | None = Query(None, ge=1, description="Default: the published version"),
    format: Format = Query("ob3-di", description="ob3-di (Data Integrity) or vc+jwt"),
    suite: str = Query(DEFAULT_SUITE, description="Cryptosuite of an ob3-di proof"),
) -> JSONResponse:
    try:
        credential = credential_issuer_of(request).issue_credential(
            spec_id, version, award, suite=suite, format=format
        )
    except IssuingError as error:
        return _problem(422, error.where, error.message)
    return JSONResponse({"verifiableCredential": credential}, status_code=201)
