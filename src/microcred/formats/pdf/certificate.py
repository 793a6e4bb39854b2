"""Draw the certificate: A4 landscape, a page to show and a page of EU standard elements.

The first page is what a learner frames and an employer glances at: institution, learner,
title, the headline facts and a QR code to the public verification page. The second lists
every EU standard element. The signed credential travels inside the PDF as an embedded
file, so the paper carries the proof.
"""

from __future__ import annotations

import io
from datetime import UTC

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from microcred.domain.specification import localise
from microcred.formats.pdf import fonts
from microcred.formats.pdf.elements import (
    CertificateData,
    certificate_elements,
    date_text,
    headline_facts,
)
from microcred.formats.pdf.qr import qr_png
from microcred.i18n import translations

__all__ = ["CertificateData", "render_certificate"]

WIDTH, HEIGHT = 297.0, 210.0
MARGIN = 18.0
INK = (34, 34, 34)
MUTED = (96, 96, 96)


def render_certificate(data: CertificateData) -> bytes:
    """Return the certificate as PDF bytes, with the signed credential attached."""
    pdf = _new_document(data)
    colour = _rgb(data.colour)
    _front_page(pdf, data, colour)
    _elements_page(pdf, data, colour)
    pdf.embed_file(
        bytes=data.credential_file,
        basename=data.credential_filename,
        desc="The signed credential (W3C Verifiable Credential / Open Badges 3.0)",
        modification_date=data.issued_on.astimezone(UTC),
        mime_type="application/json"
        if data.credential_filename.endswith(".json")
        else "application/vc+jwt",
    )
    return bytes(pdf.output())


def _new_document(data: CertificateData) -> FPDF:
    pdf = FPDF(orientation="landscape", unit="mm", format="A4")
    pdf.set_auto_page_break(auto=False)
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.add_font("Sans", "", fonts.SANS)
    pdf.add_font("Sans", "B", fonts.SANS_BOLD)
    pdf.add_font("Serif", "", fonts.SERIF)
    pdf.add_font("Serif", "B", fonts.SERIF_BOLD)
    title = localise(data.specification.title, data.language)
    pdf.set_title(title)
    pdf.set_author(data.institution_name)
    pdf.set_subject(f"{data.learner_name}: {title}")
    pdf.set_creator("microcred")
    pdf.set_lang(data.language)
    pdf.set_creation_date(data.issued_on.astimezone(UTC))
    return pdf


def _frame(pdf: FPDF, colour: tuple[int, int, int]) -> None:
    pdf.set_draw_color(*colour)
    pdf.set_line_width(1.6)
    pdf.rect(8, 8, WIDTH - 16, HEIGHT - 16)
    pdf.set_line_width(0.3)
    pdf.rect(11, 11, WIDTH - 22, HEIGHT - 22)


