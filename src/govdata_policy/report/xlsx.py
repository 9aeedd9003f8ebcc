"""The workbook report (openpyxl, write-only so large logs stream to disk).

Sheets (names follow ``lang``): Summary / 汇总, Violations / 违规,
Obligations / 义务, Rejected rows / 拒绝行. Every sheet has one header row,
frozen, with an auto-filter over the data and column widths set. Times are
real Excel datetimes in local time (+08:00, stored naive) with a number format.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ..details import note_kind, note_text
from ..reasons_zh import rejected_reason
from ..timeutil import LOCAL_TZ
from .evidence import evidence_places
from .i18n import kind_label, role_label, status_label, word
from .summary import Summary, cited_column, penalty_text, summarise
from .xlsx_rows import PendingRows, save_with_rows

SHEETS = {
    "zh": {"summary": "汇总", "violations": "违规", "obligations": "义务", "rejected": "拒绝行"},
    "en": {
        "summary": "Summary",
        "violations": "Violations",
        "obligations": "Obligations",
        "rejected": "Rejected rows",
    },
}
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
PERCENT_FORMAT = "0.0%"
EXCEL_MAX_ROWS = 1_048_576 - 1  # one header row
WIDTH_SAMPLE = 500
MAX_WIDTH = 60

VIOLATION_COLUMNS = (
    ("rule_id", "rule"),
    ("clause", "clause"),
    ("kind", "kind"),
    ("case_id", "case"),
    ("responsible_role", "role"),
    ("responsible_party", "party"),
    ("due", "due"),
    ("occurred_at", "occurred"),
    ("working_days_late", "wd_late"),
    ("penalty_clause", "penalty"),
    ("penalty_text", "penalty_text"),
    ("consequence", "consequence"),
    ("message", "message"),
    ("evidence_rows", "evidence"),
    ("evidence_location", "evidence_place"),  # each evidence row in its own file, as explain says it
    ("mitigation", "mitigation"),
    ("document", "document"),
)
OBLIGATION_COLUMNS = (
    ("rule_id", "rule"),
    ("clause", "clause"),
    ("case_id", "case"),
    ("obligor_role", "role"),
    ("trigger_at", "trigger"),
    ("due", "due"),
    ("fulfilled_at", "fulfilled"),
    ("status", "status"),
    ("working_days_late", "wd_late"),
    ("evidence_rows", "evidence"),
    ("evidence_location", "evidence_place"),
)
SUMMARY_HEADERS = ("section", "item", "note", "consequence", "count", "charts")


def _display_width(value: Any) -> int:
    if isinstance(value, (dt.datetime, pd.Timestamp)):
        return 19
    text = str(value) if value is not None else ""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _naive_local(values: pd.Series) -> list[Any]:
    """Aware times to naive local datetimes (Excel has no time zones); NaT to None."""
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        local = values.dt.tz_convert(LOCAL_TZ).dt.tz_localize(None)
    else:
        local = pd.to_datetime(values)
    # datetime objects for the column at once (issue 5: a Timestamp per value and its isna took 4 s of
    # a 1M-event log's workbook); NaT to None
    present = local.notna().to_numpy()
    times = local.dt.to_pydatetime()
    return [t if keep else None for t, keep in zip(times, present, strict=True)]


def _plain(values: Iterable[Any]) -> list[Any]:
    """Cells as Python values: a list joined into text, a missing value None, a numpy scalar its value."""
    if isinstance(values, pd.Series) and (pd.api.types.is_string_dtype(values.dtype)
                                          and not pd.api.types.is_object_dtype(values.dtype)):
        # a text column at once (issue 5: a value at a time, with its isna, took 6 s of a 1M-event log's
        # workbook): str or None, as the loop below makes them
        return values.astype(object).where(values.notna(), None).tolist()
    out: list[Any] = []
    for value in values:
        if isinstance(value, (list, tuple)):
            out.append(", ".join(str(v) for v in value))
        elif value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)):
            out.append(None)
        elif hasattr(value, "item"):  # numpy scalars
            out.append(value.item())
        else:
            out.append(value)
    return out


class SheetWriter:
    """One write-only sheet: header, frozen pane, auto-filter, widths, typed cells (the data rows
    made as XML by ``xlsx_rows`` and put in when the book is saved: ``save_with_rows``)."""

    def __init__(self, book: Workbook, title: str, headers: Sequence[str], pending: PendingRows) -> None:
        self.book = book
        self.sheet = book.create_sheet(title)
        self.headers = list(headers)
        self.widths = [_display_width(h) for h in headers]
        self.pending = pending

    def write(self, columns: Sequence[list[Any]], formats: dict[int, str] | None = None) -> int:
        formats = formats or {}
        n = len(columns[0]) if columns else 0
        for i, values in enumerate(columns):
            for value in values[:WIDTH_SAMPLE]:
                self.widths[i] = max(self.widths[i], _display_width(value))
        sheet = self.sheet
        sheet.freeze_panes = "A2"
        last = get_column_letter(len(self.headers))
        sheet.auto_filter.ref = f"A1:{last}{n + 1}"
        for i, width in enumerate(self.widths, start=1):
            sheet.column_dimensions[get_column_letter(i)].width = min(width, MAX_WIDTH) + 2
        header_cells = []
        for name in self.headers:
            cell = WriteOnlyCell(sheet, value=name)
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="DDE4EE")
            cell.alignment = Alignment(vertical="center")
            header_cells.append(cell)
        sheet.append(header_cells)
        # a column's number format as the style openpyxl registers for it (written in styles.xml), for
        # its numbers and its times; a time in a column without one takes the report's own
        styles: list[tuple[str | None, str | None]] = []
        for i, values in enumerate(columns):
            number_style = self._style(formats[i]) if i in formats else None
            date_style = number_style or (self._style(DATETIME_FORMAT)
                                          if any(isinstance(v, dt.date) for v in values) else None)
            styles.append((number_style, date_style))
        self.pending.add(self.book.worksheets.index(sheet), columns, styles, first_row=2)
        return n


    def _style(self, number_format: str) -> str:
        template = WriteOnlyCell(self.sheet)
        template.number_format = number_format
        return str(template.style_id)


def _capped(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.iloc[:EXCEL_MAX_ROWS] if len(frame) > EXCEL_MAX_ROWS else frame


def _violation_columns(result: Any, lang: str) -> tuple[list[list[Any]], dict[int, str]]:
    frame = _capped(result.violations)
    message = "message_zh" if lang == "zh" else "message_en"
    columns: list[list[Any]] = []
    formats: dict[int, str] = {}
    for i, (name, _) in enumerate(VIOLATION_COLUMNS):
        if name in ("due", "occurred_at"):
            columns.append(_naive_local(frame[name]))
            formats[i] = DATETIME_FORMAT
        elif name == "kind":
            columns.append([kind_label(lang, k) for k in frame["kind"]])
        elif name == "responsible_role":
            columns.append([role_label(lang, r) for r in frame["responsible_role"]])
        elif name == "penalty_text":
            texts = {p: penalty_text(result.profile, p) or None for p in pd.unique(frame["penalty_clause"])}
            columns.append([texts.get(p) for p in frame["penalty_clause"]])
        elif name == "message":
            columns.append(_plain(frame[message]))
        elif name == "evidence_location":  # "b.csv文件第 2 行": row 34 of the log is no place to look
            columns.append(evidence_places(result, frame["evidence_rows"], lang))
        elif name in ("clause", "penalty_clause"):  # in Chinese as the document names it: 第二十九条第（三）项
            columns.append(cited_column(result, frame, name, lang))
        elif name == "document" and result.profile is not None:
            # the profile's key ("main", "D") means nothing to the reader: the document's number, or its title
            documents = result.profile.spec.documents
            cited = {d: documents[d].number or documents[d].title_zh if d in documents else d
                     for d in pd.unique(frame["document"])}
            columns.append([cited.get(d) for d in frame["document"]])
        elif name in frame.columns:
            columns.append(_plain(frame[name]))
        else:
            columns.append([None] * len(frame))
    return columns, formats


def _obligation_frame(result: Any, everything: bool) -> pd.DataFrame:
    owed = result.obligations
    return _capped(owed if everything else owed[owed["status"] != "met"])


def _obligation_columns(result: Any, frame: pd.DataFrame, lang: str) -> tuple[list[list[Any]], dict[int, str]]:
    columns: list[list[Any]] = []
    formats: dict[int, str] = {}
    for i, (name, _) in enumerate(OBLIGATION_COLUMNS):
        if name in ("trigger_at", "due", "fulfilled_at"):
            columns.append(_naive_local(frame[name]))
            formats[i] = DATETIME_FORMAT
        elif name == "status":
            columns.append([status_label(lang, s) for s in frame["status"]])
        elif name == "obligor_role":
            columns.append([role_label(lang, r) for r in frame["obligor_role"]])
        elif name == "clause":
            columns.append(cited_column(result, frame, name, lang))
        elif name == "evidence_location" and "evidence_rows" in frame.columns:
            columns.append(evidence_places(result, frame["evidence_rows"], lang))
        elif name in frame.columns:
            columns.append(_plain(frame[name]))
        else:
            columns.append([None] * len(frame))
    return columns, formats


def summary_rows(summary: Summary, lang: str, extra_notes: list[str]) -> list[tuple[Any, ...]]:
    """(section, item, note, consequence, count, rate) rows of the Summary sheet."""

    def w(key: str) -> str:
        return word(lang, key)

    totals = w("totals")
    rows: list[tuple[Any, ...]] = [
        (totals, w("jurisdiction"), summary.jurisdiction_title, None, None, None),
        (totals, w("as_of"), summary.as_of, None, None, None),
        (totals, f"{w('rows')}: {w('rows_read')}", None, None, summary.rows.get("read", 0), None),
        (totals, f"{w('rows')}: {w('rows_accepted')}", None, None, summary.rows.get("accepted", 0), None),
        (totals, f"{w('rows')}: {w('rows_rejected')}", None, None, summary.rows.get("rejected", 0), None),
        (totals, w("violations"), None, None, summary.total_violations, None),
        (totals, w("obligations"), None, None, summary.total_obligations, None),
        (totals, w("cases"), None, None, summary.cases, None),
        (totals, w("cases_with_findings"), None, None, summary.cases_with_findings, None),
    ]
    rows += [(w("by_kind"), r["label"], r["kind"], None, r["count"], None) for r in summary.by_kind]
    rows += [(w("by_status"), r["label"], r["status"], None, r["count"], None) for r in summary.by_status]
    rows += [
        (
            w("by_clause"),
            r["cited"],
            f"{r['title']}（{r['kinds_text']}）" if lang == "zh" else f"{r['title']} ({r['kinds_text']})",
            " ".join(x for x in (r["penalty"], r["consequence"]) if x) or None,
            r["count"],
            None,
        )
        for r in summary.by_clause
    ]
    rows += [
        (
            w("by_party"),
            r["party"],
            f"{r['role']}: {r['clauses']}",
            r["consequence"] or None,
            r["count"],
            None,
        )
        for r in summary.by_party
    ]
    rows += [
        (w("by_penalty"), r["cited"], r["text"] or None, r["consequence"] or None, r["count"], None)
        for r in summary.by_penalty
    ]
    if summary.penalty_article:
        article = summary.penalty_article
        rows.append((w("penalty_article"), article["article"], article["text"], article["consequence"], None, None))
        if article["escalation"]:
            rows.append((w("penalty_article"), w("escalation"), article["escalation"], None, None, None))
    for key, group in (("by_month", summary.on_time_by_month), ("by_topic", summary.on_time_by_topic)):
        section = f"{w('charts')} — {w(key)}"
        for r in group:
            detail = (
                f"{status_label(lang, 'met')} {r['met']}, {status_label(lang, 'late')} {r['late']}, "
                f"{status_label(lang, 'overdue')} {r['overdue']}"
            )
            rows.append((section, r["label"], detail, None, r["total"], r["rate"]))
    rows += [(w("notes"), *note_text(n, lang), None, None, None) for n in summary.notes]
    rows += [(w("notes"), note_kind("report", lang), text, None, None, None) for text in extra_notes]
    return rows


def write_xlsx(result: Any, path: Path, lang: str = "zh", obligations: bool = False) -> None:
    pending = PendingRows()
    try:
        _write_book(result, Path(path), lang, obligations, pending)
    finally:
        pending.close()


def _write_book(result: Any, path: Path, lang: str, obligations: bool, pending: PendingRows) -> None:
    summary = summarise(result, lang)
    names = SHEETS[lang]
    book = Workbook(write_only=True)
    extra: list[str] = []
    owed = _obligation_frame(result, obligations)
    open_total = int((result.obligations["status"] != "met").sum()) if len(result.obligations) else 0
    if obligations:
        extra.append(word(lang, "obligations_shown_all"))
    else:
        extra.append(word(lang, "obligations_shown_open", shown=len(owed), total=len(result.obligations)))
    if len(result.violations) > EXCEL_MAX_ROWS:
        extra.append(
            f"{names['violations']}: " + word(lang, "xlsx_capped", shown=EXCEL_MAX_ROWS, total=len(result.violations))
        )
    owed_total = len(result.obligations) if obligations else open_total
    if owed_total > len(owed):
        extra.append(f"{names['obligations']}: " + word(lang, "xlsx_capped", shown=len(owed), total=owed_total))

    rows = summary_rows(summary, lang, extra)
    sheet = SheetWriter(book, names["summary"], [word(lang, h) for h in SUMMARY_HEADERS], pending)
    sheet.write([list(col) for col in zip(*rows, strict=True)], {5: PERCENT_FORMAT})

    columns, formats = _violation_columns(result, lang)
    SheetWriter(book, names["violations"], [word(lang, key) for _, key in VIOLATION_COLUMNS], pending).write(
        columns, formats)

    columns, formats = _obligation_columns(result, owed, lang)
    SheetWriter(book, names["obligations"], [word(lang, key) for _, key in OBLIGATION_COLUMNS], pending).write(
        columns, formats)

    rejected = result.rejected_rows[:EXCEL_MAX_ROWS]
    SheetWriter(book, names["rejected"],
                [word(lang, "row"), word(lang, "line"), word(lang, "source"), word(lang, "reason")], pending).write(
        [
            [r.get("row") for r in rejected],
            [r.get("line") for r in rejected],
            [r.get("source") or None for r in rejected],
            [rejected_reason(r, lang) for r in rejected],
        ]
    )
    save_with_rows(book, path, pending)
