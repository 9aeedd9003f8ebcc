"""How a CSV export is to be read, worked out from its first bytes: the encoding, a title above the
header, the delimiter, the column names (``plan_csv``); and Arrow's read of it as text (``arrow_read``).

Plain Python and Arrow, no pandas: the command line starts the read of a large CSV (``io.prefetch``)
while pandas and the engine are still being imported, with this same plan.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .header import dedupe, header_row, names_log_columns
from .wide_text import BOMLESS, utf16_codec

CSV_SUFFIXES = (".csv", ".txt")  # read as delimited text (io.read, io.prefetch)
_HEAD_BYTES = 1 << 16
# blocks that fit the cache parse faster than bigger ones; much smaller ones make
# many chunks, each a little work for validation. issue 5: the reader's transient
# memory grows with the block: a 1M-row CSV peaked 60-80 MB higher with 2 MB blocks
# than with 1 MB, read in the same time (0.4 s)
CSV_BLOCK = 1 << 20
_DELIMITERS = ",\t;|"
MAX_BLOCK = (1 << 31) - 1  # Arrow's block size is a 32-bit count


def detect_encoding(head: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with its BOM (Excel's "Unicode text") or without it whose NULs
    say so (``wide_text``: ``utf-16-le``, ``utf-16-be``), else GB18030 (a superset of GBK and GB2312)."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    wide = utf16_codec(head)  # UTF-32's mark too, as "utf-16": refused by name before the read (wide_text_refusal)
    if wide is not None:
        return wide
    try:
        # the sample may end inside a character: the incremental decoder allows that
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return "gb18030"
    return "utf-8"


_LINE_ENDS = re.compile(r"\r\n|\r|\n")


def physical_lines(text: str) -> list[str]:
    """Lines as Arrow counts them (CR LF, CR, LF), not as ``str.splitlines`` does: that also breaks
    at \x1c, \x85, U+2028..., and a title holding one made the reader skip the first data row."""
    lines = _LINE_ENDS.split(text)
    return lines[:-1] if lines and lines[-1] == "" else lines


def logical_records(text: str, looked_at: int = 12) -> list[tuple[int, str]]:
    """The first ``looked_at`` records of a CSV's text, each as (the physical line it starts on, its text).

    A line break inside a quoted value does not end a record. A quote opens a value only at a cell's start
    (the line's, or after a delimiter: any of ``,`` tab ``;`` ``|``, which is not yet known), as Arrow and
    the csv module read it; a quote inside a cell (a title's 永州市数据共享"报表) is text, and counted as
    opening one it took the header into the title's record. Inside a value a doubled quote is the value's
    own. A record still open where the text ends (a value longer than the head, or a stray quote) is the
    last one.
    """
    records: list[tuple[int, str]] = []
    start, pieces, inside = 0, [], False
    for number, line in enumerate(physical_lines(text)):
        pieces.append(line)
        inside = _inside_after(line, inside)
        if not inside:
            records.append((start, "\n".join(pieces)))
            if len(records) == looked_at:
                return records
            start, pieces = number + 1, []
    if pieces:
        records.append((start, "\n".join(pieces)))
    return records


def _inside_after(line: str, inside: bool) -> bool:
    """Whether a quoted value is open at the end of ``line``, ``inside`` one at its start."""
    at = line.find('"')
    while at >= 0:
        if inside:
            if line.startswith('"', at + 1):  # doubled: the value's own quote
                at += 1
            else:
                inside = False
        elif at == 0 or line[at - 1] in _DELIMITERS:
            inside = True
        at = line.find('"', at + 1)
    return inside


def csv_header(text: str, looked_at: int = 12) -> tuple[int, str]:
    """(the physical line the header starts on, the delimiter) in the first records of a CSV's text."""
    line, delimiter, _, _ = header_record(text, looked_at)
    return line, delimiter


def header_record(text: str, looked_at: int = 12) -> tuple[int, str, list[str], int]:
    """(the physical line the header starts on, the delimiter, the header's cells, the physical lines it
    spans) in the first records of a CSV's text.

    An export may put a title above the table ("永州市政务数据共享台账", maybe with
    "导出时间：2025-12-31" in a cell of its own, and the delimiters of empty cells): the
    header is the first record that fills about as many fields as the fullest record
    (``read.header_row``). A record's fields are counted as the csv module splits it (a
    quoted "a,b" is one). The delimiter (``,`` tab ``;`` ``|``) is the one that splits
    the header most.

    Records, not lines: the lines of a quoted value ("备注：\n甲,乙,丙,丁,戊,己" in a log of five
    columns) were counted as rows of their own, and in a log of a row or two one holding more
    delimiters than the header was taken for the header (or its commas for a tab log's delimiter).
    Where the records find no header, or find it in a record never closed (a stray quote opening a title's
    cell leaves every record after it open), the lines are looked at as lines, as they were before.

    The rows begin after every line of the header: a header cell over two lines ("序号\nNo.", a wrapped
    cell of a sheet) made the header's second line a row when only its first was skipped.
    """
    records = logical_records(text, looked_at)
    found = _header_among(records)
    if found is not None and _inside_after(dict(records)[found[0]], False):
        # found in a record never closed: a stray quote opening a title's cell ("永州市数据共享台账) took the
        # lines after it, the header among them, into one record; as lines the title is passed over
        found = None
    if found is None:
        found = _header_among(list(enumerate(physical_lines(text)[:looked_at])))
    if found is not None:
        return found
    lines = physical_lines(text)[:looked_at]
    first = next((line for line in lines if line.strip()), "")
    delimiter = max(_DELIMITERS, key=first.count)
    return (lines.index(first) if first else 0), delimiter, _fields(first, delimiter), 1


def _header_among(records: list[tuple[int, str]]) -> tuple[int, str, list[str], int] | None:
    """The header among records (each its first physical line and its text), as ``header_record`` tells
    it, or None when no record fills two fields."""
    best = [max(((_fields(record, d), d) for d in _DELIMITERS), key=lambda pair: _filled(pair[0]))
            for _, record in records]
    number = header_row([_filled(fields) for fields, _ in best], [names_log_columns(fields) for fields, _ in best])
    if number is None:
        return None
    fields, delimiter = best[number]
    return records[number][0], delimiter, fields, _lines_of_first(records[number][1], delimiter)


def _lines_of_first(record: str, delimiter: str) -> int:
    """The physical lines the first record of ``record`` is read from: more than one where a quoted value
    over several lines closes in it. A quote never closed (a stray one: the record takes every line after
    it) or not written as CSV writes one counts its first line alone, as the header was read before."""
    reader = csv.reader(io.StringIO(record, newline=""), delimiter=delimiter, strict=True)
    try:
        next(reader, None)
    except csv.Error:
        return 1
    return max(1, reader.line_num)


def _fields(record: str, delimiter: str) -> list[str]:
    """The fields ``delimiter`` splits a record into (its first, when the text holds more under
    this delimiter: a quote it does not open leaves a line break ending the record)."""
    return next(csv.reader(io.StringIO(record, newline=""), delimiter=delimiter), [])


def _filled(fields: list[str]) -> int:
    """How many of a record's fields are not blank."""
    return sum(1 for f in fields if f.strip())


def read_head(path: Path) -> tuple[bytes, str, str]:
    """The first bytes of a CSV file, their encoding and their text (decoded leniently)."""
    with path.open("rb") as handle:
        head = handle.read(_HEAD_BYTES)
    encoding = detect_encoding(head)
    return head, encoding, head.decode(encoding, errors="replace")


@dataclass(frozen=True)
class CsvPlan:
    """What the first bytes of a CSV say about reading it."""

    head: bytes  # the first bytes read (blank: an empty file)
    encoding: str  # Python's name for it (detect_encoding)
    header_line: int  # the physical line the header starts on (a title may come before it)
    delimiter: str
    names: tuple[str, ...]  # the header's names, stripped and made unique
    header_lines: int = 1  # the physical lines it spans (a quoted name over two lines: 2)

    @property
    def rows_line(self) -> int:
        """The physical lines above the first row (title lines, the header): Arrow's skip_rows."""
        return self.header_line + self.header_lines

    @property
    def arrow_encoding(self) -> str:
        if self.encoding in ("gb18030", "utf-16", *BOMLESS):
            return self.encoding
        return "utf8"


def plan_csv(path: Path) -> CsvPlan:
    """The read of ``path`` as its first bytes (``_HEAD_BYTES``) tell it."""
    head, encoding, text = read_head(path)
    header_line, delimiter, header, spans = header_record(text)
    names = dedupe([h.strip() for h in header]) if text.strip() else []
    return CsvPlan(head, encoding, header_line, delimiter, tuple(names), spans)


def arrow_read(path: Path, plan: CsvPlan, newlines_in_values: bool, block: int = CSV_BLOCK, encoding: str = "") -> Any:
    """Arrow's read of the rows below the header, every column as text (``pyarrow.Table``);
    ``encoding``: Arrow's name, when not the plan's (GBK found past the first bytes)."""
    import pyarrow as pa
    import pyarrow.csv as pcsv

    names = list(plan.names)
    return pcsv.read_csv(
        path,
        # our own header parse names the columns, so every one can be typed as text
        read_options=pcsv.ReadOptions(
            column_names=names, skip_rows=plan.rows_line, encoding=encoding or plan.arrow_encoding,
            block_size=block,
        ),
        parse_options=pcsv.ParseOptions(delimiter=plan.delimiter, newlines_in_values=newlines_in_values),
        convert_options=pcsv.ConvertOptions(
            column_types={name: pa.large_string() for name in names},
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
        # issue 5: the C library's malloc, not Arrow's pool: Arrow's pool keeps memory freed
        # from the reader's threads (the raw text, once validated) until those threads
        # allocate again, which they do not; 130 MB of it stayed resident through the check
        memory_pool=pa.system_memory_pool(),
    )
