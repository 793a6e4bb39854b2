"""The proof check: every Data Integrity proof verifies (or the vc+jwt signature does), and one
was made with a key of the issuer (of the holder, for a presentation)."""

from __future__ import annotations

from microcred.crypto import data_integrity
from microcred.crypto.jose import JoseError, verify_vc_jwt
from microcred.verify.document import issuer_id
from microcred.verify.parse import jws_part
from microcred.verify.report import CheckResult, failed, ok
from microcred.verify.subject import Subject

NAME = "proof"


def check_proof(subject: Subject) -> CheckResult:
    """Return ok when every proof verifies and was made by the issuer's (holder's) key."""
    if subject.jwt is not None:
        return _check_jwt(subject, subject.jwt)
    results = data_integrity.verify(
        subject.parsed,
        resolve_key=subject.resolve_key,
        expected_purpose=subject.purpose,
        challenge=subject.challenge,
        domain=subject.domain,
    )
    proofs = [
        {
            "suite": r.suite,
            "verificationMethod": r.verification_method,
            "ok": r.ok,
            "reason": r.reason,
        }
        for r in results
    ]
    bad = [r for r in results if not r.ok]
    if bad:
        reasons = "; ".join(f"{r.suite or 'proof'}: {r.reason}" for r in bad)
        return failed(NAME, reasons, proofs=proofs)
    signer_problem = _signer_problem(subject, [r.verification_method for r in results])
    if signer_problem:
        return failed(NAME, signer_problem, proofs=proofs)
    suites = ", ".join(r.suite for r in results)
    count = f"{len(results)} proofs" if len(results) > 1 else "the proof"
    return ok(NAME, f"{count} verified ({suites})", proofs=proofs)


def _check_jwt(subject: Subject, token: str) -> CheckResult:
    try:
        verify_vc_jwt(token, resolve_key=subject.resolve_key)
    except JoseError as error:
        return failed(NAME, f"vc+jwt: {error}")
    kid = _jwt_kid(token)
    problem = _signer_problem(subject, [kid])
    if problem:
        return failed(NAME, problem)
    return ok(NAME, "the vc+jwt signature verified", proofs=[{"suite": "vc+jwt", "kid": kid}])


def _jwt_kid(token: str) -> str:
    return str(jws_part(token, 0).get("kid", ""))


def _signer_problem(subject: Subject, methods: list[str]) -> str | None:
    """Say so when no proof was made with a key of the issuer (of the holder, for a VP)."""
    expected = issuer_id(subject.parsed)
    if expected is None:
        if subject.kind == "credential":
            return "the credential names no issuer, so no key can be the issuer's"
        return None
    signers = list(dict.fromkeys(method.split("#", 1)[0] for method in methods))
    if expected in signers:
        return None
    role = "issuer" if subject.kind == "credential" else "holder"
    return f"signed with a key of {', '.join(signers)}, but the {role} is {expected}"
