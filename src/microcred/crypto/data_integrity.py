"""W3C Data Integrity proofs: add a proof to a document, and check every proof on one.

The generic algorithm: the proof configuration is the proof without `proofValue`, carrying the
document's `@context`; the signed bytes are hash(canonical proof configuration) followed by
hash(canonical document without its proofs); `proofValue` is the signature in multibase
base58btc. Several proofs form a proof set; a proof naming `previousProof` signs the document
together with the proofs it names (a proof chain).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from microcred.crypto.base58 import multibase_decode, multibase_encode
from microcred.crypto.did_document import KeyUnavailable, UnresolvableKey
from microcred.crypto.keys import PrivateKey, PublicKey
from microcred.crypto.rdfc import CanonicalizationTooComplex
from microcred.crypto.suites import Cryptosuite
from microcred.crypto.suites.registry import suite_named, suite_of_proof
from microcred.deadline import DeadlineExceeded
from microcred.formats.jsonld import DocumentTooComplex, UnknownContext, UnsafeDocument

VC_V1_CONTEXT = "https://www.w3.org/2018/credentials/v1"
DATA_INTEGRITY_CONTEXT = "https://w3id.org/security/data-integrity/v2"
_CANONICALISATION_ERRORS = (
    UnknownContext,
    UnsafeDocument,
    CanonicalizationTooComplex,
    ValueError,
    TypeError,
)


class SigningError(ValueError):
    """The document cannot be signed as asked; the message says what to fix."""


@dataclass(frozen=True)
class ProofResult:
    """The outcome of checking one proof of a document."""

    suite: str
    verification_method: str
    ok: bool
    reason: str
    # Not ok because it could not be checked (key not fetched, budget run out), not disproved.
    unchecked: bool = False
    # What went wrong, for a reader who is not a cryptographer: one of PROBLEM_KINDS ("" if ok).
    kind: str = ""


# Why a proof is not ok, as a verifier explains it to a person: no proof at all; the signature
# does not match; a proof this verifier cannot read or use; a proof made for another purpose or
# request; its key not found; its key not fetched now; the work stopped for its budget.
PROOF_PROBLEM_KINDS = (
    "missing",
    "mismatch",
    "unreadable",
    "purpose",
    "key",
    "key_unavailable",
    "stopped",
)


def now_utc() -> str:
    """Return the current time as an XML Schema dateTime in UTC with `Z`, to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _proofs_of(document: dict[str, Any]) -> list[dict[str, Any]]:
    proof = document.get("proof")
    if proof is None:
        return []
    return list(proof) if isinstance(proof, list) else [proof]


def _without_proofs(document: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in document.items() if key != "proof"}


def _with_context_for(document: dict[str, Any], suite: Cryptosuite) -> dict[str, Any]:
    """VC 1.1 documents need the Data Integrity context for `DataIntegrityProof` terms."""
    contexts = document.get("@context")
    if suite.proof_type != "DataIntegrityProof" or not isinstance(contexts, list):
        return document
    if VC_V1_CONTEXT in contexts and DATA_INTEGRITY_CONTEXT not in contexts:
        return {**document, "@context": [*contexts, DATA_INTEGRITY_CONTEXT]}
    return document


def signing_input(
    unsecured: dict[str, Any], proof_config: dict[str, Any], suite: Cryptosuite, key_algorithm: str
) -> bytes:
    """Return hash(canonical proof config) || hash(canonical document), the signed bytes."""
    config = {key: value for key, value in proof_config.items() if key != "proofValue"}
    if "@context" in unsecured:
        config["@context"] = unsecured["@context"]
    hash_ = suite.hash_for(key_algorithm)
    return hash_(suite.canonicalize(config)) + hash_(suite.canonicalize(unsecured))


def _chained(document: dict[str, Any], previous: Any) -> dict[str, Any]:
    """Return the unsecured document a chained proof signs: it plus the proofs it names."""
    unsecured = _without_proofs(document)
    if previous is None:
        return unsecured
    wanted = [previous] if isinstance(previous, str) else list(previous)
    named = [p for p in _proofs_of(document) if p.get("id") in wanted]
    if len(named) != len(wanted):
        raise SigningError(f"previousProof names proofs that are not in the document: {wanted}")
    unsecured["proof"] = named
    return unsecured


