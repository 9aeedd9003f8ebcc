"""Terminal tables (rich) and CSV for ``check``."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pandas as pd

HEADERS = {
    "zh": {
        "clause": "条款", "kind": "类型", "case_id": "案件", "responsible_party": "责任方", "due": "期限",
        "occurred_at": "发生时间", "working_days_late": "逾期工作日", "consequence": "处理", "message": "说明",
        "count": "数量", "rows": "行数", "read": "读取", "accepted": "接受", "rejected": "拒绝", "status": "状态",
        "rule_id": "规则",
    },
    "en": {
        "clause": "Clause", "kind": "Kind", "case_id": "Case", "responsible_party": "Responsible", "due": "Due",
        "occurred_at": "Occurred", "working_days_late": "WD late", "consequence": "Consequence",
        "message": "Message", "count": "Count", "rows": "Rows", "read": "read", "accepted": "accepted",
        "rejected": "rejected", "status": "Status", "rule_id": "Rule",
    },
}
TABLE_LIMIT = 200
# Below this many columns the detail table's message column is squeezed to a few characters a
# line (an 80-column terminal gave it 8); there each finding is printed as three lines instead.
WIDE_TABLE = 140
DETAIL_COLUMNS = ("clause", "kind", "case_id", "responsible_party", "due", "occurred_at", "working_days_late",
                  "consequence")
NARROW_LABELS = {
    "zh": {"due": "期限", "occurred_at": "发生", "working_days_late": "逾期{}个工作日"},
    "en": {"due": "due", "occurred_at": "at", "working_days_late": "{} WD late"},
}
KIND_STYLE = {"late": "yellow", "overdue": "red", "missing": "magenta", "prohibited": "red", "invalid": "yellow"}


def _cell(value: Any) -> Any:
    """A value as a table cell: the log's text shown as written, a ``Text``, not markup (a case id
    ``[red]X[/red]`` is not one of rich's style tags, ``E:smile:1`` no emoji code; a last backslash is
    not doubled, as rich's ``escape`` would)."""
    from rich.text import Text

    return Text(_short(value))


