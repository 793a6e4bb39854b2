"""The seal check of a Europass EDC: its JAdES seal is intact, and whether the sealer is trusted.

An intact seal whose certificate does not chain to the seal trust store reads as `untrusted`
(like an unknown issuer), never as a forgery; a broken seal fails. The trust store is a
folder of PEM root certificates, the ``seal_trust_dir`` setting unless the caller gives
its own, plus the CA services of the EU trusted lists `microcred trust refresh` keeps. The
trusted-list verdict says "qualified seal by <TSP>, <country>" when a granted qualified CA
for e-seals issued a certificate that claims to be a qualified seal, "advanced seal, trusted"
when the chain is trusted otherwise, else "untrusted".
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from cryptography import x509

from microcred.config import current_settings, trusted_list_folder
from microcred.crypto import jades, jades_levels, trusted_list
from microcred.crypto.trusted_list import TrustedLists
from microcred.crypto.x509_seal import load_trust_roots
from microcred.verify.parse import read_input
from microcred.verify.report import CheckResult, CheckStatus, failed, ok
from microcred.verify.subject import Subject

NAME = "seal"


def default_seal_roots() -> list[x509.Certificate]:
    """Return the roots in the folder the ``seal_trust_dir`` setting names (none when unset)."""
    folder = current_settings().seal_trust_dir
    return load_trust_roots(folder) if folder else []


def default_trusted_lists() -> TrustedLists:
    """Return the EU trusted lists kept in the ``trusted_list_dir`` folder (none when no LOTL
    signer is pinned, or nothing was fetched yet)."""
    settings = current_settings()
    if not settings.trusted_list_signers:
        return TrustedLists(None, [])
    lotl = trusted_list_folder(settings) / trusted_list.LOTL_FILE
    stamp = lotl.stat().st_mtime_ns if lotl.is_file() else 0
    return _loaded_lists(str(lotl.parent), settings.trusted_list_signers, stamp)


@functools.lru_cache(maxsize=2)
def _loaded_lists(folder: str, signers: str, _changed: int) -> TrustedLists:
    """Return the verified lists of ``folder``, kept until the LOTL file changes: verifying
    a list's XML signature takes far longer than a seal check."""
    try:
        return trusted_list.load_cache(Path(folder), trusted_list.pinned_signers(signers))
    except trusted_list.TrustedListError:
        return TrustedLists(None, [])


def check_seal(
    subject: Subject, roots: list[x509.Certificate], lists: TrustedLists | None = None
) -> CheckResult:
    """Return ok for an intact seal by a trusted sealer; `untrusted` when only intact."""
    outer, _ = read_input(subject.given)
    if not jades.is_jades(outer):
        return failed(NAME, "the EDC is not sealed: an unsigned credential proves nothing")
    lists = default_trusted_lists() if lists is None else lists
    try:
        found = jades.verify(outer, [*roots, *lists.anchors], now=subject.now)
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
        "trusted_list": _trusted_list_verdict(outer, found, lists),
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
        f"JAdES {found.level} seal intact, {details['trusted_list']}; sealed by {found.sealer} "
        f"with {qualified} e-seal certificate that chains to the trust store and was valid at "
        f"{moment}",
        **details,
    )


def _trusted_list_verdict(
    sealed: dict[str, Any], found: jades.JadesVerification, lists: TrustedLists
) -> str:
    """Return the verdict a verifier reads first: qualified, advanced and trusted, or not."""
    if not found.sealer_trusted:
        return "untrusted"
    chain = jades_levels.certificate_chain(sealed["signatures"][0])
    listed = trusted_list.seal_verdict(chain, lists, claims_qualified=found.qualified)
    return listed or "advanced seal, trusted (seal trust store)"
