"""``govdata-policy check LOG... -j J``: findings for a log, exit 0 / 1 / 2."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from .common import fail

FOUND_VIOLATIONS = 1


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    html = "html"
    xlsx = "xlsx"


class Lang(StrEnum):
    zh = "zh"
    en = "en"


def load_profile(jurisdiction: str) -> Any:
    from ..profile import load_jurisdiction
    from ..rules.loader import RuleLoadError

    try:
        return load_jurisdiction(jurisdiction)
    except RuleLoadError as exc:
        fail(str(exc))


def run_check(profile: Any, logs: list[Path], as_of: str | None, mapping: Path | None, sheet: str | None,
              ignore_validity: bool) -> Any:
    """Evaluate, turning every input problem into a one-line usage error (exit 2)."""
    from ..calendar import CalendarRangeError
    from ..rules.loader import RuleLoadError

    source: Any = logs[0] if len(logs) == 1 else list(logs)
    mapping_spec = None
    try:
        if mapping is not None:
            from ..io.mapping import load_mapping

            mapping_spec = load_mapping(mapping)
        return profile.evaluate(
            source, as_of=as_of, mapping=mapping_spec, sheet=sheet,
            enforce_validity=False if ignore_validity else None,
        )
    except (ValueError, OSError, RuleLoadError, CalendarRangeError) as exc:
        fail(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)


def write_output(text: str | bytes, output: Path | None) -> None:
    if output is None:
        if isinstance(text, bytes):
            sys.stdout.buffer.write(text)
        else:
            sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    if isinstance(text, bytes):
        output.write_bytes(text)
    else:
        output.write_text(text, encoding="utf-8")


def register(app: typer.Typer) -> None:
    @app.command()
    def check(
        logs: Annotated[list[Path], typer.Argument(help="Event log files (CSV, JSONL, Parquet, Excel), or folders.")],
        jurisdiction: Annotated[str, typer.Option("-j", "--jurisdiction", help="Built-in name or profile file.")],
        as_of: Annotated[str | None, typer.Option("--as-of", help="Decide overdue/pending at this date.")] = None,
        mapping: Annotated[Path | None, typer.Option("--mapping", help="Column/value mapping YAML.")] = None,
        sheet: Annotated[str | None, typer.Option("--sheet", help="Excel sheet name.")] = None,
        fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.table,
        output: Annotated[Path | None, typer.Option("-o", "--output", help="Write here instead of stdout.")] = None,
        obligations: Annotated[bool, typer.Option("--obligations", help="Include obligations.")] = False,
        lang: Annotated[Lang, typer.Option("--lang", help="Language of messages and tables.")] = Lang.zh,
        ignore_validity: Annotated[
            bool, typer.Option("--ignore-validity", help="Report findings outside a document's validity (C6).")
        ] = False,
    ) -> None:
        """Check event logs against a jurisdiction's rules."""
        profile = load_profile(jurisdiction)
        result = run_check(profile, logs, as_of, mapping, sheet, ignore_validity)
        render(result, fmt, output, obligations, lang.value)
        raise typer.Exit(FOUND_VIOLATIONS if len(result.violations) else 0)


def render(result: Any, fmt: Format, output: Path | None, obligations: bool, lang: str) -> None:
    if fmt is Format.json:
        write_output(result.to_json(indent=2, obligations=obligations), output)
    elif fmt is Format.csv:
        from .tables import violations_csv

        write_output(violations_csv(result, obligations), output)
    elif fmt in (Format.html, Format.xlsx):
        if output is None:
            fail(f"--format {fmt.value} writes a file: give -o PATH")
        try:
            from ..report import write_report
        except ImportError:
            fail(f"--format {fmt.value} is not available in this build")
        write_report(result, fmt.value, output, lang=lang, obligations=obligations)
        typer.echo(f"wrote {output}", err=True)
    else:
        from .tables import print_table

        print_table(result, lang, obligations, output)
