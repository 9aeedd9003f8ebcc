"""Column-wise helpers for ``check --format csv`` (``tables.spreadsheet_csv``).

``formula_risky``: which cells begin with a character a spreadsheet reads as a formula, as
``Series.str.startswith`` says it, without a Python call per cell where Arrow can say it.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

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
