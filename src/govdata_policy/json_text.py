"""The JSON text of a table, column by column in Arrow, without a Python object per cell.

Issue 5: ``json.dumps(..., indent=2)`` runs the pure-Python encoder (the C one is used only
without indent) over every cell of every record: 30+ s for the 100k violations of a 1M-event
log. Here each column becomes an Arrow array of its cells' JSON text (text columns escaped by
Arrow's string kernels, integers and times cast by Arrow), the records are joined row-wise by
``binary_join_element_wise`` in C++, and the result is the same text, byte for byte, as
``json.dumps(records, ensure_ascii=False, indent=indent, default=str)``. Columns of other
types (floats, flags, mixed objects) are written one distinct value at a time in Python.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .engine.messages import TEXT, join, local_text, local_text_arrow, word

try:  # the C function json.dumps uses for a str with ensure_ascii=False
    from _json import encode_basestring
except ImportError:  # pragma: no cover - other Python implementations
    from json.encoder import py_encode_basestring as encode_basestring



class Unsupported(Exception):
    """A table this writer does not handle; the caller falls back to json.dumps."""


def dumps(value: Any, indent: int | None) -> str:
    return json.dumps(value, ensure_ascii=False, indent=indent, default=str)


class Cells(NamedTuple):
    """A column's JSON text: ``before + body + after`` for every cell.

    ``before`` and ``after`` (the quotes of a text column without nulls) go into the
    words between the cells, so they are not copied into every cell first.
    """

    body: pa.Array
    before: str = ""
    after: str = ""


def table_json(
    frame: pd.DataFrame, indent: int | None, depth: int, chunk: int = 20_000,
    objects: dict[str, pd.DataFrame] | None = None,
) -> Iterator[bytes | memoryview]:
    """A table as a JSON list of records in UTF-8, ``depth`` levels deep in the document, in pieces.

    The cells' text is made at once (so ``Unsupported`` is raised here); the records are
    joined by Arrow ``chunk`` at a time as the pieces are taken, each piece a view of the
    joined text of one chunk. Issue 5: a writer taking them one by one never holds the
    whole table's text (~100 MB for the 108k violations of 1M events) as well as the cells'.

    ``objects``: columns whose cells are objects, each given as a frame of as many rows, its
    columns the object's keys (``object_cells``: compare's verdicts by profile).
    """
    if frame.empty:
        return iter([b"[]"])
    _check_keys(frame)
    keys = [dumps(c, None) + ": " for c in frame.columns]
    item, open_record, close_record, open_list, close_list, between = _punctuation(indent, depth)
    objects = objects or {}
    columns = [object_cells(objects[name], indent, depth + 2) if name in objects else
               cells(frame[name], indent, depth + 2) for name in frame.columns]
    # every record ends with the text between records (the last one's is cut off)
    words = _words(columns, [open_record + keys[0], *(item + key for key in keys[1:]), close_record + between])
    return _joined(columns, words, len(frame), chunk, open_list, close_list, len(between))


def _check_keys(frame: pd.DataFrame) -> None:
    if not frame.columns.is_unique or not all(isinstance(c, str) for c in frame.columns):
        raise Unsupported


def object_cells(frame: pd.DataFrame, indent: int | None, depth: int) -> Cells:
    """Each row as a JSON object of its columns (keys in column order), as json.dumps writes a dict that is
    a value ``depth`` levels deep: a record's ``{"guangxi": "late", "xinjiang": null}``."""
    _check_keys(frame)
    if frame.columns.empty:
        return Cells(pa.array(["{}"] * len(frame), TEXT))
    keys = [dumps(c, None) + ": " for c in frame.columns]
    if indent is None:
        opening, between, closing = "{", ", ", "}"
    else:
        pad = " " * (indent * (depth + 1))
        opening, between, closing = "{\n" + pad, ",\n" + pad, "\n" + " " * (indent * depth) + "}"
    columns = [cells(frame[name], indent, depth + 1) for name in frame.columns]
    words = _words(columns, [opening + keys[0], *(between + key for key in keys[1:]), closing])
    parts = [part for word_, column in zip(words, columns, strict=False) for part in (word_, column.body)]
    return Cells(pc.binary_join_element_wise(*parts, words[-1], word("")))


def _words(columns: list[Cells], fixed: list[str]) -> list[pa.Scalar]:
    """The text around the cells of a record: ``fixed`` (a key and its punctuation before each cell, the record's
    end after the last) with the cells' own ``before`` and ``after`` (a text column's quotes) joined to it."""
    afters = ["", *(column.after for column in columns)]
    befores = [*(column.before for column in columns), ""]
    return [word(a + f + b) for a, f, b in zip(afters, fixed, befores, strict=True)]


