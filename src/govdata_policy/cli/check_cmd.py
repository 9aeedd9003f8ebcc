"""``govdata-policy check LOG... -j J``: findings for a log, exit 0 / 1 / 2."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from ..report.i18n import line_label
from .common import (
    LOGS_HELP,
    USAGE_ERROR,
    as_of_option,
    cannot_write,
    fail,
    fail_on,
    jurisdiction_option,
    log_files,
    mapping_option,
    output_option,
    say_error,
    sheet_option,
    switch,
)

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


def load_profile(jurisdiction: str, lang: str = "en") -> Any:
    from ..profile import load_jurisdiction
    from ..rules.loader import RuleLoadError

    try:
        return load_jurisdiction(jurisdiction)
    except RuleLoadError as exc:
        fail_on(exc, lang)


class Engine(StrEnum):
    pandas = "pandas"
    dask = "dask"


def run_check(profile: Any, logs: list[Path] | Any, as_of: str | None, mapping: Path | None, sheet: str | None,
              ignore_validity: bool, progress: Any = None, engine: Engine = Engine.pandas,
              workers: int | None = 1, scheduler: str | None = None, lang: str = "en", **parallel: Any) -> Any:
    """Evaluate, turning every input problem into a one-line usage error (exit 2), in Chinese
    under ``lang`` zh where the error has a Chinese text.

    ``logs``: the files, or the log already read and validated (``read_log``; ``mapping`` is then None).
    ``workers``: one process unless asked (as ``check``): ``explain`` needs the result's events,
    which a check on several processes leaves in them, and ``compare`` gains nothing on the 2-core
    machines measured (engine.parallel.worker_count). None was every core: on a log of 200,000
    events or more ``explain`` could not explain a case without findings."""
    from ..engine.evaluate import Loaded

    source: Any = logs if isinstance(logs, Loaded) else _source(logs)
    enforce = False if ignore_validity else None
    try:
        mapping_spec = _mapping(mapping)
        if engine is Engine.dask:
            try:
                from ..distributed import check_with_dask

                return check_with_dask(profile, list(logs), as_of, mapping_spec, workers=workers,
                                       scheduler=scheduler, sheet=sheet, enforce_validity=enforce, progress=progress)
            except ImportError:
                fail("--engine dask needs `pip install 'govdata-policy[dask]'`",
                     "--engine dask 需要先安装：pip install 'govdata-policy[dask]'", lang)
        return profile.evaluate(source, as_of=as_of, mapping=mapping_spec, sheet=sheet,
                                enforce_validity=enforce, progress=progress, workers=workers, **parallel)
    except _input_errors() as exc:
        fail_on(exc, lang)


def read_log(logs: list[Path], mapping: Path | None, lang: str = "en", sheet: str | None = None) -> Any:
    """The log read, mapped and validated once (``engine.evaluate.Loaded``), for several profiles to check
    (``compare``): reading does not depend on the profile. Its errors are ``run_check``'s, in the same order
    (the mapping's, then the log's). ``sheet``: the workbooks' sheet, or ``*`` for all, as check's."""
    from ..engine.evaluate import Loaded, load

    try:
        return Loaded(*load(_source(logs), _mapping(mapping), sheet))
    except _input_errors() as exc:
        fail_on(exc, lang)


def _source(logs: list[Path]) -> Path | list[Path]:
    """What evaluate reads: one file as itself (its name in messages), several as a list."""
    return logs[0] if len(logs) == 1 else list(logs)


def _mapping(mapping: Path | None) -> Any:
    if mapping is None:
        return None
    from ..io.mapping import load_mapping

    return load_mapping(mapping)


def _input_errors() -> tuple[type[Exception], ...]:
    """What a log, a mapping or a profile's calendar can refuse with: a usage error (exit 2), not a crash."""
    from ..calendar import CalendarRangeError
    from ..rules.loader import RuleLoadError

    return ValueError, OSError, RuleLoadError, CalendarRangeError


def write_output(text: str | bytes, output: Path | None, bom: bool = False) -> None:
    """To stdout, or to ``output``; ``bom``: a CSV file starts with the UTF-8 mark, without which
    Excel on a Chinese Windows reads the file as GBK and garbles every Chinese cell."""
    if output is None:
        if isinstance(text, bytes):
            sys.stdout.buffer.write(text)
        else:
            sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    from ..atomic_file import write_whole

    if isinstance(text, bytes):
        write_whole(output, lambda path: path.write_bytes(text))
    else:
        write_whole(output, lambda path: path.write_text(text, encoding="utf-8-sig" if bom else "utf-8"))


