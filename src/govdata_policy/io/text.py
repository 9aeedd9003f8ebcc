"""Cells as text: trimmed, blanks as missing, for every column type a log can bring.

Text columns (a CSV read by Arrow, pandas' ``str`` dtype, Arrow-backed columns)
stay in Arrow: trimmed by one kernel, blanks made missing through the validity
bitmap, without copying the text again. Other columns (numbers, booleans,
Excel and dict cells) are turned into text per DISTINCT value.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


def string_chunks(values: Any) -> pa.ChunkedArray | None:
    """The column as large_string chunks (no copy) if it holds text typed as text, else None."""
    if isinstance(values, pa.ChunkedArray | pa.Array):
        arr = values
    elif isinstance(values, pd.Series | pd.Index) and _is_text_dtype(values.dtype):
        arr = pa.array(values.array, from_pandas=True)
    else:
        return None
    if not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)):
        return None
    if isinstance(arr, pa.Array):
        arr = pa.chunked_array([arr])
    return arr.cast(pa.large_string()) if pa.types.is_string(arr.type) else arr


def string_array(values: Any) -> pa.Array | None:
    """The column as one large_string array if it holds text typed as text, else None."""
    chunks = string_chunks(values)
    if chunks is None:
        return None
    return chunks.chunk(0) if chunks.num_chunks == 1 else chunks.combine_chunks()


def _is_text_dtype(dtype: Any) -> bool:
    if isinstance(dtype, pd.StringDtype):
        return True
    return isinstance(dtype, pd.ArrowDtype) and (
        pa.types.is_string(dtype.pyarrow_dtype) or pa.types.is_large_string(dtype.pyarrow_dtype)
    )


def buffers(arr: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(offsets, bytes) of a large_string array, as numpy views: cell i is bytes[offsets[i]:offsets[i + 1]]."""
    _, offsets, data = arr.buffers()
    if offsets is None:  # an empty array may have none
        return np.zeros(len(arr) + 1, dtype=np.int64), np.zeros(0, np.uint8)
    starts = np.frombuffer(offsets, dtype=np.int64, count=arr.offset + len(arr) + 1)[arr.offset:]
    return starts, (np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, np.uint8))


def lengths(arr: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """Byte length of each cell (0 for a missing one)."""
    if isinstance(arr, pa.ChunkedArray):
        parts = [lengths(chunk) for chunk in arr.chunks]
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
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
    valid = ~missing
    if arr.null_count:
        valid &= valid_mask(arr)
    out, at = [], 0
    for chunk in arr.chunks:
        size = len(chunk)
        if chunk.offset or valid[at:at + size].all():
            out.append(with_missing(chunk, missing[at:at + size]))
        else:
            bits = pa.py_buffer(np.packbits(valid[at:at + size], bitorder="little"))
            out.append(pa.Array.from_buffers(chunk.type, size, [bits, *chunk.buffers()[1:]]))
        at += size
    return pa.chunked_array(out, arr.type)


def clean_strings(arr: pa.Array) -> pa.Array:
    """A large_string array trimmed, blank cells as nulls."""
    arr = trimmed(arr)
    return with_missing(arr, np.diff(buffers(arr)[0]) == 0)


def clean_chunks(arr: pa.ChunkedArray) -> pa.ChunkedArray:
    """``clean_strings`` for large_string chunks, a kernel call per step whatever their number."""
    out = pc.utf8_trim_whitespace(arr)
    if sum(map(_text_bytes, out.chunks)) == sum(map(_text_bytes, arr.chunks)):
        out = arr  # nothing was trimmed: keep the column's own buffers
    sizes = pc.binary_length(out)
    return with_missing_chunks(out, (sizes.fill_null(0) if sizes.null_count else sizes).to_numpy() == 0)


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
    elif pd.api.types.is_integer_dtype(dtype) or pd.api.types.is_float_dtype(dtype):
        arr = pc.cast(pa.array(values, from_pandas=True), pa.string())
    else:
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
        texts = pa.array([_scalar_text(v) for v in uniques], pa.large_string())
        arr = texts.take(pa.array(codes, mask=codes < 0))
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    return clean_chunks(pa.chunked_array([pc.cast(arr, pa.large_string())]))


def text_array(values: Any) -> pa.Array:
    """``text_chunks`` as one array."""
    chunks = text_chunks(values)
    return chunks.chunk(0) if chunks.num_chunks == 1 else chunks.combine_chunks()


def _scalar_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool | np.bool_):
        return "true" if value else "false"
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    return str(value)