def _short(value: Any) -> str:
    """A value as the terminal shows it: a control character from the log (an ESC starting an
    escape sequence) written as ``\\x1b``, not sent to the terminal (``terminal_text.visible``)."""
    from ..terminal_text import visible

    if value is None or (not isinstance(value, list) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d %H:%M")
    return visible(str(value))


def print_table(
    result: Any, lang: str, obligations: bool, output: Path | None, width: int | None = None,
    name_files: bool = False,
) -> None:
    """``name_files``: name each rejected row's file (a log of several files: its row numbers run
    on across them, its lines are each file's own)."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from ..details import note_text
    from ..reasons_zh import rejected_reason
    from ..report.i18n import kind_label, line_label, status_label  # the codes stay in JSON and CSV; people read words
    from ..report.summary import cited_column
    from ..terminal_text import visible
    from .plain_lines import highlighted

    words = HEADERS[lang]
    sink = io.StringIO() if output else None
    # a file is plain text, FORCE_COLOR or not (rich took it for a terminal and wrote colour codes into it)
    console = (Console(file=sink, width=width or 160, emoji=False, color_system=None) if sink
               else Console(width=width, emoji=False))
    rows = result.rows
    console.print(highlighted(console, Text.assemble(
        (visible(result.jurisdiction), "bold"), f" {'as of' if lang == 'en' else '检查截止'} {result.as_of} — "
        f"{words['rows']}: "
        f"{words['read']} {rows['read']}, {words['accepted']} {rows['accepted']}, "
        f"{words['rejected']} {rows['rejected']}"
    )))
    violations = result.violations
    if len(violations):
        summary = violations.groupby(["clause", "kind"]).size().reset_index(name="count")
        first = violations.drop_duplicates("clause")  # each clause as its document names it (第二十九条第（三）项)
        cited = dict(zip(first["clause"].astype(str), cited_column(result, first, "clause", lang), strict=True))
        table = Table(title="By clause and kind" if lang == "en" else "按条款和类型汇总")
        for name in ("clause", "kind", "count"):
            table.add_column(words[name])
        for record in summary.itertuples(index=False):
            table.add_row(cited[str(record.clause)], kind_label(lang, str(record.kind)), str(record.count))
        console.print(table)
        shown = (f" (first {TABLE_LIMIT} of {len(violations)})" if lang == "en"
                 else f"（共 {len(violations)} 条，显示前 {TABLE_LIMIT} 条）")
        title = ("Violations" if lang == "en" else "违规明细") + (shown if len(violations) > TABLE_LIMIT else "")
        records = violations.head(TABLE_LIMIT).to_dict(orient="records")
        for record in records:
            record["kind_word"] = kind_label(lang, str(record["kind"]))
            record["clause"] = cited[str(record["clause"])]
        message = "message_zh" if lang == "zh" else "message_en"
        for record in records:
            record["said"] = _said(record, message, lang)
        message = "said"
        if console.width >= WIDE_TABLE:
            console.print(_detail_table(title, records, words, message))
        else:
            _print_detail_lines(console, title, records, lang, message)
    elif any(note.get("kind") == "no_events" for note in result.notes):  # not a clean bill: nothing was looked at
        console.print("[yellow]No event was checked.[/]" if lang == "en" else "[yellow]未检查任何事件。[/]")
    else:
        console.print("No violations." if lang == "en" else "未发现违规。")
    if obligations and len(result.obligations):
        owed = Table(title="Obligations" if lang == "en" else "义务")
        columns = ("rule_id", "case_id", "due", "status", "working_days_late")
        for name in columns:
            owed.add_column(words[name], overflow="fold" if name == "case_id" else "ellipsis")
        for record in result.obligations.head(TABLE_LIMIT).to_dict(orient="records"):
            record["status"] = status_label(lang, str(record["status"]))
            owed.add_row(*[_cell(record[c]) for c in columns])
        console.print(owed)
    several = name_files or len({row.get("source") for row in result.rejected_rows[:20]}) > 1
    for row in result.rejected_rows[:20]:
        where = f" ({row['source']})" if several and row.get("source") else ""
        label = f"rejected row {row['row']}" if lang == "en" else f"拒绝第 {row['row']} 行"
        reason = rejected_reason(row, lang)
        console.print(highlighted(console, Text.assemble((visible(label + line_label(lang, row) + where), "yellow"),
                                                         ": " + visible(reason))))
    if len(result.rejected_rows) > 20:
        more = len(result.rejected_rows) - 20
        console.print(f"[yellow]… {more} more rejected rows (all of them: --format json or xlsx)[/]" if lang == "en"
                      else f"[yellow]… 另有 {more} 行被拒绝（全部：--format json 或 xlsx）[/]")
    for note in result.notes:
        label = "note" if lang == "en" else "说明"
        kind, message = note_text(note, lang)
        console.print(highlighted(console, Text(visible(f"{label} ({kind}): {message}"), style="dim")))
    if sink is not None and output is not None:
        from ..atomic_file import write_whole

        write_whole(output, lambda path: path.write_text(sink.getvalue(), encoding="utf-8"))


def _said(record: dict[str, Any], message: str, lang: str) -> str:
    """A finding's message, and on a line of its own its good-faith relief where it has one
    (Xinjiang 42, 容错免责: reported, never dropped); a finding without one is its message alone."""
    from ..report.i18n import word

    relief = _short(record.get("mitigation"))
    if not relief:
        return _short(record[message])
    return f"{_short(record[message])}\n{word(lang, 'mitigation')}{'：' if lang == 'zh' else ': '}{relief}"


def _detail_table(title: str, records: list[dict[str, Any]], words: dict[str, str], message: str) -> Any:
    from rich.table import Table

    detail = Table(title=title)
    for name in DETAIL_COLUMNS:
        # a case id is folded onto more lines, never cut: two UUIDs differing at the end looked one
        detail.add_column(words[name], overflow="fold" if name in ("case_id", "responsible_party") else "ellipsis")
    detail.add_column(words["message"], overflow="fold")
    for record in records:
        detail.add_row(*[_cell(record["kind_word" if c == "kind" else c]) for c in DETAIL_COLUMNS],
                       _cell(record[message]))
    return detail


def _print_detail_lines(
    console: Any, title: str, records: list[dict[str, Any]], lang: str, message: str
) -> None:
    """A narrow terminal: each finding as a line of its times, a line of who answers for it, its message."""
    from rich.padding import Padding
    from rich.text import Text

    labels = NARROW_LABELS[lang]
    console.print(Text(title, style="italic"), justify="center")
    for record in records:
        line = Text()
        # in Chinese the clause as cited (第十八条第（二）项) takes up to 20 cells: the message under it begins with it
        if lang != "zh":
            line.append(_short(record["clause"]) + " ", style="bold")
        line.append(record["kind_word"], style=KIND_STYLE.get(str(record["kind"]), ""))
        line.append(f"  {_short(record['case_id'])}")
        if _short(record["due"]):
            line.append(f"  {labels['due']} {_short(record['due'])[:10]}")  # a due time is always 23:59
        if _short(record["occurred_at"]):
            line.append(f"  {labels['occurred_at']} {_short(record['occurred_at'])}")
        if _short(record["working_days_late"]):
            line.append("  " + labels["working_days_late"].format(_short(record["working_days_late"])), style="bold")
        console.print(line)
        who = " · ".join(v for v in (_short(record["responsible_party"]), _short(record["consequence"])) if v)
        if who:
            console.print(Padding(Text(who, style="dim"), (0, 0, 0, 4), expand=False))
        console.print(Padding(Text(_short(record[message])), (0, 0, 0, 4), expand=False))


def violations_csv(result: Any, obligations: bool) -> str:
    """Violations as CSV (times ISO +08:00); with obligations, a second table after a blank line
    (on stdout; ``-o`` writes them to a file of their own: ``obligations_csv``)."""
    parts = [spreadsheet_csv(result.violations)]
    if obligations:
        parts.append(obligations_csv(result))
    return "\n".join(parts)


def obligations_csv(result: Any) -> str:
    return spreadsheet_csv(result.obligations)


def spreadsheet_csv(frame: Any) -> str:
    """A findings table as CSV a spreadsheet opens safely: a text cell from the log beginning with
    ``= + - @`` (or a tab) gets a leading ``'``, so a case id or party named ``=HYPERLINK(...)`` is
    shown, not run (OWASP's advice on CSV injection; the JSON keeps the value as it is)."""
    from ..result import display_frame
    from .csv_text import formula_risky, frame_csv

    shown = display_frame(frame)
    for column in shown.columns:
        values = shown[column]
        if values.dtype != object and not isinstance(values.dtype, pd.StringDtype):
            continue
        risky = formula_risky(values)  # None: a column of no text (evidence rows)
        if risky is not None and risky.any():
            shown[column] = values.where(~risky, "'" + values.astype(object).where(risky, ""))
    return frame_csv(shown)
