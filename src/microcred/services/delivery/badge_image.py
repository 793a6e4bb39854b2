"""The badge picture: a round seal with the title and institution, as PNG (Pillow) and SVG.

Both are drawn from the same layout so that the baked PNG and the baked SVG look alike.
"""

from __future__ import annotations

import html
import io
import textwrap
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

from microcred.formats.pdf import fonts

SIZE = 600
DEFAULT_COLOUR = "#1f4e79"


@dataclass(frozen=True)
class BadgeText:
    title: str
    institution: str
    caption: str  # e.g. "5 ECTS · EQF 6"
    colour: str = DEFAULT_COLOUR


def _title_lines(title: str) -> list[str]:
    lines = textwrap.wrap(title, width=18)
    if len(lines) > 4:
        lines = [*lines[:3], lines[3][:15] + "…"]
    return lines


def _institution_lines(name: str) -> list[str]:
    return textwrap.wrap(name, width=26)[:2]


def badge_png(text: BadgeText) -> bytes:
    """Return the badge as a 600 × 600 PNG (transparent outside the seal)."""
    image = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    colour = _hex(text.colour)
    centre = SIZE / 2
    draw.ellipse((10, 10, SIZE - 10, SIZE - 10), fill=colour)
    draw.ellipse((34, 34, SIZE - 34, SIZE - 34), fill=(255, 255, 255), outline=colour, width=4)
    draw.ellipse((48, 48, SIZE - 48, SIZE - 48), outline=colour, width=2)
    small = ImageFont.truetype(str(fonts.SANS_BOLD), 24)
    title_font = ImageFont.truetype(str(fonts.SERIF_BOLD), 44)
    body = ImageFont.truetype(str(fonts.SANS), 24)
    draw.text((centre, 118), "MICRO-CREDENTIAL", font=small, fill=colour, anchor="mm")
    lines = _title_lines(text.title)
    top = centre - (len(lines) - 1) * 27 - 10
    for index, line in enumerate(lines):
        draw.text((centre, top + index * 54), line, font=title_font, fill=(34, 34, 34), anchor="mm")
    draw.text((centre, 436), text.caption, font=small, fill=colour, anchor="mm")
    for index, line in enumerate(_institution_lines(text.institution)):
        draw.text((centre, 474 + index * 30), line, font=body, fill=(80, 80, 80), anchor="mm")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def badge_svg(text: BadgeText) -> str:
    """Return the same badge as an SVG document."""
    colour = html.escape(text.colour if _is_hex(text.colour) else DEFAULT_COLOUR)
    centre = SIZE // 2
    lines = _title_lines(text.title)
    top = centre - (len(lines) - 1) * 27 - 10
    title = "".join(
        f'<text x="{centre}" y="{top + index * 54 + 15}" class="title">{html.escape(line)}</text>'
        for index, line in enumerate(lines)
    )
    institution = "".join(
        f'<text x="{centre}" y="{482 + index * 30}" class="body">{html.escape(line)}</text>'
        for index, line in enumerate(_institution_lines(text.institution))
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{SIZE}" height="{SIZE}" '
        f'viewBox="0 0 {SIZE} {SIZE}" role="img" aria-label="{html.escape(text.title)}">'
        "<style>text{text-anchor:middle;font-family:'DejaVu Sans',sans-serif}"
        ".title{font-family:'DejaVu Serif',serif;font-weight:bold;font-size:44px;fill:#222}"
        f".small{{font-weight:bold;font-size:24px;fill:{colour}}}"
        ".body{font-size:24px;fill:#505050}</style>"
        f'<circle cx="{centre}" cy="{centre}" r="{centre - 10}" fill="{colour}"/>'
        f'<circle cx="{centre}" cy="{centre}" r="{centre - 34}" fill="#fff" '
        f'stroke="{colour}" stroke-width="4"/>'
        f'<circle cx="{centre}" cy="{centre}" r="{centre - 48}" fill="none" '
        f'stroke="{colour}" stroke-width="2"/>'
        f'<text x="{centre}" y="126" class="small">MICRO-CREDENTIAL</text>'
        f"{title}"
        f'<text x="{centre}" y="444" class="small">{html.escape(text.caption)}</text>'
        f"{institution}</svg>\n"
    )


def _is_hex(colour: str) -> bool:
    value = colour.lstrip("#")
    return (
        colour.startswith("#")
        and len(value) == 6
        and all(c in "0123456789abcdefABCDEF" for c in value)
    )


def _hex(colour: str) -> tuple[int, int, int]:
    value = (colour if _is_hex(colour) else DEFAULT_COLOUR).lstrip("#")
    return (int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16))