def sign(
    document: dict[str, Any],
    key: PrivateKey,
    *,
    suite: str,
    verification_method: str,
    created: str | None = None,
    proof_purpose: str = "assertionMethod",
    challenge: str | None = None,
    domain: str | list[str] | None = None,
    proof_id: str | None = None,
    previous_proof: str | list[str] | None = None,
    mandatory_pointers: list[str] | None = None,
) -> dict[str, Any]:
    """Return a copy of `document` with one more proof; an existing proof becomes a proof set.

    `mandatory_pointers` (JSON pointers) name what every proof derived from an ecdsa-sd-2023
    base proof must reveal; other suites take none.

    The copy is shallow: `document` itself is never changed, but the returned document shares
    its nested objects (copying a 12 KB credential would cost more than signing it).

    Raises `SigningError` for a suite that cannot sign with this key, `PointerError` for a
    mandatory pointer that names nothing, and `UnsafeDocument` / `UnknownContext` for a
    document whose JSON-LD would not be fully signed.
    """
    chosen = suite_named(suite)
    if not chosen.can_sign:
        raise SigningError(f"{suite} is accepted for verification only; sign with eddsa-rdfc-2022")
    if key.algorithm not in chosen.key_algorithms:
        raise SigningError(
            f"{suite} needs a {' or '.join(chosen.key_algorithms)} key, got {key.algorithm}"
        )
    secured = _with_context_for(dict(document), chosen)
    proof: dict[str, Any] = {"type": chosen.proof_type}
    if proof_id:
        proof["id"] = proof_id
    if chosen.proof_type == "DataIntegrityProof":
        proof["cryptosuite"] = chosen.name
    proof["created"] = created or now_utc()
    proof["verificationMethod"] = verification_method
    proof["proofPurpose"] = proof_purpose
    if challenge is not None:
        proof["challenge"] = challenge
    if domain is not None:
        proof["domain"] = domain
    if previous_proof is not None:
        proof["previousProof"] = previous_proof
    unsecured = _chained(secured, previous_proof)
    proof["proofValue"] = _proof_value(unsecured, proof, chosen, key, mandatory_pointers)
    existing = _proofs_of(secured)
    secured["proof"] = [*existing, proof] if existing else proof
    return secured


def _proof_value(
    unsecured: dict[str, Any],
    proof: dict[str, Any],
    suite: Cryptosuite,
    key: PrivateKey,
    mandatory_pointers: list[str] | None,
) -> str:
    """Return the proofValue of `proof` (adding `@context` to it where the suite keeps one)."""
    if suite.create_proof_value is not None:
        return suite.create_proof_value(unsecured, proof, key, mandatory_pointers or [])
    if mandatory_pointers:
        raise SigningError(f"{suite.name} takes no mandatoryPointers; they are for ecdsa-sd-2023")
    data = signing_input(unsecured, proof, suite, key.algorithm)
    if suite.proof_config_keeps_context and "@context" in unsecured:
        proof["@context"] = unsecured["@context"]
    return multibase_encode(key.sign(data))


def verify(
    document: dict[str, Any],
    *,
    resolve_key: Callable[[str], PublicKey],
    expected_purpose: str = "assertionMethod",
    challenge: str | None = None,
    domain: str | None = None,
) -> list[ProofResult]:
    """Return one result per proof on `document`; the document is intact only if all are ok.

    A document with no proof gives a single failed result.
    """
    if not isinstance(document, dict):
        return [ProofResult("", "", False, "the document is not a JSON object", kind="unreadable")]
    proofs = _proofs_of(document)
    if not proofs:
        return [ProofResult("", "", False, "the document has no proof", kind="missing")]
    return [
        _verify_one(document, proof, resolve_key, expected_purpose, challenge, domain)
        for proof in proofs
    ]


