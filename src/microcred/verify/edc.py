"""The checks of a Europass EDC, as EDCI reports them: format, seal, expiry, revocation,
accreditation, plus microcred's EU-profile compliance.

parse (and unwrap the sealed payload) → contexts → format (SHACL) → seal → status →
expiry → accreditation (the trusted-issuer registry) → eu_profile.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from cryptography import x509

from microcred.crypto import jades
from microcred.formats.elm.importer import ElmImportError, is_elm_credential, specification_from_elm
from microcred.formats.elm.shacl import EdcNotReadable, profile_of, validate_edc
from microcred.verify.contexts import check_contexts
from microcred.verify.eu_profile import judge_specification
from microcred.verify.issuer_trust import check_issuer_trust
from microcred.verify.parse import Unparseable, parse_json_object, read_input
from microcred.verify.report import CheckResult, CheckStatus, failed, ok, skipped
from microcred.verify.seal import check_seal
from microcred.verify.shape import parse_date_time
from microcred.verify.status import check_status
from microcred.verify.subject import Subject

Check = Callable[[Subject], CheckResult]


def looks_like_edc(given: Any) -> bool:
    """True when the input reads as a Europass EDC, sealed or not."""
    if isinstance(given, dict):  # its shape is the parse check's business, not the dispatch's
        return is_elm_credential(given)
    try:
        document, jwt = read_input(given)
    except Unparseable:
        return False
    return jwt is None and is_elm_credential(document)


def edc_checks(roots: list[x509.Certificate]) -> list[tuple[str, Check, tuple[str, ...]]]:
    """Return the named EDC checks in order, the seal check trusting ``roots``."""
    return [
        ("parse", check_edc_parse, ()),
        ("contexts", check_contexts, ("parse",)),
        ("format", check_format, ("contexts",)),
        ("seal", functools.partial(check_seal, roots=roots), ("parse",)),
        ("status", _after_intact_seal(check_status), ("parse",)),
        ("validity", check_expiry, ("parse",)),
        ("accreditation", _after_intact_seal(check_accreditation), ("parse",)),
        ("eu_profile", check_edc_eu_profile, ("parse",)),
    ]


def _after_intact_seal(check: Check) -> Check:
    """Return ``check`` run only once the seal is intact (trusted sealer or not)."""

    @functools.wraps(check)
    def checked(subject: Subject) -> CheckResult:
        seal = subject.results.get("seal")
        if seal is None or seal.status not in (CheckStatus.ok, CheckStatus.untrusted):
            return skipped(_NAMES[check], "not checked: the seal is not intact")
        return check(subject)

    return checked


def check_edc_parse(subject: Subject) -> CheckResult:
    """Return ok for an EDC object or a JAdES-sealed file; `document` becomes the credential."""
    try:
        outer, _ = read_input(subject.given)
        if jades.is_jades(outer):
            subject.document = parse_json_object(jades.payload_of(outer))
            return ok("parse", "a JAdES-sealed EDC whose payload is a JSON object", format="edc")
    except Unparseable as error:
        return failed("parse", f"the sealed payload: {error}")
    subject.document = outer
    return ok("parse", "an unsealed EDC (a JSON object)", format="edc")


def check_format(subject: Subject) -> CheckResult:
    """Return ok when the credential conforms to the SHACL profile it names (EDCI's format)."""
    profile = profile_of(subject.parsed)
    try:
        report = validate_edc(subject.parsed, profile)
    except EdcNotReadable as error:
        return failed("format", f"the credential cannot be read as RDF: {error}")
    details = {
        "profile": profile,
        "seconds": round(report.seconds, 3),
        "failures": [
            {
                "focus_node": f.focus_node,
                "path": f.path,
                "severity": f.severity,
                "message": f.message,
                "value": f.value,
            }
            for f in report.failures
        ],
    }
    if report.conforms:
        return ok("format", report.summary(), **details)
    return failed("format", report.summary(), **details)


def check_expiry(subject: Subject) -> CheckResult:
    """Return ok when ``now`` lies between validFrom and validUntil (or expirationDate)."""
    document = subject.parsed
    bounds = {}
    for key in ("validFrom", "validUntil", "expirationDate"):
        if key in document:
            moment = parse_date_time(document[key], zone_required=True)
            if moment is None:
                return failed("validity", f"{key} is not a date-time with a time zone")
            bounds[key] = moment
    start = bounds.get("validFrom")
    end = bounds.get("validUntil") or bounds.get("expirationDate")
    now = subject.now
    if start is not None and now < start:
        return failed("validity", f"not valid before {document['validFrom']}")
    if end is not None and now > end:
        return failed("validity", f"expired at {end.isoformat()}")
    return ok("validity", "not expired" if end else "valid, with no expiry date")


def check_accreditation(subject: Subject) -> CheckResult:
    """Return the issuer's standing in the trusted-issuer registry (EDCI's accreditation)."""
    result = check_issuer_trust(subject)
    return result.model_copy(update={"name": "accreditation"})


def check_edc_eu_profile(subject: Subject) -> CheckResult:
    """Return the EU-profile verdict on what the EDC says about the micro-credential."""
    try:
        spec = specification_from_elm(subject.parsed)
    except (ElmImportError, ValueError) as error:
        return CheckResult(
            name="eu_profile",
            status=CheckStatus.warning,
            reason=f"the claim cannot be read as a micro-credential: {error}",
        )
    return judge_specification(spec, subject)


_NAMES: dict[Check, str] = {check_status: "status", check_accreditation: "accreditation"}
