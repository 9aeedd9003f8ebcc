"""``govdata-policy compare A B C…``: rules side by side by process; a log replayed under each."""

from __future__ import annotations

import functools
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from ..report.i18n import line_label
from .common import (
    ErrorLang,
    ErrorLangOption,
    as_of_option,
    fail,
    fail_on,
    log_files,
    mapping_option,
    output_option,
    sheet_option,
    switch,
    write_or_fail,
)
from .plain_lines import highlighted, print_lines


class CompareFormat(StrEnum):
    table = "table"
    markdown = "markdown"
    html = "html"
    json = "json"


def _html(names: list[str], rows: list[Any], log_part: dict[str, Any] | None) -> str:
    from html import escape

    head = "".join(f"<th>{escape(n)}</th>" for n in names)
    body = []
    for row in rows:
        cells = "".join(
            f"<td class='{'diff' if row.differs else ''}{' absent' if n not in row.cells else ''}'>"
            f"{escape(row.text(n)) or '—'}</td>" for n in names)
        body.append(f"<tr><td>{escape(row.topic)}</td><td>{escape(row.key)}</td>{cells}</tr>")
    extra = ""
    if log_part:
        items = "".join(f"<li><b>{escape(d['case_id'])}</b> {escape(d['duty'])}: {escape(d['reason'])}</li>"
                        for d in log_part["cases_that_differ"])
        read = "".join(f"<li>{escape(line)}</li>" for line in [*rejected_lines(log_part), *note_lines(log_part)])
        counts = "".join("<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>"
                         for row in finding_counts(names, log_part))
        extra = (f"<h2>Findings by clause and kind</h2><table><tr><th>clause kind</th>{head}</tr>"
                 f"{counts or f'<tr><td colspan={len(names) + 1}>none</td></tr>'}</table>")
        extra += f"<h2>The log's rows</h2><ul>{read}</ul>"
        remark = unchecked_remark(log_part)
        extra += (f"<h2>Cases whose verdict differs</h2>{f'<p>{escape(remark)}</p>' if remark else ''}"
                  f"<ul>{items or '<li>none</li>'}</ul>")
        moved = "".join(f"<li><b>{escape(d['case_id'])}</b> {escape(d['duty'])}: {escape(d['verdict'])}: "
                        f"{escape(d['reason'])}</li>" for d in log_part["cases_with_other_due_dates"])
        extra += f"<h2>Same verdict, other due dates</h2><ul>{moved or '<li>none</li>'}</ul>"
    style = ("body{font-family:sans-serif}table{border-collapse:collapse}td,th{border:1px solid #ccc;"
             "padding:4px;vertical-align:top}.diff{background:#fff3cd}.absent{background:#eee}")
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>compare</title><style>{style}</style>"
            f"</head><body><h1>Rules side by side</h1><table><tr><th>process</th><th>rule</th>{head}</tr>"
            f"{''.join(body)}</table>{extra}</body></html>\n")


def finding_counts(names: list[str], log_part: dict[str, Any]) -> list[list[str]]:
    """Rows of "clause kind" and each profile's count of such findings on the log."""
    from ..report.summary import KIND_ORDER, clause_key

    def order(key: str) -> tuple[Any, ...]:  # "18.2 late": the clause in natural order (2 before 19), as check
        clause, _, kind = key.rpartition(" ")
        return clause_key(clause), KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER), kind

    counts = log_part["findings_by_clause_and_kind"]
    keys = sorted({key for by_key in counts.values() for key in by_key}, key=order)
    return [[key, *(str(counts[name].get(key, 0)) for name in names)] for key in keys]


def _differing_counts(names: list[str], log_part: dict[str, Any]) -> dict[str, dict[str, int]]:
    """The findings by clause and kind, kept to the keys whose counts differ between profiles."""
    counts = log_part["findings_by_clause_and_kind"]
    keys = {key for by_key in counts.values() for key in by_key}
    differing = {key for key in keys if len({counts[name].get(key, 0) for name in names}) > 1}
    return {name: {k: v for k, v in by_key.items() if k in differing} for name, by_key in counts.items()}


