"""The proof check: every Data Integrity proof verifies (or the vc+jwt signature does).

Whose keys made them is the issuer binding check's question (verify/issuer_binding.py).
"""

from __future__ import annotations

from microcred.crypto import data_integrity
from microcred.crypto.jose import JoseError, verify_vc_jwt
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
    subject.proof_methods = [r.verification_method for r in results]
    suites = ", ".join(r.suite for r in results)
    count = f"{len(results)} proofs" if len(results) > 1 else "the proof"
    return ok(NAME, f"{count} verified ({suites})", proofs=proofs)


def _check_jwt(subject: Subject, token: str) -> CheckResult:
    try:
        verify_vc_jwt(token, resolve_key=subject.resolve_key)
    except JoseError as error:
        return failed(NAME, f"vc+jwt: {error}")
    kid = _jwt_kid(token)
    subject.proof_methods = [kid]
    return ok(NAME, "the vc+jwt signature verified", proofs=[{"suite": "vc+jwt", "kid": kid}])


def _jwt_kid(token: str) -> str:
    return str(jws_part(token, 0).get("kid", ""))