def register(app: typer.Typer) -> None:
    @app.command()
    def check(
        logs: Annotated[list[Path], typer.Argument(help=LOGS_HELP)],
        jurisdiction: Annotated[str, jurisdiction_option()],
        as_of: Annotated[str | None, as_of_option()] = None,
        mapping: Annotated[Path | None, mapping_option()] = None,
        sheet: Annotated[str | None, sheet_option()] = None,
        fmt: Annotated[Format | None, typer.Option(  # "\[": rich took "[default: …]" for markup and dropped it
            "--format",
            help="Output format \\[default: from -o's suffix (.json .csv .html .xlsx), else table]")] = None,
        output: Annotated[Path | None, output_option("Write here instead of stdout.")] = None,
        obligations: Annotated[bool, switch("--obligations", "Include obligations.")] = False,
        lang: Annotated[Lang, typer.Option("--lang", help="Language of messages and tables.")] = Lang.zh,
        ignore_validity: Annotated[
            bool, switch("--ignore-validity", "Report findings outside a document's validity (C6).")
        ] = False,
        engine: Annotated[Engine, typer.Option("--engine", help="pandas (one process) or dask.")] = Engine.pandas,
        workers: Annotated[int | None, typer.Option("--workers", metavar="N", help=(
            "Processes: Dask's local workers (default: all cores), or with the pandas engine the "
            "processes one log of 200,000+ events is split over (Linux; default 1)."))] = None,
        scheduler: Annotated[
            str | None, typer.Option("--scheduler", metavar="ADDRESS", help="Dask: a running scheduler, tcp://host:8786.")
        ] = None,
        overrides: Annotated[list[Path] | None, typer.Option(
            "--overrides", metavar="FILE",
            help="A calendar overrides YAML file (kind: overrides), as deadline and calendar take; repeatable.",
        )] = None,
    ) -> None:
        """Check event logs against a jurisdiction's rules."""
        early = engine is Engine.pandas and len(logs) == 1 and workers in (None, 1)
        if early:
            # issue 5: Arrow reads a large CSV or Parquet log in a thread while the imports below run (io.prefetch)
            from ..io.prefetch import start_reading

            start_reading(logs[0])
        try:
            from .progress import estimate_rows, stage_progress

            said = lang.value
            if workers is not None and workers < 1:
                fail(f"--workers {workers}: give 1 or more processes", f"--workers {workers}：进程数应为 1 或更多",
                     said)
            if scheduler is not None and engine is not Engine.dask:
                fail("--scheduler is a Dask scheduler: add --engine dask",
                     "--scheduler 是 Dask 调度器的地址：请加上 --engine dask", said)
            fmt = output_format(fmt, output, said)
            output = stdout_or_file(output, fmt, said)
            if output is None and fmt in (Format.html, Format.xlsx):  # before the check, not after minutes of it
                fail(f"--format {fmt.value} writes a file: give -o PATH",
                     f"--format {fmt.value} 会写出文件：请用 -o 给出文件路径", said)
            if output is not None:
                # before the check: a run of minutes is not lost to a bad -o
                prepare_output(output, ".txt" if fmt is Format.table else f".{fmt.value}", said)
            profile = load_profile(jurisdiction, said)
            if overrides:
                profile = with_calendar_overrides(profile, jurisdiction, overrides, said)
            parallel = {} if engine is Engine.dask else {
                "obligations": obligations, "render_json": 2 if fmt is Format.json else None}
            if engine is Engine.pandas and (workers is None or fmt in (Format.html, Format.xlsx)):
                workers = 1  # one process unless asked; the reports need one process's prepared log
            if engine is Engine.dask:
                refuse_streams_for_dask(logs, said)
            with log_files(logs, said) as files, stage_progress(estimate_rows(files)) as progress:
                result = run_check(profile, files, as_of, mapping, sheet, ignore_validity, progress, engine, workers,
                                   scheduler, said, **parallel)
                progress("write")
                try:
                    render(result, fmt, output, obligations, said, several_files(files, sheet))
                except OSError as exc:  # a full disk, a file the user may not write: theirs to fix, not a bug
                    if isinstance(exc, BrokenPipeError) and output is None:
                        # `check … | head`: the reader took what it wanted and went away; no input error (it
                        # said "-o None: cannot write", exit 2). The verdict's exit code stands.
                        reader_gone()
                    else:
                        where = f"-o {output}" if output is not None else "standard output"  # not "-o None"
                        cannot_write(where, exc, said, f"-o {output}" if output is not None else "标准输出")
            raise typer.Exit(exit_code(result, fmt, said))
        finally:
            if early:  # however it ends: an early read the check never took (a bad -j, -o, mapping) is let go of
                from ..io.prefetch import drop

                drop()