SHOWN_REJECTED = 20  # rejected rows listed in the table, markdown and HTML (JSON lists them all)


MARKDOWN_SPECIAL = {"<": "&lt;", ">": "&gt;", "[": "\\[", "]": "\\]", "`": "\\`", "*": "\\*", "\n": " "}


def markdown_text(text: str) -> str:
    """A value from the log as markdown shows it, not as markdown or HTML: a case id
    ``<img onerror=…>`` or ``[x](javascript:…)`` is text where the document is previewed; a control
    character is written ``\\x1b`` (``terminal_text.visible``). An ordinary value is unchanged."""
    from ..terminal_text import visible

    text = visible(text)
    if not any(c in text for c in MARKDOWN_SPECIAL):
        return text
    return "".join(MARKDOWN_SPECIAL.get(c, c) for c in text)


def rejected_lines(log_part: dict[str, Any]) -> list[str]:
    """The log's rows as read, and its rejected rows with their reasons (never dropped silently)."""
    lines = []
    counts = log_part["rows"]
    one = len({tuple(sorted(rows.items())) for rows in counts.values()}) == 1  # as usual: reading knows no rules
    for name, rows in (list(counts.items())[:1] if one else counts.items()):
        lines.append(f"rows of the log{'' if one else f' under {name}'}: {rows.get('read', 0)} read, "
                     f"{rows.get('accepted', 0)} accepted, {rows.get('rejected', 0)} rejected")
    for name, rejected in log_part["rejected_rows"].items():
        who = "" if len(log_part["rejected_rows"]) == 1 else f" (under {name})"
        for item in rejected[:SHOWN_REJECTED]:
            lines.append(f"rejected{who}: row {item['row']}{line_label('en', item)} of {item['source']}: "
                         f"{item['reason']}")
        if len(rejected) > SHOWN_REJECTED:
            lines.append(f"… and {len(rejected) - SHOWN_REJECTED} more rejected rows (--format json lists them all)")
    return lines


def note_lines(log_part: dict[str, Any]) -> list[str]:
    """Each profile's notes as ``check`` words them: once when every profile has it, else under its name."""
    from ..details import note_text

    notes = log_part["notes"]
    lines: list[str] = []
    for name, own in notes.items():
        for note in own:
            shared = all(note in other for other in notes.values())
            if shared and name != next(iter(notes)):
                continue  # said once, with the first profile's
            kind, message = note_text(note, "en")
            lines.append(f"note{'' if shared else f' under {name}'} ({kind}): {message}")
    return lines


def unchecked_remark(log_part: dict[str, Any]) -> str:
    """"no event was checked: see the notes" when a profile checked none (no case differing is then no
    agreement), else ""."""
    unchecked = [name for name, notes in log_part["notes"].items()
                 if any(note.get("kind") == "no_events" for note in notes)]
    if not unchecked:
        return ""
    who = "" if len(unchecked) == len(log_part["notes"]) else f" under {', '.join(unchecked)}"
    return f"no event was checked{who}: see the notes"


def _print_table(names: list[str], rows: list[Any], log_part: dict[str, Any] | None, output: Path | None,
                 lang: str = "en") -> None:
    from rich.console import Console

    if output is not None:  # a file: plain text, wide enough for the cells
        def to_file(path: Path) -> None:
            with path.open("w", encoding="utf-8") as sink:
                _print_table_to(Console(file=sink, width=200, color_system=None, emoji=False), names, rows,
                                log_part)

        write_or_fail(output, to_file, f"-o {output}", lang)
        return
    _print_table_to(Console(emoji=False), names, rows, log_part)


