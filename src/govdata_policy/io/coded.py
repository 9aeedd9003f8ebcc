"""A column as codes into its distinct values, each cleaned once (``encode``): the checks and
the EventFrame's object columns work from those, never per cell in Python."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .text import arrow_text, clean_strings, string_chunks, text_chunks

# rows looked at to learn a column's common words (see encode)
_SAMPLE_ROWS = 1 << 14


@dataclass
class Coded:
    """A column as codes into its distinct values: ``words[codes[i]]`` is the text of cell i.

    ``words`` (an object array) are trimmed, None for a blank or missing cell; the
    same word may appear under several codes (``'a'`` and ``' a'``).
    """

    codes: np.ndarray  # one per row, unsigned, as narrow as the number of words allows
    words: np.ndarray  # object: str or None
    # the words as Arrow text, where ``encode`` had them so (the missing word appended to ``words`` may
    # be left out): io.cell_errors looks for '#' in one kernel pass, not one Python step per word
    # (66k distinct subject ids: 18 ms)
    text: pa.Array | None = None

    def __post_init__(self) -> None:
        # issue 5: every column's codes are held until the output is built; as uint8
        # (most columns) they take 1 MB per 1M rows, not 4-8, and on the benchmark VM
        # each MB of memory touched for the first time cost 1-2 ms of system time
        narrow = np.min_scalar_type(len(self.words))
        if self.codes.dtype.itemsize > narrow.itemsize:
            self.codes = self.codes.astype(narrow)

    def starting_with(self, prefix: str) -> np.ndarray:
        """The places of the words that begin with ``prefix``: one kernel pass over ``text`` when
        there is one (66k distinct subject ids: Python's loop took 18 ms), else over ``words``."""
        if self.text is not None:
            hit = pc.starts_with(self.text, prefix)
            if not pc.any(hit).as_py():
                return np.empty(0, dtype=np.int64)
            return np.flatnonzero(pc.fill_null(hit, False).to_numpy(zero_copy_only=False))
        return np.flatnonzero([word.__class__ is str and word.startswith(prefix) for word in self.words])

    def per_row(self, per_word: Any, dtype: Any = None) -> np.ndarray:
        """A value for each row from one value per word."""
        return np.asarray(per_word, dtype=dtype)[self.codes]


def dictionary_codes(arr: pa.ChunkedArray) -> tuple[pa.Array, np.ndarray]:
    """(distinct values in order of first appearance, a null among them if any; int32 code of each cell)."""
    encoded = pc.dictionary_encode(arr, null_encoding="encode")
    if not encoded.num_chunks:
        return pa.array([], arr.type), np.zeros(0, dtype=np.int32)
    # the chunks share one dictionary, the last one holding every value
    dictionary = encoded.chunk(encoded.num_chunks - 1).dictionary
    return dictionary, pa.chunked_array([chunk.indices for chunk in encoded.chunks]).to_numpy()


def _common_words(arr: pa.ChunkedArray) -> list[str] | None:
    """The distinct values of the first rows, if they repeat (one in ten or fewer distinct)."""
    head = arr.slice(0, _SAMPLE_ROWS)
    words = pc.unique(head).drop_null()
    return sorted({*words.to_pylist(), ""}) if len(words) * 10 <= len(head) else None


def encode(values: Any, expected: Iterable[str] = ()) -> Coded:
    """A column through its distinct values, each cleaned once.

    ``expected`` are the words most cells hold (a vocabulary; without one, the
    words of the column's first rows if they repeat): looking them up is cheaper
    than collecting the distinct values, which is then done only for the cells
    that are something else.
    """
    own = arrow_text(values)
    if own is not None and pa.types.is_dictionary(own.type):
        return _dictionary_coded(own)
    raw = string_chunks(values)
    if raw is not None:
        words = sorted({*expected, ""}) if expected else _common_words(raw)
        if words is None:
            dictionary, codes = dictionary_codes(raw)
        else:
            known = pa.array([*words, None], pa.large_string())  # a missing cell is expected too
            hit = pc.index_in(raw, value_set=known)
            codes = (hit.fill_null(-1) if hit.null_count else hit).to_numpy()
            other = np.flatnonzero(codes < 0)
            dictionary = known
            if other.size:
                codes = np.array(codes)  # Arrow's own buffer is read-only
                rest, rest_codes = dictionary_codes(raw.take(pa.array(other)))
                codes[other] = rest_codes + len(known)
                dictionary = pa.concat_arrays([known, rest])
        text = clean_strings(dictionary)
        return Coded(codes, text.to_numpy(zero_copy_only=False), text)
    if isinstance(values, pa.ChunkedArray | pa.Array):
        values = values.to_pandas()
    # typed cells (numbers, booleans, Excel cells): distinct values first, then their text
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    text = text_chunks(pd.Series(uniques, dtype=values.dtype))
    words = np.append(text.to_numpy(zero_copy_only=False).astype(object), None)
    return Coded(np.where(codes < 0, len(words) - 1, codes), words, text.combine_chunks())


def _dictionary_coded(arr: pa.ChunkedArray) -> Coded:
    """A dictionary-encoded column (Parquet text) as it comes: its own codes, no cell hashed.

    issue 5: hashing a text column of 1M rows cost 10-20 ms; Parquet already holds the codes.
    """
    value_type = arr.type.value_type
    dictionary = arr.chunk(0).dictionary if arr.num_chunks else pa.array([], value_type)
    # a missing cell's code is that of the None after the words (which int8 codes may not reach)
    index_type = arr.type.index_type if arr.type.index_type.bit_width >= 32 else pa.int32()
    if all(chunk.dictionary.equals(dictionary) for chunk in arr.chunks):
        indices = pa.chunked_array([chunk.indices.cast(index_type) for chunk in arr.chunks], index_type)
        codes = pc.fill_null(indices, len(dictionary)).to_numpy()
    else:
        dictionary, codes = _unified(arr)
    if pa.types.is_string(value_type):
        dictionary = dictionary.cast(pa.large_string())
    text = clean_strings(dictionary)
    words = np.append(text.to_numpy(zero_copy_only=False).astype(object), None)
    return Coded(codes, words, text)


def _unified(arr: pa.ChunkedArray) -> tuple[pa.Array, np.ndarray]:
    """One dictionary for the chunks of a column, and every cell's code into it (missing: its length).

    issue 5: a Parquet row group's dictionary is shared by the many chunks it is read
    in, and ``unify_dictionaries`` hashes each chunk's copy: 10M rows of case ids (77
    chunks of 493k-entry dictionaries) took 7.4 s. Here each distinct dictionary (by
    its buffers) is hashed once, in first-seen order as ``unify_dictionaries`` does.
    """
    slots: dict[tuple[int, ...], int] = {}
    dictionaries: list[pa.Array] = []
    which = []
    for chunk in arr.chunks:
        found = chunk.dictionary
        key = (len(found), found.offset, *(b.address if b is not None else 0 for b in found.buffers()))
        if key not in slots:
            slots[key] = len(dictionaries)
            dictionaries.append(found)
        which.append(slots[key])
    encoded = pc.dictionary_encode(pa.concat_arrays(dictionaries))
    entry = encoded.indices.to_numpy()  # each dictionary entry's code in the one dictionary
    starts = np.cumsum([0, *(len(d) for d in dictionaries)])
    missing = len(encoded.dictionary)
    codes = np.empty(len(arr), dtype=np.int64)
    at = 0
    for chunk, number in zip(arr.chunks, which, strict=True):
        indices = chunk.indices.cast(pa.int64())
        local = pc.fill_null(indices, -1).to_numpy()
        valid = local >= 0  # a chunk of missing cells may come with an empty dictionary
        part = codes[at: at + len(chunk)]
        part[:] = missing
        part[valid] = entry[starts[number] + local[valid]]
        at += len(chunk)
    return encoded.dictionary, codes