def refuse_streams_for_dask(logs: list[Path], lang: str) -> None:
    """Dask's workers read a log's files by their paths, in processes (or on machines) of their own:
    a temporary copy of standard input is not theirs to read, nor named there as it was given."""
    from ..io.spool import is_stream

    streams = [str(log) for log in logs if is_stream(log)]
    if streams:
        fail(f"{streams[0]}: standard input and pipes are read by the pandas engine only: leave out --engine dask, "
             "or save the log to a file", f"{streams[0]}：标准输入和管道只能由 pandas 引擎读取：请去掉 --engine dask，"
             "或先把日志保存为文件", lang)


def reader_gone() -> None:
    """Standard output's reader has closed the pipe: what is still buffered goes nowhere, so that
    Python's flush at exit does not fail on it again (the way the Python docs give for SIGPIPE)."""
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def with_calendar_overrides(profile: Any, jurisdiction: str, overrides: list[Path], lang: str = "en") -> Any:
    """The profile with override files added to its calendar, as ``deadline --overrides`` counts;
    a copy, so the cached profile keeps its own calendar."""
    import copy

    from .calendar_cmds import calendar_or_fail

    changed = copy.copy(profile)
    changed.__dict__["calendar"] = calendar_or_fail(jurisdiction, overrides, lang)  # the cached_property, for this copy
    return changed


def nothing_read(result: Any, lang: str = "en") -> str | None:
    """Why a log none of whose rows could be read is no pass (None when some were): its first
    rejected row says why. ``check`` and ``compare --log`` exit 2 with it."""
    from ..reasons_zh import rejected_reason

    rows = result.rows
    if not rows.get("read", 0) or rows.get("accepted", 0):
        return None
    first = result.rejected_rows[0] if result.rejected_rows else None
    if lang == "zh":
        why = (f"（{first['source']}第 {first['row']} 行{line_label('zh', first)}：{rejected_reason(first, 'zh')}）"
               if first else "")
        return f"日志的 {rows['read']} 行都无法读取{why}"
    why = f" (row {first['row']}{line_label('en', first)} of {first['source']}: {first['reason']})" if first else ""
    return f"none of the {rows['read']} rows of the log could be read{why}"


def exit_code(result: Any, fmt: Format, lang: str = "en") -> int:
    """0 nothing found, 1 violations; 2 when no row of the log could be read, which is no pass
    (a script reading 0 as "compliant" must not get it for a log of nothing but rejected rows)."""
    rows = result.rows
    rejected = int(rows.get("rejected", 0))
    unread = nothing_read(result)
    if unread is not None:
        say_error(unread, nothing_read(result, "zh"), lang)
        return USAGE_ERROR
    if rejected and fmt is Format.csv:  # the CSV table has no room for them: say so where it is seen
        typer.echo(f"说明：{rows['read']} 行中有 {rejected} 行被拒收（原因见 --format json、table 或 xlsx）"
                   if lang == "zh" else f"note: {rejected} of {rows['read']} rows were rejected (their reasons: "
                   "--format json, table or xlsx)", err=True)
    return FOUND_VIOLATIONS if result.violation_count else 0


SUFFIX_FORMATS = {".json": Format.json, ".csv": Format.csv, ".html": Format.html, ".htm": Format.html,
                  ".xlsx": Format.xlsx}


