"""The W3C CCG VC API verifier: `POST /credentials/verify` and `POST /presentations/verify`.

Each outcome has its HTTP status, the report in the body of each: 200 verified (trusted issuer
or not: see `trust`), 422 invalid (a check failed), 424 indeterminate (could not be checked: a
key or status list could not be fetched, the time or work budget ran out), 400 when the request
or the credential cannot be read (not JSON, too large, too deep) or is not a well-formed
credential (the data model check failed: the VC API's "invalid input"), 503 when every verifier
slot is busy.
Handlers are plain `def`: verifying is CPU work and runs in the thread pool.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from microcred import deadline
from microcred.api.verifier_slots import (
    RETRY_AFTER_SECONDS,
    VERIFICATION_TIME_BUDGET_SECONDS,
    VerifierSlots,
)
from microcred.http.services import instance_verifier_of, made_once
from microcred.http.verdicts import OUTCOME_STATUS
from microcred.services.analytics import Channel, record_presentation
from microcred.services.analytics.grouped import GroupedRecorder
from microcred.services.analytics.recording import verification_of
from microcred.verify import VerificationReport
from microcred.verify.parse import MAX_BYTES, Unparseable, is_compact_jws, parse_json_object
from microcred.verify.report import Outcome, Verdict, failed
from microcred.verify.sd_jwt_vc import looks_like_sd_jwt

router = APIRouter(tags=["VC API"])

# The credential may be 1 MiB; the envelope and options get a little room on top.
MAX_BODY_BYTES = MAX_BYTES + 64 * 1024


_REPORTS: dict[int | str, dict[str, Any]] = {
    200: {
        "model": VerificationReport,
        "description": "Verified (outcome `verified`); `trust` says whether the issuer is trusted",
    },
    400: {"model": VerificationReport, "description": "The request body cannot be read"},
    422: {
        "model": VerificationReport,
        "description": "Invalid (outcome `invalid`): a check failed; `failed_check` names it",
    },
    424: {
        "model": VerificationReport,
        "description": "Indeterminate (outcome `indeterminate`): a check could not be made "
        "(a key or status list could not be fetched, the time or work budget ran out); "
        "`failed_check` names it. Not a statement that the credential is false",
    },
    503: {"description": "Every verifier slot is busy; try again after Retry-After seconds"},
}


def _request_schema(document_key: str, options: dict[str, Any]) -> dict[str, Any]:
    return {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "required": [document_key],
                        "properties": {
                            document_key: {"oneOf": [{"type": "object"}, {"type": "string"}]},
                            "options": {"type": "object", "properties": options},
                        },
                    }
                }
            },
        }
    }


@dataclass(frozen=True)
class RequestBody:
    data: bytes
    too_large: bool = False


async def capped_body(request: Request) -> RequestBody:
    """Return the request body, read no further than MAX_BODY_BYTES."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        return RequestBody(b"", too_large=True)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            return RequestBody(b"", too_large=True)
        chunks.append(chunk)
    return RequestBody(b"".join(chunks))


def _verify_route(path: str, summary: str, document_key: str, options: dict[str, Any]) -> Any:
    return router.post(
        path,
        summary=summary,
        response_model=VerificationReport,
        responses=_REPORTS,
        openapi_extra=_request_schema(document_key, options),
    )


@_verify_route("/credentials/verify", "Verify a credential", "verifiableCredential", {})
def verify_credentials_endpoint(
    request: Request, body: RequestBody = Depends(capped_body)
) -> JSONResponse:
    envelope = _envelope(body, "verifiableCredential")
    if isinstance(envelope, VerificationReport):
        return _respond(envelope, 400)
    credential = envelope["verifiableCredential"]
    if refused := _text_not_enveloped(credential):
        return _respond(refused, 400)
    # Each verification runs in a slot (at most two per process: it is CPU work under the GIL)
    # and under a time budget its stages check, so hostile ones cannot hold the server.
    with slots_of(request).slot() as granted:
        if not granted:
            return _busy()
        with deadline.within(VERIFICATION_TIME_BUDGET_SECONDS):
            report = instance_verifier_of(request).verify(credential)
    # The id is at hand: the recorder need not read the credential again to find it.
    known_id = credential.get("id") if isinstance(credential, dict) else None
    recorder_of(request).record(
        verification_of(
            credential,
            report,
            Channel.api,
            credential_id=known_id if isinstance(known_id, str) else None,
        )
    )
    return _respond(report, _status_code(report))


