"""The seal check of a Europass EDC: its JAdES seal is intact, and whether the sealer is trusted.

An intact seal whose certificate does not chain to the seal trust store reads as `untrusted`
(like an unknown issuer), never as a forgery; a broken seal fails. The trust store is a
folder of PEM root certificates, the ``seal_trust_dir`` setting unless the caller gives
its own. EU trusted lists (XML) are not read.
"""

from __future__ import annotations

from cryptography import x509

from microcred.config import current_settings
from microcred.crypto import jades
from microcred.crypto.x509_seal import load_trust_roots
from microcred.verify.parse import read_input
from microcred.verify.report import CheckResult, CheckStatus, failed, ok
from microcred.verify.subject import Subject

NAME = "seal"


def default_seal_roots() -> list[x509.Certificate]:
    """Return the roots in the folder the ``seal_trust_dir`` setting names (none when unset)."""
    folder = current_settings().seal_trust_dir
    return load_trust_roots(folder) if folder else []


def check_seal(subject: Subject, roots: list[x509.Certificate]) -> CheckResult:
    """Return ok for an intact seal by a trusted sealer; `untrusted` when only intact."""
    outer, _ = read_input(subject.given)
    if not jades.is_jades(outer):
        return failed(NAME, "the EDC is not sealed: an unsigned credential proves nothing")
    try:
        found = jades.verify(outer, roots, now=subject.now)
    except jades.JadesError as error:
        return failed(NAME, str(error))
    details = {
        "seal_intact": found.seal_intact,
        "sealer_trusted": found.sealer_trusted,
        "sealer": found.sealer,
        "organisation_identifier": found.organisation_identifier,
        "signing_time": found.signing_time.isoformat() if found.signing_time else None,
        "algorithm": found.algorithm,
        "qualified_certificate": found.qualified,
        "chain": found.chain,
        "signature_valid": found.signature_valid,
        "judged_at": found.judged_at.isoformat() if found.judged_at else None,
        "baseline_level": found.level,
        "proof_of_existence": found.judged_at.isoformat()
        if found.level != "B-B" and found.judged_at
        else None,
        "revocation": [
            {"certificate": r.certificate, "status": r.status, "source": r.source}
            for r in found.revocation
        ],
        "archive_time": found.archive_time.isoformat() if found.archive_time else None,
        "timestamps": [
            {
                "kind": stamp.kind,
                "time": stamp.time.isoformat() if stamp.time else None,
                "authority": stamp.authority,
                "authority_trusted": stamp.trusted,
                "problem": stamp.problem,
            }
            for stamp in found.timestamps
        ],
    }
    if not found.seal_intact:
        verdict = "seal not accepted" if found.signature_valid else "seal broken"
        return failed(NAME, f"{verdict}: {found.reason}", **details)
    qualified = "a qualified" if found.qualified else "a non-qualified"
    if not found.sealer_trusted:
        return CheckResult(
            name=NAME,
            status=CheckStatus.untrusted,
            reason=f"seal intact, but the sealer is not trusted: {found.reason}",
            details=details,
        )
    moment = "the time of verifying"
    if found.level != "B-B":
        moment = (
            f"the time of its trusted signature time-stamp ({found.judged_at:%Y-%m-%d %H:%M} UTC)"
        )
    return ok(
        NAME,
        f"JAdES {found.level} seal intact; sealed by {found.sealer} with {qualified} e-seal "
        f"certificate that chains to the trust store and was valid at {moment}",
        **details,
    )