@dataclass
class Coded:
    """A column as codes into its distinct values: ``words[codes[i]]`` is the text of cell i.

    ``words`` are trimmed, None for a blank or missing cell; the same word may
    appear under several codes (``'a'`` and ``' a'``). ``raw`` and ``spelled``
    (the distinct values as written) let ``column`` hand back the cells
    themselves when nothing about them changes.
    """

    codes: np.ndarray  # int64, one per row
    words: list[str | None]
    raw: pa.ChunkedArray | None = None  # the column as read (large_string), if it was text
    spelled: list[str | None] | None = None

    def per_row(self, per_word: list[Any] | np.ndarray, dtype: Any = None) -> np.ndarray:
        """A value for each row from one value per word."""
        return np.asarray(per_word, dtype=dtype)[self.codes]

    def column(self, words: list[str | None]) -> pa.ChunkedArray:
        """The column (large_string) with cell i as ``words[codes[i]]``."""
        if self.raw is not None and self.spelled is not None and all(
            w is None or w == s for w, s in zip(words, self.spelled, strict=True)
        ):
            blank = np.array([w is None for w in words], dtype=bool)
            return with_missing_chunks(self.raw, blank[self.codes])
        return pa.chunked_array([pa.array(words, pa.large_string()).take(pa.array(self.codes))])


def dictionary_codes(arr: pa.ChunkedArray, nulls: bool = True) -> tuple[pa.Array, np.ndarray]:
    """(distinct values in order of first appearance, int64 code of each cell).

    With ``nulls`` a missing cell has a code of its own (a null among the values);
    without, its code is -1.
    """
    encoded = pc.dictionary_encode(arr, null_encoding="encode" if nulls else "mask")
    if not encoded.num_chunks:
        return pa.array([], arr.type), np.zeros(0, dtype=np.int64)
    # the chunks share one dictionary, the last one holding every value
    dictionary = encoded.chunk(encoded.num_chunks - 1).dictionary
    codes = pa.chunked_array([chunk.indices for chunk in encoded.chunks])
    if not nulls:
        codes = codes.fill_null(-1)
    return dictionary, codes.to_numpy().astype(np.int64, copy=False)


def encode(values: Any, expected: Iterable[str] = ()) -> Coded:
    """A column of few distinct values, cleaned once per distinct value.

    ``expected`` are the words most cells hold (a vocabulary): looking them up
    is cheaper than collecting the distinct values, which is then done only for
    the cells that are something else.
    """
    raw = string_chunks(values)
    if raw is not None:
        known = pa.array(sorted({*expected, ""}), pa.large_string())
        hit = pc.index_in(raw, value_set=known)
        codes = (hit.fill_null(-1) if hit.null_count else hit).to_numpy().astype(np.int64)
        other = np.flatnonzero(codes < 0)
        dictionary = known
        if other.size:
            rest, rest_codes = dictionary_codes(raw.take(pa.array(other)))
            codes[other] = rest_codes + len(known)
            dictionary = pa.concat_arrays([known, rest])
        spelled: list[str | None] = dictionary.to_pylist()
        return Coded(codes, clean_strings(dictionary).to_pylist(), raw, spelled)
    if isinstance(values, pa.ChunkedArray | pa.Array):
        values = values.to_pandas()
    # typed cells (numbers, booleans, Excel cells): distinct values first, then their text
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    words: list[str | None] = text_chunks(pd.Series(uniques, dtype=values.dtype)).to_pylist()
    words.append(None)
    return Coded(np.where(codes < 0, len(words) - 1, codes).astype(np.int64, copy=False), words)


def object_array(arr: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """Text to a numpy object array (str or None), through a dictionary of distinct values.

    Building one Python str per DISTINCT value and indexing is several times
    faster than one per cell for the repetitive columns of a log.
    """
    if isinstance(arr, pa.Array):
        arr = pa.chunked_array([arr])
    dictionary, codes = dictionary_codes(arr, nulls=False)
    words = np.append(dictionary.to_numpy(zero_copy_only=False).astype(object), None)
    return words[codes]


def text_series(arr: pa.Array, index: pd.Index | None = None) -> pd.Series:
    """Text as a pandas string column (Arrow-backed, no copy to Python objects)."""
    series = arr.to_pandas()
    if index is not None:
        series.index = index
    return series
