"""Cells as text: trimmed, blanks as missing, for every column type a log can bring.

Text columns (a CSV read by Arrow, pandas' ``str`` dtype, Arrow-backed columns)
stay in Arrow, chunk by chunk as they were read: trimmed by one kernel call
(the column's own buffers kept when nothing was trimmed), blanks made missing
through the validity bitmap without copying the text. Other columns (numbers,
booleans, Excel and dict cells) are turned into text per DISTINCT value.

``io.coded.encode`` gives a column as codes into its distinct values, each
cleaned once, from these helpers.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


def arrow_text(values: Any) -> pa.ChunkedArray | None:
    """The column's own Arrow chunks (no copy) if it holds text, plain or dictionary-encoded, else None."""
    if isinstance(values, pa.ChunkedArray | pa.Array):
        arr = values
    elif isinstance(values, pd.Series | pd.Index) and _is_text_dtype(values.dtype):
        arr = pa.array(values.array, from_pandas=True)
    else:
        return None
    if not is_text_type(arr.type):
        return None
    return pa.chunked_array([arr]) if isinstance(arr, pa.Array) else arr


def string_chunks(values: Any) -> pa.ChunkedArray | None:
    """The column as large_string chunks (no copy if it is plain text) if it holds text, else None."""
    arr = arrow_text(values)
    if arr is None:
        return None
    if pa.types.is_dictionary(arr.type):
        arr = arr.cast(arr.type.value_type)  # the cells' own text
    return arr.cast(pa.large_string()) if pa.types.is_string(arr.type) else arr


def is_text_type(arrow_type: pa.DataType) -> bool:
    """string or large_string, or a dictionary of them (how Parquet keeps text)."""
    if pa.types.is_dictionary(arrow_type):
        arrow_type = arrow_type.value_type
    return pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type)


def _is_text_dtype(dtype: Any) -> bool:
    if isinstance(dtype, pd.StringDtype):
        return True
    return isinstance(dtype, pd.ArrowDtype) and is_text_type(dtype.pyarrow_dtype)


