"""Verify an SD-JWT VC (`dc+sd-jwt`): the same report, with checks that fit the format.

parse → proof (issuer signature, every disclosure signed for, `kid` one of `iss`'s keys) →
key_binding (the holder's KB-JWT for this verifier's audience and nonce, when one is asked
for) → status → validity → issuer_trust. Status, validity and trust are the W3C checks, run on
a small document made from the verified claims: `iss` as issuer, `nbf`/`exp` as the validity
period, the `status` claim's Bitstring Status List entries as `credentialStatus`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from microcred.crypto.jose import JoseError, SigningKeyUnavailable
from microcred.crypto.sd_jwt import (
    KeyBinding,
    SdJwt,
    SdJwtError,
    VerifiedSdJwt,
    parse_sd_jwt,
    verify_sd_jwt,
)
from microcred.formats.sd_jwt_vc import MEDIA_TYPE, STATUS_MEMBER
from microcred.verify.issuer_trust import check_issuer_trust
from microcred.verify.report import CheckResult, failed, indeterminate, ok, skipped
from microcred.verify.status import check_status
from microcred.verify.subject import Subject
from microcred.verify.validity import check_validity

TECHNICAL_CLAIMS = frozenset({"iss", "iat", "nbf", "exp", "vct", "cnf", "status", "sub"})


def looks_like_sd_jwt(given: Any) -> bool:
    """Return True for text shaped like `jwt~...~`: an SD-JWT rather than a JSON credential."""
    if isinstance(given, bytes):
        given = given.decode("utf-8", errors="replace")
    if not isinstance(given, str) or "~" not in given:
        return False
    first = given.strip().split("~", 1)[0]
    return first.count(".") == 2 and not first.lstrip().startswith("{")


@dataclass
class SdJwtVcChecks:
    """The checks of one SD-JWT VC; after `proof`, `verified` holds the disclosed claims."""

    key_binding: KeyBinding | None = None
    parsed: SdJwt | None = None
    verified: VerifiedSdJwt | None = None
    disclosed_claims: dict[str, Any] = field(default_factory=dict)

    def checks(self) -> list[tuple[str, Any, tuple[str, ...]]]:
        return [
            ("parse", self.check_parse, ()),
            ("proof", self.check_proof, ("parse",)),
            ("key_binding", self.check_key_binding, ("proof",)),
            ("status", check_status, ("proof",)),
            ("validity", check_validity, ("proof",)),
            ("issuer_trust", check_issuer_trust, ("proof",)),
        ]

    def check_parse(self, subject: Subject) -> CheckResult:
        try:
            self.parsed = parse_sd_jwt(_text(subject.given))
        except SdJwtError as error:
            return failed("parse", str(error))
        kb = " and a key-binding JWT" if self.parsed.key_binding_jwt else ""
        count = len(self.parsed.disclosures)
        return ok("parse", f"an SD-JWT with {count} disclosure(s){kb}", format=MEDIA_TYPE)

    def check_proof(self, subject: Subject) -> CheckResult:
        assert self.parsed is not None
        try:
            verified = verify_sd_jwt(
                self.parsed.without_key_binding(),
                typ=MEDIA_TYPE,
                issuer_key_for=lambda header: subject.resolve_key(_kid(header)),
                key_binding=None,
                now=subject.now,
            )
        except SigningKeyUnavailable as error:  # not checked, which is not disproved
            return indeterminate("proof", str(error))
        except (SdJwtError, JoseError) as error:
            return failed("proof", str(error))
        issuer, kid = verified.claims.get("iss"), verified.header.get("kid", "")
        if not isinstance(issuer, str) or kid.split("#", 1)[0] != issuer:
            return failed("proof", f"the signing key {kid!r} is not a key of the issuer {issuer!r}")
        self.verified = verified
        self.disclosed_claims = {
            name: value for name, value in verified.claims.items() if name not in TECHNICAL_CLAIMS
        }
        subject.document = _as_w3c_document(verified.claims)
        return ok(
            "proof",
            f"signed by {kid}; {len(verified.disclosed)} disclosed claim(s) match signed digests",
            disclosed=list(verified.disclosed),
        )

    def check_key_binding(self, subject: Subject) -> CheckResult:
        assert self.parsed is not None
        if self.key_binding is None:
            if self.parsed.key_binding_jwt is not None:
                return skipped("key_binding", "a key-binding JWT was sent but no nonce was asked")
            return skipped("key_binding", "no presentation was asked for (no nonce, no audience)")
        try:
            verify_sd_jwt(
                _text(subject.given),
                typ=MEDIA_TYPE,
                issuer_key_for=lambda header: subject.resolve_key(_kid(header)),
                key_binding=self.key_binding,
                now=subject.now,
            )
        except (SdJwtError, JoseError) as error:
            return failed("key_binding", str(error))
        return ok("key_binding", "the holder's key signed this presentation for this request")


def _text(given: Any) -> str:
    return given.decode("utf-8") if isinstance(given, bytes) else str(given)


def _kid(header: dict[str, Any]) -> str:
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid:
        raise LookupError("the header has no kid naming the issuer's key")
    return kid


def _as_w3c_document(claims: dict[str, Any]) -> dict[str, Any]:
    document: dict[str, Any] = {"issuer": {"id": claims.get("iss")}}
    body = claims.get("awarding_body")
    if isinstance(body, dict) and isinstance(body.get("name"), str):
        document["issuer"]["name"] = body["name"]
    for claim, key in (("nbf", "validFrom"), ("exp", "validUntil")):
        if isinstance(claim_value := claims.get(claim), int | float):
            moment = datetime.fromtimestamp(claim_value, UTC)
            document[key] = moment.isoformat().replace("+00:00", "Z")
    status = claims.get("status")
    if isinstance(status, dict) and STATUS_MEMBER in status:
        document["credentialStatus"] = status[STATUS_MEMBER]
    return document
