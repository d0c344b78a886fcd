"""Small server-side SVG charts for the printed reports: no JavaScript, no library.

Each builder returns one ``<svg>`` element as a string, with a ``<title>`` and its
figures written as text, so the chart still reads when printed in grey or copied as
text. Every label passes through :func:`~django.utils.html.escape` (labels are user
text: account handles, agency names). The series colours differ in lightness, not
only in hue, and every bar has a dark outline, so they stay apart in grey print.
"""

import math
from collections.abc import Callable, Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Dark, middle and light: distinct in grey print as well as in colour.
PALETTE = ("#1f3b73", "#7a9cd6", "#e3e9f4", "#4d4d4d", "#b0b0b0")
OUTLINE = "#222222"
FONT = "DejaVu Sans, sans-serif"


def number(value: int | float | None) -> str:
    """A whole number the Indonesian way: ``1234567`` → ``1.234.567``; None → ``–``."""
    if value is None:
        return "–"
    return f"{round(value):,}".replace(",", ".")


def percent(rate: float | None, digits: int = 1) -> str:
    """A rate (0–1) as an Indonesian percentage: ``0.875`` → ``87,5 %``; None → ``–``."""
    if rate is None:
        return "–"
    text = f"{rate * 100:.{digits}f}".replace(".", ",")
    return f"{text} %"


def _text(x, y, label, *, size=9, anchor="start", weight="normal", fill="#000") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-family="{FONT}" font-size="{size}" '
        f'text-anchor="{anchor}" font-weight="{weight}" fill="{fill}">{escape(label)}</text>'
    )


def _shorten(label: str, limit: int) -> str:
    label = " ".join(str(label).split())
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _nice_max(value: float) -> float:
    """A round axis maximum at or above ``value`` (1, 2, 2.5 or 5 times a power of 10)."""
    if value <= 0:
        return 1
    power = 1
    while power * 10 <= value:
        power *= 10
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= value:
            return step * power
    return 10 * power  # pragma: no cover


def stacked_bars(
    *,
    title: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[int]]],
    width: int = 600,
    height: int = 260,
) -> SafeString:
    """A vertical bar chart, one bar per category (e.g. month), stacked by series
    (e.g. the three Pasal 10 categories), each bar topped by its total."""
    left, right, top, bottom = 40, 10, 28, 56
    plot_w, plot_h = width - left - right, height - top - bottom
    totals = [sum(values[i] for _, values in series) for i in range(len(categories))]
    # Four gridlines at whole numbers: the step is a round number of at least 1.
    axis_max = 4 * max(1, math.ceil(_nice_max(max(totals, default=0) / 4)))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img">',
        f"<title>{escape(title)}</title>",
        _text(left, 14, title, size=10, weight="bold"),
    ]
    for tick in range(5):
        value = axis_max * tick / 4
        y = top + plot_h - plot_h * tick / 4
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" '
            f'stroke="#cccccc" stroke-width="0.5"/>'
        )
        parts.append(_text(left - 4, y + 3, number(value), size=7, anchor="end"))
    slot = plot_w / max(len(categories), 1)
    bar_w = slot * 0.62
    for i, category in enumerate(categories):
        x = left + slot * i + (slot - bar_w) / 2
        y = top + plot_h
        for s, (_, values) in enumerate(series):
            value = values[i]
            if not value:
                continue
            h = plot_h * value / axis_max
            y -= h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                f'fill="{PALETTE[s % len(PALETTE)]}" stroke="{OUTLINE}" stroke-width="0.6"/>'
            )
        if totals[i]:
            parts.append(_text(x + bar_w / 2, y - 3, number(totals[i]), size=7, anchor="middle"))
        parts.append(
            _text(x + bar_w / 2, top + plot_h + 11, _shorten(category, 8), size=7, anchor="middle")
        )
    parts.append(
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" '
        f'stroke="{OUTLINE}" stroke-width="0.8"/>'
    )
    # Legend, one row under the axis.
    x, y = left, height - 18
    for s, (label, _) in enumerate(series):
        parts.append(
            f'<rect x="{x}" y="{y - 8}" width="10" height="10" '
            f'fill="{PALETTE[s % len(PALETTE)]}" stroke="{OUTLINE}" stroke-width="0.6"/>'
        )
        short = _shorten(label, 48)
        parts.append(_text(x + 14, y, short, size=7))
        x += 24 + len(short) * 4.2
        if x > width - 120:
            x, y = left, y + 13
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every label above is escaped


def horizontal_bars(
    *,
    title: str,
    rows: Sequence[tuple[str, float | None]],
    value_format: Callable[[float | None], str] = number,
    axis_max: float | None = None,
    width: int = 600,
    label_width: int = 200,
) -> SafeString:
    """A horizontal bar chart, one labelled bar per row (e.g. audience per account,
    on-time rate per agency), its value written at the end of the bar. A row whose
    value is None gets no bar and shows ``–``."""
    bar_h, gap, top = 13, 5, 24
    height = top + len(rows) * (bar_h + gap) + 8
    plot_w = width - label_width - 60
    values = [v for _, v in rows if v is not None]
    scale = axis_max if axis_max else _nice_max(max(values, default=0))
    label_chars = int(label_width / 5)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img">',
        f"<title>{escape(title)}</title>",
        _text(0, 12, title, size=10, weight="bold"),
    ]
    for i, (label, value) in enumerate(rows):
        y = top + i * (bar_h + gap)
        parts.append(
            _text(
                label_width - 6, y + bar_h - 3, _shorten(label, label_chars), anchor="end", size=8
            )
        )
        w = 0.0
        if value:
            w = max(plot_w * value / scale, 1.0)
            parts.append(
                f'<rect x="{label_width}" y="{y}" width="{w:.1f}" height="{bar_h}" '
                f'fill="{PALETTE[0]}" stroke="{OUTLINE}" stroke-width="0.6"/>'
            )
        parts.append(_text(label_width + w + 4, y + bar_h - 3, value_format(value), size=8))
    parts.append(
        f'<line x1="{label_width}" y1="{top - 3}" x2="{label_width}" y2="{height - 6}" '
        f'stroke="{OUTLINE}" stroke-width="0.8"/>'
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every label above is escaped
