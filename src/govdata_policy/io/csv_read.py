"""Reading a CSV (or delimited text) export: its encoding, a title above the header, the delimiter,
values over several lines, rows of the wrong width, a quote never closed.

Arrow reads every column as text (``00123`` keeps its zeros); Python's csv module reads what
Arrow refuses (rows of another width), so one bad line costs the officer that line, not the file.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..memory import give_back_memory
from .lines import KeptLines, LineMap, csv_lines
from .read import LINES, READ_ERROR, InputError, _dedupe, header_row, names_log_columns
from .text import buffers

_HEAD_BYTES = 1 << 16
# the first bytes of white space in UTF-8: tab .. CR, space, and the lead bytes of U+0085/U+00A0 (C2),
# U+1680 (E1), U+2000-U+205F (E2) and U+3000 (E3): a first cell starting so may be blank (``_blank_records``)
_SPACE_LEAD = np.zeros(256, dtype=bool)
_SPACE_LEAD[[0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0xC2, 0xE1, 0xE2, 0xE3]] = True
# blocks that fit the cache parse faster than bigger ones; much smaller ones make
# many chunks, each a little work for validation. issue 5: the reader's transient
# memory grows with the block: a 1M-row CSV peaked 60-80 MB higher with 2 MB blocks
# than with 1 MB, read in the same time (0.4 s)
CSV_BLOCK = 1 << 20
_DELIMITERS = ",\t;|"
_MAX_BLOCK = (1 << 31) - 1  # Arrow's block size is a 32-bit count


def detect_encoding(head: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with its BOM (Excel's "Unicode text"), else GB18030
    (a superset of GBK and GB2312)."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
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


def csv_header(text: str, looked_at: int = 12) -> tuple[int, str]:
    """(the physical line of the header, the delimiter) in the first lines of a CSV's text.

    An export may put a title above the table ("永州市政务数据共享台账", maybe with
    "导出时间：2025-12-31" in a cell of its own, and the delimiters of empty cells): the
    header is the first line that fills about as many fields as the fullest line
    (``read.header_row``). A line's fields are counted as the csv module splits it (a
    quoted "a,b" is one). The delimiter (``,`` tab ``;`` ``|``) is the one that splits
    the header most.
    """
    lines = physical_lines(text)[:looked_at]
    best = [max(((_filled(line, d), d) for d in _DELIMITERS), key=lambda pair: pair[0]) for line in lines]
    named = [names_log_columns(next(csv.reader([line], delimiter=delimiter), []))
             for line, (_, delimiter) in zip(lines, best, strict=True)]
    number = header_row([count for count, _ in best], named)
    if number is not None:
        return number, best[number][1]
    first = next((line for line in lines if line.strip()), "")
    return (lines.index(first) if first else 0), max(_DELIMITERS, key=first.count)


def _filled(line: str, delimiter: str) -> int:
    """How many non-blank fields ``delimiter`` splits one line into."""
    fields = next(csv.reader([line], delimiter=delimiter), [])
    return sum(1 for f in fields if f.strip())


def _csv_head(path: Path) -> tuple[bytes, str, str]:
    """The first bytes of a CSV file, their encoding and their text (decoded leniently)."""
    with path.open("rb") as handle:
        head = handle.read(_HEAD_BYTES)
    encoding = detect_encoding(head)
    return head, encoding, head.decode(encoding, errors="replace")


def _read_csv(path: Path, last_row_may_swallow: bool = True) -> pd.DataFrame:
    """A CSV or delimited text file; ``last_row_may_swallow`` False for a part of a file that ends
    before the file does (engine.distributed): its last row cannot hold an unclosed quote."""
    import pyarrow.csv as pcsv

    head, encoding, text = _csv_head(path)
    if not head.strip():
        raise InputError(f"{path}: empty file (no header row)", zh=f"{path}：空文件（没有表头行）")
    header_line, delimiter = csv_header(text)
    line = physical_lines(text)[header_line] if text.strip() else ""
    names = _dedupe([h.strip() for h in next(csv.reader(io.StringIO(line), delimiter=delimiter), [])])

    def attempt(arrow_encoding: str, newlines_in_values: bool, block: int = CSV_BLOCK) -> pa.Table:
        try:
            table = _read_blocks(arrow_encoding, newlines_in_values, block)
        except pa.ArrowInvalid as exc:
            # a value longer than a block (a document pasted into one cell) "straddles two block boundaries":
            # the whole log was refused for it. Read again in one block holding the file
            whole = min(path.stat().st_size + 1, _MAX_BLOCK)
            if "straddl" not in str(exc) or block >= whole:
                raise
            return attempt(arrow_encoding, newlines_in_values, whole)
        give_back_memory()  # the parser's own buffers, whichever attempt read the file
        return table

    def _read_blocks(arrow_encoding: str, newlines_in_values: bool, block: int) -> pa.Table:
        return pcsv.read_csv(
            path,
            # our own header parse names the columns, so every one can be typed as text
            read_options=pcsv.ReadOptions(
                column_names=names, skip_rows=header_line + 1, encoding=arrow_encoding, block_size=block
            ),
            parse_options=pcsv.ParseOptions(delimiter=delimiter, newlines_in_values=newlines_in_values),
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

    arrow_encoding = {"gb18030": "gb18030", "utf-16": "utf-16"}.get(encoding, "utf8")

    def located(table: pa.Table, multiline: bool) -> pd.DataFrame:
        lines = csv_lines(path, header_line + 1, table.num_rows, multiline, arrow_encoding, delimiter)
        blank = _blank_records(table)
        if blank is not None:  # left out as blank lines are: no row, no rejection, the others' lines kept
            kept = np.setdiff1d(np.arange(table.num_rows), blank)
            table, lines = table.take(pa.array(kept)), KeptLines(lines, kept)
        frame = table.to_pandas()
        frame.attrs[LINES] = lines
        return frame

    try:
        table = attempt(arrow_encoding, False)
        multiline = _line_breaks_in_cells(table)
        if multiline:
            # values with line breaks: read again, told so. Without it Arrow cuts its 1 MB blocks at any
            # line break, and a value spanning a cut was split in two rows (the second one junk)
            del table  # not held through the second read
            table = attempt(arrow_encoding, True)
        # a quote never closed takes the rest of the file into the last row's cell, even here
        last = [table.num_rows - 1] if table.num_rows and last_row_may_swallow else []
        _refuse_swallowed_rows(path, table, delimiter, rows=last)
        return located(table, multiline)
    except pa.ArrowInvalid as exc:
        if arrow_encoding == "utf8" and "UTF8" in str(exc):
            arrow_encoding = "gb18030"  # valid UTF-8 at the top, GBK further down
        elif "columns" not in str(exc):
            raise
    try:
        # a quoted value with a line break splits rows unless the parser is told
        table = attempt(arrow_encoding, True)
    except pa.ArrowInvalid as exc:
        if "columns" not in str(exc):
            raise
        return _read_ragged_csv(path, arrow_encoding, delimiter, names, header_line)
    _refuse_swallowed_rows(path, table, delimiter)
    return located(table, True)


def _blank_records(table: pa.Table) -> np.ndarray | None:
    """The records whose every cell is empty or white space (``,,,``: a spreadsheet's blank row saved
    as CSV, which the workbook itself leaves out), or None.

    issue 5: only a record whose first cell is empty or starts with a byte white space can start
    with (a space, a tab, the lead byte of U+00A0 or U+2000-U+3000) is looked at further: one pass
    over the first column's offsets and first bytes; the few such records are then looked at in
    their own batches (a take from the whole table would join its chunks: 0.2 s on 1M rows).
    """
    if not table.num_rows or not table.num_columns:
        return None
    pieces, found, at = [], [], 0
    for batch in table.to_batches():  # views of Arrow's buffers: no copy, no new memory touched
        starts, data = buffers(batch.column(0))
        empty = starts[1:] == starts[:-1]
        first = data[np.minimum(starts[:-1], len(data) - 1)] if len(data) else np.zeros(len(empty), np.uint8)
        mine = np.flatnonzero(empty | _SPACE_LEAD[first])
        if mine.size:
            pieces.append(batch.take(pa.array(mine)))
            found.append(at + mine)
        at += batch.num_rows
    if not found:
        return None
    maybe = np.concatenate(found)
    some = pa.Table.from_batches(pieces).combine_chunks()
    blank = np.ones(maybe.size, dtype=bool)
    for column in some.columns:
        blank &= pc.equal(pc.utf8_trim_whitespace(column), "").to_numpy(zero_copy_only=False)
    return maybe[blank] if blank.any() else None


def _line_breaks_in_cells(table: pa.Table) -> bool:
    """Whether any cell holds a line break, from the columns' raw text buffers (about 10 ms for a
    1M-row log; a stray byte in a buffer's padding only costs a second, careful read)."""
    for column in table.columns:
        for chunk in column.chunks:
            data = chunk.buffers()[2] if len(chunk.buffers()) > 2 else None
            if data is None or not data.size:
                continue
            text = data.to_pybytes()  # one block's text (1 MB blocks): a small copy, searched at memchr speed
            if b"\n" in text or b"\r" in text:
                return True
    return False