def output_format(fmt: Format | None, output: Path | None, lang: str = "en") -> Format:
    """The format asked for, else the one -o's suffix names, else the table. A file named for one
    format is not written in another (`-o report.xlsx` holding a text table opens nowhere)."""
    named = SUFFIX_FORMATS.get(output.suffix.lower()) if output is not None else None
    if fmt is None:
        return named or Format.table
    if named is not None and named is not fmt:
        ending = "txt" if fmt is Format.table else fmt.value
        fail(f"-o {output}: a {output.suffix} file, but --format {fmt.value}: give --format {named.value}, "
             f"or a file name ending in .{ending}",
             f"-o {output}：是 {output.suffix} 文件，但 --format 为 {fmt.value}：请用 --format {named.value}，"
             f"或以 .{ending} 结尾的文件名", lang)
    return fmt


def stdout_or_file(output: Path | None, fmt: Format, lang: str = "en") -> Path | None:
    """``-o -`` is standard output, as most tools read it (it wrote a file named ``-``); the
    html report and the workbook are files to open, not text for a pipe, so they are refused."""
    if output is None or str(output) != "-":
        return output
    if fmt in (Format.html, Format.xlsx):
        fail(f"-o -: --format {fmt.value} writes a file, not standard output: give -o PATH",
             f"-o -：--format {fmt.value} 会写出文件，不能写到标准输出：请用 -o 给出文件路径", lang)
    return None


def prepare_output(output: Path, suffix: str = ".json", lang: str = "en") -> None:
    """``-o`` checked before the work: a folder is refused (the example named with ``suffix``, the
    format's), a missing parent folder made."""
    if output.is_dir() or output.name in ("", ".", ".."):
        example = output / ("findings" + suffix)
        fail(f"-o {output}: is a folder; give a file name, e.g. {example}",
             f"-o {output}：是文件夹；请给出文件名，例如 {example}", lang)
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        why = exc.strerror or exc
        fail(f"-o {output}: cannot make its folder: {why}", f"-o {output}：无法创建其所在的文件夹：{why}", lang)


def several_files(logs: list[Path], sheet: str | None = None) -> bool:
    """Did the log come from more than one file (row numbers run on across them), or from every sheet
    of its workbooks (``--sheet '*'``: each sheet is named as a file is, its sheet rows its own)?"""
    from ..io.read import ALL_SHEETS, expand_paths

    return sheet == ALL_SHEETS or sum(len(expand_paths(log)) for log in logs) > 1


def render(result: Any, fmt: Format, output: Path | None, obligations: bool, lang: str,
           name_files: bool = False) -> None:
    """``name_files``: the table names each rejected row's file (the log came from several)."""
    if fmt is Format.json:
        # written piece by piece, as UTF-8 straight from the tables' Arrow text (issue 5: the
        # document of a 1M-event log is ~100 MB; decoding and encoding it again cost ~0.3 s)
        pieces = result.json_bytes(indent=2, obligations=obligations)
        if output is None:
            sys.stdout.flush()
            sys.stdout.buffer.writelines(pieces)
            sys.stdout.buffer.write(b"\n")
            sys.stdout.buffer.flush()
        else:
            from ..atomic_file import write_whole

            def stream(path: Path) -> None:
                with path.open("wb") as sink:
                    sink.writelines(pieces)
                    sink.write(b"\n")

            write_whole(output, stream)  # a run failing half way leaves no document cut short
    elif fmt is Format.csv:
        from .tables import obligations_csv, violations_csv

        if obligations and output is not None:
            # two tables of different columns are two files: one CSV a spreadsheet opens as one table
            beside = output.with_name(f"{output.stem}.obligations{output.suffix or '.csv'}")
            write_output(violations_csv(result, False), output, bom=True)
            write_output(obligations_csv(result), beside, bom=True)
            typer.echo(f"已写出 {output}（违规）和 {beside}（义务）" if lang == "zh"
                       else f"wrote {output} (violations) and {beside} (obligations)", err=True)
        else:
            write_output(violations_csv(result, obligations), output, bom=True)
    elif fmt in (Format.html, Format.xlsx):  # check has refused these without -o before the work
        assert output is not None
        try:
            from ..report import write_report
        except ImportError:
            fail(f"--format {fmt.value} is not available in this build", f"此版本不提供 --format {fmt.value}", lang)
        write_report(result, fmt.value, output, lang=lang, obligations=obligations)
        typer.echo(f"已写出 {output}" if lang == "zh" else f"wrote {output}", err=True)
    else:
        from .tables import print_table

        print_table(result, lang, obligations, output, name_files=name_files)
