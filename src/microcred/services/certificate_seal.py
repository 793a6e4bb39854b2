"""The PDF certificate sealed by its institution: PAdES with the institution's e-seal certificate.

The seal is PAdES baseline-B, or B-T when ``MICROCRED_TSA_URL`` names a time-stamping authority.
An institution with no seal certificate yet gets its PDF unsealed (the signed credential inside
it still proves the award). A TSA that does not answer does not stop a learner's download: the
PDF is then sealed at baseline-B and the outage is logged, so the operator sees it.
"""

from __future__ import annotations

import logging

from microcred.config import current_settings
from microcred.crypto import tsa
from microcred.services.seal_certificates import NoSealCertificate, SealCertificates

log = logging.getLogger(__name__)


def seal_certificate_pdf(pdf: bytes, seals: SealCertificates, institution: str) -> bytes:
    """Return ``pdf`` sealed with ``institution``'s seal certificate; unsealed when it has none."""
    # pyHanko (and the HTTP client it brings) loads here, not when a server process starts.
    from microcred.crypto import pades

    try:
        credentials = seals.credentials(institution)
    except NoSealCertificate:
        return pdf
    url = current_settings().tsa_url
    if url:
        try:
            return pades.seal_pdf(pdf, credentials, timestamper=pades.PolicyTimeStamper(url))
        except tsa.TimestampUnavailable as error:
            log.warning("PDF sealed without a time-stamp (PAdES B-B): %s", error)
    return pades.seal_pdf(pdf, credentials)
