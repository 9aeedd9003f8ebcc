"""What every verb shares: failing with exit code 2 and a one-line reason."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from ..errors import zh_of

USAGE_ERROR = 2
# what check and explain read (io.read): every reader, not only the four best known
LOGS_HELP = ("Event log files (CSV/TXT, JSON Lines, JSON, Parquet, Excel), folders or quoted glob patterns; "
             "- reads standard input.")
# '*' is no sheet's name (Excel refuses it in one): every sheet with the log's columns, read as one log
SHEET_HELP = ("Excel sheet name (--sheet 2 is the sheet named 2, not a position), or '*' (quoted) for every sheet "
              "with the log's columns, as one log.")


JURISDICTION_HELP = "Built-in name or profile file."


# the options several verbs take, each with what its value is (typer 0.29 shows the type, "<str>", else)
def jurisdiction_option(text: str = JURISDICTION_HELP) -> Any:
    return typer.Option("-j", "--jurisdiction", metavar="NAME|FILE", help=text)


def as_of_option() -> Any:
    return typer.Option("--as-of", metavar="DATE", help="Decide overdue/pending at this date.")


def mapping_option() -> Any:
    return typer.Option("--mapping", metavar="FILE", help="Column/value mapping YAML.")


def sheet_option() -> Any:
    return typer.Option("--sheet", metavar="NAME", help=SHEET_HELP)


def output_option(text: str) -> Any:
    return typer.Option("-o", "--output", metavar="PATH", help=text)


def switch(name: str, text: str) -> Any:
    """An option that is on or off: no value shown beside it (typer shows "<bool>", as if it took one)."""
    return typer.Option(name, metavar="", help=text)


class ErrorLang(StrEnum):
    en = "en"
    zh = "zh"


# --lang of the verbs whose output has no prose to translate (deadline, calendar, mapping init, test, compare,
# rules show|quotes): the language of their errors, English by default as their output is; ``--lang zh``
# says them in Chinese as check's and explain's are (their officers and drafters read Chinese)
ErrorLangOption = Annotated[ErrorLang, typer.Option("--lang", help="Language of error messages: en or zh.")]


def say_error(message: str, zh: str | None = None, lang: str = "en") -> None:
    """An error's one line on stderr: under ``--lang zh`` the Chinese text when there is one (the
    officer running a check reads Chinese); else English."""
    if lang == "zh" and zh:
        typer.echo(f"错误：{zh}", err=True)
    else:
        typer.echo(f"error: {message}", err=True)


def fail(message: str, zh: str | None = None, lang: str = "en") -> NoReturn:
    """Usage or input error: one line on stderr (``say_error``), exit code 2 (CONTRACT.md §3)."""
    say_error(message, zh, lang)
    raise typer.Exit(USAGE_ERROR)


def cannot_write(where: str, exc: OSError, lang: str = "en", where_zh: str | None = None) -> NoReturn:
    """An output that could not be written (a folder, a file not ours, a full disk): the user's to fix, so
    exit 2 in one line, not a traceback and 'internal error' (exit 3). Every verb writing files says it so."""
    why = exc.strerror or exc
    fail(f"{where}: cannot write: {why}", f"{where_zh or where}：无法写入：{why}", lang)


def write_or_fail(output: Path, write: Callable[[Path], None], where: str, lang: str = "en") -> None:
    """``atomic_file.write_whole``, its OSError said by ``cannot_write``."""
    from ..atomic_file import write_whole

    try:
        write_whole(output, write)
    except OSError as exc:
        cannot_write(where, exc, lang)


def fail_on(exc: BaseException, lang: str = "en") -> NoReturn:
    """``fail`` with an exception's first line (and its Chinese text, ``errors.Bilingual``)."""
    message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    zh = zh_of(exc)
    fail(message, zh.splitlines()[0] if zh else None, lang)


@contextmanager
def log_files(logs: Sequence[Path], lang: str = "en") -> Iterator[list[Path]]:
    """The logs given, standard input (``-``) and pipes among them read into temporary copies
    (``io.spool``) that last as long as the block: the command's output too, which may read a
    rejected row's line from its file. A stream that cannot be read fails with exit code 2."""
    from ..io.read import InputError
    from ..io.spool import spooled

    with ExitStack() as stack:
        try:
            files = stack.enter_context(spooled(logs))
        except InputError as exc:
            fail_on(exc, lang)
        yield files
