"""What a file its reader cannot read holds, from its first bytes: the words ``read.read_file`` (and the JSON
Lines reader) add to the reader's own, so an officer is told the cause they can mend ("rename it .xlsx",
"unzip it", "this is no export"), not a codec's or a zip library's complaint alone."""

from __future__ import annotations

import codecs
import zipfile
from pathlib import Path

from .wide_text import head_text, is_plain_text, undecided_utf16, undecided_utf16_hint, utf16_codec

# the first bytes of each kind of file a log comes in: its name (English, Chinese) and the suffix it is read by
_ZIP = b"PK\x03\x04"  # a workbook (.xlsx, .xlsb, .ods) or another zip archive
_MAGIC = ((b"\xd0\xcf\x11\xe0", "a workbook (.xls)", "工作簿（.xls）", ".xls"),
          (b"PAR1", "Parquet", "Parquet", ".parquet"))
_TEXT_SUFFIXES = (".csv", ".txt", ".json", ".jsonl", ".ndjson")
_PDF = b"%PDF-"
_HEAD = 4096


def other_kind(path: Path, suffix: str) -> tuple[str, str]:
    """A file its reader cannot read whose bytes are another kind's (a CSV saved as "log.xlsx", a
    workbook as "log.csv"), or no log's at all (a PDF, an image): the kind it is, and the name to give it
    or what to do, said after the reader's words ("ZipError: invalid Zip archive", "'gb18030' codec can't
    decode byte 0x80" name no cause an officer knows). Empty when nothing is plain."""
    try:
        with path.open("rb") as handle:
            head = handle.read(_HEAD)
    except OSError:
        return "", ""
    kind = next(((en, zh, wanted) for magic, en, zh, wanted in _MAGIC if head.startswith(magic)), None)
    if head.startswith(_ZIP):
        # a workbook is a zip: which one (an .ods named .csv was told to be renamed .xlsx), or none (a zipped
        # CSV named .csv was called a workbook); a zip that does not open is taken for a broken workbook
        from .spool import zip_workbook  # spool.py imports read.py, which imports this module

        wanted = zip_workbook(path) or ("" if zipfile.is_zipfile(path) else ".xlsx")
        if not wanted:
            return (" (the file is a zip archive, not a workbook: unzip it and give the log inside)",
                    "（文件是 zip 压缩包，不是工作簿：请解压后给出其中的日志文件）")
        kind = (f"a workbook ({wanted})", f"工作簿（{wanted}）", wanted)
    if kind is None and head:
        if head.startswith(_PDF):
            return (" (the file is a PDF document, not an export of the log: export the log itself as CSV, "
                    "Excel or JSON)", "（文件是 PDF 文档，不是导出的日志：请将日志本身导出为 CSV、Excel 或 JSON）")
        text = _text(head)
        wide = undecided_utf16(head) if text is None else None
        if wide is not None:  # UTF-16 its NULs did not show beyond doubt: it was said to hold no text, "an image?"
            said, said_zh = undecided_utf16_hint(wide)
            return f" (the file {said})", f"（文件{said_zh}）"
        if text is None:
            # a NUL was the only sign of no text: a PDF, an image or bytes no text encoding reads (0x80 in
            # GB18030) were left with the codec's words, and UTF-16 text (a NUL beside each letter) got none
            return (" (the file holds no text, nor a workbook or Parquet: it is no log export; an image, an "
                    "archive or a document?)",
                    "（文件内容不是文本，也不是工作簿或 Parquet：不是导出的日志；是图片、压缩包或文档？）")
        json_like = text.lstrip("\ufeff \r\n\t").startswith(("{", "["))
        kind = ("text (CSV or JSON)", "文本（CSV 或 JSON）", ".json" if json_like else ".csv")
    if kind is None or suffix == kind[2] or (kind[2] == ".xlsx" and suffix in (".xlsm", ".ods")) or (
            kind[2] in _TEXT_SUFFIXES and suffix in _TEXT_SUFFIXES):
        return "", ""
    return (f" (the file holds {kind[0]}, not what its name {suffix} says: rename it {kind[2]})",
            f"（文件内容是{kind[1]}，与后缀{suffix}不符：请改名为{kind[2]}）")


def _text(head: bytes) -> str | None:
    """The head's text when it is text a log is read in (UTF-8, GB18030, UTF-16 with its mark or without
    it: ``spool.is_text``, ``wide_text``; NULs aside), else None."""
    from .spool import is_text  # spool.py imports read.py, which imports this module

    wide = utf16_codec(head)
    if wide is not None:  # (without its mark, its text was found plain to be taken for UTF-16)
        text = head_text(head, wide)
        return text if is_plain_text(text) else None
    head = head.replace(b"\x00", b"")  # a stray NUL (a value padded by a database) leaves text text
    if not is_text(head):
        return None
    for codec in ("utf-8", "gb18030"):
        try:
            return codecs.getincrementaldecoder(codec)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
    return head_text(head, "gb18030")  # a stray byte or two is still text (is_text)
