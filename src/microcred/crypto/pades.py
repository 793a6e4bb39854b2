"""PAdES seals on PDF files (ETSI EN 319 142-1), made with pyHanko.

The seal is a CAdES detached signature (``ETSI.CAdES.detached``) in an invisible signature
field, raised level by level, each level an incremental update the earlier ones survive:

- **B-B**: the signature alone; viewers list it in their signature panel with the sealer's name.
- **B-T**: plus a signature time-stamp from a time-stamping authority, inside the signature.
- **B-LT**: plus a Document Security Store (DSS) with the validation data a verifier needs once
  the CA's responders are gone: the seal's and the authority's certificate chains and an OCSP
  response or CRL for each certificate below a root, fetched now.
- **B-LTA**: plus a document time-stamp over all of it, proving the validation data existed
  while it was current; it is renewed by adding another before the authority's certificate ends.

Every outbound request (time-stamps through `tsa.exchange`, OCSP and CRLs through
`revocation.gather`) follows the fetch policy like every other outbound read.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Literal, TypeVar

from asn1crypto import core, keys, tsp
from asn1crypto import crl as asn1_crl
from asn1crypto import ocsp as asn1_ocsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.sign.signers.pdf_signer import PdfTimeStamper
from pyhanko.sign.timestamps.api import TimeStamper
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko_certvalidator.registry import SimpleCertificateStore

from microcred.crypto import revocation, rfc3161, tsa
from microcred.crypto.x509_chain import distinct
from microcred.crypto.x509_seal import SealCredentials
from microcred.net import FetchPolicy

FIELD_NAME = "MicrocredSeal"
Level = Literal["B-T", "B-LT", "B-LTA"]
LEVELS: tuple[Level, ...] = ("B-T", "B-LT", "B-LTA")
MAX_PAGES = 200  # a work budget for the pages looked at before sealing; a certificate has one
T = TypeVar("T")


class PadesError(ValueError):
    """A PDF cannot be sealed; the message says why."""


class PolicyTimeStamper(TimeStamper):
    """pyHanko's time-stamp client, its requests sent by `tsa.exchange` (the fetch policy)."""

    def __init__(self, url: str, policy: FetchPolicy | None = None) -> None:
        super().__init__(include_nonce=True)
        self.url = url
        self.policy = policy

    async def async_request_tsa_response(self, req: tsp.TimeStampReq) -> tsp.TimeStampResp:
        answer = await asyncio.to_thread(tsa.exchange, self.url, req.dump(), policy=self.policy)
        try:
            return tsp.TimeStampResp.load(answer, strict=True)
        except ValueError as error:
            raise tsa.TimestampUnavailable(
                f"the time-stamping authority's answer is not a TimeStampResp: {error}"
            ) from error


def seal_pdf(
    pdf: bytes,
    credentials: SealCredentials,
    *,
    timestamper: PolicyTimeStamper | None = None,
    level: Level = "B-T",
    reason: str = "Sealed by the issuing institution",
) -> bytes:
    """Return ``pdf`` with a PAdES seal by ``credentials`` added as incremental updates:
    baseline-B without a ``timestamper``, else ``level`` (B-T, B-LT or B-LTA). Raises
    `PadesError`, or `tsa.TimestampUnavailable` when the TSA gives no token."""
    if level not in LEVELS:
        raise PadesError(f"a PDF seal is raised to B-T, B-LT or B-LTA, not {level!r}")
    sealed = _sign(pdf, credentials, timestamper, reason)
    if timestamper is None:
        return sealed
    if level in ("B-LT", "B-LTA"):
        sealed = add_validation_data(sealed, credentials.chain, policy=timestamper.policy)
    if level == "B-LTA":
        sealed = add_document_timestamp(sealed, timestamper)
    return sealed


def add_validation_data(
    pdf: bytes, seal_chain: list[x509.Certificate], *, policy: FetchPolicy | None = None
) -> bytes:
    """Return the B-T ``pdf`` raised to B-LT: a DSS holding ``seal_chain`` (the sealer's
    certificate first), the chain of its signature time-stamp's authority, and the OCSP
    responses or CRLs fetched now (under the fetch policy) for each certificate below a root."""
    try:
        embedded = _last_seal(pdf)
        stamp_chain = _signature_timestamp(embedded).chain
    except (PdfError, ValueError) as error:
        raise PadesError(f"B-LT needs a sealed PDF with a signature time-stamp: {error}") from error
    gathered = [revocation.gather(chain, policy=policy) for chain in (seal_chain, stamp_chain)]
    output = io.BytesIO(pdf)
    try:
        off_the_event_loop(
            lambda: DocumentSecurityStore.add_dss(
                output,
                None,  # no VRI entry: PAdES baseline levels do not need one
                certs=[_asn1_certificate(c) for c in distinct(seal_chain + stamp_chain)],
                ocsps=[asn1_ocsp.OCSPResponse.load(d) for found in gathered for d in found.ocsp],
                crls=[asn1_crl.CertificateList.load(d) for found in gathered for d in found.crls],
                force_write=True,
                strict=False,
            )
        )
    except (PdfError, ValueError) as error:
        raise PadesError(f"the validation data cannot be added to the PDF: {error}") from error
    return output.getvalue()