def slots_of(request: Request) -> VerifierSlots:
    """Return the application's verifier slots (also read by `/readyz`)."""
    return made_once(request, "verifier_slots", VerifierSlots)


def _busy() -> JSONResponse:
    return JSONResponse(
        {"detail": "every verifier slot is busy; try again shortly"},
        status_code=503,
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


def recorder_of(request: Request) -> GroupedRecorder:
    """Return the application's analytics recorder, set up on first use."""
    return made_once(
        request, "verification_recorder", lambda: GroupedRecorder(request.app.state.database)
    )


@_verify_route(
    "/presentations/verify",
    "Verify a presentation (its proof, challenge and domain, then each credential)",
    "verifiablePresentation",
    {"challenge": {"type": "string"}, "domain": {"type": "string"}},
)
def verify_presentations_endpoint(
    request: Request, body: RequestBody = Depends(capped_body)
) -> JSONResponse:
    envelope = _envelope(body, "verifiablePresentation")
    if isinstance(envelope, VerificationReport):
        return _respond(envelope, 400)
    options = envelope["options"]
    challenge, domain = options.get("challenge"), options.get("domain")
    if not isinstance(challenge, str) or not challenge:
        return _respond(_unreadable("options.challenge is required: the challenge you issued"), 400)
    if domain is not None and not isinstance(domain, str):
        return _respond(_unreadable("options.domain must be a string"), 400)
    presentation = envelope["verifiablePresentation"]
    if refused := _text_not_enveloped(presentation):
        return _respond(refused, 400)
    with slots_of(request).slot() as granted:
        if not granted:
            return _busy()
        with deadline.within(VERIFICATION_TIME_BUDGET_SECONDS):
            report = instance_verifier_of(request).verify_presentation(
                presentation, challenge, domain
            )
    record_presentation(request.app.state.database, presentation, report, Channel.api)
    return _respond(report, _status_code(report))


def _envelope(body: RequestBody, document_key: str) -> dict[str, Any] | VerificationReport:
    """Return the request's JSON object, or a report saying why it cannot be read."""
    if body.too_large:
        return _unreadable(f"the request body is larger than {MAX_BODY_BYTES:,} bytes")
    try:
        envelope = parse_json_object(body.data.decode("utf-8", errors="replace"))
    except Unparseable as error:
        return _unreadable(f"the request body: {error}")
    if document_key not in envelope:
        return _unreadable(f"the request body needs {document_key!r}")
    options = envelope.setdefault("options", {})
    if not isinstance(options, dict):
        return _unreadable("options must be a JSON object")
    return envelope


def _text_not_enveloped(document: Any) -> VerificationReport | None:
    """Return why a string is refused, unless it is an enveloped credential (vc+jwt, SD-JWT).

    Data Integrity verifies a secured document that is a map: JSON text inside a JSON string
    is a PARSING_ERROR, not something to parse a second time.
    """
    if not isinstance(document, str):
        return None
    if is_compact_jws(document.strip()) or looks_like_sd_jwt(document):
        return None
    return _unreadable(
        "PARSING_ERROR: a string is read only as a vc+jwt or SD-JWT; a secured document "
        "must be sent as a JSON object, not as JSON text inside a string",
        error="PARSING_ERROR",
    )


def _unreadable(reason: str, **details: Any) -> VerificationReport:
    return VerificationReport(
        verdict=Verdict.failed, failed_check="parse", checks=[failed("parse", reason, **details)]
    )


# Checks whose failure means the input is not a credential at all, rather than a credential
# that fails (forged, revoked, expired): the VC API answers such input with 400.
MALFORMED_INPUT_CHECKS = ("parse", "data_model")


def _status_code(report: VerificationReport) -> int:
    if report.outcome == Outcome.invalid and (
        report.failed_check in MALFORMED_INPUT_CHECKS
        or (report.failed_check == "contexts" and report.check("contexts").details.get("malformed"))
    ):
        return 400
    return OUTCOME_STATUS[report.outcome]


def _respond(report: VerificationReport, status_code: int) -> JSONResponse:
    return JSONResponse(report.model_dump(mode="json"), status_code=status_code)
