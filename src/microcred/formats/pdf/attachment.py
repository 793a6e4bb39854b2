"""Read back the signed credential a PDF certificate carries as an embedded file.

`render_certificate` attaches the credential (``credential.json``, or ``credential.jwt`` for a
vc+jwt) to the PDF's embedded-files name tree, so a printed-then-mailed certificate still
carries its proof. A verifier given the PDF reads that attachment and checks it like any
other credential. PDFs from elsewhere are hostile input: the file size, the number of
attachments looked at and the attachment size are capped, and any reading error becomes a
`PdfCredentialError` with a sentence a person can act on.
"""

from __future__ import annotations

import io
import logging
import zlib

from pypdf import PdfReader
from pypdf.errors import PyPdfError

PDF_SIGNATURE = b"%PDF-"
MAX_PDF_BYTES = 8 * 1024 * 1024
MAX_ATTACHMENT_BYTES = 1024 * 1024
MAX_ATTACHMENTS = 20
# The names our certificates give the credential, looked at first.
CREDENTIAL_NAMES = ("credential.json", "credential.jwt")
CREDENTIAL_SUFFIXES = (".json", ".jsonld", ".jwt")

# What a malformed PDF can make pypdf raise, besides its own errors.
_READ_ERRORS = (
    PyPdfError,
    ValueError,
    KeyError,
    TypeError,
    AttributeError,
    IndexError,
    RecursionError,
    AssertionError,
    zlib.error,
)


class PdfCredentialError(ValueError):
    """A PDF carries no credential that can be read; the message says why, in plain words."""


def is_pdf(data: bytes | str) -> bool:
    """True when ``data`` starts like a PDF file."""
    return isinstance(data, bytes) and data[:1024].lstrip().startswith(PDF_SIGNATURE)


def attached_credential(pdf: bytes) -> str:
    """Return the text (JSON or a compact JWS) of the credential attached to a PDF."""
    if len(pdf) > MAX_PDF_BYTES:
        raise PdfCredentialError(
            f"the PDF is {len(pdf):,} bytes; the limit is {MAX_PDF_BYTES:,} bytes"
        )
    attachments = _attachments(pdf)
    chosen = _credential_attachment(attachments)
    if chosen is None:
        raise PdfCredentialError(
            "this PDF has no credential attached: download the certificate again from the "
            "claim page, or verify the credential file (.json) or the badge image instead"
        )
    if len(chosen) > MAX_ATTACHMENT_BYTES:
        raise PdfCredentialError(
            f"the credential attached to the PDF is {len(chosen):,} bytes; "
            f"the limit is {MAX_ATTACHMENT_BYTES:,} bytes"
        )
    try:
        return chosen.decode("utf-8")
    except UnicodeDecodeError as error:
        raise PdfCredentialError("the file attached to the PDF is not a credential") from error


def _attachments(pdf: bytes) -> dict[str, bytes]:
    """Return the PDF's embedded files by name (the first version of each, at most a few)."""
    # pypdf logs every repair it makes of a damaged file; the caller's error says enough.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(pdf), strict=False)
        if reader.is_encrypted:
            raise PdfCredentialError("the PDF is encrypted; its attachments cannot be read")
        found: dict[str, bytes] = {}
        for name in list(reader.attachments)[:MAX_ATTACHMENTS]:
            contents = reader.attachments[name]
            if contents:
                found[name] = contents[0]
        return found
    except _READ_ERRORS as error:
        raise PdfCredentialError(
            "the file starts like a PDF but cannot be read as one (it may be damaged)"
        ) from error


def _credential_attachment(attachments: dict[str, bytes]) -> bytes | None:
    """Return our certificate's credential attachment, else the first credential-like file."""
    for name in CREDENTIAL_NAMES:
        if name in attachments:
            return attachments[name]
    for name, content in attachments.items():
        if name.lower().endswith(CREDENTIAL_SUFFIXES):
            return content
    return None
