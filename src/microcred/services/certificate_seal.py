"""The PDF certificate sealed by its institution: PAdES with the institution's e-seal certificate.

The seal is PAdES baseline-B; when ``MICROCRED_TSA_URL`` names a time-stamping authority, it is
raised to the ``seal_level`` setting's level (B-T, B-LT or B-LTA, as EDC seals). An institution
with no seal certificate yet gets its PDF unsealed (the signed credential inside it still proves
the award). A TSA that does not answer does not stop a learner's download: the PDF is then
sealed at baseline-B and the outage is logged, so the operator sees it.
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
    settings = current_settings()
    if settings.tsa_url:
        timestamper = pades.PolicyTimeStamper(settings.tsa_url)
        try:
            return pades.seal_pdf(
                pdf, credentials, timestamper=timestamper, level=settings.seal_level
            )
        except tsa.TimestampUnavailable as error:
            log.warning("PDF sealed without time-stamps (PAdES B-B): %s", error)
    return pades.seal_pdf(pdf, credentials)
