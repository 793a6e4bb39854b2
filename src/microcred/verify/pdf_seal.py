"""The seal check of a PDF certificate: its PAdES seal, reported apart from the credential inside.

`check_pdf_seal` gives one `CheckResult` named ``pdf_seal``: ok for an intact seal, followed by
nothing but validation data and time-stamps, by a sealer whose chain reaches the seal trust
store and was not revoked by then; `untrusted` when intact but not trusted; failed when the PDF
is unsealed, changed after sealing, sealed by a revoked certificate, or not a PDF. Its details
say the baseline level reached (PAdES B-B, B-T, B-LT, B-LTA), the sealer and its chain, the
proof of existence (a trusted signature time-stamp's time, else the time the sealer claims,
marked as such), the revocation data used, the archive time, and the trusted-list verdict.

As for EDC seals, the sealer's certificate is judged at a trusted time-stamp's time, else at
the time of verifying; the time-stamp's authority is judged at the earliest time the archive
time-stamps prove (`pades_long_term.archive_time`), else now. Nothing is fetched: revocation
data that is not in the file is not looked for.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel

from microcred.crypto import pades_long_term
from microcred.crypto.pades import off_the_event_loop
from microcred.crypto.revocation import RevocationFinding
from microcred.crypto.trusted_list import TrustedLists, seal_verdict
from microcred.crypto.x509_seal import claims_qualified_seal
from microcred.verify.report import CheckResult, CheckStatus, failed, ok
from microcred.verify.seal import default_seal_roots, default_trusted_lists

NAME = "pdf_seal"
MAX_PDF_BYTES = 20 * 1024 * 1024
PADES_SUBFILTER = "/ETSI.CAdES.detached"


def check_pdf_seal(
    pdf: bytes, roots: list[x509.Certificate] | None = None, *, now: datetime | None = None
) -> CheckResult:
    """Return the verdict on the (last) PAdES seal of ``pdf``; never raises for bad input.

    ``roots`` default to those of EDC seals: the ``seal_trust_dir`` folder and the CA services
    of the EU trusted lists kept by `microcred trust refresh`.
    """
    if len(pdf) > MAX_PDF_BYTES:
        return failed(NAME, f"the PDF is larger than {MAX_PDF_BYTES // (1024 * 1024)} MB")
    if not pdf.startswith(b"%PDF-"):
        return failed(NAME, "not a PDF file")
    moment = now or datetime.now(UTC)
    lists = default_trusted_lists() if roots is None else TrustedLists(None, [])
    trusted_roots = [*(default_seal_roots() if roots is None else roots), *lists.anchors]
    try:
        return _check(pdf, trusted_roots, moment, lists)
    # A hostile file can break a PDF parser in many ways; each is the same finding for the user.
    except Exception as error:  # noqa: BLE001
        return failed(NAME, f"the PDF cannot be read: {type(error).__name__}: {error}"[:300])


def _check(
    pdf: bytes, roots: list[x509.Certificate], now: datetime, lists: TrustedLists
) -> CheckResult:
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    signatures = list(reader.embedded_regular_signatures)
    if not signatures:
        return failed(NAME, "the PDF carries no seal: nothing proves who issued it")
    embedded = signatures[-1]
    anchors = [
        asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER)) for c in roots
    ]
    archive = pades_long_term.archive_time(reader, embedded, anchors, now)
    # The signature time-stamp's authority is judged when the archive time-stamps prove it existed.
    stamp_at = archive.time or now
    status = _validate(embedded, anchors, now, stamp_at)
    stamp = status.timestamp_validity
    stamped = stamp is not None and stamp.intact and stamp.valid and stamp.trusted
    judged_at = stamp.timestamp if stamped and stamp is not None else now
    if stamped:  # judge the sealer at the proof of existence instead
        status = _validate(embedded, anchors, judged_at, stamp_at)
    long_term = _long_term(reader, embedded, roots, judged_at)
    pades = embedded.sig_object.get("/SubFilter") == PADES_SUBFILTER
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    level = _level(pades=pades, stamped=stamped, long_term=long_term, archive=archive)
    details = _details(status, level=level, stamped=stamped, whole=whole)
    details |= _long_term_details(long_term, archive, judged_at)
    details["trusted_list"] = _trusted_list_verdict(status, lists)
    if not (status.intact and status.valid):
        return failed(NAME, "seal broken: the PDF was changed after it was sealed", **details)
    if not whole and not status.docmdp_ok:  # only validation data and time-stamps may follow
        return failed(NAME, "the PDF was changed after it was sealed", **details)
    revoked = next((f for f in long_term.findings if f.status == "revoked"), None)
    if revoked is not None and status.trusted:
        reason = f"{level} seal intact, but {revoked.certificate} was revoked by then"
        return failed(NAME, f"{reason} ({revoked.source})", **details)
    if not status.trusted:
        return CheckResult(
            name=NAME,
            status=CheckStatus.untrusted,
            reason=f"{level} seal intact, but the sealer is not trusted: "
            f"{status.trust_problem_indic or 'no path to the seal trust store'}",
            details=details,
        )
    return ok(NAME, f"{level} seal intact; sealed by {details['signer']}", **details)


@dataclass(frozen=True)
class _LongTerm:
    """The seal chain as the file carries it and what the DSS says of each certificate."""

    chain: list[x509.Certificate]
    data: pades_long_term.ValidationData
    findings: list[RevocationFinding]


def _long_term(
    reader: PdfFileReader, embedded: Any, roots: list[x509.Certificate], at: datetime
) -> _LongTerm:
    data = pades_long_term.validation_data(reader)
    certificates = embedded.other_embedded_certs[: pades_long_term.MAX_DSS_ENTRIES]  # a budget
    carried = [x509.load_der_x509_certificate(c.dump()) for c in certificates]
    leaf = x509.load_der_x509_certificate(embedded.signer_cert.dump())
    chain = pades_long_term.seal_chain(leaf, [*carried, *data.certificates, *roots])
    findings = pades_long_term.judge_chain(chain, data, at) if data.present else []
    return _LongTerm(chain, data, findings)


def _level(
    *, pades: bool, stamped: bool, long_term: _LongTerm, archive: pades_long_term.ArchiveFinding
) -> str:
    """Return the PAdES baseline level reached: each needs the one below it to hold."""
    if not pades:
        return "PDF (PKCS#7, not PAdES)"
    if not stamped:
        return "PAdES B-B"
    findings = long_term.findings
    if not findings or any(f.status != "good" for f in findings):
        return "PAdES B-T"
    return "PAdES B-LTA" if archive.time is not None else "PAdES B-LT"


def _validate(
    embedded: Any, anchors: list[asn1_x509.Certificate], at: datetime, stamp_at: datetime
) -> Any:
    """Return pyHanko's status of ``embedded``, offline: the sealer's certificates judged at
    ``at``, those of its signature time-stamp's authority at ``stamp_at``."""
    return off_the_event_loop(
        lambda: validate_pdf_signature(
            embedded,
            pades_long_term.offline_context(anchors, at),
            ts_validation_context=pades_long_term.offline_context(anchors, stamp_at),
        )
    )


