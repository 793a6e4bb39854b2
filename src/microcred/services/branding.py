"""An institution's branding: a primary and an accent colour, and a logo (PNG or JPEG only).

Both colours carry white text or sit on white paper (the page header, buttons, links, the PDF
frame), so each must reach WCAG AA contrast, 4.5:1, against white; a colour that does not is
refused with its ratio. SVG logos are refused rather than sanitised: an SVG can carry scripts
and external references, and the PDF renderer and e-mail clients need a raster image anyway.
"""

from __future__ import annotations

import io
import re
import warnings
from dataclasses import dataclass
from datetime import datetime

from PIL import Image
from sqlalchemy.orm import Session

from microcred.services.catalogue import InstitutionNotFound, InvalidInput
from microcred.store import institutions
from microcred.store.branding_tables import InstitutionBrandRow
from microcred.store.database import Database

DEFAULT_PRIMARY = "#003f7d"
DEFAULT_ACCENT = "#002a54"
MINIMUM_CONTRAST = 4.5  # WCAG 2.x AA, normal text
MAX_LOGO_BYTES = 256 * 1024
MAX_LOGO_SIDE = 2000  # pixels
LOGO_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg"}

_HEX_COLOUR = re.compile(r"^#[0-9a-f]{6}$")


@dataclass(frozen=True)
class Brand:
    """How one institution's pages, e-mails and PDFs look."""

    slug: str
    primary_colour: str = DEFAULT_PRIMARY
    accent_colour: str = DEFAULT_ACCENT
    logo_type: str | None = None
    updated_at: datetime | None = None

    @property
    def has_logo(self) -> bool:
        return self.logo_type is not None

    @property
    def version(self) -> str:
        """A token that changes whenever the branding does, for cache-busting URLs."""
        return str(int(self.updated_at.timestamp())) if self.updated_at else "0"

    @property
    def stylesheet_path(self) -> str:
        return f"/institutions/{self.slug}/brand.css?v={self.version}"

    @property
    def logo_path(self) -> str:
        return f"/institutions/{self.slug}/logo?v={self.version}"


def _channel(value: int) -> float:
    share = value / 255
    return share / 12.92 if share <= 0.04045 else ((share + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str) -> float:
    """Return the WCAG relative luminance of a #rrggbb colour, from 0 (black) to 1 (white)."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(red) + 0.7152 * _channel(green) + 0.0722 * _channel(blue)


def contrast_ratio(colour: str, background: str = "#ffffff") -> float:
    """Return the WCAG contrast ratio of two #rrggbb colours, from 1 to 21."""
    lighter, darker = sorted(
        (relative_luminance(colour), relative_luminance(background)), reverse=True
    )
    return (lighter + 0.05) / (darker + 0.05)


def checked_colour(label: str, value: str) -> str:
    """Return ``value`` as lower-case #rrggbb, or raise InvalidInput saying what to change."""
    colour = value.strip().lower()
    if not _HEX_COLOUR.match(colour):
        raise InvalidInput(f"{label} must be a colour written #rrggbb, e.g. #003f7d; got '{value}'")
    ratio = contrast_ratio(colour)
    if ratio < MINIMUM_CONTRAST:
        raise InvalidInput(
            f"{label} {colour} has a contrast of {ratio:.2f}:1 with white; WCAG AA needs at "
            f"least {MINIMUM_CONTRAST}:1, so choose a darker colour"
        )
    return colour


def logo_media_type(content: bytes) -> str:
    """Return the media type of a logo that is a PNG or JPEG image of fitting size, else raise."""
    if not content:
        raise InvalidInput("the logo file is empty; choose a PNG or JPEG image")
    if len(content) > MAX_LOGO_BYTES:
        raise InvalidInput(
            f"the logo is {len(content) // 1024} KiB; at most {MAX_LOGO_BYTES // 1024} KiB is "
            "accepted, so save it smaller"
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content)) as image:
                kind, size = image.format, image.size
                image.verify()
    except Exception:
        raise InvalidInput("the logo must be a PNG or JPEG image; this file is not one") from None
    if kind not in LOGO_TYPES:
        raise InvalidInput(f"the logo must be a PNG or JPEG image, not {kind}")
    if max(size) > MAX_LOGO_SIDE:
        raise InvalidInput(
            f"the logo is {size[0]}×{size[1]} pixels; at most {MAX_LOGO_SIDE} on a side is accepted"
        )
    return LOGO_TYPES[kind]


def brand_css(brand: Brand) -> str:
    """Return the stylesheet that gives the site's colour properties the institution's values."""
    return (
        f"/* {brand.slug}: colours checked for {MINIMUM_CONTRAST}:1 contrast with white */\n"
        f":root {{ --brand: {brand.primary_colour}; --brand-dark: {brand.accent_colour}; }}\n"
    )


class Branding:
    """Reads and changes institutions' branding."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def brand_of(self, slug: str) -> Brand:
        """Return the institution's brand; the defaults when it has set none or is unknown."""
        with self.db.transaction(write=False) as session:
            row = _existing(session, slug)
            if row is None:
                return Brand(slug=slug)
            return Brand(slug, row.primary_colour, row.accent_colour, row.logo_type, row.updated_at)

    def logo_of(self, slug: str) -> tuple[bytes, str] | None:
        """Return the institution's logo and its media type, or None when it has none."""
        with self.db.transaction(write=False) as session:
            row = _existing(session, slug)
            if row is None or row.logo is None or row.logo_type is None:
                return None
            return row.logo, row.logo_type

    def colour_and_logo(self, slug: str) -> tuple[str, bytes | None]:
        """Return the primary colour and the logo's bytes, as documents (PDF, badge) need them."""
        logo = self.logo_of(slug)
        return self.brand_of(slug).primary_colour, logo[0] if logo else None

    def set_colours(self, slug: str, primary: str, accent: str) -> Brand:
        """Return the brand with new colours, both checked first; nothing changes if one fails."""
        primary = checked_colour("the primary colour", primary)
        accent = checked_colour("the accent colour", accent)
        with self.db.transaction() as session:
            row = self._row(session, slug)
            row.primary_colour, row.accent_colour = primary, accent
        return self.brand_of(slug)

    def set_logo(self, slug: str, content: bytes) -> Brand:
        """Return the brand with a new logo, checked first; nothing changes if it is refused."""
        media_type = logo_media_type(content)
        with self.db.transaction() as session:
            row = self._row(session, slug)
            row.logo, row.logo_type = content, media_type
        return self.brand_of(slug)

    def remove_logo(self, slug: str) -> Brand:
        """Return the brand without a logo."""
        with self.db.transaction() as session:
            row = self._row(session, slug)
            row.logo, row.logo_type = None, None
        return self.brand_of(slug)

    @staticmethod
    def _row(session: Session, slug: str) -> InstitutionBrandRow:
        institution = institutions.institution_by_slug(session, slug)
        if institution is None:
            raise InstitutionNotFound(f"no institution '{slug}'")
        row = session.get(InstitutionBrandRow, institution.id)
        if row is None:
            row = InstitutionBrandRow(
                institution_id=institution.id,
                primary_colour=DEFAULT_PRIMARY,
                accent_colour=DEFAULT_ACCENT,
            )
            session.add(row)
        return row


def _existing(session: Session, slug: str) -> InstitutionBrandRow | None:
    institution = institutions.institution_by_slug(session, slug)
    return session.get(InstitutionBrandRow, institution.id) if institution else None
