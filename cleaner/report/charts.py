"""Charts as inline SVG strings, so the report opens offline with no script or CDN.

Every chart scales to its container through `viewBox`; each bar carries a `<title>` that the browser
shows as a tooltip with the exact figure.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape
from typing import Any

# Colour-blind-safe categorical palette (Okabe-Ito, then Tableau), assigned in sorted category order so a
# category has the same colour in the charts, the legend and the highlighted per-document views.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#4E79A7",
           "#F28E2B", "#59A14F", "#B07AA1", "#76B7B2")
ACCENT, MUTED = "#0072B2", "#94a3b8"


def palette(names: Iterable[str]) -> dict[str, str]:
    return {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(sorted(set(names)))}


def category_palette(noise: dict[str, Any]) -> dict[str, str]:
    """A colour for every noise category the report names: one whose spans all lie under other categories'
    removes no character of its own, yet is still listed by its spans and documents."""
    return palette([*noise["removed_chars_by_category"], *noise["spans_by_category"]])


def bar_chart(items: Sequence[tuple[str, float]], label: str, colours: dict[str, str] | None = None,
              percent: bool = False) -> str:
    """Horizontal bars, one per (name, value), longest first as given; `percent` values are 0..1 shares."""
    if not items:
        return '<p class="empty">Nothing to chart.</p>'
    row, name_w, bar_w, value_w = 24, 150, 260, 80
    top = max(value for _, value in items) or 1
    scale = 1 if percent else top
    height = row * len(items) + 8
    parts = [f'<svg class="chart bars" role="img" aria-label="{escape(label)}" viewBox="0 0 {name_w + bar_w + value_w} '
             f'{height}" preserveAspectRatio="xMinYMin meet">']
    for i, (name, value) in enumerate(items):
        y = 4 + i * row
        width = max(bar_w * value / scale, 1.5 if value else 0)
        shown = f"{value:.1%}" if percent else f"{value:,}"
        short = name if len(name) <= 22 else name[:21] + "…"
        colour = (colours or {}).get(name, ACCENT)
        parts.append(
            f'<g><title>{escape(name)}: {shown}</title>'
            f'<text x="{name_w - 8}" y="{y + 16}" text-anchor="end" class="axis">{escape(short)}</text>'
            f'<rect x="{name_w}" y="{y + 3}" width="{bar_w}" height="{row - 8}" rx="3" class="track"/>'
            f'<rect x="{name_w}" y="{y + 3}" width="{width:.1f}" height="{row - 8}" rx="3" fill="{colour}"/>'
            f'<text x="{name_w + bar_w + 8}" y="{y + 16}" class="value">{shown}</text></g>')
    parts.append("</svg>")
    return "".join(parts)


def histogram(bins: Sequence[str], series: Sequence[tuple[str, Sequence[int], str]], label: str,
              axis: str = "characters per document", unit: str = " chars") -> str:
    """Grouped vertical bars: for each bin, one bar per (name, counts, colour) series, with a legend;
    `axis` names what the bins measure, `unit` follows a bin's name in its tooltip."""
    width, height, left, bottom, top_pad = 560, 250, 48, 40, 28
    plot_w, plot_h = width - left - 8, height - bottom - top_pad
    top = max((max(counts) for _, counts, _ in series if counts), default=0) or 1
    group = plot_w / len(bins)
    bar = (group - 10) / len(series)
    parts = [f'<svg class="chart" role="img" aria-label="{escape(label)}" viewBox="0 0 {width} {height}">']
    for tick in (0, 0.5, 1):
        y = top_pad + plot_h * (1 - tick)
        parts.append(f'<line x1="{left}" x2="{width - 8}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
                     f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" class="axis">'
                     f'{round(top * tick):,}</text>')
    for b, name in enumerate(bins):
        x0 = left + b * group + 5
        for s, (series_name, counts, colour) in enumerate(series):
            h = plot_h * counts[b] / top
            parts.append(f'<rect x="{x0 + s * bar:.1f}" y="{top_pad + plot_h - h:.1f}" width="{bar - 2:.1f}" '
                         f'height="{h:.1f}" fill="{colour}"><title>{escape(series_name)}, '
                         f'{escape(name)}{escape(unit)}: '
                         f'{counts[b]:,} documents</title></rect>')
        parts.append(f'<text x="{x0 + group / 2 - 5:.1f}" y="{height - bottom + 16}" text-anchor="middle" '
                     f'class="axis">{escape(name)}</text>')
    parts.append(f'<text x="{left + plot_w / 2:.0f}" y="{height - 6}" text-anchor="middle" class="axis">'
                 f'{escape(axis)}</text>')
    for s, (series_name, _, colour) in enumerate(series):
        x = left + 10 + s * 140
        parts.append(f'<rect x="{x}" y="6" width="12" height="12" rx="2" fill="{colour}"/>'
                     f'<text x="{x + 18}" y="16" class="axis">{escape(series_name)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def stacked_bar(parts: Sequence[tuple[str, int, str]], label: str) -> str:
    """One full-width bar split into (name, count, colour) parts, with the counts underneath."""
    total = sum(count for _, count, _ in parts) or 1
    width, x = 960.0, 0.0
    out = [f'<svg class="chart" role="img" aria-label="{escape(label)}" viewBox="0 0 {width:.0f} 58">']
    for name, count, colour in parts:
        w = width * count / total
        out.append(f'<rect x="{x:.1f}" y="0" width="{w:.1f}" height="30" fill="{colour}"><title>{escape(name)}: '
                   f'{count:,} ({count / total:.1%})</title></rect>')
        x += w
    for i, (name, count, colour) in enumerate(parts):
        lx = i * (width / len(parts))
        out.append(f'<rect x="{lx:.1f}" y="40" width="12" height="12" rx="2" fill="{colour}"/>'
                   f'<text x="{lx + 18:.1f}" y="50" class="axis">{escape(name)}: {count:,} '
                   f'({count / total:.1%})</text>')
    out.append("</svg>")
    return "".join(out)