def _refuse_swallowed_rows(path: Path, table: pa.Table, delimiter: str, rows: list[int] | None = None) -> None:
    """An InputError when a value's line breaks hold what look like whole rows (as many
    delimiters as a row has): a quote opened and never closed, so the rows after it were read
    into one cell and would not be counted. ``rows``: only these rows (default: every row)."""
    import pyarrow.compute as pc

    width = table.num_columns
    for name in table.column_names:
        column = table[name]
        if rows is None:
            broken = pc.fill_null(pc.match_substring(column, "\n"), False)
            suspects = np.flatnonzero(broken.to_numpy(zero_copy_only=False)).tolist()
        else:
            suspects = rows
        for row in suspects:
            value = column[int(row)].as_py()
            if not isinstance(value, str) or "\n" not in value:
                continue
            _refuse_swallowed_value(path, row + 1, name, value, delimiter, width)


def _refuse_swallowed_value(path: Path, row: int, name: str, value: str, delimiter: str, width: int) -> None:
    lines = value.rstrip("\n").split("\n")[1:]
    rows_inside = sum(1 for line in lines if line.count(delimiter) >= width - 1)
    if rows_inside:
        raise InputError(
            f"{path}: row {row}: a quote in column {name} is never closed, so {len(lines)} line(s) after "
            f"it, {rows_inside} of them like whole rows, were read into that one value; close the quote "
            "(or double it: \"\") and read the file again",
            zh=f"{path}：第 {row} 行：{name}列中的引号没有闭合，其后的 {len(lines)} 行"
            f"（其中 {rows_inside} 行像完整的行）都被读进了这一个值；请闭合引号（或写成两个引号 \"\"）后重新读取",
        )