def _punctuation(indent: int | None, depth: int) -> tuple[str, str, str, str, str, str]:
    """As json.dumps writes a list of records ``depth`` levels deep: (between items, record's
    start, record's end, list's start, list's end, between records)."""
    if indent is None:
        return ", ", "{", "}", "[", "]", ", "
    pad_list, pad_record, pad_key = (" " * (indent * d) for d in (depth, depth + 1, depth + 2))
    return (",\n" + pad_key, "{\n" + pad_key, "\n" + pad_record + "}", "[\n" + pad_record,
            "\n" + pad_list + "]", ",\n" + pad_record)


def _joined(columns: list[Cells], words: list[pa.Scalar], rows: int, chunk: int, open_list: str,
            close_list: str, between: int) -> Iterator[bytes | memoryview]:
    yield open_list.encode()
    for start in range(0, rows, chunk):
        parts = [part for word, column in zip(words, columns, strict=False)
                 for part in (word, column.body.slice(start, chunk))]
        text = _utf8(pc.binary_join_element_wise(*parts, words[-1], word("")))
        # every record ends with the text between records: the last one's is cut off
        yield text[:-between] if start + chunk >= rows else text
    yield close_list.encode()


def join_tables(texts: list[bytes], indent: int | None, depth: int) -> list[bytes | memoryview]:
    """The text ``table_json`` writes for the rows of several tables one after the other,
    from the text it wrote for each (engine.parallel: each core writes its cases' findings)."""
    open_list, close_list, between = (text.encode() for text in _punctuation(indent, depth)[3:])
    joined: list[bytes | memoryview] = []
    for text in texts:
        if text == b"[]":
            continue
        if not (text.startswith(open_list) and text.endswith(close_list)):
            raise ValueError("not a table's JSON text at this indent and depth")
        joined.extend([between] if joined else [open_list])
        joined.append(memoryview(text)[len(open_list): len(text) - len(close_list)])  # a view, not a copy
    return [*joined, close_list] if joined else [b"[]"]


def _utf8(texts: pa.Array) -> memoryview:
    """All of a text array's values one after the other (a view, not a copy)."""
    offsets = np.frombuffer(texts.buffers()[1], dtype=np.int64)[texts.offset:texts.offset + len(texts) + 1]
    return memoryview(texts.buffers()[2])[offsets[0]:offsets[-1]]


def cells(values: pd.Series, indent: int | None, depth: int) -> Cells:
    """The JSON text of each cell of a column, as json.dumps writes it ``depth`` levels deep."""
    newline = "\n" + " " * (indent * depth) if indent is not None else None
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        fast = _time_cells(values)
        if fast is not None:
            return fast
        return _string_cells(pa.array(iso_column(values).to_numpy(dtype=object), TEXT))
    if str(values.dtype) in ("Int64", "Int32", "Int16", "Int8") or (
        pd.api.types.is_integer_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype)
    ):
        return Cells(pc.fill_null(pc.cast(pa.array(values.array), TEXT), "null"))
    if isinstance(values.dtype, pd.StringDtype):
        return _string_cells(_arrow_text(pa.array(values.array)))
    if values.dtype == object:
        objects = values.to_numpy(dtype=object)
        kinds = set(map(type, objects))
        if kinds <= {str, type(None)}:
            try:
                return _string_cells(pa.array(objects, TEXT))
            except (pa.ArrowException, UnicodeError):  # a lone surrogate: the Python path below
                pass
        if kinds == {list}:
            fast = _int_list_cells(objects, indent, newline)
            if fast is not None:
                return fast
    try:
        return Cells(pa.array(_python_cells(values, indent, newline), TEXT))
    except (pa.ArrowException, UnicodeError):  # text that is not UTF-8 (a lone surrogate)
        raise Unsupported from None


def iso_column(values: pd.Series) -> pd.Series:
    """ISO 8601 text (+08:00) of an aware time column, None where missing."""
    fast = local_text(values, "iso")  # issue 5: per distinct day, not strftime per row
    if fast is not None:
        return pd.Series(fast, index=values.index, dtype=object)
    text = values.dt.strftime("%Y-%m-%dT%H:%M:%S%z").str.replace(r"(\d\d)(\d\d)$", r"\1:\2", regex=True)
    return text.astype(object).where(values.notna(), None)


