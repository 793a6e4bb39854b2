"""The proof check: every Data Integrity proof verifies (or the vc+jwt signature does).

Whose keys made them is the issuer binding check's question (verify/issuer_binding.py).
"""

from __future__ import annotations

from typing import Any

from microcred.crypto import data_integrity
from microcred.crypto.did_key import did_key_for
from microcred.crypto.jose import (
    CREDENTIAL_TYPES,
    JoseError,
    SigningKeyUnavailable,
    read_with_embedded_key,
    verify_vc_jwt,
)
from microcred.crypto.keys import PublicKey
from microcred.i18n import N_
from microcred.verify.document import issuer_id
from microcred.verify.parse import jws_part
from microcred.verify.report import CheckResult, Said, failed, indeterminate, ok, said
from microcred.verify.subject import Subject

NAME = "proof"

# Why a proof is not ok, in words a verifier without cryptography reads (data_integrity's
# PROOF_PROBLEM_KINDS); the technical reason stays in the result's details.
PROOF_PROBLEMS = {
    "missing": N_("the credential carries no signature, so nothing proves who issued it"),
    "mismatch": N_("the signature does not match: the credential was changed after it was signed"),
    "unreadable": N_("the signature is damaged or of a kind this verifier cannot check"),
    "purpose": N_("the signature was made for another purpose or request, not for this one"),
    "key": N_("the key the signature names cannot be found, so the signature cannot be checked"),
    "key_unavailable": N_(
        "the issuer's key could not be fetched just now, so the signature could not be checked"
    ),
    "stopped": N_("checking the signature took too long and was stopped"),
}


def check_proof(subject: Subject) -> CheckResult:
    """Return ok when every proof verifies and was made by the issuer's (holder's) key.

    A proof that could not be checked (its key not fetched, the budget run out) makes the
    check indeterminate, unless another proof plainly failed.
    """
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
        technical = "; ".join(f"{r.suite or 'proof'}: {r.reason}" for r in bad)
        if all(r.unchecked for r in bad):
            return indeterminate(NAME, _problem(bad), proofs=proofs, technical=technical)
        plain = _problem([r for r in bad if not r.unchecked])
        return failed(NAME, plain, proofs=proofs, technical=technical)
    subject.proof_methods = [r.verification_method for r in results]
    suites = ", ".join(r.suite for r in results)
    if len(results) > 1:
        reason = said(
            N_("%(count)s proofs verified (%(suites)s)"), count=len(results), suites=suites
        )
    else:
        reason = said(N_("the proof verified (%(suites)s)"), suites=suites)
    return ok(NAME, reason, proofs=proofs)


def _check_jwt(subject: Subject, token: str) -> CheckResult:
    header = jws_part(token, 0)
    if "kid" not in header and "jwk" in header:
        return _check_embedded_key_jwt(subject, token, header["jwk"])
    try:
        verify_vc_jwt(token, resolve_key=subject.resolve_key)
    except SigningKeyUnavailable as error:
        return indeterminate(NAME, said(PROOF_PROBLEMS["key_unavailable"]), technical=str(error))
    except JoseError as error:
        return failed(NAME, said(_JWT_PROBLEM), technical=f"vc+jwt: {error}")
    kid = _jwt_kid(token)
    subject.proof_methods = [kid]
    return ok(
        NAME, said(N_("the vc+jwt signature verified")), proofs=[{"suite": "vc+jwt", "kid": kid}]
    )


def _check_embedded_key_jwt(subject: Subject, token: str, jwk: Any) -> CheckResult:
    """Return ok only when the key the JWT carries (Open Badges 3.0 `jwk`) is the issuer's own
    did:key; any other embedded key verifies the signature but proves nothing about who made it."""
    try:
        read_with_embedded_key(token, typ=CREDENTIAL_TYPES)
    except JoseError as error:
        return failed(NAME, said(_JWT_PROBLEM), technical=f"vc+jwt: {error}")
    proofs = [{"suite": "vc+jwt", "jwk": jwk}]
    issuer = issuer_id(subject.parsed)
    if issuer is not None and issuer == _did_key_of(jwk):
        subject.proof_methods = [issuer]  # the issuer_binding check reads who signed
        return ok(
            NAME, said(N_("the vc+jwt signature verified with the issuer's did:key")), proofs=proofs
        )
    return failed(
        NAME,
        said(
            N_(
                "the signature verifies only with a key the file itself carries, and nothing "
                "ties that key to the issuer: anyone can put a key of their own there"
            )
        ),
        proofs=proofs,
        key_bound_to_issuer=False,
    )


# A vc+jwt whose signature cannot be checked or does not match, in one sentence.
_JWT_PROBLEM = N_("the vc+jwt signature does not match, or the token is damaged")


def _problem(bad: list[data_integrity.ProofResult]) -> Said:
    """Return the plain reason of the first failed proof (every proof is in the details)."""
    kind = next((r.kind for r in bad if r.kind in PROOF_PROBLEMS), "unreadable")
    return said(PROOF_PROBLEMS[kind])


def _did_key_of(jwk: Any) -> str | None:
    try:
        return did_key_for(PublicKey.from_jwk(jwk))
    except ValueError:
        return None  # an RSA key, or one did:key cannot express


def _jwt_kid(token: str) -> str:
    return str(jws_part(token, 0).get("kid", ""))
