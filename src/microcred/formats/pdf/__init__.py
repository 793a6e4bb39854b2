"""The human-readable certificate: an A4 PDF with the EU standard elements, a QR code to the
public verification page, and the signed credential attached inside it."""

from microcred.formats.pdf.certificate import CertificateData, render_certificate
from microcred.formats.pdf.qr import qr_png

__all__ = ["CertificateData", "qr_png", "render_certificate"]