def _verify_one(
    document: dict[str, Any],
    proof: Any,
    resolve_key: Callable[[str], PublicKey],
    expected_purpose: str,
    challenge: str | None,
    domain: str | None,
) -> ProofResult:
    if not isinstance(proof, dict):
        return ProofResult("", "", False, "a proof must be a JSON object", kind="unreadable")
    method = str(proof.get("verificationMethod", ""))
    try:
        suite = suite_of_proof(proof)
    except ValueError as error:
        return ProofResult(
            str(proof.get("cryptosuite") or proof.get("type")),
            method,
            False,
            str(error),
            kind="unreadable",
        )

    def fail(reason: str, kind: str) -> ProofResult:
        return ProofResult(suite.name, method, False, reason, kind=kind)

    def unchecked(reason: str, kind: str) -> ProofResult:
        return ProofResult(suite.name, method, False, reason, unchecked=True, kind=kind)

    problem = _proof_options_problem(proof, expected_purpose, challenge, domain)
    if problem:
        return fail(problem, "purpose")
    if suite.proof_config_keeps_context and proof.get(
        "@context", document.get("@context")
    ) != document.get("@context"):
        return fail("the proof's @context differs from the document's", "mismatch")
    try:
        key = resolve_key(method)
    except KeyUnavailable as error:
        return unchecked(f"verification method cannot be resolved: {error}", "key_unavailable")
    except (UnresolvableKey, ValueError, LookupError) as error:
        return fail(f"verification method cannot be resolved: {error}", "key")
    if key.algorithm not in suite.key_algorithms:
        return fail(f"{suite.name} does not take {key.algorithm} keys", "unreadable")
    try:
        unsecured = _chained(document, proof.get("previousProof"))
        return _signature_result(unsecured, proof, suite, key, method)
    except SigningError as error:
        return fail(str(error), "unreadable")
    except (CanonicalizationTooComplex, DocumentTooComplex) as error:
        return unchecked(f"canonicalisation refused: {error}", "stopped")
    except DeadlineExceeded as error:
        return unchecked(f"verification stopped: {error}", "stopped")
    except _CANONICALISATION_ERRORS as error:
        return fail(f"the document cannot be canonicalised: {error}", "unreadable")


def _signature_result(
    unsecured: dict[str, Any],
    proof: dict[str, Any],
    suite: Cryptosuite,
    key: PublicKey,
    method: str,
) -> ProofResult:
    """Check the proof's signature(s) over `unsecured`; canonicalisation errors propagate."""
    problem: str | None = None
    if suite.verify_proof is not None:
        problem = suite.verify_proof(unsecured, proof, key)
    else:
        try:
            signature = multibase_decode(str(proof.get("proofValue", "")))
        except ValueError as error:
            return ProofResult(
                suite.name,
                method,
                False,
                f"proofValue is not multibase base58btc: {error}",
                kind="unreadable",
            )
        if not key.verify(signature, signing_input(unsecured, proof, suite, key.algorithm)):
            problem = "the signature does not match: the document or its proof was changed"
    if problem:
        return ProofResult(suite.name, method, False, problem, kind="mismatch")
    return ProofResult(suite.name, method, True, "signature verified")


def _proof_options_problem(
    proof: dict[str, Any], expected_purpose: str, challenge: str | None, domain: str | None
) -> str | None:
    if proof.get("proofPurpose") != expected_purpose:
        return f"proofPurpose is {proof.get('proofPurpose')!r}, expected {expected_purpose!r}"
    if not proof.get("verificationMethod"):
        return "the proof names no verificationMethod"
    if challenge is not None and proof.get("challenge") != challenge:
        return "the proof's challenge does not match the one this verifier issued"
    if domain is not None:
        domains = proof.get("domain")
        domains = [domains] if isinstance(domains, str) else (domains or [])
        if domain not in domains:
            return f"the proof is not for domain {domain!r}"
    expires = proof.get("expires")
    if isinstance(expires, str) and expires < now_utc():
        return f"the proof expired at {expires}"
    return None
