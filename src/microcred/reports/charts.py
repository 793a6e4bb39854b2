"""Charts laid out as figures: horizontal bars, a histogram and a heat map.

Every bar carries its number as text, so a chart reads without colour and without hovering.
"""

from __future__ import annotations

from microcred.reports.figure import BAR, INK, MUTED, Figure, Line, Rect, Text

WIDTH = 640
ROW = 24  # height of one bar row
LABEL_WIDTH = 270  # the label column of a bar chart: most element names fit whole
CHAR_WIDTH = 6.6  # average width of a 12 px character, to shorten long labels


def shorten(text: str, width: float, size: float = 12) -> str:
    """Return ``text`` cut with an ellipsis to fit ``width`` pixels at font ``size``."""
    fits = int(width / (CHAR_WIDTH * size / 12))
    return text if len(text) <= fits else text[: max(fits - 1, 1)].rstrip() + "…"


def wrap(text: str, width: float, size: float = 12) -> list[str]:
    """Return ``text`` broken into lines of at most ``width`` pixels (words kept whole)."""
    fits = int(width / (CHAR_WIDTH * size / 12))
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= fits:
            lines[-1] += " " + word
        else:
            lines.append(shorten(word, width, size))
    return lines or [""]


def bar_chart(
    id: str, title: str, description: str, bars: list[tuple[str, int]], total: int
) -> Figure:
    """Return horizontal bars, one per (label, count), with "count (share %)" after each."""
    height = ROW * len(bars) + 30
    figure = Figure(id, title, description, WIDTH, height)
    most = max((count for _label, count in bars), default=0) or 1
    room = WIDTH - LABEL_WIDTH - 100
    for index, (label, count) in enumerate(bars):
        top = 6 + index * ROW
        length = room * count / most
        share = f"{count} ({100 * count / total:.0f} %)" if total else str(count)
        figure.shapes += [
            Text(LABEL_WIDTH - 8, top + 15, shorten(label, LABEL_WIDTH - 12), anchor="end"),
            Rect(LABEL_WIDTH, top + 3, max(length, 1), ROW - 8, tooltip=f"{label}: {share}"),
            Text(LABEL_WIDTH + length + 6, top + 15, share, fill=INK),
        ]
    axis_bottom = 6 + len(bars) * ROW
    figure.shapes.append(Line(LABEL_WIDTH, 4, LABEL_WIDTH, axis_bottom, stroke=MUTED))
    figure.shapes.append(
        Text(WIDTH - 4, height - 6, _programmes_note(total), size=11, anchor="end", fill=MUTED)
    )
    return figure


def _programmes_note(total: int) -> str:
    from microcred.i18n import _

    return _("of {total} programmes").format(total=total)


def histogram(
    id: str,
    title: str,
    description: str,
    bins: list[tuple[float, int]],
    width: float,
    axis_label: str,
    open_last: bool = True,
) -> Figure:
    """Return touching vertical bars over a numeric axis; ``bins`` are (lower bound, count).

    The last bin is open ("30 or more") when ``open_last``; the count stands above each bar.
    """
    height = 260
    left, right, top, bottom = 46, WIDTH - 16, 16, height - 52
    figure = Figure(id, title, description, WIDTH, height)
    if not bins:
        return figure
    most = max(count for _low, count in bins) or 1
    step = (right - left) / len(bins)
    ticks = _ticks(most)
    for tick in ticks:
        y = bottom - (bottom - top) * tick / ticks[-1]
        figure.shapes += [
            Line(left, y, right, y),
            Text(left - 6, y + 4, str(tick), size=11, anchor="end", fill=MUTED),
        ]
    for index, (low, count) in enumerate(bins):
        x = left + index * step
        bar = (bottom - top) * count / ticks[-1]
        last = open_last and index == len(bins) - 1
        span = f"{low:g}+" if last else f"{low:g}–{low + width:g}"
        if count:
            figure.shapes += [
                Rect(x + 1, bottom - bar, step - 2, bar, fill=BAR, tooltip=f"{span}: {count}"),
                Text(x + step / 2, bottom - bar - 4, str(count), size=11, anchor="middle"),
            ]
        label = f"{low:g}+" if last else f"{low:g}"
        figure.shapes.append(Text(x, bottom + 16, label, size=11, anchor="middle", fill=MUTED))
    figure.shapes += [
        Line(left, bottom, right, bottom, stroke=MUTED),
        Text((left + right) / 2, height - 10, axis_label, size=12, anchor="middle"),
    ]
    return figure


def _ticks(most: int) -> list[int]:
    """Return 3-6 round gridline values from 0 reaching at least ``most``."""
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 500, 1000):
        if most / step <= 5:
            return list(range(0, (most + step - 1) // step * step + 1, step)) or [0, 1]
    return [0, most]


# A sequential scale from light to dark blue; text turns white where the fill is dark.
SCALE = ("#f0f5fa", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c")


def shade(share: float) -> tuple[str, str]:
    """Return (fill, text colour) for a share between 0 and 1 (contrast >= 4.5:1 each)."""
    index = min(int(share * (len(SCALE) - 1) + 0.5), len(SCALE) - 1)
    return SCALE[index], ("#ffffff" if index >= 4 else INK)


def heat_map(
    id: str,
    title: str,
    description: str,
    rows: list[str],
    columns: list[str],
    cells: list[list[tuple[int, int]]],
) -> Figure:
    """Return a grid of rows × columns; each cell (met, of) shows "met/of" and its share."""
    label_width, cell_width, cell_height, head = 230, (WIDTH - 230) / max(len(columns), 1), 34, 52
    height = head + cell_height * len(rows) + 8
    figure = Figure(id, title, description, WIDTH, height)
    for column, name in enumerate(columns):
        x = label_width + column * cell_width + cell_width / 2
        lines = wrap(name, cell_width - 6, 10)[:3]
        for number, line in enumerate(lines):
            y = head - 8 - 12 * (len(lines) - 1 - number)
            figure.shapes.append(Text(x, y, line, size=10, anchor="middle", bold=True))
    for row, name in enumerate(rows):
        y = head + row * cell_height
        figure.shapes.append(Text(label_width - 8, y + 21, shorten(name, label_width - 12),
                                  anchor="end"))  # fmt: skip
        for column, (met, of) in enumerate(cells[row]):
            share = met / of if of else 0
            fill, ink = shade(share)
            x = label_width + column * cell_width
            text = f"{met}/{of} · {100 * share:.0f} %"
            figure.shapes += [
                Rect(x + 1, y + 1, cell_width - 2, cell_height - 2, fill=fill,
                     tooltip=f"{name}, {columns[column]}: {text}"),
                Text(x + cell_width / 2, y + 21, text, size=12, anchor="middle", fill=ink),
            ]  # fmt: skip
    return figure
