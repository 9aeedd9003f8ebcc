"""Per-case timelines: the case's events against its due dates, as inline SVG plus small tables."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any

import pandas as pd

from ..terminal_text import visible
from ..timeutil import LOCAL_TZ, NS_PER_DAY
from ..vocabulary import EVENTS
from .i18n import kind_label, status_label, word

STATUS_COLOURS = {
    "met": "#2e7d32",
    "late": "#ef6c00",
    "overdue": "#c62828",
    "pending": "#1565c0",
    "missing": "#6a1b9a",
}
WIDTH, LEFT, RIGHT, LANE = 940, 120, 20, 26
ACT_KINDS = ("premature", "prohibited", "invalid")


def local_text(ns: Any, seconds: bool = False) -> str:
    if ns is None or pd.isna(ns):
        return ""
    stamp = pd.Timestamp(int(ns), tz="UTC").tz_convert(LOCAL_TZ)
    return stamp.strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


def ns_of(value: Any) -> int | None:
    if value is None or pd.isna(value):
        return None
    return int(pd.Timestamp(value).value)


@dataclass
class CaseData:
    case_id: str
    events: pd.DataFrame  # rows of the prepared log for this case (may be empty)
    obligations: pd.DataFrame
    violations: pd.DataFrame


class Scale:
    def __init__(self, times: list[int]) -> None:
        lo, hi = min(times), max(times)
        if hi - lo < NS_PER_DAY:
            lo, hi = lo - NS_PER_DAY // 2, hi + NS_PER_DAY // 2
        pad = (hi - lo) * 0.03
        self.lo, self.hi = lo - pad, hi + pad

    def x(self, ns: int) -> float:
        return LEFT + (WIDTH - LEFT - RIGHT) * (ns - self.lo) / (self.hi - self.lo)


def _axis(scale: Scale, y: int) -> str:
    parts = [f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y}" y2="{y}" class="axisline"/>']
    short = scale.hi - scale.lo < 3 * NS_PER_DAY
    for i in range(6):
        ns = int(scale.lo + (scale.hi - scale.lo) * i / 5)
        x = scale.x(ns)
        stamp = pd.Timestamp(ns, tz="UTC").tz_convert(LOCAL_TZ)
        label = stamp.strftime("%m-%d %H:%M" if short else "%Y-%m-%d")
        anchor = "start" if i == 0 else ("end" if i == 5 else "middle")
        parts.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{y}" y2="{y + 4}" class="axisline"/>'
            f'<text x="{x:.1f}" y="{y + 16}" class="axis" text-anchor="{anchor}">{label}</text>'
        )
    return "".join(parts)


def timeline_svg(case: CaseData, as_of_ns: int, lang: str) -> str:
    events, owed, found = case.events, case.obligations, case.violations
    acts = found[found["kind"].isin(ACT_KINDS)] if not found.empty else found
    times: list[int] = [int(t) for t in events["time_ns"]] if not events.empty else []
    for column in ("trigger_at", "due", "fulfilled_at"):
        if not owed.empty:
            times += [ns for ns in (ns_of(v) for v in owed[column]) if ns is not None]
    if not acts.empty:
        times += [ns for ns in (ns_of(v) for v in acts["occurred_at"]) if ns is not None]
    open_owed = not owed.empty and owed["status"].isin(["overdue", "pending"]).any()
    if open_owed:
        times.append(as_of_ns)
    if not times:
        return ""
    scale = Scale(times)
    lanes = 1 + len(owed) + (1 if not acts.empty else 0)
    height = 12 + lanes * LANE + 26
    out = [
        f'<svg class="timeline" width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" '
        f'xmlns="http://www.w3.org/2000/svg">'
    ]
    y = 12
    out.append(
        f'<text x="{LEFT - 8}" y="{y + 12}" class="axis" text-anchor="end">{escape(word(lang, "events"))}</text>'
    )
    for i, event in enumerate(events.itertuples(index=False), start=1):
        x = scale.x(int(event.time_ns))
        # and where it lies in its file, as explain says (row 4, line 2 of b.csv); a file's name as given, escaped
        place = visible(getattr(event, "place", ""))
        where = f"{word(lang, 'row')} {event.row}" + (f"{'，' if lang == 'zh' else ', '}{place}" if place else "")
        tip = f"{i}. {local_text(event.time_ns)} {event.event} ({where})"
        out.append(
            f'<g><title>{escape(tip)}</title><circle cx="{x:.1f}" cy="{y + 8}" r="4" class="event"/>'
            f'<text x="{x:.1f}" y="{y + 22}" class="tiny" text-anchor="middle">{i}</text></g>'
        )
    y += LANE
    for record in owed.to_dict(orient="records"):
        colour = STATUS_COLOURS.get(record["status"], "#555")
        start, due, done = ns_of(record["trigger_at"]), ns_of(record["due"]), ns_of(record["fulfilled_at"])
        tip = (
            f"{record['clause']} {record['rule_id']}: {status_label(lang, record['status'])}; "
            f"{word(lang, 'due')} {local_text(due)}"
        )
        out.append(
            f"<g><title>{escape(tip)}</title>"
            f'<text x="{LEFT - 8}" y="{y + 12}" class="axis" text-anchor="end">'
            f"{escape(str(record['clause']))}"
            "</text>"
        )
        if start is not None:
            end = due if due is not None else (done or as_of_ns)
            x0, x1 = scale.x(start), scale.x(end)
            out.append(f'<rect x="{x0:.1f}" y="{y + 4}" width="{max(x1 - x0, 1):.1f}" height="8" class="period"/>')
        if due is not None:
            xd = scale.x(due)
            out.append(f'<line x1="{xd:.1f}" x2="{xd:.1f}" y1="{y}" y2="{y + 16}" class="due"/>')
            if record["status"] == "overdue":
                out.append(
                    f'<line x1="{xd:.1f}" x2="{scale.x(as_of_ns):.1f}" y1="{y + 8}" y2="{y + 8}" '
                    f'stroke="{colour}" stroke-width="3" stroke-dasharray="4 3"/>'
                )
        if done is not None:
            out.append(f'<circle cx="{scale.x(done):.1f}" cy="{y + 8}" r="5" fill="{colour}"/>')
        out.append("</g>")
        y += LANE
    if not acts.empty:
        out.append(
            f'<text x="{LEFT - 8}" y="{y + 12}" class="axis" text-anchor="end">{escape(word(lang, "acts"))}</text>'
        )
        for record in acts.to_dict(orient="records"):
            at = ns_of(record["occurred_at"])
            if at is None:
                continue
            x = scale.x(at)
            tip = f"{record['clause']} {kind_label(lang, record['kind'])}: {local_text(at)}"
            out.append(
                f'<g><title>{escape(tip)}</title><path d="M{x:.1f} {y + 2} l6 6 l-6 6 l-6 -6 z" class="act"/></g>'
            )
        y += LANE
    if scale.lo <= as_of_ns <= scale.hi:
        xa = scale.x(as_of_ns)
        out.append(
            f'<line x1="{xa:.1f}" x2="{xa:.1f}" y1="4" y2="{y}" class="asof"><title>'
            f"{escape(word(lang, 'as_of_marker'))}</title></line>"
        )
    out.append(_axis(scale, y + 2))
    out.append("</svg>")
    return "".join(out)


def _table(headers: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    # text from the log (an actor) with its control characters as escapes: see html._td
    body = "".join("<tr>" + "".join(f"<td>{escape(visible(c))}</td>" for c in row) + "</tr>" for row in rows)
    return f'<table class="small"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def case_section(case: CaseData, as_of_ns: int, lang: str) -> str:

    def w(key: str) -> str:
        return word(lang, key)

    count = len(case.violations)
    badge = f'<span class="badge">{count}</span>' if count else ""
    parts = [
        f'<details class="case" data-case="{escape(case.case_id)}" data-findings="{count}">'
        f"<summary>{escape(visible(case.case_id))} {badge}</summary>",
        timeline_svg(case, as_of_ns, lang),
    ]
    if not case.events.empty:
        actors = case.events["actor"] if "actor" in case.events.columns else pd.Series([None] * len(case.events))
        rows = [
            [str(i), local_text(t), str(e), EVENTS.get(str(e), ""), "" if pd.isna(a) else str(a), str(r)]
            for i, (t, e, a, r) in enumerate(
                zip(case.events["time_ns"], case.events["event"], actors, case.events["row"], strict=True),
                start=1,
            )
        ]
        headers = ["#", w("time"), w("event"), "", w("actor"), w("row")]
        places = case.events["place"].tolist() if "place" in case.events.columns else []
        if any(places):  # the row's line in its own file (html._placed); none for a frame's rows
            headers.append(w("place"))
            rows = [[*row, place] for row, place in zip(rows, places, strict=True)]
        parts.append(_table(headers, rows))
    else:
        parts.append(f'<p class="muted">{escape(w("no_events"))}</p>')
    if not case.obligations.empty:
        rows = [
            [
                str(o["clause"]),
                str(o["rule_id"]),
                local_text(ns_of(o["trigger_at"])),
                local_text(ns_of(o["due"])),
                local_text(ns_of(o["fulfilled_at"])),
                status_label(lang, str(o["status"])),
                "" if pd.isna(o["working_days_late"]) else str(o["working_days_late"]),
            ]
            for o in case.obligations.to_dict(orient="records")
        ]
        parts.append(
            _table(
                [w("clause"), w("rule"), w("trigger"), w("due"), w("fulfilled"), w("status"), w("wd_late")],
                rows,
            )
        )
    if count:
        message = "message_zh" if lang == "zh" else "message_en"
        found = case.violations
        mitigations = found["mitigation"] if "mitigation" in found.columns else pd.Series(None, index=found.index)
        items = "".join(
            f"<li>{escape(visible(str(m)))}{_mitigation(lang, relief)}</li>"
            for m, relief in zip(found[message], mitigations, strict=True)
        )
        parts.append(f'<ul class="findings">{items}</ul>')
    parts.append("</details>")
    return "".join(parts)


def _mitigation(lang: str, relief: Any) -> str:
    """A finding's good-faith relief (Xinjiang 42), marked after its message: reported, never dropped."""
    if relief is None or pd.isna(relief):
        return ""
    colon = "：" if lang == "zh" else ": "
    return f'<br><span class="mitigation">{escape(word(lang, "mitigation"))}{colon}{escape(str(relief))}</span>'
