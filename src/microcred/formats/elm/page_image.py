"""The page image EDC wallets show (``displayParameter.individualDisplay``): an A4 PNG we draw.

Drawn with Pillow from the same facts the credential states, so the picture never says more
than the data. Pillow's bundled font is used, so the image is the same on every machine.
"""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass, field

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 794, 1123  # A4 at 96 dpi
MARGIN = 64
INK = 20
MUTED = 90
RULE = 170


@dataclass(frozen=True)
class PageText:
    """What the page says, already in the credential's language."""

    heading: str  # e.g. "Micro-credential"
    title: str
    learner: str
    awarded_by: str
    facts: list[tuple[str, str]] = field(default_factory=list)  # (label, value) rows
    outcomes: list[str] = field(default_factory=list)
    footer: str = ""


def render_page_png(page: PageText) -> bytes:
    """Return the page as PNG bytes (greyscale, 794 x 1123 pixels)."""
    image = Image.new("L", (WIDTH, HEIGHT), 255)
    draw = ImageDraw.Draw(image)
    y = MARGIN
    draw.rectangle((24, 24, WIDTH - 25, HEIGHT - 25), outline=RULE, width=2)
    y = _write(draw, page.heading.upper(), y, size=18, fill=MUTED)
    y = _write(draw, page.title, y + 8, size=34, fill=INK, width=34)
    y = _write(draw, "awarded to", y + 24, size=16, fill=MUTED)
    y = _write(draw, page.learner, y + 4, size=30, fill=INK, width=38)
    y = _write(draw, "by", y + 16, size=16, fill=MUTED)
    y = _write(draw, page.awarded_by, y + 4, size=22, fill=INK, width=52)
    y += 24
    draw.line((MARGIN, y, WIDTH - MARGIN, y), fill=RULE, width=1)
    y += 16
    for label, value in page.facts:
        _write(draw, label, y, size=15, fill=MUTED)
        y = _write(draw, value, y, size=15, fill=INK, x=MARGIN + 210, width=58)
        y += 6
    if page.outcomes:
        y = _write(draw, "Learning outcomes", y + 18, size=18, fill=INK)
        for outcome in page.outcomes:
            if y > HEIGHT - 140:
                y = _write(draw, "...", y + 4, size=15, fill=MUTED)
                break
            y = _write(draw, f"- {outcome}", y + 6, size=15, fill=INK, width=86)
    if page.footer:
        _write(draw, page.footer, HEIGHT - MARGIN - 20, size=12, fill=MUTED, width=110)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _write(
    draw: ImageDraw.ImageDraw,
    text: str,
    y: int,
    *,
    size: int,
    fill: int,
    x: int = MARGIN,
    width: int = 70,
) -> int:
    """Draw ``text`` wrapped at ``width`` characters from (x, y); return the y below it."""
    font = ImageFont.load_default(size=size)
    for line in textwrap.wrap(text, width=width) or [""]:
        draw.text((x, y), line, font=font, fill=fill)
        y += int(size * 1.35)
    return y
