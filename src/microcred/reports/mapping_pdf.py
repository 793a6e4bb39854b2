"""The mapping report as a PDF: the same sections as the web page, charts redrawn as vectors."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from fpdf import FPDF
from fpdf.fonts import FontFace

from microcred.i18n import _, set_language
from microcred.reports.figure import Figure, Line, Rect, Text
from microcred.reports.mapping_sections import Section, report_sections
from microcred.services.mapping.summary import MappingSummary

# A Unicode font, where the system has one; else the PDF core font (Latin-1 only).
FONT_FILES = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/dejavu/DejaVuSans.ttf"),
)
PX = 0.26  # millimetres per chart pixel: a 640 px chart is 166 mm wide
MARGIN = 15


class ReportPdf(FPDF):
    def __init__(self) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.set_margins(MARGIN, MARGIN)
        self.set_auto_page_break(auto=True, margin=MARGIN)
        self.family = _font(self)
        self.set_title(_("Mapping of programme catalogues against the EU definition"))
        self.set_creator("microcred")

    def text_of(self, value: object) -> str:
        """Return text the font can draw (Latin-1 with the core font)."""
        text = str(value)
        if self.family == "Helvetica":
            return text.encode("latin-1", "replace").decode("latin-1")
        return text

    def footer(self) -> None:
        self.set_y(-10)
        self.set_font(self.family, size=8)
        self.set_text_color(77, 77, 77)
        self.cell(0, 5, f"{self.page_no()}", align="C")


def _font(pdf: FPDF) -> str:
    for path in FONT_FILES:
        if path.is_file():
            pdf.add_font("DejaVu", "", str(path))
            bold = path.with_name("DejaVuSans-Bold.ttf")
            pdf.add_font("DejaVu", "B", str(bold if bold.is_file() else path))
            return "DejaVu"
    return "Helvetica"


def _rgb(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def draw_figure(pdf: ReportPdf, figure: Figure) -> None:
    """Draw ``figure`` at the current position, scaled to millimetres, and move below it."""
    left, top = pdf.l_margin, pdf.get_y()
    if top + figure.height * PX > pdf.h - MARGIN:
        pdf.add_page()
        top = pdf.get_y()
    for shape in figure.shapes:
        if isinstance(shape, Rect):
            pdf.set_fill_color(*_rgb(shape.fill))
            pdf.rect(left + shape.x * PX, top + shape.y * PX, shape.width * PX,
                     shape.height * PX, style="F")  # fmt: skip
        elif isinstance(shape, Line):
            pdf.set_draw_color(*_rgb(shape.stroke))
            pdf.set_line_width(0.2)
            pdf.line(left + shape.x1 * PX, top + shape.y1 * PX, left + shape.x2 * PX,
                     top + shape.y2 * PX)  # fmt: skip
        else:
            _draw_text(pdf, shape, left, top)
    pdf.set_y(top + figure.height * PX + 2)


def _draw_text(pdf: ReportPdf, shape: Text, left: float, top: float) -> None:
    pdf.set_font(pdf.family, "B" if shape.bold else "", size=shape.size * PX * 2.83)
    pdf.set_text_color(*_rgb(shape.fill))
    text = pdf.text_of(shape.text)
    width = pdf.get_string_width(text)
    x = left + shape.x * PX
    if shape.anchor == "middle":
        x -= width / 2
    elif shape.anchor == "end":
        x -= width
    pdf.text(x, top + shape.y * PX, text)


def _heading(pdf: ReportPdf, text: str, size: float) -> None:
    pdf.set_font(pdf.family, "B", size=size)
    pdf.set_text_color(26, 26, 26)
    pdf.multi_cell(0, size * 0.5, pdf.text_of(text), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)


def _paragraph(pdf: ReportPdf, text: str, size: float = 9.5) -> None:
    pdf.set_font(pdf.family, size=size)
    pdf.set_text_color(26, 26, 26)
    pdf.multi_cell(0, size * 0.45, pdf.text_of(text), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1.5)


def _table(
    pdf: ReportPdf, headers: Sequence[object], rows: Sequence[Sequence[object]], size: float = 8
) -> None:
    pdf.set_font(pdf.family, size=size)
    pdf.set_text_color(26, 26, 26)
    pdf.set_draw_color(200, 200, 200)
    pdf.set_fill_color(255, 255, 255)  # charts leave their last bar colour behind
    heading = FontFace(emphasis="BOLD", fill_color=(235, 240, 245))
    with pdf.table(headings_style=heading, line_height=size * 0.5, text_align="LEFT") as table:
        for cells in [list(headers), *(list(row) for row in rows)]:
            line = table.row()
            for cell in cells:
                line.cell(pdf.text_of("" if cell is None else cell))
    pdf.ln(3)


def _section(pdf: ReportPdf, section: Section) -> None:
    # Keep a heading with its chart: start a new page when both do not fit.
    needed = 25 + (section.figure.height * PX if section.figure else 30)
    if pdf.get_y() + needed > pdf.h - MARGIN:
        pdf.add_page()
    _heading(pdf, section.title, 13)
    if section.intro:
        _paragraph(pdf, section.intro)
    if section.figure is not None:
        draw_figure(pdf, section.figure)
    _table(pdf, section.table.headers, section.table.rows)


def report_pdf(summary: MappingSummary, lang: str = "en") -> bytes:
    """Return the mapping report as PDF bytes: totals, then every section with chart and table."""
    set_language(lang)
    pdf = ReportPdf()
    pdf.add_page()
    _heading(pdf, _("Mapping of programme catalogues against the EU definition"), 17)
    generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    totals = _("{programmes} programmes from {institutions} institutions; {problems} rows "
               "could not be read. Generated {when}.").format(
        programmes=summary.programmes, institutions=len(summary.institutions),
        problems=len(summary.problems), when=generated,
    )  # fmt: skip
    _paragraph(pdf, totals, 10.5)
    for section in report_sections(summary, lang):
        _section(pdf, section)
    if summary.problems:
        _heading(pdf, _("Rows that could not be read"), 13)
        _table(pdf, [_("File"), _("Row"), _("Reason")],
               [[p.source, p.row or "", p.reason] for p in summary.problems])  # fmt: skip
    return bytes(pdf.output())