def buffers(arr: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(offsets, bytes) of a large_string array, as numpy views: cell i is bytes[offsets[i]:offsets[i + 1]]."""
    _, offsets, data = arr.buffers()
    if offsets is None:  # an empty array may have none
        return np.zeros(len(arr) + 1, dtype=np.int64), np.zeros(0, np.uint8)
    starts = np.frombuffer(offsets, dtype=np.int64, count=arr.offset + len(arr) + 1)[arr.offset:]
    return starts, (np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, np.uint8))


def lengths(arr: pa.Array) -> np.ndarray:
    """Byte length of each cell of a large_string array (0 for a missing one)."""
    out = np.diff(buffers(arr)[0])
    if arr.null_count:
        out[~valid_mask(arr)] = 0
    return out


def valid_mask(arr: pa.Array | pa.ChunkedArray) -> np.ndarray:
    return pc.is_valid(arr).to_numpy(zero_copy_only=False)


def trimmed(arr: pa.Array) -> pa.Array:
    """The cells without surrounding blanks; the array itself (its buffers) when none has any."""
    out = pc.utf8_trim_whitespace(arr)
    return arr if _text_bytes(out) == _text_bytes(arr) else out


def _text_bytes(arr: pa.Array) -> int:
    offsets, _ = buffers(arr)
    return int(offsets[-1] - offsets[0])


def with_missing(arr: pa.Array, missing: np.ndarray) -> pa.Array:
    """``arr`` with the cells where ``missing`` is True as nulls, the text buffers shared."""
    if not missing.any():
        return arr
    valid = ~missing
    if arr.null_count:
        valid &= valid_mask(arr)
    bits = np.packbits(np.concatenate([np.zeros(arr.offset, dtype=bool), valid]), bitorder="little")
    return pa.Array.from_buffers(
        arr.type, len(arr), [pa.py_buffer(bits), arr.buffers()[1], arr.buffers()[2]], offset=arr.offset
    )


def with_missing_chunks(arr: pa.ChunkedArray, missing: np.ndarray) -> pa.ChunkedArray:
    """``with_missing`` chunk by chunk; ``missing`` runs over the whole column."""
    if not missing.any():
        return arr
    bounds = np.cumsum([0, *(len(chunk) for chunk in arr.chunks)])
    return pa.chunked_array(
        [with_missing(chunk, missing[a:b]) for chunk, a, b in zip(arr.chunks, bounds, bounds[1:], strict=False)],
        arr.type,
    )


def clean_strings(arr: pa.Array) -> pa.Array:
    """A large_string array trimmed, Excel's ``="…"`` unwrapped (``formula_text``), blank cells as nulls."""
    arr = unwrap_formulas(trimmed(arr))
    return with_missing(arr, np.diff(buffers(arr)[0]) == 0)


def clean_chunks(arr: pa.ChunkedArray) -> pa.ChunkedArray:
    """``clean_strings`` for large_string chunks, a kernel call per step whatever their number."""
    out = pc.utf8_trim_whitespace(arr)
    sizes = pc.binary_length(out)
    if pc.sum(sizes).as_py() == pc.sum(pc.binary_length(arr)).as_py():
        out = arr  # nothing was trimmed: keep the column's own buffers
    unwrapped = unwrap_formulas(out)
    if unwrapped is not out:
        out, sizes = unwrapped, pc.binary_length(unwrapped)
    return with_missing_chunks(out, (sizes.fill_null(0) if sizes.null_count else sizes).to_numpy() == 0)


# Excel's text-preserving form: exporters write ="00123" (a formula whose value is the text 00123)
# so that Excel keeps an id's leading zeros and an 18-digit 身份证号 whole; a CSV parser hands the
# formula over as it is ("=""00123""" in the file). Its text is what the log means.
_FORMULA_START = '="'


def formula_text(text: str) -> str:
    """The text of an Excel string formula ``="…"`` (``""`` inside is one quote), stripped; any other
    text as it is. Only that exact form: ``="a"&"b"``, ``=A1``, ``="a`` are left alone."""
    if len(text) < 3 or not text.startswith(_FORMULA_START) or text[-1] != '"':
        return text
    inner = text[2:-1]
    # the literal is quote-free text and doubled quotes: a quote left once the pairs are gone ends
    # it early (="a"&"b" holds a"&"b), and such a formula is no plain text
    if '"' in inner.replace('""', ""):
        return text
    return inner.replace('""', '"').strip()


def unwrap_formulas(arr: pa.Array | pa.ChunkedArray) -> Any:
    """``formula_text`` of each cell of (trimmed) text, in Arrow kernels; ``arr`` itself when no cell
    starts ``="``, which one kernel pass tells (10-15 ms for 1M case ids).

    issue 5: a platform may write every id and time so: cell by cell in Python that cost 1.3-2 s for
    1M case ids; here about 0.3 s. A quote inside (``""``, or a formula of several parts) is rare
    and left to Python, cell by cell."""
    if not len(arr) or arr.null_count == len(arr):
        return arr
    hit = pc.starts_with(arr, _FORMULA_START)
    if not pc.any(hit).as_py():
        return arr
    # ASCII marks: at least 3 bytes, ="…" and its closing quote
    form = pc.and_(pc.and_(hit, pc.ends_with(arr, '"')), pc.greater_equal(pc.binary_length(arr), 3))
    form = pc.fill_null(form, False)
    inner = pc.utf8_slice_codeunits(arr, 2, -1)
    quoted = pc.and_(form, pc.fill_null(pc.match_substring(inner, '"'), False))
    out = pc.if_else(pc.and_(form, pc.invert(quoted)), pc.utf8_trim_whitespace(inner), arr)
    if pc.any(quoted).as_py():
        if isinstance(out, pa.ChunkedArray):  # one array for replace_with_mask
            out, quoted = out.combine_chunks(), quoted.combine_chunks()
        found = out.filter(quoted).to_pylist()
        out = pc.replace_with_mask(out, quoted, pa.array([formula_text(text) for text in found], out.type))
        out = pa.chunked_array([out]) if isinstance(arr, pa.ChunkedArray) else out
    return out


def text_chunks(values: Any) -> pa.ChunkedArray:
    """A column as trimmed text (large_string chunks), blanks and missing values as null.

    Numbers keep their written form (``3.0`` -> ``"3"``), booleans become
    ``true``/``false``, times ISO text. Object columns are converted per
    DISTINCT value, so a million cells cost as much as their few distinct values.
    """
    chunks = string_chunks(values)
    if chunks is not None:
        return clean_chunks(chunks)
    if isinstance(values, pa.ChunkedArray | pa.Array):
        values = values.to_pandas()
    dtype = values.dtype
    if pd.api.types.is_bool_dtype(dtype):
        arr = pc.if_else(pa.array(values, from_pandas=True), "true", "false")
    elif pd.api.types.is_integer_dtype(dtype):
        arr = pc.cast(pa.array(values, from_pandas=True), pa.string())
    elif pd.api.types.is_float_dtype(dtype):
        arr = _float_text(values.to_numpy(dtype=np.float64, na_value=np.nan))
    else:
        try:
            codes, uniques = pd.factorize(values, use_na_sentinel=True)
        except TypeError:  # a list or object in a cell is not hashable: its JSON text is
            codes, uniques = pd.factorize(values.map(_hashable), use_na_sentinel=True)
        texts = pa.array([_scalar_text(v) for v in uniques], pa.large_string())
        arr = texts.take(pa.array(codes, mask=codes < 0))
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    return clean_chunks(pa.chunked_array([pc.cast(arr, pa.large_string())]))


# Full-width ASCII forms (U+FF01-FF5E) and the ideographic space, to ASCII.
_HALF_WIDTH = {**{code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}, 0x3000: 0x20}
_FULL_WIDTH = "[\uff01-\uff5e\u3000]"


def fold_width(arr: pa.ChunkedArray) -> pa.ChunkedArray:
    """Full-width letters, digits and marks (``Ｗ３``, ``０９：００``) as their ASCII forms.

    A Chinese input method in full-width mode types them; the case ``Ｗ３`` is the case
    ``W3`` and ``２０２４－０３－０５`` a date. Only cells holding one are rewritten; a
    column without any (the UTF-8 of every such character starts with byte 0xEF, or is
    E3 80 80) is returned as it is, its buffers untouched.
    """
    chunks, changed = [], False
    for chunk in arr.chunks:
        if pa.types.is_large_string(chunk.type):  # the usual case: its bytes tell at once
            _, data = buffers(chunk)
            # issue 5: one reduction says "all ASCII" (most ids) without a mask of the column's bytes
            if not data.size or data.max() < 0x80 or (not (data == 0xEF).any() and not _has_ideographic_space(data)):
                chunks.append(chunk)
                continue
        wide = pc.fill_null(pc.match_substring_regex(chunk, _FULL_WIDTH), False)
        if not pc.any(wide).as_py():
            chunks.append(chunk)
            continue
        folded = [value.translate(_HALF_WIDTH).strip() for value in chunk.filter(wide).to_pylist()]
        chunks.append(pc.replace_with_mask(chunk, wide, pa.array(folded, chunk.type)))
        changed = True
    return pa.chunked_array(chunks, arr.type) if changed else arr


def fold_text(text: str) -> str:
    """``fold_width`` of one text (the streaming monitor's cells)."""
    return text if text.isascii() else text.translate(_HALF_WIDTH).strip()


def _has_ideographic_space(data: np.ndarray) -> bool:
    lead = np.flatnonzero(data[:-2] == 0xE3)
    return bool(((data[lead + 1] == 0x80) & (data[lead + 2] == 0x80)).any())


def _float_text(numbers: np.ndarray) -> pa.Array:
    """Floats as ``_scalar_text`` writes one (the streaming monitor reads a cell so): a whole
    number without ".0" or an exponent (an id 43112420240506 that a missing cell made a float is
    "43112420240506", not Arrow's "4.3112420240506e+13"), any other as Python writes it, one
    distinct value at a time; NaN is missing."""
    whole = np.isfinite(numbers) & (np.floor(numbers) == numbers) & (np.abs(numbers) < 2.0**62)
    text = pc.cast(pa.array(np.where(whole, numbers, 0).astype(np.int64)), pa.string())
    other = np.flatnonzero(~whole & ~np.isnan(numbers))
    if other.size:
        codes, uniques = pd.factorize(numbers[other])
        words = np.array([str(int(v)) if float(v).is_integer() else str(v) for v in uniques], dtype=object)
        mask = np.zeros(len(numbers), dtype=bool)
        mask[other] = True
        text = pc.replace_with_mask(text, pa.array(mask), pa.array(words[codes], pa.string()))
    return pc.if_else(pa.array(np.isnan(numbers)), pa.scalar(None, pa.string()), text)


def text_array(values: Any) -> pa.Array:
    """``text_chunks`` as one array."""
    chunks = text_chunks(values)
    return chunks.chunk(0) if chunks.num_chunks == 1 else chunks.combine_chunks()


# what a cell of JSON, Parquet or records may hold instead of one value (io.nested)
CONTAINERS = (list, tuple, dict, set, frozenset, np.ndarray)


# lists or objects nested deeper than this in one cell are refused, not walked: 1,000 deep ran out of
# Python's recursion (exit 3), in a JSON Lines file, a record or a value pushed to the monitor
MAX_NESTING = 100


class NestedTooDeep(ValueError):
    """A cell's lists or objects nest deeper than MAX_NESTING."""


def nested_too_deep(value: Any) -> bool:
    """Whether ``value`` holds containers more than MAX_NESTING deep: walked with a stack, not recursion."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_NESTING:
            return True
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values() if isinstance(v, CONTAINERS))
        elif isinstance(item, CONTAINERS):
            stack.extend((v, depth + 1) for v in item if isinstance(v, CONTAINERS))
    return False


def json_text(value: Any) -> str:
    """A list or object as its JSON text, as io.nested keeps such a cell; NestedTooDeep when it nests
    more than MAX_NESTING deep."""
    if nested_too_deep(value):
        kind = "object" if isinstance(value, dict) else "list"
        raise NestedTooDeep(f"a JSON {kind} nested more than {MAX_NESTING} deep")
    plain = _plain(value)
    text = json.dumps(plain, ensure_ascii=False, default=str)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # half a surrogate pair: kept as the JSON escape it came as, which Arrow can hold
        text = json.dumps(plain, ensure_ascii=True, default=str)
    return text


def _plain(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return [_plain(v) for v in value.tolist()]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    return value


def _hashable(value: Any) -> Any:
    return json_text(value) if isinstance(value, CONTAINERS) else value


def _scalar_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, CONTAINERS):
        return json_text(value)
    if isinstance(value, bool | np.bool_):
        return "true" if value else "false"
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    # a Timestamp (a column of datetimes only) as a datetime mixed with text and the monitor write one:
    # "2025-03-01 08:00:00", the log's own form (isoformat's "T" made the batch differ from both)
    return str(value)


def text_series(arr: pa.Array, index: pd.Index | None = None) -> pd.Series:
    """Text as a pandas string column (Arrow-backed, no copy to Python objects)."""
    series = arr.to_pandas()
    if index is not None:
        series.index = index
    return series


_FEW_CELLS = 2000  # up to this many places, cells are looked up one by one (cells_at)


def cells_at(column: Any, places: list[int]) -> list[Any]:
    """The column's cells at ``places`` (missing ones None or NaN, as the column holds them).

    issue 5: pandas takes from Arrow text by joining the column's chunks first; a 1M-row CSV
    column is about 150 chunks, so 40 cells cost 15-17 ms a column and 0.15-0.25 s over a log's
    headers. Looked up one at a time in the chunks, a few cells cost microseconds.
    """
    if not isinstance(column.array, pd.arrays.ArrowExtensionArray) or len(places) > _FEW_CELLS:
        return column.iloc[places].tolist()
    chunked = column.array.__arrow_array__()
    return [chunked[place].as_py() for place in places]