def _arrow_text(array: pa.Array | pa.ChunkedArray) -> pa.Array:
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    return array.cast(TEXT)


def _string_cells(text: pa.Array) -> Cells:
    """Text cells as JSON strings, as ``encode_basestring`` writes them; null where missing.

    ``\\`` and ``"`` are escaped by Arrow; the rare cell holding a control character
    is written by ``encode_basestring`` itself.
    """
    if len(text) == 0 or text.null_count == len(text):
        return Cells(pc.fill_null(text, "null"))
    offsets = np.frombuffer(text.buffers()[1], dtype=np.int64)[text.offset:text.offset + len(text) + 1]
    raw = np.frombuffer(text.buffers()[2], dtype=np.uint8)[offsets[0]:offsets[-1]]
    # UTF-8 continuation bytes are >= 0x80: a byte below 0x20 is a control character
    control = np.flatnonzero(raw < 0x20)
    rows = np.unique(np.searchsorted(offsets, control + offsets[0], side="right") - 1)
    rows = pa.array(rows[np.asarray(text.is_valid())[rows]], pa.int64())
    written = [encode_basestring(value) for value in pc.take(text, rows).to_pylist()]
    if (raw == ord("\\")).any():
        text = pc.replace_substring(text, "\\", "\\\\")
    if (raw == ord('"')).any():
        text = pc.replace_substring(text, '"', '\\"')
    if written:  # without their quotes, which are added below with everyone's
        mask = np.zeros(len(text), dtype=bool)
        mask[rows.to_numpy()] = True
        text = pc.replace_with_mask(text, pa.array(mask), pa.array([w[1:-1] for w in written], TEXT))
    if not text.null_count:
        return Cells(text, '"', '"')
    return Cells(pc.fill_null(join('"', text, '"'), "null"))


def _time_cells(values: pd.Series) -> Cells | None:
    """Aware times as quoted ISO 8601 text (+08:00); None where Arrow's cast does not apply."""
    text = local_text_arrow(values, "iso")
    if text is None:
        return None
    if not text.null_count:
        return Cells(text, '"', '"')
    return Cells(pc.fill_null(join('"', text, '"'), "null"))


def _int_list_cells(objects: np.ndarray, indent: int | None, newline: str | None) -> Cells | None:
    """Cells that are lists of plain ints (evidence rows), or None for any other list."""
    if set(map(type, itertools.chain.from_iterable(objects))) - {int}:
        return None
    lengths = np.fromiter(map(len, objects), dtype=np.int64, count=len(objects))
    try:
        flat = np.fromiter(itertools.chain.from_iterable(objects), dtype=np.int64, count=int(lengths.sum()))
    except OverflowError:  # beyond 64 bits: json.dumps decides
        return None
    offsets = np.zeros(len(objects) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    numbers = pa.LargeListArray.from_arrays(pa.array(offsets), pc.cast(pa.array(flat), TEXT))
    if indent is None:
        start, sep, end = "[", ", ", "]"
    else:
        inner = newline + " " * indent
        start, sep, end = "[" + inner, "," + inner, newline + "]"
    numbers = pc.binary_join(numbers, word(sep))
    if lengths.all():
        return Cells(numbers, start, end)
    text = join(start, numbers, end)
    return Cells(pc.if_else(pa.array(lengths == 0), word("[]"), text))


def _native(value: Any) -> Any:
    """As pandas' to_dict(orient="records") hands values over: numpy scalars as Python ones."""
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    return value


def _python_cells(values: pd.Series, indent: int | None, newline: str | None) -> list[str]:
    """Any other column's cells, written by json.dumps once per distinct value."""
    objects = values.astype(object).where(values.notna(), None).to_numpy(dtype=object)
    try:
        codes, uniques = pd.factorize(objects, use_na_sentinel=True)
    except TypeError:  # unhashable cells (lists, dicts): one by one
        return [_one(v, indent, newline) for v in objects]
    if len({type(u) for u in uniques}) > 1:  # 1 and True are one key to a hash table
        return [_one(v, indent, newline) for v in objects]
    words = [encode_basestring(u) if type(u) is str else _one(u, indent, newline) for u in uniques]
    return np.array([*words, "null"], dtype=object)[codes].tolist()


def _one(value: Any, indent: int | None, newline: str | None) -> str:
    """One cell's JSON text."""
    if value is None or (not isinstance(value, list | dict | tuple) and pd.isna(value)):
        return "null"
    text = dumps(_native(value), indent)
    return text.replace("\n", newline) if newline is not None and "\n" in text else text
