"""The W3C CCG VC API holder's `POST /credentials/derive`: a credential with an ecdsa-sd-2023
base proof becomes one revealing only what `options.selectivePointers` select.

No token is needed (deriving uses no secret of this instance and stores nothing); like the
verifier it is CPU work, so it runs in a verifier slot under the verification time budget and
counts against the verifier's rate limit. 201 with `{verifiableCredential}`; 400 when the body
cannot be read; 422 when the credential cannot be derived as asked, naming where.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from microcred import deadline
from microcred.api.errors import problem_response, request_issue
from microcred.api.vc_verify import RequestBody, _busy, _request_schema, capped_body, slots_of
from microcred.api.verifier_slots import VERIFICATION_TIME_BUDGET_SECONDS
from microcred.services.deriving import DerivingError, derive_credential
from microcred.verify.parse import Unparseable, parse_json_object

router = APIRouter(tags=["VC API"])

_RESPONSES: dict[int | str, dict[str, Any]] = {
    201: {"description": "{verifiableCredential}: the credential with a derived proof"},
    400: {"description": "The body cannot be read"},
    422: {"description": "The credential cannot be derived as asked; each problem names where"},
    503: {"description": "Every verifier slot is busy; try again after Retry-After seconds"},
}
_DERIVE_BODY = _request_schema(
    "verifiableCredential",
    {"selectivePointers": {"type": "array", "items": {"type": "string"}}},
)


def _problem(status_code: int, where: str, message: str) -> JSONResponse:
    return problem_response(status_code, [request_issue(where, message)])


@router.post(
    "/credentials/derive",
    summary="Derive a selectively disclosed credential from an ecdsa-sd-2023 base proof",
    status_code=201,
    responses=_RESPONSES,
    openapi_extra=_DERIVE_BODY,
)
def derive_credential_endpoint(
    request: Request, body: RequestBody = Depends(capped_body)
) -> JSONResponse:
    if body.too_large:
        return _problem(400, "body", "the request body is too large")
    try:
        envelope = parse_json_object(body.data.decode("utf-8", errors="replace"))
    except Unparseable as error:
        return _problem(400, "body", str(error))
    options = envelope.get("options", {})
    if not isinstance(options, dict):
        return _problem(400, "options", "must be a JSON object")
    with slots_of(request).slot() as granted:
        if not granted:
            return _busy()
        try:
            with deadline.within(VERIFICATION_TIME_BUDGET_SECONDS):
                derived = derive_credential(
                    envelope.get("verifiableCredential"), options.get("selectivePointers", [])
                )
        except DerivingError as error:
            return _problem(400 if error.unreadable else 422, error.where, error.message)
        except deadline.DeadlineExceeded as error:
            return _problem(422, "verifiableCredential", f"derivation stopped: {error}")
    return JSONResponse({"verifiableCredential": derived}, status_code=201)