def add_document_timestamp(pdf: bytes, timestamper: PolicyTimeStamper) -> bytes:
    """Return ``pdf`` with a document time-stamp over all of it: B-LT raised to B-LTA, or an
    archive time-stamp renewed."""
    # Each document time-stamp gets a field of its own (a unique name), so one can be renewed.
    stamper = PdfTimeStamper(timestamper, readable_field_name="Archive time-stamp")
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
        output = off_the_event_loop(
            lambda: stamper.timestamp_pdf(writer, "sha256", output=io.BytesIO())
        )
    except (PdfError, ValueError) as error:
        raise PadesError(f"the PDF cannot be time-stamped: {error}") from error
    return bytes(output.getvalue())


def _sign(
    pdf: bytes,
    credentials: SealCredentials,
    timestamper: PolicyTimeStamper | None,
    reason: str,
) -> bytes:
    signer = signers.SimpleSigner(
        signing_cert=_asn1_certificate(credentials.certificate),
        signing_key=keys.PrivateKeyInfo.load(
            credentials.key.private_bytes(
                serialization.Encoding.DER,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        ),
        cert_registry=SimpleCertificateStore.from_certs(
            [_asn1_certificate(c) for c in credentials.chain]
        ),
    )
    metadata = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        subfilter=SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason,
        name=credentials.certificate.subject.rfc4514_string(),
    )
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
        _make_annotations_indirect(writer)
        pdf_signer = signers.PdfSigner(metadata, signer, timestamper=timestamper)
        output = off_the_event_loop(lambda: pdf_signer.sign_pdf(writer, output=io.BytesIO()))
    except (PdfError, ValueError) as error:
        raise PadesError(f"the PDF cannot be sealed: {error}") from error
    return bytes(output.getvalue())


def _make_annotations_indirect(writer: IncrementalPdfFileWriter) -> None:
    """Turn annotations written inline in a page's /Annots (as fpdf2 writes a link) into
    objects of their own, in the revision the seal covers.

    A verifier (pyHanko's among them) refuses such a page when it compares the revisions that
    follow a seal: a certificate raised to B-LT or B-LTA would read as changed after sealing.
    """
    pages = int(writer.root["/Pages"]["/Count"])
    for index in range(min(pages, MAX_PAGES)):
        page_ref, _resources = writer.find_page_for_modification(index)
        page = page_ref.get_object()
        annotations = page.get("/Annots")
        if not isinstance(annotations, generic.ArrayObject):
            continue
        items = list.__iter__(annotations)  # the raw entries, references not followed
        if all(isinstance(item, generic.IndirectObject) for item in items):
            continue
        page["/Annots"] = generic.ArrayObject(
            item if isinstance(item, generic.IndirectObject) else writer.add_object(item)
            for item in list.__iter__(annotations)
        )
        writer.mark_update(page_ref)


def _last_seal(pdf: bytes) -> EmbeddedPdfSignature:
    signatures = list(PdfFileReader(io.BytesIO(pdf), strict=False).embedded_regular_signatures)
    if not signatures:
        raise ValueError("the PDF carries no seal")
    return signatures[-1]


def signature_timestamp_token(embedded: EmbeddedPdfSignature) -> bytes | None:
    """Return the DER signature time-stamp token inside ``embedded``'s CMS (None: B-B)."""
    attributes = embedded.signer_info["unsigned_attrs"]
    # Checked by type, not by .native: that would decode the whole token (seconds of work).
    for attribute in [] if isinstance(attributes, core.Void) else attributes:
        if attribute["type"].native == "signature_time_stamp_token":
            return bytes(attribute["values"][0].dump())
    return None


def _signature_timestamp(embedded: EmbeddedPdfSignature) -> rfc3161.Timestamp:
    token = signature_timestamp_token(embedded)
    if token is None:
        raise ValueError("the seal has no signature time-stamp")
    return rfc3161.verify_token(token, embedded.signer_info["signature"].native)


def _asn1_certificate(certificate: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


def off_the_event_loop(call: Callable[[], T]) -> T:
    """Return ``call()``, run in a thread of its own when this thread runs an event loop.

    pyHanko's blocking functions start an event loop of their own (``asyncio.run``), which
    cannot happen inside a running one (an ``async`` handler, a test's loop).
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return call()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(call).result()