def _read_ragged_csv(path: Path, encoding: str, delimiter: str, names: list[str], header_line: int = 0
                     ) -> pd.DataFrame:
    """Rows whose field count differs from the header's, read with Python's csv module.

    A short row is padded (exporters drop trailing empty cells). A long row with
    text past the header's width is kept for the record and marked in the
    ``READ_ERROR`` column, which validation turns into a rejection: one bad
    line must not cost the officer the whole file, nor vanish.
    """
    records = csv_records(csv_text(path, encoding), header_line, delimiter)  # after the title lines (csv_header)
    next(records, None)  # the header
    width = len(names)
    rows, errors, numbers = [], [], []
    for first_line, fields in records:
        if not any(field.strip() for field in fields):
            continue  # a blank row saved as ",,,": left out, as the Arrow path leaves it (_blank_records)
        numbers.append(first_line)
        error = None
        for name, value in zip(names, fields, strict=False):
            if "\n" in value:
                _refuse_swallowed_value(path, len(rows) + 1, name, value, delimiter, width)
        if len(fields) > width and any(f.strip() for f in fields[width:]):
            error = f"csv: the row has {len(fields)} fields where the header has {width} (an unquoted {delimiter!r}?)"
        rows.append((fields + [""] * width)[:width])
        errors.append(error)
    frame = pd.DataFrame(rows, columns=names, dtype="str") if rows else pd.DataFrame(columns=names, dtype="str")
    frame[READ_ERROR] = pd.Series(errors, dtype=object)
    frame.attrs[LINES] = LineMap.of(numbers)
    return frame


def csv_text(path: Path, encoding: str) -> str:
    """A CSV file's text for Python's csv module: ``encoding`` as Arrow was told (utf8: with or
    without a BOM), GB18030 where that fails."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig" if encoding == "utf8" else encoding)
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")


def csv_records(text: str, skip: int, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """The records of a CSV's text after its first ``skip`` physical lines, each with the 1-based
    line it starts on; a blank line is no record (Arrow skips them too)."""
    handle = io.StringIO(text, newline="")
    for _ in range(skip):
        handle.readline()
    reader = csv.reader(handle, delimiter=delimiter)
    done = skip  # physical lines before the next record
    for fields in reader:
        first, done = done + 1, skip + reader.line_num
        if fields:
            yield first, fields
