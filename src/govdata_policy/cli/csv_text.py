"""Column-wise helpers for ``check --format csv`` (``tables.spreadsheet_csv``).

``formula_risky``: which cells begin with a character a spreadsheet reads as a formula, as
``Series.str.startswith`` says it, without a Python call per cell where Arrow can say it.
``frame_csv``: ``DataFrame.to_csv(index=False)``'s text, written by Arrow column by column, but for a cell
holding a carriage return, which is quoted (``to_csv`` left it bare: ``QUOTED``).
"""

from __future__ import annotations

import csv
import io
import os
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..io.text import buffers

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def arrow_of(values: pd.Series) -> pa.Array | None:
    """The column as Arrow infers it (missing values null), or None where Arrow cannot take it
    as it is (mixed types, a lone surrogate, a value of no Arrow type)."""
    try:
        array = pa.array(values.to_numpy(dtype=object) if values.dtype == object else values, from_pandas=True)
    except (pa.ArrowException, TypeError, ValueError, OverflowError, UnicodeError):
        return None
    return array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array


def is_text(array: pa.Array) -> bool:
    return pa.types.is_string(array.type) or pa.types.is_large_string(array.type)


def _textless(array: pa.Array) -> bool:
    """A column Arrow read as numbers, lists of numbers or nothing at all holds no text to start a formula:
    ``.str.startswith`` says False of each of its values (NaN for a list, na=False), or refuses the column."""
    kind = array.type
    if pa.types.is_list(kind) or pa.types.is_large_list(kind):
        kind = kind.value_type
    return pa.types.is_null(kind) or pa.types.is_integer(kind)


def formula_risky(values: pd.Series) -> np.ndarray | None:
    """Boolean per cell: a text value beginning with one of ``FORMULA_STARTS``; None where the column
    holds no text (``.str`` refuses it). The same as ``values.str.startswith(FORMULA_STARTS, na=False)``:
    its per-cell Python call cost ~1.3 s on the obligations of a 1M-event log (times and evidence lists)."""
    array = arrow_of(values) if values.dtype == object or isinstance(values.dtype, pd.StringDtype) else None
    if array is not None and is_text(array):
        risky: Any = pc.starts_with(array, FORMULA_STARTS[0])
        for start in FORMULA_STARTS[1:]:
            risky = pc.or_(risky, pc.starts_with(array, start))
        return pc.fill_null(risky, False).to_numpy(zero_copy_only=False).astype(bool)
    if array is not None and _textless(array):
        return np.zeros(len(values), dtype=bool)
    try:  # anything else (bytes, text mixed with other values): as it always was
        return values.str.startswith(FORMULA_STARTS, na=False).astype(bool).to_numpy()
    except AttributeError:
        return None


def _quoting() -> tuple[str, ...]:
    """The characters that make pandas' ``to_csv`` (Python's csv writer, QUOTE_MINIMAL, lines ending
    in ``os.linesep``) quote a cell, asked of the csv module itself, and a carriage return always: Python
    3.11's writer leaves a lone CR bare when lines end in ``\\n``, and Python's csv reader, pandas and
    Excel all end the row there (a party ``a\\rb`` split its finding in two, the columns after it shifted)."""
    quoted = ["\r"]
    for char in ',"\n\r' + os.linesep:
        sink = io.StringIO()
        csv.writer(sink, lineterminator=os.linesep).writerow([f"a{char}b", "c"])
        if sink.getvalue().startswith('"') and char not in quoted:
            quoted.append(char)
    return tuple(quoted)


QUOTED = _quoting()
_QUOTED_PATTERN = "[" + "".join(f"\\x{{{ord(char):02X}}}" for char in QUOTED) + "]"  # RE2: [\x{2C}\x{22}...]


def _text(value: str) -> pa.Scalar:
    return pa.scalar(value, pa.large_string())


_QUOTE = _text('"')


