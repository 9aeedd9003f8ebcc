"""``govdata-policy mapping init LOG``: draft a column/value mapping from an export.

The draft is a starting point for the officer, not a verdict: every header and
word it could not place is written into the file as a ``# TODO`` comment, so
the decision stays visible where it has to be made.
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path
from typing import Annotated, Any

import typer

from ..errors import zh_of
from ..terminal_text import visible
from .common import ErrorLang, ErrorLangOption, fail, log_files, output_option, sheet_option, switch, write_or_fail

# Past this many unplaced words in one column, list the count only: a free-text
# column mapped as an enumerated one would otherwise bury the file.
MAX_TODO_WORDS = 60


def register(app: typer.Typer) -> None:
    mapping_app = typer.Typer(
        no_args_is_help=True,
        help="Column mappings: an export's own headers and words to the contract's.",
    )

    @mapping_app.command("init")
    def init(
        logs: Annotated[list[Path], typer.Argument(
            help="Exported logs (CSV/TXT, JSON Lines, JSON, Parquet, Excel), folders or quoted glob patterns "
                 "(- reads standard input): one mapping for all of them.")],
        output: Annotated[Path | None, output_option("Write here (default: stdout).")] = None,
        sheet: Annotated[str | None, sheet_option()] = None,
        force: Annotated[bool, switch("--force", "Overwrite an existing output file.")] = False,
        lang: ErrorLangOption = ErrorLang.en,
    ) -> None:
        """Draft a mapping YAML; lists on stderr what it could not place."""
        from ..io.all_sheets import draft_sheets
        from ..io.draft import merge_drafts
        from ..io.mapping import draft
        from ..io.read import (
            ALL_SHEETS,
            SPREADSHEET_SUFFIXES,
            InputError,
            expand_paths,
            read_raw,
            refuse_sheet_without_workbook,
            shown_name,
        )

        said = lang.value
        if output is not None and output.exists() and not force:
            fail(f"{output} exists; use --force to overwrite it", f"{output} 已存在；要覆盖它请加 --force", said)
        # standard input or a pipe: read into a copy that lasts while the draft is made (io.spool)
        with log_files(logs, said) as given:
            try:
                files = [path for log in given for path in expand_paths(log)]
                refuse_sheet_without_workbook(files, sheet)
                # each file drafted on its own: a header reworded from one month to the next is placed in both;
                # the sheet is the workbooks', as check reads it
                drafts, alike, all_sheets, passed_over = [], [], [], []
                for path in files:
                    if sheet == ALL_SHEETS and path.suffix.lower() in SPREADSHEET_SUFFIXES:
                        # every sheet placing the log's columns, as check --sheet '*' will read them with the
                        # mapping; a cover page or 说明 sheet passed over (io.all_sheets.draft_sheets)
                        sheet_drafts, passed = draft_sheets(path)
                        drafts.extend(found for _, found in sheet_drafts)
                        all_sheets.extend(f"{shown_name(path)}: {name}" for name, _ in sheet_drafts)
                        passed_over.extend(f"{shown_name(path)}: {name}" for name in passed)
                        continue
                    raw = read_raw(str(path), sheet=sheet if path.suffix.lower() in SPREADSHEET_SUFFIXES else None)
                    drafts.append(draft(raw.frame))
                    # a workbook of a sheet a month: the other sheets with its header hold words of their own
                    # (校核延期 in July alone), which check --sheet would reject unmapped
                    for other in raw.files[0].alike_sheets if raw.files else ():
                        drafts.append(draft(read_raw(str(path), sheet=other).frame))
                        alike.append(f"{shown_name(path)}: {other}")
                found = merge_drafts(drafts)
            except InputError as exc:
                fail(str(exc), zh_of(exc), said)
            names = ", ".join(Path(shown_name(path)).name for path in files[:5]) + (
                f" and {len(files) - 5} more" if len(files) > 5 else "")
            text = render_yaml(found, names)
            if output is None:
                typer.echo(text, nl=False)
            else:
                # a folder, a missing one, a file not ours: said as check -o says it
                write_or_fail(output, lambda path: path.write_text(text, encoding="utf-8"), str(output), said)
            _report(found)
            if alike:
                typer.echo(visible("also drafted from the sheets with the same header (check them with the first "
                                   "as one log: --sheet '*'): " + ", ".join(alike)), err=True)
            if all_sheets:
                typer.echo(visible("drafted from the sheets with the log's columns: " + ", ".join(all_sheets)),
                           err=True)
            if passed_over:
                typer.echo(visible("passed over (no case_id, event and time placed): " + ", ".join(passed_over)),
                           err=True)
            if sheet is None and not found["columns"]:
                from ..io.columns import other_sheets

                others = [name for path in files for name in other_sheets(path)]  # a cover page first
                if others:
                    typer.echo(f"the log may be on another sheet ({', '.join(others)}): choose it with --sheet",
                               err=True)
            if output is not None:  # an officer's next step, which nothing else names
                logs_given = " ".join(_shell_word(str(log)) for log in logs)
                todo = "finish the lines marked TODO in it, then: " if "TODO" in text else ""
                # a sheet a month drafted from every sheet: checked as one log, as it was drafted
                chosen = f" --sheet {_shell_word(sheet if sheet is not None else ALL_SHEETS)}" \
                    if sheet is not None or alike else ""
                typer.echo(visible(f"wrote {output}; {todo}govdata-policy check {logs_given}{chosen} -j JURISDICTION "
                                   f"--mapping {_shell_word(str(output))}"), err=True)

    app.add_typer(mapping_app, name="mapping")


_PLAIN_WORD = re.compile(r"[\w./:@%+=,-]+")  # \w: Chinese too, which a shell takes as it is


def _shell_word(text: str) -> str:
    """``text`` as a shell reads it back: as written where it can be (a sheet 2024年), else quoted."""
    return text if _PLAIN_WORD.fullmatch(text) else shlex.quote(text)


def _report(found: dict[str, Any]) -> None:
    placed = {*found["columns"].values(), *found.get("join", {})}
    missing = [c for c in ("case_id", "event", "time") if c not in placed]
    # a header's or a word's ESC (an export's own) shown as \x1b on the terminal, not obeyed
    if found["unplaced_columns"]:
        typer.echo(visible("could not place columns (kept as text under their own names): "
                           + ", ".join(found["unplaced_columns"])), err=True)
    for header in found.get("clock_alone", ()):
        typer.echo(visible(f"{header} holds times of day alone, with no date beside it: join it with its date's "
                           "column (join:; a TODO in the draft)"), err=True)
    if missing:
        typer.echo("no column found for required " + ", ".join(missing) + "; add it under columns:", err=True)
    for column, words in found["unplaced_values"].items():
        typer.echo(visible(f"could not place {len(words)} value(s) of {column}: "
                           + ", ".join(list(words)[:10]) + (" …" if len(words) > 10 else "")), err=True)


def _scalar(text: str) -> str:
    """Plain YAML if it reads back as the same string, else a double-quoted string."""
    import yaml

    try:
        plain_ok = (
            text == text.strip() and "#" not in text
            and yaml.safe_load(f"k: {text}\n") == {"k": text}
            and yaml.safe_load(f"{text}: v\n") == {text: "v"}
        )
    except yaml.YAMLError:
        plain_ok = False
    return text if plain_ok and text else json.dumps(text, ensure_ascii=False)


def _value(value: Any) -> str:
    if isinstance(value, dict):
        # a flow map: quote everything, plain scalars with commas or '*' would misread
        inner = ", ".join(
            f"{json.dumps(k, ensure_ascii=False)}: {json.dumps(v, ensure_ascii=False)}"
            for k, v in value.items()
        )
        return "{" + inner + "}"
    return _scalar(str(value))


def _todo_hint(column: str, guesses: list[str]) -> str:
    from ..vocabulary import BOOL_ATTRIBUTES, allowed_values

    if guesses:
        return "one of " + ", ".join(guesses)
    if column == "event":
        return "an event name from the vocabulary (docs/contract.md §1)"
    if column in BOOL_ATTRIBUTES:
        return "true or false"
    return "one of " + ", ".join(allowed_values(column) or ())


def render_yaml(found: dict[str, Any], source_name: str) -> str:
    """The draft as YAML an officer can read and finish; loads with ``load_mapping``."""
    from ..io.mapping import TODO_COLUMN, TODO_VALUE

    lines = [
        f"# Column and value mapping for govdata-policy, drafted from {source_name}.",
        "# The draft guesses from headers and words: read it through. Lines marked TODO",
        "# need a decision: uncomment them with the right name, or leave them out.",
        "# Headers not listed here are kept as text columns under their own names.",
        "",
    ]
    columns, unplaced = found["columns"], found["unplaced_columns"]
    # "columns: {}" only when nothing is under it: with TODO lines below, an officer uncommenting
    # them got "columns: {}" followed by entries, which is not YAML
    lines.append("columns:" if columns or unplaced else "columns: {}")
    for header, target in columns.items():
        hint = ""
        if header in found.get("clock_alone", ()):  # every row refused as a time of day without a date
            hint = (f"   # TODO: holds times of day alone; join it with its date's column: "
                    f"join: {{{target}: [DATE COLUMN, {_scalar(header)}]}}, and this line deleted")
        lines.append(f"  {_scalar(header)}: {_scalar(target)}{hint}")
    for header in unplaced:
        lines.append(f"  # {_scalar(header)}: {TODO_COLUMN}   # TODO: not placed; kept as text named {visible(header)}")
    if found.get("join"):  # a date and a time of day side by side: one time of the two
        lines += ["", "join:"] + [f"  {target}: [{', '.join(map(_scalar, headers))}]   # the date, the time of day"
                                  for target, headers in found["join"].items()]
    values, todo = found["values"], found["unplaced_values"]
    names = list(dict.fromkeys([*values, *todo]))
    if names:
        lines += ["", "values:"]
    for column in names:
        lines.append(f"  {column}:")
        for word, value in values.get(column, {}).items():
            lines.append(f"    {_scalar(word)}: {_value(value)}")
        pending = list(todo.get(column, {}).items())
        for word, (count, guesses) in pending[:MAX_TODO_WORDS]:
            lines.append(
                f"    # {_scalar(word)}: {TODO_VALUE}   # TODO: {count} row(s); {_todo_hint(column, guesses)}"
            )
        if len(pending) > MAX_TODO_WORDS:
            lines.append(f"    # TODO: {len(pending) - MAX_TODO_WORDS} more words not placed")
    return "\n".join(lines) + "\n"
