"""A chart as plain shapes (rectangles, lines, text) in pixels, drawn by the SVG and PDF writers.

Laying out a chart once and drawing it twice keeps the web page and the PDF identical.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Anchor = Literal["start", "middle", "end"]

INK = "#1a1a1a"  # text: contrast 17:1 on white
MUTED = "#4d4d4d"  # axis labels: 8.5:1 on white
BAR = "#1f5f8b"  # bars: 6.9:1 on white, so bars read as well as text
GRID = "#b3b3b3"


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    fill: str = BAR
    tooltip: str = ""  # shown on hover in SVG (<title>); the data table says the same


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    stroke: str = GRID


@dataclass(frozen=True)
class Text:
    x: float
    y: float  # baseline
    text: str
    size: float = 12
    anchor: Anchor = "start"
    fill: str = INK
    bold: bool = False


Shape = Rect | Line | Text


@dataclass
class Figure:
    """A chart: its size, an accessible title and description, and what to draw."""

    id: str
    title: str
    description: str
    width: float
    height: float
    shapes: list[Shape] = field(default_factory=list)
