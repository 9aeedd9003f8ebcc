"""Timestamps in, local day numbers out - and due days back to aware timestamps.

Works on the index's own resolution (pandas 3 parses strings to microseconds),
with exact integer floor division, so 23:59:59.999 never rounds into the next day.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..errors import BilingualError
from ..timeutil import LOCAL_TZ, end_of_day_ns, to_timestamp

_TICKS_PER_SECOND = {"s": 1, "ms": 10**3, "us": 10**6, "ns": 10**9}
_ARRAYS = (np.ndarray, pd.Series, pd.Index, list, tuple)


def is_array(value: Any) -> bool:
    return isinstance(value, _ARRAYS)


def to_datetime_index(values: Any) -> pd.DatetimeIndex:
    """Timestamps (array, Series, Index, list of dates/datetimes/strings) as a DatetimeIndex."""
    if isinstance(values, pd.DatetimeIndex):
        return values
    if isinstance(values, pd.Series) and values.dtype.kind == "M":
        return pd.DatetimeIndex(values)
    if isinstance(values, (pd.Series, pd.Index)) and isinstance(values.dtype, pd.StringDtype) and len(values):
        return _read_text(values)  # a string column as it is: the reader's fast path
    array = values.to_numpy() if isinstance(values, (pd.Series, pd.Index)) else np.asarray(values)
    if array.dtype.kind == "M":
        return pd.DatetimeIndex(array)
    if array.size == 0:  # np.asarray([]) is float64: not a reason to refuse
        return pd.DatetimeIndex([], dtype="datetime64[ns]")
    if array.dtype.kind in "iufb":
        raise TypeError("numbers are not timestamps; use wd_add/cd_add/is_work for day numbers")
    flat = array.ravel()
    if array.dtype.kind in "US" or any(isinstance(v, str) for v in flat):
        return _read_text(flat)
    try:
        index = pd.to_datetime(flat)
        if isinstance(index, pd.DatetimeIndex):
            return index
    except (ValueError, TypeError):
        pass
    # mixed offsets, or naive next to aware: one at a time, naive = local time (C5)
    ns = np.fromiter(
        (np.iinfo(np.int64).min if pd.isna(v) else to_timestamp(v).value for v in flat),
        dtype=np.int64,
        count=flat.size,
    )
    return pd.DatetimeIndex(ns.view("M8[ns]")).tz_localize("UTC")


def _read_text(flat: np.ndarray | pd.Series | pd.Index) -> pd.DatetimeIndex:
    """Text (beside dates or datetimes, perhaps) read by the event reader (io.times), as a log's time
    column is. pd.to_datetime guesses one layout from the first value: "01/02/2024" was 2 January
    alone and 1 February after "13/01/2024"; the reader refuses it. Naive = local time (C5)."""
    from ..io.times import parse_times

    if isinstance(flat, (pd.Series, pd.Index)):
        column = flat if isinstance(flat, pd.Series) else pd.Series(flat)
    else:  # text alone (blanks aside) as a string column, the reader's fast path; beside dates, cell by cell
        column = pd.Series(flat, dtype="str" if pd.api.types.infer_dtype(flat, skipna=True) == "string" else object)
    ns, bad = parse_times(column)
    if bad.any():
        value = column.iloc[int(np.flatnonzero(bad)[0])]
        shown = str(value) if isinstance(value, str) else repr(value)
        raise BilingualError(f"cannot read {shown} as a time", zh=f"无法将{shown}识别为时间")
    return pd.DatetimeIndex(np.asarray(ns, dtype=np.int64).view("M8[ns]")).tz_localize("UTC")


def local_days(values: Any) -> tuple[np.ndarray, np.ndarray]:
    """(local day numbers, NaT mask); NaT positions hold 0 in the day numbers."""
    index = to_datetime_index(values)
    ticks = _TICKS_PER_SECOND[index.unit]
    raw = index.asi8
    missing = np.asarray(index.isna())
    if index.tz is not None:
        # aware: asi8 is UTC; +08:00 everywhere since 1991, so a fixed shift is exact
        raw = raw + 8 * 3600 * ticks
    days = raw // (86_400 * ticks)
    if missing.any():
        days = np.where(missing, 0, days)
    return days.astype(np.int64, copy=False), missing


def due_times(days: np.ndarray, missing: np.ndarray | None = None) -> pd.DatetimeIndex:
    """23:59:59+08:00 of each day number, NaT where ``missing``."""
    ns = np.asarray(end_of_day_ns(days), dtype=np.int64)
    if missing is not None and missing.any():
        ns = np.where(missing, np.iinfo(np.int64).min, ns)
    return pd.DatetimeIndex(ns.view("M8[ns]")).tz_localize("UTC").tz_convert(LOCAL_TZ)


def like(values: Any, result: Any) -> Any:
    """Give a Series back for a Series (same index and name); arrays otherwise."""
    if isinstance(values, pd.Series):
        data = result if isinstance(result, pd.DatetimeIndex) else np.asarray(result)
        return pd.Series(data, index=values.index, name=values.name)
    return result
