"""Reading a CSV (or delimited text) export: its encoding, a title above the header, the delimiter,
values over several lines, rows of the wrong width, a quote never closed.

Arrow reads every column as text (``00123`` keeps its zeros); Python's csv module reads what
Arrow refuses (rows of another width), so one bad line costs the officer that line, not the file.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..memory import give_back_memory
from .csv_encoding import csv_decoded, holds_unreadable_bytes, unreadable_bytes
from .csv_head import CSV_BLOCK, MAX_BLOCK, arrow_read, plan_csv
from .lines import KeptLines, LineMap, csv_lines
from .prefetch import prefetched
from .read import LINES, READ_ERROR, InputError
from .spool import is_text
from .swallowed import NEAR, refuse_swallowed_value
from .text import buffers
from .wide_text import BOMLESS, wide_text_refusal

# the first bytes of white space in UTF-8: tab .. CR, space, and the lead bytes of U+0085/U+00A0 (C2),
# U+1680 (E1), U+2000-U+205F (E2) and U+3000 (E3): a first cell starting so may be blank (``_blank_records``)
_SPACE_LEAD = np.zeros(256, dtype=bool)
_SPACE_LEAD[[0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0xC2, 0xE1, 0xE2, 0xE3]] = True
# the characters at the end of the file's last value compared with the file's end (``quote_closes_value``):
# where a value closed there and one a stray quote held differ, a document pasted into a cell not read again
_VALUE_TAIL = 1024


def read_csv_file(path: Path, last_row_may_swallow: bool = True) -> pd.DataFrame:
    """A CSV or delimited text file; ``last_row_may_swallow`` False for a part of a file that ends
    before the file does (engine.distributed): its last row cannot hold an unclosed quote."""
    plan = plan_csv(path)
    if not plan.head.strip():
        raise InputError(f"{path}: empty file (no header row)", zh=f"{path}：空文件（没有表头行）")
    refusal = wide_text_refusal(plan.head)  # UTF-32, or UTF-16's NULs without its text: said by name
    if refusal is not None:
        raise InputError(f"{path}: {refusal[0]}", zh=f"{path}：{refusal[1]}")
    delimiter, names = plan.delimiter, list(plan.names)

    def attempt(arrow_encoding: str, newlines_in_values: bool, block: int = CSV_BLOCK) -> pa.Table:
        # the command line may have read the file so already, while it was starting (io.prefetch)
        table = prefetched(path, plan) if (arrow_encoding, newlines_in_values, block) == first_read else None
        try:
            if table is None:
                table = arrow_read(path, plan, newlines_in_values, block, arrow_encoding)
        except pa.ArrowInvalid as exc:
            # a value longer than a block (a document pasted into one cell) "straddles two block boundaries":
            # the whole log was refused for it. Read again in one block holding the file
            whole = min(path.stat().st_size + 1, MAX_BLOCK)
            if "straddl" not in str(exc) or block >= whole:
                raise
            return attempt(arrow_encoding, newlines_in_values, whole)
        give_back_memory()  # the parser's own buffers, whichever attempt read the file
        return table

    arrow_encoding = plan.arrow_encoding
    first_read = (arrow_encoding, False, CSV_BLOCK)  # what io.prefetch reads

    def located(table: pa.Table, multiline: bool) -> pd.DataFrame:
        lines = csv_lines(path, plan.rows_line, table.num_rows, multiline, arrow_encoding, delimiter)
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
        # a quote never closed takes the rest of the file into the last row's cell, even here; a stray
        # one closed by a later row's quoted value takes the rows between into a cell of any row: where
        # cells hold line breaks each is looked at (swallowed tells a legitimate one apart)
        last = [table.num_rows - 1] if table.num_rows and last_row_may_swallow else []
        _refuse_swallowed_rows(path, table, delimiter, arrow_encoding, rows=None if multiline else last)
        return located(table, multiline)
    except pa.ArrowInvalid as exc:
        if arrow_encoding == "utf8" and "UTF8" in str(exc):
            if is_text(plan.head) and _utf8_text_then_other_bytes(path):  # a value cut, or two files joined
                return _read_ragged_csv(path, arrow_encoding, delimiter, names, plan.rows_line)
            arrow_encoding = "gb18030"  # ASCII at the top, GBK further down
        elif "columns" not in str(exc) and not _values_span_blocks(exc):
            raise
    except UnicodeDecodeError:  # bytes GB18030's or UTF-16's codec cannot read: their rows are refused (csv_encoding)
        if not _rows_refused_for_bytes(arrow_encoding, plan.head):  # no text (a workbook named .csv): said so
            raise
        return _read_ragged_csv(path, arrow_encoding, delimiter, names, plan.rows_line)
    try:
        # a quoted value with a line break splits rows unless the parser is told
        table = attempt(arrow_encoding, True)
    except UnicodeDecodeError:
        if not _rows_refused_for_bytes(arrow_encoding, plan.head):
            raise
        return _read_ragged_csv(path, arrow_encoding, delimiter, names, plan.rows_line)
    except pa.ArrowInvalid as exc:
        if "columns" not in str(exc):
            raise
        return _read_ragged_csv(path, arrow_encoding, delimiter, names, plan.rows_line)
    _refuse_swallowed_rows(path, table, delimiter, arrow_encoding)
    return located(table, True)


def _rows_refused_for_bytes(arrow_encoding: str, head: bytes) -> bool:
    """Whether a file Arrow's transcoding stopped in (bytes its codec cannot read) is read by the csv module,
    each row holding such bytes refused (``csv_encoding``): GB18030 whose head is text (not a workbook named
    .csv), and UTF-16, which its mark or its head's text told. UTF-16 holding half a surrogate pair (a value cut
    between the two units of a character) or an odd byte at its end was refused whole."""
    return (arrow_encoding == "gb18030" and is_text(head)) or arrow_encoding in ("utf-16", *BOMLESS)


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


def _values_span_blocks(exc: pa.ArrowInvalid) -> bool:
    """Arrow's first read, not told of values over several lines, found one across a cut between its
    blocks ("CSV parser got out of sync with chunker ... 'newlines_in_values'"): a log whose remarks
    span lines (审核意见：\n同意) was refused whole once it outgrew a block or two. It is read again, told."""
    return "newlines_in_values" in str(exc)


def _line_breaks_in_cells(table: pa.Table) -> bool:
    """Whether any cell holds a line break, from the columns' raw text buffers (about 10 ms for a
    1M-row log; a stray byte in a buffer's padding only costs a second, careful read)."""
    return any(_text_holds(chunk, b"\n", b"\r") for column in table.columns for chunk in column.chunks)


