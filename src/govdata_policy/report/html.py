"""The HTML report: one self-contained file that opens offline.

Style and script are inlined from ``static/``; charts and timelines are inline
SVG drawn here; the violations table is rendered in the browser from JSON
embedded in the page. A Content-Security-Policy forbids every network request.
The totals carry ``data-value`` attributes (``#total-violations`` …) so a test
or a script can read the numbers without parsing text.
"""

from __future__ import annotations

import json
from html import escape
from importlib import resources
from typing import Any

import pandas as pd

from ..details import note_text
from ..reasons_zh import rejected_reason
from ..terminal_text import visible
from .charts import legend, month_chart, topic_chart
from .evidence import row_place_texts
from .html_table import TABLE_CAP, table_columns, table_data
from .i18n import kind_label, word
from .summary import Summary, cited_column, clause_key, summarise
from .timeline import CaseData, case_section, local_text

CASE_CAP = 100  # case timelines
REJECTED_CAP = 200
PARTY_CAP = 100  # responsible departments, the most findings first
CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"


def _asset(name: str) -> str:
    return resources.files(__package__).joinpath("static", name).read_text(encoding="utf-8")


def _script_json(value: Any) -> str:
    """JSON safe inside <script>: no '<', '>' or '&' survive unescaped."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def _number(element_id: str, value: int, extra: str = "") -> str:
    return f'<span class="value{extra}" id="{element_id}" data-value="{int(value)}">{int(value)}</span>'


def _table(headers: list[tuple[str, bool]], rows: list[list[str]], table_id: str = "") -> str:
    attr = f' id="{table_id}"' if table_id else ""
    head = "".join(f"<th{' class=num' if num else ''}>{escape(h)}</th>" for h, num in headers)
    body = "".join("<tr>" + "".join(cell for cell in row) + "</tr>" for row in rows)
    return f"<table{attr}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _td(value: Any, num: bool = False, cell_id: str = "") -> str:
    """A cell; its control characters written as escapes (``terminal_text.visible``), as a party from the
    log may hold them: a browser drops a NUL and obeys a right-to-left override, which turns the text around."""
    text = "" if value is None else visible(str(value))
    attrs = (' class="num"' if num else "") + (f' id="{cell_id}" data-value="{escape(text)}"' if cell_id else "")
    return f"<td{attrs}>{escape(text)}</td>"


def _totals(s: Summary, lang: str) -> str:
    cards = [
        ("violations", _number("total-violations", s.total_violations, "")),
        ("obligations", _number("total-obligations", s.total_obligations)),
        ("cases", _number("total-cases", s.cases)),
        ("cases_with_findings", _number("cases-with-findings", s.cases_with_findings)),
        ("rows_read", _number("rows-read", s.rows.get("read", 0))),
        ("rows_accepted", _number("rows-accepted", s.rows.get("accepted", 0))),
        ("rows_rejected", _number("rows-rejected", s.rows.get("rejected", 0))),
    ]
    out = []
    for key, number in cards:
        label = word(lang, key) if not key.startswith("rows_") else f"{word(lang, 'rows')}: {word(lang, key)}"
        bad = " bad" if key == "violations" and s.total_violations else ""
        out.append(f'<div class="card{bad}"><span class="label">{escape(label)}</span>{number}</div>')
    return f'<section id="totals"><div class="cards">{"".join(out)}</div></section>'


def _summary(s: Summary, result: Any, lang: str) -> str:
    w = word
    parts = [f'<section id="summary"><h2>{escape(w(lang, "summary"))}</h2><div class="grid-2"><div>']
    parts.append(f"<h3>{escape(w(lang, 'by_kind'))}</h3>")
    parts.append(
        _table(
            [(w(lang, "kind"), False), (w(lang, "count"), True)],
            [[_td(r["label"]), _td(r["count"], True, f"kind-{r['kind']}")] for r in s.by_kind],
        )
    )
    parts.append(f"</div><div><h3>{escape(w(lang, 'by_status'))}</h3>")
    parts.append(
        _table(
            [(w(lang, "status"), False), (w(lang, "count"), True)],
            [[_td(r["label"]), _td(r["count"], True, f"status-{r['status']}")] for r in s.by_status],
        )
    )
    parts.append("</div></div>")
    if s.by_clause:
        parts.append(f"<h3>{escape(w(lang, 'by_clause'))}</h3>")
        parts.append(
            _table(
                [
                    (w(lang, "clause"), False),
                    (w(lang, "rule_title"), False),
                    (w(lang, "kind"), False),
                    (w(lang, "penalty"), False),
                    (w(lang, "consequence"), False),
                    (w(lang, "count"), True),
                ],
                [
                    [
                        _td(r["cited"]),
                        _td(r["title"]),
                        _td(r["kinds_text"]),
                        _td(r["penalty"]),
                        _td(r["consequence"]),
                        _td(r["count"], True),
                    ]
                    for r in s.by_clause
                ],
                "by-clause",
            )
        )
    if s.by_party:
        parts.append(f"<h3>{escape(w(lang, 'by_party'))}</h3>")
        if len(s.by_party) > PARTY_CAP:
            text = w(lang, "list_capped", shown=PARTY_CAP, total=len(s.by_party))
            parts.append(f'<p class="muted">{escape(text)}</p>')
        parts.append(
            _table(
                [
                    (w(lang, "party"), False),
                    (w(lang, "role"), False),
                    (w(lang, "clause"), False),
                    (w(lang, "consequence"), False),
                    (w(lang, "count"), True),
                ],
                [
                    [
                        _td(r["party"]),
                        _td(r["role"]),
                        _td(r["clauses"]),
                        _td(r["consequence"]),
                        _td(r["count"], True),
                    ]
                    for r in s.by_party[:PARTY_CAP]
                ],
                "by-party",
            )
        )
    if s.by_penalty:
        parts.append(f"<h3>{escape(w(lang, 'by_penalty'))}</h3>")
        article = s.penalty_article
        if article:
            escalation = f" {w(lang, 'escalation')}: {article['escalation']}" if article["escalation"] else ""
            parts.append(
                f'<p class="muted">{escape(w(lang, "penalty_article"))} {escape(article["article"])}: '
                f"{escape(article['text'])}{escape(escalation)}</p>"
            )
        parts.append(
            _table(
                [
                    (w(lang, "penalty"), False),
                    (w(lang, "penalty_text"), False),
                    (w(lang, "consequence"), False),
                    (w(lang, "clause"), False),
                    (w(lang, "count"), True),
                ],
                [
                    [
                        _td(r["cited"]),
                        _td(r["text"]),
                        _td(r["consequence"]),
                        _td(r["clauses"]),
                        _td(r["count"], True),
                    ]
                    for r in s.by_penalty
                ],
                "by-penalty",
            )
        )
    if s.notes:
        items = "".join(
            "<li><b>{}</b>: {}</li>".format(*(escape(visible(t)) for t in note_text(n, lang))) for n in s.notes
        )
        parts.append(f'<h3>{escape(w(lang, "notes"))}</h3><ul class="notes" id="notes">{items}</ul>')
    rejected = result.rejected_rows
    if rejected:
        parts.append(f"<h3>{escape(w(lang, 'rejected_rows'))}</h3>")
        if len(rejected) > REJECTED_CAP:
            text = w(lang, "rejected_capped", shown=REJECTED_CAP, total=len(rejected))
            parts.append(f'<p class="muted">{escape(text)}</p>')
        parts.append(
            _table(
                [(w(lang, "row"), True), (w(lang, "line"), True), (w(lang, "source"), False),
                 (w(lang, "reason"), False)],
                [
                    [_td(r.get("row"), True), _td(r.get("line") if r.get("line") is not None else "", True),
                     _td(r.get("source") or ""), _td(rejected_reason(r, lang))]
                    for r in rejected[:REJECTED_CAP]
                ],
                "rejected",
            )
        )
    parts.append("</section>")
    return "".join(parts)


def _charts(s: Summary, lang: str) -> str:
    return (
        f'<section id="charts"><h2>{escape(word(lang, "charts"))}</h2>{legend(lang)}'
        f'<p class="muted">{escape(word(lang, "rate_rule"))}</p>'
        f"<h3>{escape(word(lang, 'by_month'))}</h3>{month_chart(s.on_time_by_month, lang)}"
        f"<h3>{escape(word(lang, 'by_topic'))}</h3>{topic_chart(s.on_time_by_topic, lang)}</section>"
    )


def _violations(result: Any, lang: str) -> tuple[str, str]:
    frame = result.violations
    kinds = sorted(set(frame["kind"].astype(str)))
    clauses = sorted(set(frame["clause"].astype(str)), key=clause_key)
    kind_options = "".join(f'<option value="{escape(k)}">{escape(kind_label(lang, k))}</option>' for k in kinds)
    # the option's value is the path the table's rows are filtered by; its label the clause as cited
    first = frame.drop_duplicates("clause")
    cite = dict(zip(first["clause"].astype(str), cited_column(result, first, "clause", lang), strict=True))
    clause_options = "".join(f'<option value="{escape(c)}">{escape(cite[c])}</option>' for c in clauses)
    headers = "".join(
        f'<th data-col="{i}"{" class=num" if num else ""}>{escape(word(lang, key))}</th>'
        for i, (_, key, num) in enumerate(table_columns(frame))
        if key is not None
    )
    capped = ""
    if len(frame) > TABLE_CAP:
        text = word(lang, "table_capped", shown=TABLE_CAP, total=len(frame))
        capped = f'<p class="muted" id="table-capped">{escape(text)}</p>'
    nothing = "nothing_checked" if any(note.get("kind") == "no_events" for note in result.notes) else "no_violations"
    empty = "" if len(frame) else f'<p class="muted">{escape(word(lang, nothing))}</p>'
    section = (
        f'<section id="violations"><h2>{escape(word(lang, "table"))}</h2>{capped}{empty}'
        f'<div class="controls"><label>{escape(word(lang, "filter"))} '
        f'<input type="search" id="filter-text" autocomplete="off"></label>'
        f'<select id="filter-kind"><option value="">{escape(word(lang, "all_kinds"))}</option>'
        f"{kind_options}</select>"
        f'<select id="filter-clause"><option value="">{escape(word(lang, "all_clauses"))}</option>'
        f"{clause_options}</select>"
        f'<span class="muted">{escape(word(lang, "shown"))} <span id="shown-count" data-value="0">0</span> '
        f'{escape(word(lang, "of"))} <span id="match-count" data-value="0">0</span></span></div>'
        f'<table id="violations-table"><thead><tr>{headers}</tr></thead><tbody></tbody></table>'
        f'<button type="button" id="show-more" hidden>{escape(word(lang, "more"))}</button></section>'
    )
    payload = _script_json(table_data(result, lang, TABLE_CAP))
    data = f'<script type="application/json" id="violations-data">{payload}</script>'
    return section, data


def _case_ids(result: Any) -> pd.Index:
    """Every case of the log (or, without the log, of the obligations and findings)."""
    if result.events is not None and len(result.events):
        return pd.Index(pd.unique(result.events.column("case_id").astype(str)))
    both = pd.concat([result.obligations["case_id"], result.violations["case_id"]]).astype(str)
    return pd.Index(pd.unique(both))


def select_cases(result: Any, lang: str, cap: int = CASE_CAP) -> tuple[list[str], str]:
    """The cases to draw and a sentence saying which: all of a small log, else those with the most findings."""
    all_cases = _case_ids(result)
    counts = result.violations["case_id"].astype(str).value_counts()
    if len(all_cases) <= cap:
        found = counts.reindex(all_cases, fill_value=0)
        order = sorted(all_cases, key=lambda c: (-int(found[c]), clause_key(c)))
        counted = result.case_count if result.events is None and result.case_count is not None else len(all_cases)
        if counted > len(all_cases):  # a Dask result: the quiet cases of the log it did not bring back
            return order, word(lang, "timeline_owed", cases=counted, shown=len(all_cases))
        return order, word(lang, "timeline_all", total=len(all_cases))
    # whole columns only: a log may have millions of cases
    ranked = pd.DataFrame({"case": counts.index.astype(str), "n": counts.to_numpy()})
    ranked = ranked.sort_values(["n", "case"], ascending=[False, True], kind="stable")
    chosen = ranked["case"].head(cap).tolist()
    with_findings = len(ranked)
    total = result.case_count if result.events is None and result.case_count is not None else len(all_cases)
    if with_findings > cap:
        note = word(lang, "timeline_capped", cases=total, with_findings=with_findings, shown=len(chosen))
    else:
        note = word(lang, "timeline_findings", cases=total, shown=len(chosen))
    return chosen, note


def _placed(result: Any, frame: pd.DataFrame, cases: set[str], lang: str) -> pd.DataFrame:
    """The chosen cases' events with their place in their own file (``place``: "文件第 14 行", "line 3 of
    b.csv"), looked up at once for them alone, as explain places a case's events."""
    mine = frame[frame["case_id"].astype(str).isin(cases)]
    return mine.assign(place=row_place_texts(result, mine["row"].to_numpy(), lang)) if len(mine) else mine


