"""A log given as standard input (``-``), a named pipe or a character device (``<(zcat log.csv.gz)``,
``/dev/stdin``): its bytes copied to a private temporary file, read as any file is.

The readers look at a file more than once (the encoding from its head, Arrow's read, the lines of
rejected rows after the check, ``check --workers`` cutting it into byte ranges), and a pipe can be
read once: a copy makes everything a file has (encodings, title lines, row and line numbers,
mapping) the pipe's too. The copy has no name to tell its format by, so its first bytes tell it
(``content_suffix``); it is named as given (``<stdin>``, or the pipe's path) wherever a row, a
message or a report names a file (``read.SHOWN_NAMES``), and removed when ``spooled`` ends, however
it ends (an error, Ctrl-C): the command holds the copy until its output is written, so nothing read
lazily from it (``io.lines``) is asked for after it has gone.
"""

from __future__ import annotations

import codecs
import os
import shutil
import stat
import sys
import tempfile
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO, NoReturn

from .read import SHOWN_NAMES, InputError
from .wide_text import head_text, undecided_utf16, undecided_utf16_hint, utf16_codec, wide_text_refusal

STDIN = "-"
STDIN_NAME = "<stdin>"
_FD_FOLDERS = ("/dev/fd/", "/proc/self/fd/")
_HEAD = 1 << 16  # as much of the head as the CSV reader looks at for its encoding
_COPY_BLOCK = 1 << 20


def is_stream(source: Any) -> bool:
    """``-``, or a path that names a named pipe or a character device (not a file to read twice)."""
    if not isinstance(source, str | Path):
        return False
    if str(source) == STDIN or str(source) == "/dev/stdin" or str(source).startswith(_FD_FOLDERS):
        return True  # a descriptor of this process, whatever it holds (a file redirected in has no suffix)
    try:
        mode = os.stat(source).st_mode  # follows /dev/stdin and /dev/fd/63 to what they are
    except (OSError, ValueError):
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISCHR(mode)


@contextmanager
def spooled(logs: Sequence[Any], stdin: BinaryIO | None = None) -> Iterator[list[Any]]:
    """``logs`` with each stream in it replaced by the path of its copy (everything else as given),
    the copies removed on leaving. ``stdin``: what ``-`` reads (default ``sys.stdin``'s bytes)."""
    if not any(is_stream(log) for log in logs):
        yield list(logs)
        return
    if sum(str(log) == STDIN for log in logs if isinstance(log, str | Path)) > 1:
        raise InputError("-: standard input is given more than once; it can be read only once",
                         zh="-：标准输入被给出了不止一次；标准输入只能读取一次")
    folder = Path(tempfile.mkdtemp(prefix="govdata-stdin-"))
    copies: list[str] = []
    try:
        given = []
        for number, log in enumerate(logs):
            if not is_stream(log):
                given.append(log)
                continue
            name = STDIN_NAME if str(log) == STDIN else str(log)
            copy = _copy(log, name, folder / f"log{number + 1}", stdin)
            SHOWN_NAMES[str(copy)] = name
            copies.append(str(copy))
            given.append(copy)
        yield given
    finally:
        for copy in copies:
            SHOWN_NAMES.pop(copy, None)
        shutil.rmtree(folder, ignore_errors=True)


def _copy(log: Any, name: str, stem: Path, stdin: BinaryIO | None) -> Path:
    """The stream's bytes in ``stem`` with the suffix its content calls for."""
    if str(log) == STDIN:
        source = stdin if stdin is not None else _stdin_bytes()
        _refuse_terminal(source, name)
        _write(source, stem)
    else:
        try:
            with open(log, "rb") as source:
                _refuse_terminal(source, name)
                _write(source, stem)
        except OSError as exc:
            why = exc.strerror or exc
            raise InputError(f"{name}: cannot read: {why}", zh=f"{name}：无法读取：{why}") from exc
    with stem.open("rb") as handle:
        head = handle.read(_HEAD)
    return stem.rename(stem.with_suffix(content_suffix(head, stem, name)))


def _stdin_bytes() -> BinaryIO:
    stream = getattr(sys.stdin, "buffer", sys.stdin)
    if stream is None or getattr(stream, "closed", False):
        raise InputError("-: there is no standard input to read (it is closed)", zh="-：没有可读取的标准输入（已关闭）")
    return stream


def _refuse_terminal(source: Any, name: str) -> None:
    """Nothing piped in: the command would wait for a log typed by hand, which no one means."""
    try:
        terminal = bool(source.isatty())
    except (AttributeError, ValueError, OSError):
        terminal = False
    if terminal:
        raise InputError(f"{name}: standard input is a terminal, nothing is piped in: pipe a log into the command "
                         "(… | govdata-policy check - -j J) or give the log's path",
                         zh=f"{name}：标准输入是终端，没有通过管道传入日志：请用管道传入日志"
                         "（… | govdata-policy check - -j J），或给出日志文件的路径")


