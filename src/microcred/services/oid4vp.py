"""A verifier over OpenID for Verifiable Presentations 1.0: ask a wallet for "a micro-credential
from a trusted issuer with at least N ECTS (in ISCED-F field F)", and check the answer.

The request goes by reference: the `openid4vp://` link (QR code) names our `client_id`
(`decentralized_identifier:` + the instance's did:web) and a `request_uri` where the wallet
fetches the request object, signed by the instance key (`typ: oauth-authz-req+jwt`). It asks,
as a DCQL query, for an SD-JWT VC of our `vct` disclosing `title` and `ects` (and `isced_f`
when a field is asked for), to be posted back with `response_mode=direct_post`.

The answer is checked by this instance's verifier (`InstanceVerifier`, SD-JWT presentation:
issuer proof, key binding for our `client_id` and this request's nonce, status, validity,
issuer trust), then against what was asked (`request` check). Each request takes one answer:
a second one, a replay of the first included, is refused.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import sqlalchemy as sa

from microcred.crypto import jose
from microcred.crypto.sd_jwt import KeyBinding
from microcred.formats.sd_jwt_vc import MEDIA_TYPE as SD_JWT_VC
from microcred.formats.sd_jwt_vc import vct_for
from microcred.services.issuer_keys import IssuerKeys
from microcred.services.oid4vci import as_utc
from microcred.services.verifier import InstanceVerifier
from microcred.store.base import utc_now
from microcred.store.wallet_tables import PresentationRequestRow
from microcred.verify.report import CheckResult, CheckStatus, Verdict, VerificationReport

REQUEST_TYPE = "oauth-authz-req+jwt"
WALLET_SCHEME = "openid4vp://"
QUERY_ID = "micro_credential"
REQUEST_LIFETIME = timedelta(minutes=15)
ALGORITHMS = ["EdDSA", "ES256"]


class PresentationRefused(ValueError):
    """A wallet's answer that is not taken at all (unknown, expired or already answered)."""

    def __init__(self, error: str, description: str) -> None:
        super().__init__(f"{error}: {description}")
        self.error = error
        self.description = description


@dataclass(frozen=True)
class PresentationRequest:
    """A request as made: its id (also the OpenID4VP `state`) and the link for the wallet."""

    id: str
    link: str
    min_ects: float
    field: str | None
    expires_at: datetime


