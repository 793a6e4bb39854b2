"""The files a learner downloads: the signed credential, the PDF certificate, the baked badge."""

from __future__ import annotations

from microcred.formats.baking import bake_png, bake_svg
from microcred.formats.pdf import CertificateData, render_certificate
from microcred.services.delivery.badge_image import DEFAULT_COLOUR, BadgeText, badge_png, badge_svg
from microcred.services.delivery.delivered import DeliveredCredential
from microcred.services.delivery.links import public_page_url

# The badges' colour; certificates and e-mails take the institution's (services.branding).
BRAND_COLOUR = DEFAULT_COLOUR


def certificate_pdf(
    delivered: DeliveredCredential,
    base_url: str,
    colour: str = BRAND_COLOUR,
    logo: bytes | None = None,
) -> bytes:
    """Return the PDF certificate, its QR code opening the credential's public page."""
    content, filename, _media_type = delivered.file()
    return render_certificate(
        CertificateData(
            specification=delivered.specification,
            learner_name=delivered.learner_name,
            institution_name=delivered.institution_name,
            issued_on=delivered.issued_at,
            public_url=public_page_url(base_url, delivered.credential_id),
            credential_id=delivered.credential_id,
            credential_file=content,
            credential_filename=filename,
            awarded_on=delivered.awarded_on,
            valid_until=delivered.valid_until,
            grade=delivered.grade,
            language=delivered.language,
            colour=colour,
            logo=logo,
            countries=[delivered.institution.country] if delivered.institution.country else [],
        )
    )


def _badge_text(delivered: DeliveredCredential) -> BadgeText:
    return BadgeText(
        title=delivered.title,
        institution=delivered.institution_name,
        caption=delivered.caption(),
        colour=BRAND_COLOUR,
    )


def baked_badge_png(delivered: DeliveredCredential) -> bytes:
    """Return the badge PNG with the signed credential baked in (Open Badges 3.0)."""
    return bake_png(badge_png(_badge_text(delivered)), delivered.document)


def baked_badge_svg(delivered: DeliveredCredential) -> str:
    """Return the badge SVG with the signed credential baked in (Open Badges 3.0)."""
    return bake_svg(badge_svg(_badge_text(delivered)), delivered.document)
