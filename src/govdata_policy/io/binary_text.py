"""Text a Parquet writer kept as bytes, read as the text it is (``binary_as_text``), and the cells
no text encoding reads refused where a rule reads them (``undecoded_reasons``).

Impala, Hive and older Spark write a string column as Parquet's BINARY without its UTF8 mark.
Read as bytes, every cell became Python's ``b'...'``: the case id ``b'YZ-1'``, each event unknown,
each time unreadable. Tables filled from the systems of Chinese government offices often hold
GBK text there, as their CSV exports do: a column that is not all UTF-8 is read as GB18030 (which
contains GBK and GB2312, as the CSV reader reads such a file) when that reads it. Before, such a
column stayed bytes, and ``b'\\xbc\\xd7-1'`` was accepted as a case. A column at least half of whose
distinct values neither reads is no text (a digest, a file) and stays bytes, as it always did.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .cell_errors import READ_COLUMNS
from .read import READ_ERROR, UNDECODED  # UNDECODED: a frame holding UndecodedBytes, the only one looked at

_SHOWN_BYTES = 24  # of an undecoded cell, in its row's reason
# by a column's place in the table: its name and its cells, as Python values (``binary_as_text``)
Leftovers = dict[int, tuple[str, list[Any]]]


class UndecodedBytes(bytes):
    """A cell's bytes that neither UTF-8 nor GB18030 reads (a value cut inside a character, a digest,
    a file): shown as bytes are (``b'...'``), as such a cell always was, and its row refused where a
    rule reads the column (``undecoded_reasons``)."""


def binary_as_text(table: pa.Table | pa.RecordBatch) -> tuple[pa.Table | pa.RecordBatch, Leftovers]:
    """The table with each column of bytes that UTF-8 or GB18030 reads whole as that text; and, by
    place, the cells of each column of bytes most but not all of whose distinct values an encoding
    reads, as Python values (text, ``UndecodedBytes`` and None), to put in the frame. A column of text,
    or of other types, or of bytes mostly no text, is as it was."""
    leftovers: Leftovers = {}
    for place, field in enumerate(table.schema):
        kind = field.type.value_type if pa.types.is_dictionary(field.type) else field.type
        if not (pa.types.is_binary(kind) or pa.types.is_large_binary(kind)):
            continue
        if isinstance(table, pa.RecordBatch):
            table = pa.Table.from_batches([table])
        text = pa.large_string() if pa.types.is_large_binary(kind) else pa.string()
        if pa.types.is_dictionary(field.type):
            text = pa.dictionary(field.type.index_type, text)
        try:
            column = table.column(place).cast(text)  # checks the bytes are UTF-8
        except pa.ArrowInvalid:
            column = _decoded(table.column(place), text, leftovers, place, field.name)
        if column is not None:
            table = table.set_column(place, field.with_type(text), column)
    return table, leftovers


def _decoded(column: pa.ChunkedArray, text: pa.DataType, leftovers: Leftovers, place: int,
             name: str) -> pa.ChunkedArray | None:
    """A column of bytes not all UTF-8, its distinct values decoded in Python: as GB18030 when one of
    them is GB18030 and not UTF-8, else as UTF-8 (a UTF-8 column with a few broken values). Read
    whole, the column as text; else None: its cells in ``leftovers[place]`` when most of its distinct
    values read (text with a value cut inside a character), else left as the bytes they are. By place
    and name (``frame_with_leftovers``)."""
    pieces = [chunk if pa.types.is_dictionary(chunk.type) else pc.dictionary_encode(chunk) for chunk in column.chunks]
    words = [piece.dictionary.to_pylist() for piece in pieces]
    encoding = "gb18030" if any(_reads(word, "gb18030") and not _reads(word, "utf-8")
                                for piece in words for word in piece) else "utf-8"
    decoded = [[_decode(word, encoding) for word in piece] for piece in words]
    unread = {word for piece in decoded for word in piece if isinstance(word, UndecodedBytes)}
    if len(unread) * 2 >= len({word for piece in words for word in piece if word is not None}):
        return None  # most of it no text: bytes (a digest, a file, an id kept as bytes), as it always was
    if not unread:
        value_type = text.value_type if pa.types.is_dictionary(text) else text
        chunks = [pa.DictionaryArray.from_arrays(piece.indices, pa.array(texts, value_type))
                  for piece, texts in zip(pieces, decoded, strict=True)]
        if not pa.types.is_dictionary(text):
            chunks = [chunk.dictionary.take(chunk.indices) for chunk in chunks]
        return pa.chunked_array(chunks, text)
    cells: list[Any] = []
    for piece, texts in zip(pieces, decoded, strict=True):
        cells.extend(None if index is None else texts[index] for index in piece.indices.to_pylist())
    leftovers[place] = (name, cells)
    return None


def _reads(word: bytes | None, encoding: str) -> bool:
    if word is None:  # a null among a dictionary's values: no bytes to read
        return True
    try:
        word.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _decode(word: bytes | None, encoding: str) -> str | UndecodedBytes | None:
    if word is None:
        return None
    try:
        return word.decode(encoding)
    except UnicodeDecodeError:
        return UndecodedBytes(word)


def frame_with_leftovers(frame: pd.DataFrame, leftovers: Leftovers) -> pd.DataFrame:
    """``frame`` (the table's, as pandas made it) with the cells of ``binary_as_text``'s leftovers put
    in their columns, and marked (``UNDECODED``) when one of them is some bytes that no encoding read."""
    for place, (name, cells) in leftovers.items():
        series = pd.Series(cells, index=frame.index, dtype=object)
        # by name: pandas takes a Parquet file's index columns out of the table's (pandas' own metadata)
        if list(frame.columns).count(name) == 1:
            frame[name] = series
        else:
            frame.isetitem(place, series)
    if leftovers:
        frame.attrs[UNDECODED] = True
    return frame


def take_undecoded(frame: pd.DataFrame) -> bool:
    """Whether the frame holds cells no encoding read (``frame_with_leftovers``), the mark taken off."""
    return bool(frame.attrs.pop(UNDECODED, False))


def undecoded_reasons(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame (its columns named as the contract names them: after the mapping) with a reason in
    ``READ_ERROR`` for each row holding bytes no encoding read in a column a rule reads, naming the
    column; the frame itself when none does. Elsewhere such a cell passes through as the bytes it is:
    a column no rule reads (a digest) refusing its rows would drop events the rules need."""
    reasons: np.ndarray | None = None
    for name in frame.columns:
        if name not in READ_COLUMNS or frame[name].dtype != object:
            continue
        for row, value in enumerate(frame[name].to_numpy()):
            if isinstance(value, UndecodedBytes):
                if reasons is None:
                    reasons = np.full(len(frame), None, dtype=object)
                reason = undecoded_reason(name, value)
                reasons[row] = f"{reasons[row]}; {reason}" if reasons[row] else reason
    if reasons is None:
        return frame
    out = frame.copy(deep=False)
    if READ_ERROR in out.columns:
        before = out[READ_ERROR].to_numpy(dtype=object)
        reasons = np.array([r if pd.isna(b) else b if r is None else f"{b}; {r}" for b, r in zip(before, reasons,
                                                                                                 strict=True)],
                           dtype=object)
    out[READ_ERROR] = pd.Series(reasons, index=frame.index, dtype=object)
    return out


def undecoded_reason(name: str, value: bytes) -> str:
    """The reason for a row whose ``name`` cell holds bytes no encoding read."""
    shown = repr(bytes(value[:_SHOWN_BYTES])) + ("…" if len(value) > _SHOWN_BYTES else "")
    return f"{name}: {shown} is bytes that read as neither UTF-8 nor GB18030 (GBK) text, not a value"