def _centred(pdf: FPDF, y: float, text: str, family: str, style: str, size: float) -> float:
    """Write ``text`` centred from ``y`` (wrapping if long); return the y below it."""
    pdf.set_font(family, style, size)
    pdf.set_xy(MARGIN + 12, y)
    pdf.multi_cell(
        WIDTH - 2 * (MARGIN + 12),
        size * 0.48,
        text,
        align="C",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    return pdf.get_y()


def _front_page(pdf: FPDF, data: CertificateData, colour: tuple[int, int, int]) -> None:
    _ = translations(data.language).gettext
    pdf.add_page()
    _frame(pdf, colour)
    if data.logo:
        pdf.image(io.BytesIO(data.logo), x=MARGIN + 2, y=MARGIN, h=18)

    pdf.set_text_color(*colour)
    _centred(pdf, 22, data.institution_name, "Serif", "B", 18)
    _centred(pdf, 34, _("MICRO-CREDENTIAL").upper(), "Sans", "B", 10)
    pdf.set_draw_color(*colour)
    pdf.set_line_width(0.5)
    pdf.line(WIDTH / 2 - 30, 41, WIDTH / 2 + 30, 41)

    pdf.set_text_color(*INK)
    _centred(pdf, 47, _("Certificate of achievement"), "Serif", "B", 30)
    pdf.set_text_color(*MUTED)
    _centred(pdf, 66, _("This is to certify that"), "Sans", "", 12)
    pdf.set_text_color(*INK)
    below = _centred(pdf, 75, data.learner_name, "Serif", "B", 26)
    pdf.set_text_color(*MUTED)
    below = _centred(pdf, below + 3, _("has successfully completed"), "Sans", "", 12)
    pdf.set_text_color(*colour)
    title = localise(data.specification.title, data.language)
    _centred(pdf, below + 3, title, "Serif", "B", 20 if len(title) < 60 else 16)

    _facts(pdf, data, colour, top=138)
    _signature_block(pdf, data)
    _qr_block(pdf, data)


def _facts(pdf: FPDF, data: CertificateData, colour: tuple[int, int, int], top: float) -> None:
    facts = headline_facts(data)
    width = 52.0
    gap = 6.0
    left = (WIDTH - (len(facts) * width + (len(facts) - 1) * gap)) / 2
    for index, (name, value) in enumerate(facts):
        x = left + index * (width + gap)
        pdf.set_draw_color(*colour)
        pdf.set_line_width(0.3)
        pdf.line(x, top, x + width, top)
        pdf.set_xy(x, top + 2)
        pdf.set_font("Sans", "", 8)
        pdf.set_text_color(*MUTED)
        pdf.cell(width, 4, name.upper(), align="C")
        pdf.set_xy(x, top + 7)
        pdf.set_font("Sans", "B", 12)
        pdf.set_text_color(*INK)
        pdf.cell(width, 6, value, align="C")


def _signature_block(pdf: FPDF, data: CertificateData) -> None:
    _ = translations(data.language).gettext
    pdf.set_xy(MARGIN + 6, 165)
    pdf.set_font("Sans", "", 8.5)
    pdf.set_text_color(*MUTED)
    pdf.multi_cell(
        150,
        4.2,
        _(
            "Issued by %(institution)s as a digitally signed credential "
            "(W3C Verifiable Credential, Open Badges 3.0). The signed credential is "
            "attached to this PDF; scan the code to check that it is genuine and still valid."
        )
        % {"institution": data.institution_name},
        align="L",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.set_x(MARGIN + 6)
    pdf.set_font("Sans", "", 7)
    pdf.cell(150, 4, f"{_('Credential')}: {data.credential_id}")


def _qr_block(pdf: FPDF, data: CertificateData) -> None:
    _ = translations(data.language).gettext
    size = 34.0
    x, y = WIDTH - MARGIN - size - 4, HEIGHT - MARGIN - size - 8
    pdf.image(io.BytesIO(qr_png(data.public_url)), x=x, y=y, w=size, h=size, link=data.public_url)
    pdf.set_xy(x - 20, y + size)
    pdf.set_font("Sans", "B", 7.5)
    pdf.set_text_color(*INK)
    pdf.cell(size + 40, 4, _("Scan to verify"), align="C")


def _elements_page(pdf: FPDF, data: CertificateData, colour: tuple[int, int, int]) -> None:
    _ = translations(data.language).gettext
    pdf.add_page()
    _frame(pdf, colour)
    pdf.set_xy(MARGIN + 4, MARGIN + 2)
    pdf.set_font("Serif", "B", 15)
    pdf.set_text_color(*colour)
    pdf.cell(0, 8, _("Description of the micro-credential"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_x(MARGIN + 4)
    pdf.set_font("Sans", "", 8)
    pdf.set_text_color(*MUTED)
    pdf.cell(
        0,
        5,
        _("The standard elements of Council Recommendation 2022/C 243/02 (Annex I)"),
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    y = pdf.get_y() + 3
    label_width, value_width = 62.0, WIDTH - 2 * MARGIN - 62.0 - 8
    for element in certificate_elements(data):
        lines = [element.text] if element.text else [f"• {item}" for item in element.items]
        needed = sum(_height(pdf, line, value_width) for line in lines) + 2
        if y + needed > HEIGHT - MARGIN - 10:
            pdf.add_page()
            _frame(pdf, colour)
            y = MARGIN + 4
        pdf.set_xy(MARGIN + 4, y)
        pdf.set_font("Sans", "B", 8.5)
        pdf.set_text_color(*colour)
        pdf.multi_cell(label_width - 4, 4.2, element.label, align="L")
        row_y = y
        for line in lines:
            pdf.set_xy(MARGIN + 4 + label_width, row_y)
            pdf.set_font("Sans", "", 9)
            pdf.set_text_color(*INK)
            pdf.multi_cell(value_width, 4.4, line, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            row_y = pdf.get_y()
        y = max(row_y, y + 4.2) + 1.8
        pdf.set_draw_color(225, 225, 225)
        pdf.set_line_width(0.2)
        pdf.line(MARGIN + 4, y - 0.9, WIDTH - MARGIN - 4, y - 0.9)
    _footer(pdf, data)


def _height(pdf: FPDF, text: str, width: float) -> float:
    pdf.set_font("Sans", "", 9)
    lines = pdf.multi_cell(width, 4.4, text, dry_run=True, output="LINES")
    assert isinstance(lines, list)
    return float(len(lines)) * 4.4


def _footer(pdf: FPDF, data: CertificateData) -> None:
    _ = translations(data.language).gettext
    pdf.set_xy(MARGIN + 4, HEIGHT - MARGIN - 6)
    pdf.set_font("Sans", "", 7.5)
    pdf.set_text_color(*MUTED)
    pdf.cell(
        0,
        4,
        _("Verify online: %(url)s · Signed credential attached as %(file)s · Issued %(date)s")
        % {
            "url": data.public_url,
            "file": data.credential_filename,
            "date": date_text(data.issued_on, data.language),
        },
        link=data.public_url,
    )


def _rgb(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    if len(value) != 6:
        return (31, 78, 121)
    try:
        return (int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16))
    except ValueError:
        return (31, 78, 121)