def _print_table_to(console: Any, names: list[str], rows: list[Any], log_part: dict[str, Any] | None) -> None:
    from rich.table import Table
    from rich.text import Text

    from ..terminal_text import visible

    table = Table(title="Rules side by side (≠ differs, — absent)", show_lines=True)
    table.add_column("process")
    table.add_column("rule", overflow="fold")
    for name in names:
        table.add_column(Text(name), overflow="fold")
    for row in rows:
        style = "yellow" if row.differs else None
        # Text, not markup: "[category=conditional]" is no style tag, ":smile:" no emoji code
        table.add_row(row.topic, Text(row.key + (" ≠" if row.differs else "")),
                      *[Text(row.text(n) or "—") for n in names], style=style)
    console.print(table)
    if log_part:
        counts = Table(title="Findings by clause and kind")
        counts.add_column("clause kind")
        for name in names:
            counts.add_column(Text(name))
        for row in finding_counts(names, log_part):
            counts.add_row(*map(Text, row))
        console.print(counts)
        for line in rejected_lines(log_part):
            console.print(highlighted(console, Text(visible(line))))
        for line in note_lines(log_part):
            console.print(highlighted(console, Text(visible(line), style="dim")))
        remark = unchecked_remark(log_part)
        console.print(highlighted(console, Text(f"Cases whose verdict differs: {len(log_part['cases_that_differ'])}"
                                                f"{f' ({remark})' if remark else ''}", style="bold")))
        print_lines(console, [visible(f"- {item['case_id']} · {item['duty']}: {item['reason']}")
                              for item in log_part["cases_that_differ"]])
        console.print(f"[bold]Same verdict, other due dates: {len(log_part['cases_with_other_due_dates'])}[/]")
        print_lines(console, [visible(f"- {i['case_id']} · {i['duty']}: {i['verdict']}: {i['reason']}")
                              for i in log_part["cases_with_other_due_dates"]])


