"""Charts of activity over time and per item: grouped columns by month, grouped bars by name.

Laid out as `Figure` shapes like every report chart (see charts.py), so the same SVG writer
draws them. Each series has its own colour and a legend; every bar carries its number as
text where there is room, and the page shows the same numbers in a table beside the chart.
"""

from __future__ import annotations

from microcred.reports.charts import WIDTH, _ticks, shorten
from microcred.reports.figure import INK, MUTED, Figure, Line, Rect, Text

# Colours of up to six series, each at least 4.5:1 on white, distinct in hue and lightness.
SERIES_COLOURS = ("#1f5f8b", "#b34700", "#2e7d32", "#a4133c", "#6a3d9a", "#4d4d4d")

Series = list[tuple[str, list[int]]]  # (name, one count per column or row)


def _legend(figure: Figure, series: Series, left: float) -> float:
    """Draw the legend from ``left``, wrapping onto new rows; return the height it takes."""
    x, y = left, 6.0
    for index, (name, _counts) in enumerate(series):
        width = 16 + len(name) * 7 + 18
        if x > left and x + width > figure.width - 4:
            x, y = left, y + 20
        figure.shapes += [
            Rect(x, y, 12, 12, fill=SERIES_COLOURS[index]),
            Text(x + 16, y + 10, name, size=12),
        ]
        x += width
    return y + 20


def monthly_columns(
    id: str, title: str, description: str, months: list[str], series: Series
) -> Figure:
    """Return columns grouped by month, one colour per series, with a gridded count axis."""
    height = 300
    figure = Figure(id, title, description, WIDTH, height)
    left, right, bottom = 46, WIDTH - 12, height - 40
    top = _legend(figure, series, left) + 14
    most = max((count for _name, counts in series for count in counts), default=0)
    ticks = _ticks(most or 1)
    for tick in ticks:
        y = bottom - (bottom - top) * tick / ticks[-1]
        figure.shapes += [
            Line(left, y, right, y),
            Text(left - 6, y + 4, str(tick), size=11, anchor="end", fill=MUTED),
        ]
    group = (right - left) / max(len(months), 1)
    column = max((group - 6) / max(len(series), 1), 1)
    every = max(1, round(len(months) / 12))  # at most about twelve month labels
    for position, month in enumerate(months):
        start = left + position * group + 3
        for index, (name, counts) in enumerate(series):
            count = counts[position]
            if not count:
                continue
            bar = (bottom - top) * count / ticks[-1]
            x = start + index * column
            figure.shapes.append(
                Rect(x, bottom - bar, column - 1, bar, fill=SERIES_COLOURS[index],
                     tooltip=f"{month}, {name}: {count}")
            )  # fmt: skip
            if column >= 14:
                figure.shapes.append(
                    Text(x + column / 2, bottom - bar - 3, str(count), size=10, anchor="middle")
                )
        if position % every == 0:
            figure.shapes.append(
                Text(start + (group - 6) / 2, bottom + 16, month, size=11, anchor="middle",
                     fill=MUTED)
            )  # fmt: skip
    figure.shapes.append(Line(left, bottom, right, bottom, stroke=MUTED))
    return figure


def grouped_bars(
    id: str, title: str, description: str, labels: list[str], series: Series
) -> Figure:
    """Return one group of horizontal bars per label, one bar per series, count after each."""
    label_width, bar_height, gap = 230, 12, 12
    group = bar_height * len(series) + gap
    figure = Figure(id, title, description, WIDTH, 0)
    top = _legend(figure, series, 8) + 8
    height = figure.height = top + group * len(labels) + 8
    most = max((count for _name, counts in series for count in counts), default=0) or 1
    room = WIDTH - label_width - 50
    for row, label in enumerate(labels):
        y = top + row * group
        figure.shapes.append(
            Text(label_width - 8, y + group / 2, shorten(label, label_width - 12), anchor="end")
        )
        for index, (name, counts) in enumerate(series):
            count = counts[row]
            length = room * count / most
            bar_top = y + index * bar_height
            figure.shapes += [
                Rect(label_width, bar_top, max(length, 1), bar_height - 2,
                     fill=SERIES_COLOURS[index], tooltip=f"{label}, {name}: {count}"),
                Text(label_width + length + 5, bar_top + 10, str(count), size=10, fill=INK),
            ]  # fmt: skip
    figure.shapes.append(Line(label_width, top - 2, label_width, height - 8, stroke=MUTED))
    return figure
