"""A figure as an SVG element: titled and described for screen readers, text as real text."""

from __future__ import annotations

from html import escape

from microcred.reports.figure import Figure, Line, Rect, Shape, Text

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif"


def figure_svg(figure: Figure) -> str:
    """Return ``figure`` as an inline ``<svg>`` with ``<title>`` and ``<desc>``."""
    title_id, desc_id = f"{figure.id}-title", f"{figure.id}-desc"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{figure.id}" class="chart" role="img" '
        f'viewBox="0 0 {figure.width:g} {figure.height:g}" width="{figure.width:g}" '
        f'height="{figure.height:g}" aria-labelledby="{title_id} {desc_id}" '
        f'font-family="{escape(FONT)}">',
        f'<title id="{title_id}">{escape(figure.title)}</title>',
        f'<desc id="{desc_id}">{escape(figure.description)}</desc>',
        '<rect width="100%" height="100%" fill="#ffffff"/>',
        *(_shape(shape) for shape in figure.shapes),
        "</svg>",
    ]
    return "\n".join(parts)


def _shape(shape: Shape) -> str:
    if isinstance(shape, Rect):
        tooltip = f"<title>{escape(shape.tooltip)}</title>" if shape.tooltip else ""
        return (
            f'<rect x="{shape.x:.1f}" y="{shape.y:.1f}" width="{shape.width:.1f}" '
            f'height="{shape.height:.1f}" fill="{shape.fill}">{tooltip}</rect>'
        )
    if isinstance(shape, Line):
        return (
            f'<line x1="{shape.x1:.1f}" y1="{shape.y1:.1f}" x2="{shape.x2:.1f}" '
            f'y2="{shape.y2:.1f}" stroke="{shape.stroke}" stroke-width="1"/>'
        )
    return _text(shape)


def _text(text: Text) -> str:
    weight = ' font-weight="bold"' if text.bold else ""
    return (
        f'<text x="{text.x:.1f}" y="{text.y:.1f}" font-size="{text.size:g}" '
        f'text-anchor="{text.anchor}" fill="{text.fill}"{weight}>{escape(text.text)}</text>'
    )
