"""PAdES seals on PDF files (ETSI EN 319 142-1), made with pyHanko.

The seal is a CAdES detached signature (``ETSI.CAdES.detached``) in an invisible signature
field: PAdES baseline-B, or B-T when a time-stamping authority adds a signature time-stamp.
Viewers list it in their signature panel with the sealer's name. The time-stamp request goes
through `tsa.exchange`, so it follows the fetch policy like every other outbound read.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from asn1crypto import keys, tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.sign import signers
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.sign.timestamps.api import TimeStamper
from pyhanko_certvalidator.registry import SimpleCertificateStore

from microcred.crypto import tsa
from microcred.crypto.x509_seal import SealCredentials
from microcred.net import FetchPolicy

FIELD_NAME = "MicrocredSeal"
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
    reason: str = "Sealed by the issuing institution",
) -> bytes:
    """Return ``pdf`` with a PAdES seal by ``credentials`` added as an incremental update:
    baseline-B, or B-T with a ``timestamper``. Raises `PadesError`, or
    `tsa.TimestampUnavailable` when the TSA gives no token."""
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
        pdf_signer = signers.PdfSigner(metadata, signer, timestamper=timestamper)
        output = off_the_event_loop(lambda: pdf_signer.sign_pdf(writer, output=io.BytesIO()))
    except (PdfError, ValueError) as error:
        raise PadesError(f"the PDF cannot be sealed: {error}") from error
    return bytes(output.getvalue())


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