def _cells(values: pd.Series) -> pa.Array | None:
    """A column's cells as the text ``to_csv`` writes before quoting ("" where missing, ``str`` of any
    other object, an integer's digits); None for a column whose text Arrow would write otherwise
    (floats, booleans, times: ``to_csv`` writes the frame)."""
    kind = values.dtype
    if pd.api.types.is_object_dtype(kind) or isinstance(kind, pd.StringDtype):
        # not asked of Arrow unless text: lists of evidence rows (0.2 s for 350k) are written as str() writes them
        text = pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty")
        array = arrow_of(values) if text else None
        if array is None or not is_text(array):
            objects = values.to_numpy(dtype=object)
            missing = pd.isna(objects)
            texts = np.full(len(objects), "", dtype=object)
            texts[~missing] = list(map(str, objects[~missing]))
            array = arrow_of(pd.Series(texts, dtype=object))
            if array is None or not is_text(array):
                return None
    elif pd.api.types.is_integer_dtype(kind):
        array = arrow_of(values)
        if array is None or not pa.types.is_integer(array.type):
            return None
    else:
        return None
    return pc.fill_null(array.cast(pa.large_string()), "")


CHUNK_ROWS = 1 << 16  # rows made into text at a time: the Arrow arrays of one chunk alive, not of the table


def frame_csv(frame: pd.DataFrame) -> str:
    """``frame.to_csv(index=False)``, the same text, made column by column in Arrow: pandas' writer took
    ~6 s for the two tables of a 1M-event log (a Python object and csv call per cell). A frame of
    columns Arrow is not sure to write alike (one column, no rows, floats, times) goes to ``to_csv``."""
    if len(frame) == 0 or len(frame.columns) < 2 or not all(isinstance(name, str) for name in frame.columns):
        return to_csv(frame)
    parts = [frame.iloc[:0].to_csv(index=False)]  # the header, as pandas quotes it
    for start in range(0, len(frame), CHUNK_ROWS):
        part = _rows_text(frame.iloc[start:start + CHUNK_ROWS])
        if part is None:
            return to_csv(frame)
        parts.append(part)
    return "".join(parts)


def to_csv(frame: pd.DataFrame) -> str:
    """``frame.to_csv(index=False)`` with its cells that hold a carriage return quoted (``QUOTED``)."""
    text = frame.to_csv(index=False)
    if "\r" not in text or "\r" in os.linesep:
        return text
    # written with CRLF line ends, which the csv module quotes every CR and LF for, the cells read back
    # are the very texts to_csv writes; then joined again with this file's line end
    records = csv.reader(io.StringIO(frame.to_csv(index=False, lineterminator="\r\n"), newline=""))
    return "".join(",".join(_quoted(cell, len(record)) for cell in record) + os.linesep for record in records)


def _quoted(cell: str, cells: int) -> str:
    """A cell as the csv module writes it (QUOTE_MINIMAL: a lone empty cell too), ``QUOTED`` quoted."""
    if (cells == 1 and cell == "") or any(char in cell for char in QUOTED):
        return '"' + cell.replace('"', '""') + '"'
    return cell


def _rows_text(frame: pd.DataFrame) -> str | None:
    columns = []
    for name in frame.columns:
        cells = _cells(frame[name])
        if cells is None:
            return None
        if _any_byte(cells, QUOTED):  # a few cells (a message with a comma): quoted, their quotes doubled
            need = pc.match_substring_regex(cells, _QUOTED_PATTERN)
            quoted = pc.binary_join_element_wise(_QUOTE, pc.replace_substring(cells, '"', '""'), _QUOTE, _text(""))
            cells = pc.if_else(need, quoted, cells)
        columns.append(cells)
    joined = pc.binary_join_element_wise(*columns, _text(","))
    del columns
    lines = pc.binary_join_element_wise(joined, _text(os.linesep), _text(""))
    return str(_data(lines), "utf-8")  # decoded from Arrow's buffer, not copied to bytes first


def _data(text: pa.Array) -> np.ndarray:
    """The UTF-8 bytes of a large_string array's values, one after another (no copy)."""
    offsets, data = buffers(text)
    return data[int(offsets[0]):int(offsets[-1])]


def _any_byte(text: pa.Array, chars: tuple[str, ...]) -> bool:
    """Does any value hold one of ``chars`` (ASCII: in UTF-8 no other character has their bytes)?
    A scan of the bytes, ~10 times faster than a regular expression per value."""
    data = _data(text)
    return any(bool((data == ord(char)).any()) for char in chars)