def _write(source: BinaryIO, target: Path) -> None:
    with target.open("wb") as sink:
        while block := source.read(_COPY_BLOCK):
            sink.write(block)


def content_suffix(head: bytes, path: Path, name: str) -> str:
    """The suffix a log's reader is chosen by, from the first bytes of its content: Parquet, a
    workbook, JSON Lines (a JSON array), else delimited text; an InputError for what none reads."""
    if head.startswith(b"PAR1"):
        return ".parquet"
    if head.startswith(b"PK\x03\x04"):
        return _zip_suffix(path, name)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        _refuse(name, "an old Excel workbook (.xls) or another OLE2 file (an encrypted workbook, a Word "
                "document): save it as a file named .xls and give its path",
                "旧版 Excel 工作簿（.xls）或其他 OLE2 文件（加密的工作簿、Word 文档）：请保存为 .xls 文件后给出其路径")
    if head.startswith(b"\x1f\x8b"):
        _refuse(name, "gzip-compressed: decompress it on the way in (zcat log.csv.gz | govdata-policy check - …)",
                "gzip 压缩数据：请先解压再传入（zcat log.csv.gz | govdata-policy check - …）")
    refusal = wide_text_refusal(head)  # UTF-32, or UTF-16's NULs without its text: said by name
    if refusal is not None:
        _refuse(name, *refusal)
    wide = utf16_codec(head)
    if wide is not None:
        # Excel's "Unicode text", or JSON Lines written by PowerShell (Out-File, >): the readers read UTF-16 by
        # its mark (or, without one, by its NULs: refused as no text), and its text tells them apart as UTF-8's
        # does (JSON Lines was taken for a CSV)
        start = head_text(head, wide).lstrip(" \t\r\n")
        return {"{": ".jsonl", "[": ".json"}.get(start[:1], ".csv")
    start = head.removeprefix(codecs.BOM_UTF8).lstrip(b" \t\r\n")
    if start.startswith(b"{"):
        return ".jsonl"
    if start.startswith(b"["):  # a JSON array of events: no CSV's header starts so in practice
        return ".json"
    if not is_text(head):
        wide = undecided_utf16(head)  # UTF-16 its NULs did not show beyond doubt: no "not a log: neither text"
        if wide is not None:
            _refuse(name, *undecided_utf16_hint(wide))
        _refuse(name, "not a log: neither text (CSV, JSON Lines) nor Parquet nor a workbook (.xlsx)",
                "不是日志：既不是文本（CSV、JSON Lines），也不是 Parquet 或工作簿（.xlsx）")
    return ".csv"


def zip_workbook(path: Path) -> str | None:
    """The suffix of the workbook a zip archive is (.xlsx for .xlsx/.xlsm, .xlsb, .ods), None for another zip
    (or one that cannot be opened)."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = set(archive.namelist())
            kind = archive.read("mimetype") if "mimetype" in members else b""
    except (zipfile.BadZipFile, OSError, KeyError):
        members, kind = set(), b""
    if "xl/workbook.bin" in members:
        return ".xlsb"
    if "xl/workbook.xml" in members:
        return ".xlsx"
    if b"opendocument.spreadsheet" in kind:
        return ".ods"
    return None


def _zip_suffix(path: Path, name: str) -> str:
    """A zip archive read as the workbook it is (.xlsx/.xlsm, .xlsb, .ods); another zip is refused."""
    suffix = zip_workbook(path)
    if suffix is not None:
        return suffix
    _refuse(name, "a zip archive that is no workbook (.xlsx, .ods): unzip it on the way in "
            "(unzip -p logs.zip log.csv | govdata-policy check - …)",
            "不是工作簿（.xlsx、.ods）的 zip 压缩包：请先解压再传入"
            "（unzip -p logs.zip log.csv | govdata-policy check - …）")


def is_text(head: bytes) -> bool:
    """Whether a head of bytes reads as text the CSV reader reads (UTF-8 or GB18030): no NUL byte, and
    hardly a byte that decodes to nothing or to a control character (a file's own stray byte passes)."""
    if b"\x00" in head:
        return False
    if not head:
        return True
    for encoding in ("utf-8", "gb18030"):
        # the head may end inside a character: the incremental decoder allows that
        text = codecs.getincrementaldecoder(encoding)("replace").decode(head, final=False)
        odd = sum(ch == "\ufffd" or (ord(ch) < 0x20 and ch not in "\t\n\r\f\v\x1b") for ch in text)
        if odd <= max(2, len(text) // 100):  # a short head is not refused for a byte or two
            return True
    return False


def _refuse(name: str, why: str, why_zh: str) -> NoReturn:
    raise InputError(f"{name}: {why}", zh=f"{name}：{why_zh}")