def register(app: typer.Typer) -> None:
    @app.command()
    def compare(
        jurisdictions: Annotated[list[str], typer.Argument(help="Built-in names or profile files (variants).")],
        log: Annotated[list[Path] | None, typer.Option(
            "--log", metavar="LOG", help="Replay this log under each profile.")] = None,
        as_of: Annotated[str | None, as_of_option()] = None,
        mapping: Annotated[Path | None, mapping_option()] = None,
        sheet: Annotated[str | None, sheet_option()] = None,
        fmt: Annotated[CompareFormat, typer.Option("--format")] = CompareFormat.table,
        output: Annotated[Path | None, output_option("Write here instead of stdout.")] = None,
        differences_only: Annotated[bool, switch(
            "--differences-only", "Only the rows where the profiles differ (a variant against its base).")] = False,
        lang: ErrorLangOption = ErrorLang.en,
    ) -> None:
        """Compare profiles' rules by process; with --log, the findings each gives on the same log."""
        from ..compare import compare_log, compare_rules, hides_findings, log_rows, rules_markdown, rules_table_json
        from ..compare_json import compare_json
        from .check_cmd import load_profile, nothing_read, prepare_output, read_log, run_check

        said = lang.value
        if len(jurisdictions) < 1:
            fail("give at least one jurisdiction", "请至少给出一个辖区", said)
        if not log and (as_of is not None or mapping is not None or sheet is not None):
            # taken and ignored, the rules compared alone
            given = "--as-of" if as_of is not None else "--mapping" if mapping is not None else "--sheet"
            fail(f"{given} is for the findings on a log: add --log FILE (without it the rules alone are compared)",
                 f"{given} 用于比较日志上的检查结果：请加上 --log 文件（不加则只比较规则）", said)
        if output is not None:
            prepare_output(output, {"table": ".txt", "markdown": ".md"}.get(fmt.value, f".{fmt.value}"), said)
        profiles = [load_profile(j, said) for j in jurisdictions]
        names, rows = compare_rules(profiles)
        if differences_only:
            differing = [row for row in rows if row.differs]
            # said on stderr, so a JSON or markdown document on stdout stays one document
            typer.echo(f"{len(differing)} of {len(rows)} rows differ" + ("" if differing else ": the profiles' "
                       "rules, penalties and settings are the same"), err=True)
            rows = differing
        log_part = None
        if log:
            if as_of is None:
                fail("--log needs --as-of (the same date for every profile)",
                     "--log 需要 --as-of（各档案按同一日期检查）", said)
            from ..engine.evaluate import parse_as_of

            try:  # before the log is read, as check does: a mistyped date is no reason to read a big log first
                parse_as_of(as_of)
            except ValueError as exc:
                fail_on(exc, said)
            # standard input or a pipe read once, into a copy every profile's check reads (the results hold
            # their rejected rows' lines already: the copy may go before they are written)
            with log_files(log, said) as files:
                # read and validated once: reading knows no rules (each profile's calendar still refuses the
                # rows it cannot count, in its own check); it was read again for each profile, and for each
                # check with the findings outside validity kept
                loaded = read_log(files, mapping, said, sheet)  # the workbooks' sheet, or every sheet ('*')
                # a profile that may leave findings out as outside validity (C6) keeps them aside too, from
                # the same run of the rules (it was checked again, every rule run twice)
                results = [run_check(p, loaded, as_of, None, None, False, lang=said,
                                     unenforced=p.spec.enforce_validity) for p in profiles]
                unread = nothing_read(results[0])  # as check: a log of nothing read is no pass
                if unread is not None:
                    fail(unread, nothing_read(results[0], "zh"), said)
                # where it left some out, a case it has no verdict on for that reason is said so, not "no finding";
                # that result is made (its findings assembled again) only if a case that differs has no verdict
                unenforced = [functools.partial(getattr, r, "unenforced") if hides_findings(p, r) else None
                              for p, r in zip(profiles, results, strict=True)]
            log_part = {**compare_log(names, profiles, results, unenforced), **log_rows(names, results)}
            if differences_only:  # the counts by clause and kind too: those every profile finds alike go
                log_part["findings_by_clause_and_kind"] = _differing_counts(names, log_part)
        if fmt is CompareFormat.table:
            _print_table(names, rows, log_part, output, said)
            return
        if fmt is CompareFormat.json:
            body = rules_table_json(names, rows)
            if log_part:
                body["log"] = log_part
            text = compare_json(body)  # as json.dumps(body, ensure_ascii=False, indent=2), the log's lists by Arrow
        elif fmt is CompareFormat.markdown:
            text = rules_markdown(names, rows)
            if log_part:
                counts = finding_counts(names, log_part)
                text += "\n## Findings by clause and kind\n\n"
                if counts:
                    text += f"| clause kind | {' | '.join(names)} |\n|---|" + "---|" * len(names) + "\n"
                    text += "".join(f"| {' | '.join(row)} |\n" for row in counts)
                else:
                    text += "none\n"
                text += "\n## The log's rows\n\n" + "".join(f"- {markdown_text(line)}\n"
                                                             for line in rejected_lines(log_part))
                text += "".join(f"- {markdown_text(line)}\n" for line in note_lines(log_part))
                remark = unchecked_remark(log_part)
                text += "\n## Cases whose verdict differs\n\n" + (f"{remark}\n\n" if remark else "") + "".join(
                    f"- {markdown_text(d['case_id'])} · {d['duty']}: {d['reason']}\n"
                    for d in log_part["cases_that_differ"])
                text += "\n## Same verdict, other due dates\n\n" + "".join(
                    f"- {markdown_text(d['case_id'])} · {d['duty']}: {d['verdict']}: {d['reason']}\n"
                    for d in log_part["cases_with_other_due_dates"])
        else:
            text = _html(names, rows, log_part)
        if output:
            write_or_fail(output, lambda path: path.write_text(text, encoding="utf-8"), f"-o {output}", said)
        else:
            typer.echo(text)
