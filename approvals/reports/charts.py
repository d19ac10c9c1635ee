"""Bar charts as SVG drawn on the server: no JavaScript, no CDN, nothing fetched by the browser.

The site's Content-Security-Policy refuses inline ``style`` attributes, so every colour and size
is an SVG presentation attribute (``fill``, ``font-size``). Each chart is an image to assistive
technology (``role="img"`` with a ``<title>`` and an ``aria-label`` summing it up); the page puts
the same numbers in a data table right next to it, which is what a screen reader should read.
All text is escaped here: unit and category names are typed by administrators.
"""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from esa_publish.thai.digits import digits_for_page

SERIES_COLOURS = ("#1f5fa8", "#2e8b57", "#c47a00", "#8e44ad")
GRID = "#d5dbe3"
INK = "#1d2733"
FONT = "Sarabun, 'Noto Sans Thai', sans-serif"
LABEL_CHARS = 34


def _short(text: str, limit: int = LABEL_CHARS) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _num(value: int | float) -> str:
    return digits_for_page(f"{value:,}")


def _open(width: int, height: int, title: str, summary: str, chart_id: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" id="{escape(chart_id)}"'
        f' viewBox="0 0 {width} {height}" width="{width}" height="{height}"'
        f' aria-label="{escape(summary)}" font-family="{escape(FONT)}" font-size="13"'
        f' fill="{INK}">',
        f"<title>{escape(title)}</title>",
    ]


def bar_chart(*, title: str, rows: list[tuple[str, int]], chart_id: str, what: str) -> SafeString:
    """Horizontal bars, one per row (a unit or a category): long Thai names fit on the left."""
    label_w, bar_w, row_h, top = 270, 360, 26, 10
    width = label_w + bar_w + 80
    height = top + row_h * max(len(rows), 1) + 10
    peak = max((value for _, value in rows), default=0) or 1
    summary = f"{title}: " + "; ".join(f"{name} {_num(value)} {what}" for name, value in rows)
    parts = _open(width, height, title, summary, chart_id)
    parts.append(
        f'<line x1="{label_w}" y1="{top - 4}" x2="{label_w}" y2="{height - 6}"'
        f' stroke="{GRID}" stroke-width="1"/>'
    )
    for index, (name, value) in enumerate(rows):
        y = top + index * row_h
        length = round(bar_w * value / peak) if value else 0
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 17}" text-anchor="end">{escape(_short(name))}</text>'
        )
        if length:
            parts.append(
                f'<rect x="{label_w}" y="{y + 4}" width="{length}" height="{row_h - 8}"'
                f' fill="{SERIES_COLOURS[0]}" rx="2"/>'
            )
        parts.append(f'<text x="{label_w + length + 6}" y="{y + 17}">{_num(value)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every piece of text above is escaped)


def trend_chart(
    *,
    title: str,
    quarters: list[str],
    series: list[tuple[str, list[int]]],
    chart_id: str,
    group_w: int = 150,
) -> SafeString:
    """Grouped vertical bars: one group per quarter (or week), one bar per series, a legend."""
    left, top, plot_h = 50, 36, 200
    bar_w = max(10, (group_w - 20) // max(len(series), 1))
    width = left + group_w * max(len(quarters), 1) + 20
    height = top + plot_h + 40
    peak = max((v for _, values in series for v in values), default=0) or 1
    summary = f"{title}: " + "; ".join(
        f"{quarter} " + ", ".join(f"{name} {_num(values[i])}" for name, values in series)
        for i, quarter in enumerate(quarters)
    )
    parts = _open(width, height, title, summary, chart_id)
    for index, (name, _values) in enumerate(series):  # the legend
        x = left + index * 150
        colour = SERIES_COLOURS[index % len(SERIES_COLOURS)]
        parts.append(f'<rect x="{x}" y="8" width="12" height="12" fill="{colour}"/>')
        parts.append(f'<text x="{x + 18}" y="19">{escape(name)}</text>')
    base = top + plot_h
    parts.append(
        f'<line x1="{left - 5}" y1="{base}" x2="{width - 10}" y2="{base}"'
        f' stroke="{GRID}" stroke-width="1"/>'
    )
    for q, quarter in enumerate(quarters):
        gx = left + q * group_w
        for s, (_name, values) in enumerate(series):
            value = values[q]
            bar_h = round(plot_h * value / peak) if value else 0
            x = gx + 10 + s * bar_w
            colour = SERIES_COLOURS[s % len(SERIES_COLOURS)]
            if bar_h:
                parts.append(
                    f'<rect x="{x}" y="{base - bar_h}" width="{bar_w - 4}" height="{bar_h}"'
                    f' fill="{colour}"/>'
                )
            parts.append(
                f'<text x="{x + (bar_w - 4) / 2:g}" y="{base - bar_h - 4}" text-anchor="middle"'
                f' font-size="11">{_num(value)}</text>'
            )
        parts.append(
            f'<text x="{gx + group_w / 2:g}" y="{base + 22}" text-anchor="middle">'
            f"{escape(quarter)}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every piece of text above is escaped)