def _text_holds(chunk: pa.Array, *marks: bytes) -> bool:
    """Whether a text chunk's raw bytes hold any of ``marks`` (its padding too: a stray byte there only
    costs a closer look)."""
    buffers = chunk.buffers()
    data = buffers[2] if len(buffers) > 2 else None
    if data is None or not data.size:
        return False
    text = data.to_pybytes()  # one block's text (1 MB blocks): a small copy, searched at memchr speed
    return any(mark in text for mark in marks)


def _refuse_swallowed_rows(path: Path, table: pa.Table, delimiter: str, encoding: str,
                           rows: list[int] | None = None) -> None:
    """An InputError when a value's line breaks hold what look like whole rows of this log
    (``swallowed``): a quote opened and never closed, so the rows after it were read into one
    cell and would not be counted. ``encoding``: Arrow's name, as the file was read; ``rows``:
    only these rows (default: every row)."""
    names = table.column_names
    for name in names:
        column = table[name]
        if rows is None:
            suspects = _rows_with_line_breaks(column, delimiter, len(names))
        else:
            suspects = rows
        for row in suspects:
            value = column[int(row)].as_py()
            if not isinstance(value, str) or "\n" not in value:
                continue
            # the file's last value runs to the end: its quote closes there, or never. Closed there, it is looked
            # at as any closed value is (as the Python reader looks at it): a stray quote closed by one typed at
            # the end of the last cell (x") held whole rows, times and all, and they vanished unlooked at
            to_end = (row == table.num_rows - 1 and name == names[-1]
                      and not quote_closes_value(path, value, encoding))
            refuse_swallowed_value(path, row + 1, name, value, delimiter, names, partial(_near, table, int(row)),
                                   to_end)


def _rows_with_line_breaks(column: pa.ChunkedArray, delimiter: str, width: int) -> list[int]:
    """The rows whose cell holds a line break and a row's worth of delimiters (``width - 1``: a line
    of it could be a row, ``swallowed``): only a chunk whose text buffer holds a line break is matched
    (``_text_holds``, as for ``_line_breaks_in_cells``), so a file whose notes span lines pays
    for its notes column alone, not for a match over every column (0.2 s more on 500k rows of 8); and
    a notes column of many short multi-line remarks is not looked at value by value in Python."""
    found, at = [], 0
    for chunk in column.chunks:
        if _text_holds(chunk, b"\n"):
            broken = pc.and_(pc.match_substring(chunk, "\n"),
                             pc.greater_equal(pc.count_substring(chunk, delimiter), width - 1))
            found.extend((at + np.flatnonzero(pc.fill_null(broken, False).to_numpy(zero_copy_only=False))).tolist())
        at += len(chunk)
    return found


def _near(table: pa.Table, row: int) -> list[tuple[object, ...]]:
    """The rows around ``row`` (its own included), a few: what a row of this log holds (``swallowed``)."""
    lo = max(0, row - NEAR)
    near = table.slice(lo, row + NEAR + 1 - lo)
    return list(zip(*(column.to_pylist() for column in near.columns), strict=True))