class PresentationVerifier:
    """Make presentation requests, serve them to wallets, and verify what wallets send back."""

    def __init__(
        self,
        keys: IssuerKeys,
        *,
        verifier: InstanceVerifier,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.keys = keys
        self.db = keys.db
        self.base_url = keys.settings.base_url.rstrip("/")
        self.verifier = verifier
        self.clock = clock

    @property
    def client_id(self) -> str:
        return "decentralized_identifier:" + self.keys.issuer_did(None)

    def create(
        self, min_ects: float, field: str | None = None, *, created_by: str | None = None
    ) -> PresentationRequest:
        """Return a new request for at least `min_ects` ECTS, in ISCED-F `field` if given."""
        if not min_ects >= 0:
            raise ValueError(f"min_ects must be 0 or more, got {min_ects!r}")
        if field is not None and not (field.isdigit() and 2 <= len(field) <= 4):
            raise ValueError(f"field must be an ISCED-F code of 2 to 4 digits, got {field!r}")
        self.keys.ensure_key(None)  # the instance signs its request objects
        expires_at = self.clock() + REQUEST_LIFETIME
        with self.db.transaction() as session:
            row = PresentationRequestRow(
                nonce=secrets.token_urlsafe(24),
                min_ects=min_ects,
                field=field,
                created_by=created_by,
                created_at=self.clock(),
                expires_at=expires_at,
            )
            session.add(row)
            session.flush()
            request_id = row.id
        query = {"client_id": self.client_id, "request_uri": self.request_uri(request_id)}
        link = WALLET_SCHEME + "?" + urlencode(query)
        return PresentationRequest(request_id, link, min_ects, field, expires_at)

    def request_uri(self, request_id: str) -> str:
        return f"{self.base_url}/oid4vp/requests/{request_id}"

    def request_object(self, request_id: str) -> str:
        """Return the signed request object of a pending request; raises `PresentationRefused`."""
        row = self._pending(request_id)
        claims = {
            "iss": self.client_id,
            "aud": "https://self-issued.me/v2",
            "client_id": self.client_id,
            "response_type": "vp_token",
            "response_mode": "direct_post",
            "response_uri": f"{self.base_url}/oid4vp/response",
            "nonce": row.nonce,
            "state": row.id,
            "dcql_query": self.dcql_query(row.field),
            "client_metadata": {
                "vp_formats_supported": {
                    SD_JWT_VC: {"sd-jwt_alg_values": ALGORITHMS, "kb-jwt_alg_values": ALGORITHMS}
                }
            },
            "iat": int(self.clock().timestamp()),
            "exp": int(as_utc(row.expires_at).timestamp()),
        }
        key, method = self.keys.signing_key(None)
        return jose.sign_jws({"typ": REQUEST_TYPE, "kid": method}, claims, key)

    def dcql_query(self, field: str | None) -> dict[str, Any]:
        """Return the DCQL query: one SD-JWT VC of our type, with title, ECTS (and field)."""
        paths = [["title"], ["ects"]] + ([["isced_f"]] if field else [])
        return {
            "credentials": [
                {
                    "id": QUERY_ID,
                    "format": SD_JWT_VC,
                    "meta": {"vct_values": [vct_for(self.base_url)]},
                    "claims": [{"path": path} for path in paths],
                }
            ]
        }

    def receive(self, state: str | None, vp_token: str | None) -> VerificationReport:
        """Return the report on a wallet's answer (direct_post), stored with the request.

        Raises `PresentationRefused` when the answer is not taken at all: no such request,
        expired, or answered before (a replay). Anything else is a report, verified or not.
        """
        if not state or not vp_token:
            raise PresentationRefused("invalid_request", "send both vp_token and state")
        row = self._pending(state)
        with self.db.transaction() as session:
            taken = session.execute(
                sa.update(PresentationRequestRow)
                .where(
                    PresentationRequestRow.id == row.id,
                    PresentationRequestRow.answered_at.is_(None),
                )
                .values(answered_at=self.clock())
            )
            if taken.rowcount != 1:  # type: ignore[attr-defined]
                raise PresentationRefused("invalid_request", "this request was already answered")
        report, disclosed = self._verify(row, vp_token)
        with self.db.transaction() as session:
            stored = session.get(PresentationRequestRow, row.id)
            assert stored is not None
            stored.verified = report.verified
            stored.result = {"report": report.model_dump(mode="json"), "disclosed": disclosed}
        return report

    def result(self, request_id: str) -> dict[str, Any] | None:
        """Return {report, disclosed} once the wallet answered, else None; raises LookupError."""
        with self.db.transaction(write=False) as session:
            row = session.get(PresentationRequestRow, request_id)
            if row is None:
                raise LookupError(f"no presentation request has the id {request_id!r}")
            return row.result

    def _pending(self, request_id: str) -> PresentationRequestRow:
        with self.db.transaction(write=False) as session:
            row = session.get(PresentationRequestRow, request_id)
            if row is None:
                raise PresentationRefused("invalid_request", "no such presentation request")
            if row.answered_at is not None:
                raise PresentationRefused("invalid_request", "this request was already answered")
            if as_utc(row.expires_at) <= self.clock():
                raise PresentationRefused("invalid_request", "this request has expired")
            session.expunge(row)
            return row

    def _verify(
        self, row: PresentationRequestRow, vp_token: str
    ) -> tuple[VerificationReport, dict[str, Any]]:
        presentation = _only_presentation(vp_token)
        if presentation is None:
            check = CheckResult(
                name="parse",
                status=CheckStatus.failed,
                reason=f"vp_token must be {{{QUERY_ID!r}: [one SD-JWT VC presentation]}}",
            )
            return VerificationReport(
                verdict=Verdict.failed, failed_check="parse", checks=[check]
            ), {}
        report, disclosed = self.verifier.verify_sd_jwt_presentation(
            presentation, KeyBinding(audience=self.client_id, nonce=row.nonce), now=self.clock()
        )
        if not report.verified:
            return report, disclosed
        asked = _check_what_was_asked(report, disclosed, row.min_ects, row.field)
        checks = [*report.checks, asked]
        failed = asked.status == CheckStatus.failed
        return (
            VerificationReport(
                verdict=Verdict.failed if failed else report.verdict,
                failed_check="request" if failed else report.failed_check,
                checks=checks,
            ),
            disclosed,
        )


def _only_presentation(vp_token: str) -> str | None:
    try:
        token = json.loads(vp_token)
    except ValueError:
        return None
    presentations = token.get(QUERY_ID) if isinstance(token, dict) else None
    if not isinstance(presentations, list) or len(presentations) != 1:
        return None
    return presentations[0] if isinstance(presentations[0], str) else None


def _check_what_was_asked(
    report: VerificationReport, disclosed: dict[str, Any], min_ects: float, field: str | None
) -> CheckResult:
    def refused(reason: str) -> CheckResult:
        return CheckResult(name="request", status=CheckStatus.failed, reason=reason)

    if report.check("issuer_trust").status != CheckStatus.ok:
        return refused("the issuer is not a trusted issuer here")
    ects = disclosed.get("ects")
    if not isinstance(ects, int | float) or isinstance(ects, bool):
        return refused("the presentation does not disclose the ECTS credits")
    if ects < min_ects:
        return refused(f"{ects:g} ECTS is less than the {min_ects:g} asked for")
    fields = disclosed.get("isced_f")
    if field and not (isinstance(fields, list) and any(str(f).startswith(field) for f in fields)):
        return refused(f"the micro-credential is not in ISCED-F field {field}")
    where = f" in field {field}" if field else ""
    return CheckResult(
        name="request",
        status=CheckStatus.ok,
        reason=f"{ects:g} ECTS{where} from a trusted issuer (at least {min_ects:g} asked)",
    )