def _details(
    status: PdfSignatureStatus, *, level: str, stamped: bool, whole: bool
) -> dict[str, Any]:
    stamp = status.timestamp_validity
    time = stamp.timestamp if stamped and stamp else status.signer_reported_dt
    return {
        "level": level,
        "signer": status.signing_cert.subject.human_friendly,
        "time": time.astimezone(UTC).isoformat() if time else None,
        "time_source": "trusted time-stamp" if stamped else "claimed by the sealer",
        "intact": bool(status.intact and status.valid),
        "covers_whole_file": whole,
        "trusted": bool(status.trusted),
        "timestamp_authority": (
            stamp.signing_cert.subject.human_friendly if stamp is not None else None
        ),
        "timestamp_trusted": bool(stamp and stamp.trusted),
        "digest_algorithm": status.md_algorithm,
    }


def _long_term_details(
    long_term: _LongTerm, archive: pades_long_term.ArchiveFinding, judged_at: datetime
) -> dict[str, Any]:
    return {
        "judged_at": judged_at.isoformat(),
        "chain": [c.subject.rfc4514_string() for c in long_term.chain],
        "validation_data": long_term.data.present,
        "revocation": [
            {"certificate": f.certificate, "status": f.status, "source": f.source}
            for f in long_term.findings
        ],
        "archive_time": archive.time.isoformat() if archive.time else None,
        "archive_authority": archive.authority,
        "archive_timestamps": archive.count,
        "archive_problem": archive.problem,
    }


def _trusted_list_verdict(status: PdfSignatureStatus, lists: TrustedLists) -> str:
    """Return "qualified seal by <TSP>, <country>", "advanced seal, trusted (...)" or
    "untrusted", as for EDC seals."""
    if not status.trusted:
        return "untrusted"
    leaf = x509.load_der_x509_certificate(status.signing_cert.dump())
    listed = seal_verdict([leaf], lists, claims_qualified=claims_qualified_seal(leaf))
    return listed or "advanced seal, trusted (seal trust store)"