def quote_closes_value(path: Path, value: str, encoding: str) -> bool:
    """Whether the file ends with ``value`` as a quoted value is written: its quotes doubled, then the
    closing quote (line ends after it aside); ``encoding``: Arrow's name, as the file was read.

    A quoted note whose second line holds a row's worth of delimiters (``"\\n\\t\\t\\t"`` in a
    tab-delimited log) ends so, and was refused as swallowed rows. A value held to the end of the file
    by a quote never closed does not. Nor does one held by a stray quote that the last row's quoted
    value closed (``"stray`` ... ``D,...,"ok"``: the value ends in ``ok"``, the rows between read into
    it): the file ending in a closing quote (an odd run of ``"``, as this was first told) took those
    rows for the value's own lines, and they vanished."""
    codec = {"utf8": "utf-8", "gb18030": "gb18030"}.get(encoding) or (
        encoding if encoding in BOMLESS else _utf16_codec(path))
    tail = value[-_VALUE_TAIL:].replace('"', '""') + '"'
    if len(value) <= _VALUE_TAIL:
        tail = '"' + tail  # the whole value: its opening quote too
    written = tail.encode(codec)
    line_ends = ("\r".encode(codec), "\n".encode(codec))  # one width in each of these codecs
    with path.open("rb") as handle:
        size = handle.seek(0, io.SEEK_END)
        # a whole number of UTF-16 units before the end, the line ends after the value with them
        handle.seek(max(0, size - len(written) - 4096 * len(line_ends[0])))
        end = handle.read()
    while end.endswith(line_ends):
        end = end[:-len(line_ends[0])]
    return end.endswith(written)


def _utf16_codec(path: Path) -> str:
    """The byte order of a UTF-16 file, from its byte order mark."""
    with path.open("rb") as handle:
        return "utf-16-le" if handle.read(2) == codecs.BOM_UTF16_LE else "utf-16-be"


def _read_ragged_csv(path: Path, encoding: str, delimiter: str, names: list[str], rows_line: int = 1
                     ) -> pd.DataFrame:
    """Rows whose field count differs from the header's, read with Python's csv module.

    A short row is padded (exporters drop trailing empty cells). A long row with
    text past the header's width is kept for the record and marked in the
    ``READ_ERROR`` column, which validation turns into a rejection: one bad
    line must not cost the officer the whole file, nor vanish.
    """
    # the rows after the title lines and every line of the header (CsvPlan.rows_line), as Arrow reads them: the
    # header was read here as a record again, and a quote opened in it and never closed took every row into it
    text, codec = csv_decoded(path, encoding)
    unreadable = holds_unreadable_bytes(text)
    records = csv_records(text, rows_line, delimiter)
    width = len(names)
    rows, errors, numbers = [], [], []
    # (row index, column, value, whether it is its record's last) of values over several lines
    suspects: list[tuple[int, str, str, bool]] = []
    blank_last = False  # whether the file's last record is blank (a value before it does not run to the end)
    for first_line, fields in records:
        blank_last = not any(field.strip() for field in fields)
        if blank_last:
            continue  # a blank row saved as ",,,": left out, as the Arrow path leaves it (_blank_records)
        numbers.append(first_line)
        error = None
        if unreadable:
            fields, error = unreadable_bytes(fields, codec)
        suspects.extend((len(rows), name, value, j == len(fields) - 1)
                        for j, (name, value) in enumerate(zip(names, fields, strict=False)) if "\n" in value)
        if len(fields) > width and any(f.strip() for f in fields[width:]):
            wide = f"csv: the row has {len(fields)} fields where the header has {width} (an unquoted {delimiter!r}?)"
            error = f"{error}; {wide}" if error else wide
        rows.append((fields + [""] * width)[:width])
        errors.append(error)
    for index, name, value, records_last in suspects:  # once every row is read: the rows after tell what a row holds
        around = partial(lambda at: rows[max(0, at - NEAR):at + NEAR + 1], index)
        # the last record's last value runs to the end of the file: its quote closes there, or never
        to_end = (records_last and index == len(rows) - 1 and not blank_last
                  and not quote_closes_value(path, value, encoding))
        refuse_swallowed_value(path, index + 1, name, value, delimiter, names, around, to_end)
    frame = pd.DataFrame(rows, columns=names, dtype="str") if rows else pd.DataFrame(columns=names, dtype="str")
    frame[READ_ERROR] = pd.Series(errors, dtype=object)
    frame.attrs[LINES] = LineMap.of(numbers)
    return frame


def csv_text(path: Path, encoding: str) -> str:
    """A CSV file's text for Python's csv module (``csv_encoding.csv_decoded``)."""
    return csv_decoded(path, encoding)[0]


def _utf8_text_then_other_bytes(path: Path, block: int = CSV_BLOCK) -> bool:
    """Whether the file is UTF-8 text beyond ASCII, then bytes that are not UTF-8 (``utf8_above_bad_bytes``):
    read block by block up to those bytes, not held whole (a GBK file with an ASCII head: its usual read)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    beyond_ascii = False
    with path.open("rb") as handle:
        data = handle.read(block).removeprefix(codecs.BOM_UTF8)  # a BOM says UTF-8, but is no text
        while True:
            try:
                beyond_ascii = not decoder.decode(data, final=not data).isascii() or beyond_ascii
            except UnicodeDecodeError as exc:  # exc.object: the bytes decoded, a character begun before included
                return beyond_ascii or not exc.object[:exc.start].isascii()
            if not data:
                return False
            data = handle.read(block)


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
