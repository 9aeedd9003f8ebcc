"""On-time charts as inline SVG (no script, no fonts, no network): 100 % stacked bars."""

from __future__ import annotations

from html import escape
from typing import Any

from .i18n import status_label, word

COLOURS = {"met": "#2e7d32", "late": "#ef6c00", "overdue": "#c62828"}
PARTS = ("met", "late", "overdue")


def _pct(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


def _tooltip(row: dict[str, Any], lang: str) -> str:
    parts = ", ".join(f"{status_label(lang, p)} {row[p]}" for p in PARTS)
    return f"{row['label']}: {parts} — {word(lang, 'on_time_rate')} {_pct(row['rate'])}"


def legend(lang: str) -> str:
    items = "".join(
        f'<span class="legend-item"><span class="swatch" style="background:{COLOURS[p]}"></span>'
        f"{escape(status_label(lang, p))}</span>"
        for p in PARTS
    )
    return f'<div class="legend">{items}</div>'


def month_chart(rows: list[dict[str, Any]], lang: str) -> str:
    """One vertical 100 % bar per month of the due date, the on-time rate on top."""
    if not rows:
        return f'<p class="muted">{escape(word(lang, "no_obligations_due"))}</p>'
    plot_h, top, bottom, left = 180, 22, 56, 36
    step = max(14, min(56, 860 // len(rows)))
    bar = max(8, int(step * 0.7))
    width = left + step * len(rows) + 10
    height = top + plot_h + bottom
    out = [
        f'<svg class="chart" id="chart-month" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">'
    ]
    for tick in (0, 50, 100):
        y = top + plot_h - plot_h * tick / 100
        out.append(
            f'<line x1="{left}" x2="{width - 5}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
            f'<text x="{left - 4}" y="{y + 4:.1f}" class="axis" text-anchor="end">{tick}%</text>'
        )
    for i, row in enumerate(rows):
        x = left + i * step + (step - bar) / 2
        y = top + plot_h
        out.append(
            f'<g class="bar" data-key="{escape(row["key"])}" data-total="{row["total"]}" '
            f'data-met="{row["met"]}"><title>{escape(_tooltip(row, lang))}</title>'
        )
        for part in PARTS:
            if not row["total"] or not row[part]:
                continue
            h = plot_h * row[part] / row["total"]
            y -= h
            out.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar}" height="{h:.1f}" fill="{COLOURS[part]}"/>')
        cx = x + bar / 2
        if step >= 34:
            out.append(
                f'<text x="{cx:.1f}" y="{top - 6}" class="value" text-anchor="middle">{_pct(row["rate"])}</text>'
            )
        label_y = top + plot_h + 12
        out.append(
            f'<text x="{cx:.1f}" y="{label_y}" class="axis" text-anchor="end" '
            f'transform="rotate(-45 {cx:.1f} {label_y})">{escape(row["label"])}</text></g>'
        )
    out.append("</svg>")
    return "".join(out)


def topic_chart(rows: list[dict[str, Any]], lang: str) -> str:
    """One horizontal 100 % bar per process (rule topic), the rate and counts at the right."""
    if not rows:
        return f'<p class="muted">{escape(word(lang, "no_obligations_due"))}</p>'
    left, bar_w, row_h, right = 150, 520, 24, 190
    width = left + bar_w + right
    height = row_h * len(rows) + 8
    out = [
        f'<svg class="chart" id="chart-topic" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">'
    ]
    for i, row in enumerate(rows):
        y = 4 + i * row_h
        out.append(
            f'<g class="bar" data-key="{escape(row["key"])}" data-total="{row["total"]}" '
            f'data-met="{row["met"]}"><title>{escape(_tooltip(row, lang))}</title>'
            f'<text x="{left - 6}" y="{y + 15}" class="axis" text-anchor="end">{escape(row["label"])}</text>'
        )
        x = float(left)
        for part in PARTS:
            if not row["total"] or not row[part]:
                continue
            w = bar_w * row[part] / row["total"]
            out.append(f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{row_h - 8}" fill="{COLOURS[part]}"/>')
            x += w
        counts = " / ".join(str(row[p]) for p in PARTS)
        out.append(f'<text x="{left + bar_w + 8}" y="{y + 15}" class="value">{_pct(row["rate"])} ({counts})</text></g>')
    out.append("</svg>")
    return "".join(out)
