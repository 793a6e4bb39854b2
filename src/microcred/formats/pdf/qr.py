"""QR codes as PNG images (segno), for the certificate and anything else printed."""

from __future__ import annotations

import io

import segno


def qr_png(text: str, *, scale: int = 10) -> bytes:
    """Return a PNG of the QR code of ``text`` (error correction M, the standard quiet zone)."""
    buffer = io.BytesIO()
    segno.make(text, error="m", micro=False).save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()
