"""What a sealed PDF proves over time: the validation data in its Document Security Store and
the document time-stamps after its seal (ETSI EN 319 142-1, PAdES B-LT and B-LTA).

Everything here is read from the file, never fetched. The archive time-stamps are walked from
the newest back: the newest is judged now, each earlier one at the time of the one after it
(that is what renewing an archive time-stamp buys), and the oldest one that holds is the time
the signature time-stamp's authority is then judged at. Revocation answers in the DSS are
judged with `revocation.judge`, as for JAdES seals.
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from pyhanko.pdf_utils.decode_limits import DecodePurpose
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_timestamp
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko.sign.validation.errors import NoDSSFoundError
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko_certvalidator import ValidationContext

from microcred.crypto import revocation
from microcred.crypto.pades import off_the_event_loop
from microcred.crypto.revocation import RevocationData, RevocationFinding
from microcred.crypto.x509_chain import order_chain

MAX_ARCHIVE_TIMESTAMPS = 20  # a work budget: each one is a CMS and chain validation
MAX_DSS_ENTRIES = 100  # of each kind: certificates, OCSP responses, CRLs


@dataclass(frozen=True)
class ValidationData:
    """The DSS of a PDF: its certificates and revocation answers (empty when it has none)."""

    present: bool
    certificates: list[x509.Certificate] = field(default_factory=list)
    answers: RevocationData = field(default_factory=lambda: RevocationData([], []))


@dataclass(frozen=True)
class ArchiveFinding:
    """The earliest time the chain of trusted document time-stamps after the seal proves."""

    time: datetime | None
    authority: str | None = None
    count: int = 0  # how many document time-stamps follow the seal
    problem: str | None = None  # why the newest one not trusted stops the walk


def offline_context(anchors: list[asn1_x509.Certificate], at: datetime) -> ValidationContext:
    """Return a pyHanko validation context that trusts ``anchors``, judges at ``at``, and never
    fetches (revocation is judged from the file by `judge_chain`)."""
    return ValidationContext(
        trust_roots=anchors, allow_fetching=False, moment=at, revocation_mode="soft-fail"
    )


def validation_data(reader: PdfFileReader) -> ValidationData:
    """Return what the PDF's Document Security Store carries."""
    try:
        dss = DocumentSecurityStore.read_dss(reader)
    except NoDSSFoundError:
        return ValidationData(False)
    certificates = [
        x509.load_der_x509_certificate(c.dump())
        for c in itertools.islice(dss.load_certs(), MAX_DSS_ENTRIES)
    ]
    answers = RevocationData(
        [_stream(r, DecodePurpose.OCSP_RESPONSE) for r in dss.ocsps[:MAX_DSS_ENTRIES]],
        [_stream(r, DecodePurpose.CRL) for r in dss.crls[:MAX_DSS_ENTRIES]],
    )
    return ValidationData(True, certificates, answers)


def _stream(reference: Any, purpose: DecodePurpose) -> bytes:
    """Return the bytes of a DSS stream (a DER OCSP response or CRL), within pyHanko's decode
    limits; `revocation.judge` skips those that do not parse."""
    return bytes(reference.get_object().read_data(purpose))


def archive_time(
    reader: PdfFileReader,
    seal: EmbeddedPdfSignature,
    anchors: list[asn1_x509.Certificate],
    now: datetime,
) -> ArchiveFinding:
    """Return the earliest time proven by the document time-stamps added after ``seal`` over a
    DSS, each judged at the time of the next (the newest at ``now``)."""
    after = [
        s for s in reader.embedded_timestamp_signatures if s.signed_revision > seal.signed_revision
    ]
    after.sort(key=lambda s: s.signed_revision, reverse=True)
    stamps = [s for s in after[:MAX_ARCHIVE_TIMESTAMPS] if _covers_dss(reader, s.signed_revision)]
    moment, found = now, ArchiveFinding(None, count=len(stamps))
    for stamp in stamps:
        status = off_the_event_loop(
            functools.partial(validate_pdf_timestamp, stamp, offline_context(anchors, moment))
        )
        if not (status.intact and status.valid and status.trusted):
            problem = status.trust_problem_indic or "the time-stamp does not verify"
            return ArchiveFinding(found.time, found.authority, len(stamps), str(problem))
        moment = status.timestamp
        found = ArchiveFinding(moment, status.signing_cert.subject.human_friendly, len(stamps))
    return found


def seal_chain(leaf: x509.Certificate, others: list[x509.Certificate]) -> list[x509.Certificate]:
    """Return ``leaf`` then its issuers found among ``others`` (the same certificate may come
    from the CMS, the DSS and the trust store), up to the top."""
    distinct = list({c.fingerprint(hashes.SHA256()): c for c in others if c != leaf}.values())
    return [leaf, *order_chain(leaf, distinct)]


def judge_chain(
    chain: list[x509.Certificate], data: ValidationData, at: datetime
) -> list[RevocationFinding]:
    """Return the status at ``at`` of each certificate of ``chain`` below its top, from the
    answers the DSS carries."""
    return [
        revocation.judge(certificate, issuer, data.answers, at)
        for certificate, issuer in zip(chain, chain[1:], strict=False)
    ]


def _covers_dss(reader: PdfFileReader, revision: int) -> bool:
    """True when the file as of ``revision`` already had a DSS (a time-stamp before the
    validation data proves nothing about it)."""
    try:
        DocumentSecurityStore.read_dss(reader.get_historical_resolver(revision))
    except NoDSSFoundError:
        return False
    return True