def _timelines(result: Any, lang: str, cap: int) -> str:
    chosen, note = select_cases(result, lang, cap)
    wanted = set(chosen)

    def pick(frame: pd.DataFrame) -> dict[str, pd.DataFrame]:
        if frame.empty:
            return {}
        mine = frame[frame["case_id"].astype(str).isin(wanted)]
        if "clause" in mine.columns:  # the findings and obligations: each clause as cited in the tables above
            mine = mine.assign(clause=cited_column(result, mine, "clause", lang))
        return {str(k): g for k, g in mine.groupby(mine["case_id"].astype(str), sort=False)}

    events = pick(_placed(result, result.events.frame, wanted, lang)) if result.events is not None else {}
    owed, found = pick(result.obligations), pick(result.violations)
    empty_events = pd.DataFrame({"row": [], "event": [], "time_ns": []})
    sections = [
        case_section(
            CaseData(
                case,
                events.get(case, empty_events),
                owed.get(case, result.obligations.iloc[:0]),
                found.get(case, result.violations.iloc[:0]),
            ),
            result.as_of_ns,
            lang,
        )
        for case in chosen
    ]
    expand = "+ / −"
    return (
        f'<section id="timelines"><h2>{escape(word(lang, "timelines"))}</h2>'
        f'<p class="muted" id="timeline-note" data-shown="{len(chosen)}">{escape(note)}</p>'
        f'<button type="button" id="expand-all">{expand}</button>{"".join(sections)}</section>'
    )


