"""The typed formats: JSON Lines, JSON and Parquet, each file to a frame of its own types.

A JSON line (or array item) that is not an object is a row of its own, rejected with its
line number (``READ_ERROR``), so one bad line does not cost the whole file.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .checks import FLOAT_EXACT_LIMIT
from .file_kind import other_kind
from .lines import LineMap
from .read import LINES, READ_ERROR, InputError
from .text import MAX_NESTING, is_text_type
from .wide_text import utf16_codec, wide_text_refusal

_HEAD_BYTES = 1 << 16  # the head an encoding is told from, as a CSV's (csv_head)


def read_jsonl(path: Path) -> pd.DataFrame:
    import pyarrow.json as pj

    encoding = json_encoding(path)
    if encoding.startswith("utf-16"):  # Arrow reads UTF-8 alone
        return _read_jsonl_slowly(path, encoding)
    lines = _object_lines(path)
    if lines is None:
        # a line nesting too deep (Arrow's parser recurses: 20,000 deep crashed the process), or one that is
        # blank, or holds no object, or part of one, or more than one: Arrow takes an object over several lines
        # and two on one line as rows, whose lines were then misnamed; json reads by lines
        return _read_jsonl_slowly(path)
    try:
        table = pj.read_json(path)
        table.validate(full=True)  # Arrow's JSON reader lets text that is not UTF-8 through
    except pa.ArrowInvalid:
        # mixed types in a field: Arrow gives up, json does not; bad lines and bytes are named there
        return _read_jsonl_slowly(path)
    if _inexact_numbers(table) or table.num_rows != lines:
        # json reads a whole number of any length exactly; and a line Arrow read as several rows is one
        return _read_jsonl_slowly(path)
    stamp_fields = [f.name for f in table.schema if pa.types.is_timestamp(f.type)]
    if stamp_fields:
        # Arrow turns ISO strings into timestamps and drops their offsets, so read
        # those fields again as the text they are
        schema = pa.schema(
            [pa.field(f.name, pa.string()) if f.name in stamp_fields else f for f in table.schema]
        )
        table = pj.read_json(path, parse_options=pj.ParseOptions(explicit_schema=schema))
    frame = table.to_pandas(types_mapper=_exact_integers)
    frame.attrs[LINES] = LineMap(1)  # row k on line k: every line holds one object (_object_lines)
    return frame


# more opening brackets than this in one line send a JSON Lines file past Arrow's reader, whose parser
# recurses (20,000 deep crashed the process; 5,000 was read). Cells nested deeper than MAX_NESTING are
# refused after reading (io.nested), whichever reader read them.
ARROW_NESTING = 1000


_OPEN, _CLOSE, _CR, _LF = 0x7B, 0x7D, 0x0D, 0x0A
_BOM = b"\xef\xbb\xbf"
_TRAILING_SPACE = b" \t\r\n"


def _object_lines(path: Path, chunk: int = 1 << 24) -> int | None:
    """The number of lines when each one begins with ``{`` and ends with ``}`` (after a BOM, before a CR;
    blank lines and spaces at the end of the file left out) and none has more than ARROW_NESTING opening
    brackets (those in strings counted too: such a line only takes the slow path); else None. Such lines,
    as many as the rows Arrow read, hold one object each: a line ending inside an object is followed by
    one that cannot begin with ``{``. Only a line longer than ARROW_NESTING can nest so deep: a numpy
    pass over the newlines (some 0.03 s for 80 MB), the brackets counted only in the long lines; the
    first and last byte of each line are looked up at the same newlines."""
    end = _content_end(path)
    carried_length = carried_openers = 0  # of the line running on from the chunk before
    shaped, lines, before = True, 0, b""  # before: the chunk before's last two bytes (none: the file's start)
    with path.open("rb") as handle:
        while (left := end - handle.tell()) > 0 and (block := handle.read(min(chunk, left))):
            data = np.frombuffer(block, dtype=np.uint8)
            ends = np.flatnonzero(data == _LF)
            starts = np.concatenate(([0], ends + 1))
            lengths = np.concatenate((ends, [len(block)])) - starts
            lengths[0] += carried_length
            long_lines = np.flatnonzero(lengths > ARROW_NESTING)
            if long_lines.size:
                where = np.flatnonzero((data == 0x5B) | (data == _OPEN))
                openers = np.bincount(np.searchsorted(ends, where), minlength=len(starts))
                openers[0] += carried_openers
                if openers[long_lines].max() > ARROW_NESTING:
                    return None
            if shaped:
                first = len(_BOM) if not before and block.startswith(_BOM) else 0
                line_starts = not before or before[-1:] == b"\n"  # the block begins a line
                inner = starts[1:][starts[1:] < len(block)]
                shaped = (not line_starts or block[first:first + 1] == b"{") and bool((data[inner] == _OPEN).all())
                if shaped and ends.size:
                    shaped = _ends_close(data, ends, before)
            lines += int(ends.size)
            before = (before + block[-2:])[-2:]
            last = block[starts[-1]:]
            carried_openers = (0 if ends.size else carried_openers) + last.count(b"[") + last.count(b"{")
            carried_length = (0 if ends.size else carried_length) + len(last)
    if not end:
        return 0
    return lines + 1 if shaped and before[-1:] == b"}" else None


def _ends_close(data: np.ndarray, ends: np.ndarray, before: bytes) -> bool:
    """Whether the byte before each newline of a chunk (``ends``), a CR before it passed over, is a ``}``;
    ``before``: the last two bytes of the chunk before (none at the file's start: no ``}`` there)."""
    earlier = np.frombuffer(before.rjust(2, b"\n"), dtype=np.uint8)

    def at(places: np.ndarray) -> np.ndarray:  # a place before the chunk (-1, -2) is in ``earlier``
        found = data[np.maximum(places, 0)]
        outside = places < 0
        if outside.any():
            found[outside] = earlier[places[outside] + 2]
        return found

    last = at(ends - 1)
    cr = last == _CR
    if cr.any():
        last[cr] = at(ends[cr] - 2)
    return bool((last == _CLOSE).all())


def _content_end(path: Path, tail: int = 1 << 16) -> int:
    """Where the file's text ends, blank lines and spaces after it left out (within its last ``tail``
    bytes; more is left to the line-by-line reader)."""
    with path.open("rb") as handle:
        size = handle.seek(0, 2)
        handle.seek(max(0, size - tail))
        last = handle.read()
    return size - len(last) + len(last.rstrip(_TRAILING_SPACE))


def json_encoding(path: Path) -> str:
    """A JSON or JSON Lines file's encoding: UTF-16 by its byte order mark (PowerShell's ``Out-File`` and
    ``>`` write so on Windows: the file was refused as "not UTF-8"), or without it when its NULs say so
    (``wide_text``: ``utf-16-le``, ``utf-16-be``; it was refused as "not UTF-8", or as "Expecting value"),
    else UTF-8 (a BOM allowed). UTF-32, and UTF-16's NULs without its text, are refused by name."""
    with path.open("rb") as handle:
        head = handle.read(_HEAD_BYTES)
    refusal = wide_text_refusal(head)
    if refusal is not None:
        raise InputError(f"{path}: {refusal[0]}", zh=f"{path}：{refusal[1]}")
    return utf16_codec(head) or "utf-8-sig"


def _read_jsonl_slowly(path: Path, encoding: str = "utf-8-sig") -> pd.DataFrame:
    """Line by line: a line that is not a JSON object is a row of its own, rejected with its
    line number and why (``READ_ERROR``); one bad line does not cost the whole file."""
    records: list[dict[str, Any]] = []
    numbers: list[int] = []
    try:
        with path.open(encoding=encoding) as handle:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                numbers.append(number)
                try:
                    item = json.loads(line, parse_int=whole_number)
                except json.JSONDecodeError as exc:
                    item = {READ_ERROR: f"json: line {number} is not JSON: {exc.msg} (column {exc.colno})"}
                except RecursionError:  # json's own limit, some 1,000 deep
                    item = {READ_ERROR: f"json: line {number} nests lists or objects more than {MAX_NESTING} deep"}
                if not isinstance(item, dict):
                    kind = _json_kind(item)
                    item = {READ_ERROR: f"json: line {number} is {kind}, not an object (one event per line)"}
                records.append(item)
    except UnicodeDecodeError as exc:
        # (in UTF-16 the byte counts from where the decoder's block began: no place is said)
        wide = encoding.startswith("utf-16")
        where = f" at byte {exc.start}" if not wide else ""
        where_zh = f"第 {exc.start} 字节：" if not wide else ""
        name = "UTF-8" if not wide else "UTF-16"
        hint, hint_zh = other_kind(path, path.suffix.lower())  # a workbook, a PDF, no text: "save as UTF-8" is no help
        if hint:
            raise InputError(f"{path}: not {name} text ({exc.reason}{where}){hint}",
                             zh=f"{path}：不是 {name} 文本（{where_zh}{exc.reason}）{hint_zh}") from exc
        raise InputError(f"{path}: not {name} text ({exc.reason}{where}); JSON is UTF-8: "
                         "save the export as UTF-8",
                         zh=f"{path}：不是 {name} 文本（{where_zh}{exc.reason}）；JSON 须为 UTF-8："
                         "请将导出文件另存为 UTF-8") from exc
    if records and all(list(item) == [READ_ERROR] for item in records):
        # no event at all: said as the file's fault (an object over several lines, as ``jq .`` writes one),
        # not as columns it lacks
        first = records[0][READ_ERROR].removeprefix("json: ")
        raise InputError(f"{path}: no line holds a JSON object ({first}); JSON Lines holds one object a line "
                         "(write each on one line: jq -c)",
                         zh=f"{path}：没有一行是 JSON 对象（{first}）；JSON Lines 每行一个对象"
                         "（请每个对象写成一行：jq -c）")
    frame = records_frame(records)
    frame.attrs[LINES] = LineMap.of(numbers)
    return frame


def whole_number(digits: str) -> int | str:
    """A JSON whole number as json reads one, or its digits as text past what Python turns into an int
    (4,300 digits by default: ``sys.get_int_max_str_digits``): json raised for it and the whole file was
    refused. Such a value is no amount; as text it is what the log wrote, an id's digits kept."""
    limit = sys.get_int_max_str_digits()
    return int(digits) if not limit or len(digits.lstrip("-")) <= limit else digits


def _json_kind(item: Any) -> str:
    names = {list: "an array", str: "a string", bool: "true or false", type(None): "null"}
    return names.get(type(item), "a number")


def read_json(path: Path) -> pd.DataFrame:
    with path.open(encoding=json_encoding(path)) as handle:
        data = json.load(handle, parse_int=whole_number)
    if isinstance(data, dict):
        # tolerate the common envelope {"events": [...]} / {"data": [...]}
        lists = [v for k, v in data.items() if k in ("events", "data", "records", "rows")]
        if len(lists) == 1:
            data = lists[0]
    if not isinstance(data, list):
        raise InputError(f"{path}: expected a JSON array of objects (one per event)",
                         zh=f"{path}：应为由对象组成的 JSON 数组（每个事件一个对象）")
    return records_frame([
        item if isinstance(item, dict)
        else {READ_ERROR: f"json: item {number} is {_json_kind(item)}, not an object (one event per item)"}
        for number, item in enumerate(data, 1)
    ])



def records_frame(records: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """``pd.DataFrame.from_records`` keeping whole numbers whole.

    pandas makes a column of ints with a gap (None), or of ints and floats, float64, and
    an 18-19 digit id (a snowflake id, a 流水号) loses its last digits there: two cases
    became one, under an id the log does not have. Such a column is kept as the ints it
    holds (``Int64``, or the Python values when one is beyond int64 or beside a float).
    """
    try:
        frame = pd.DataFrame.from_records(records)
    except UnicodeEncodeError:  # a lone surrogate ("\ud800", valid JSON): the whole log was refused for it
        records = [_without_surrogates(record) for record in records]
        frame = pd.DataFrame.from_records(records)
    for name in frame.columns:
        if not pd.api.types.is_float_dtype(frame[name].dtype):
            continue
        values = [item.get(name) for item in records]
        whole = [v for v in values if isinstance(v, int) and not isinstance(v, bool)]
        if not whole:
            continue
        if len(whole) == sum(v is not None and v == v for v in values) and all(-(1 << 63) <= v < 1 << 63
                                                                               for v in whole):
            frame[name] = pd.array([v if isinstance(v, int) else None for v in values], dtype="Int64")
        elif any(abs(v) >= FLOAT_EXACT_LIMIT for v in whole):
            frame[name] = pd.Series(values, index=frame.index, dtype=object)
    return frame


def _without_surrogates(record: Mapping[str, Any]) -> Mapping[str, Any]:
    """A record holding half of a UTF-16 pair (a JSON "\ud800" escape, a str from a broken decode), which
    no UTF-8 text can hold, as a rejected row naming the field; its other fields are kept. Others as they are."""
    if not isinstance(record, Mapping):
        return record
    bad = [key for key, value in record.items() if not _encodable(key) or not _encodable(value)]
    if not bad:
        return record
    kept = {key: value for key, value in record.items() if key not in bad}
    name = bad[0] if _encodable(bad[0]) else ascii(bad[0])
    kept[READ_ERROR] = (f"{name}: holds half of a UTF-16 surrogate pair (a broken \\u escape), "
                        "which is no character")
    return kept


def _encodable(value: Any) -> bool:
    if not isinstance(value, str):  # a list or object is kept as JSON text, which escapes it (io.text.json_text)
        return True
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _inexact_numbers(table: pa.Table) -> bool:
    """A float column holding a number too large for a float64 to keep every digit of: a whole
    number of 20 digits (beyond int64) is read by Arrow as a double."""
    for column in table.columns:
        if pa.types.is_floating(column.type) and len(column) > column.null_count:
            largest = pc.max(pc.abs(column)).as_py()
            if largest is not None and largest >= FLOAT_EXACT_LIMIT:
                return True
    return False


def _exact_integers(arrow_type: pa.DataType) -> Any:
    """Whole numbers with gaps as pandas' nullable integers, not float64 (which rounds beyond 2**53)."""
    if pa.types.is_signed_integer(arrow_type):
        return pd.Int64Dtype()
    if pa.types.is_unsigned_integer(arrow_type):
        return pd.UInt64Dtype()
    return None


def read_parquet(path: Path) -> pd.DataFrame:
    from .parquet_table import parquet_table
    from .prefetch import prefetched

    table = prefetched(path)  # the command line may have read it so already, while it was starting
    if table is None:
        table = parquet_table(path)
    return arrow_frame(table)


def arrow_frame(table: pa.Table | pa.RecordBatch) -> pd.DataFrame:
    """A platform's Arrow table as a frame, typed as a Parquet file's is (whole numbers stay whole,
    text stays Arrow text, booleans with gaps stay booleans, text kept as bytes is text: io.binary_text)."""
    from .binary_text import binary_as_text, frame_with_leftovers

    table, leftovers = binary_as_text(table)
    return frame_with_leftovers(table.to_pandas(types_mapper=_parquet_dtype), leftovers)


def _parquet_dtype(arrow_type: pa.DataType) -> Any:
    if arrow_type == pa.bool_():
        return pd.BooleanDtype()  # booleans with gaps as pandas' boolean, not as Python objects
    if pa.types.is_dictionary(arrow_type) and is_text_type(arrow_type):
        return pd.ArrowDtype(arrow_type)  # the Arrow column as it is, not a Categorical built from it
    return _exact_integers(arrow_type)