def render_html(result: Any, lang: str = "zh", case_cap: int = CASE_CAP) -> str:
    s = summarise(result, lang)
    table, data = _violations(result, lang)
    meta = (
        f"{escape(word(lang, 'jurisdiction'))}: {escape(s.jurisdiction_title)} · "
        f"{escape(word(lang, 'as_of'))}: {escape(local_text(result.as_of_ns, seconds=True))} · "
        # the page's times are written without their offset (2025-12-31 23:59:59): say once which they are
        f'<span id="time-zone">{escape(word(lang, "time_zone"))}</span>'
    )
    return "".join(
        [
            f'<!DOCTYPE html><html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">',
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            '<link rel="icon" href="data:,">',
            f"<title>{escape(word(lang, 'title'))} — {escape(s.jurisdiction_title)}</title>",
            f"<style>{_asset('report.css')}</style></head>",
            f'<body data-jurisdiction="{escape(s.jurisdiction)}" data-as-of="{escape(s.as_of)}" data-lang="{lang}">',
            f'<header><h1>{escape(word(lang, "title"))}</h1><div class="meta">{meta}</div></header>',
            _totals(s, lang),
            _summary(s, result, lang),
            _charts(s, lang),
            table,
            _timelines(result, lang, case_cap),
            data,
            f"<script>{_asset('report.js')}</script></body></html>",
        ]
    )
