"""Time on the engine's terms: UTC nanoseconds and local day numbers.

China has kept one offset, +08:00, since 1991 (no daylight saving), so a local
calendar day is plain integer arithmetic on UTC time: the engine never needs a
time-zone database in its hot path. A *day number* is the count of local days
since 1970-01-01 (Asia/Shanghai). Every deadline is decided on day numbers:
a due "day" ends at 23:59:59 local (CLAUSES.md C2), and an act on that day is
on time.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from .errors import BilingualError

LOCAL_OFFSET = dt.timedelta(hours=8)
LOCAL_TZ = dt.timezone(LOCAL_OFFSET, "Asia/Shanghai")
NS_PER_DAY = 86_400 * 10**9
OFFSET_NS = 8 * 3600 * 10**9
EPOCH = dt.date(1970, 1, 1)
# end of a local day, 23:59:59, as nanoseconds after its start
END_OF_DAY_NS = NS_PER_DAY - 10**9


def day_number(value: dt.date) -> int:
    """Day number of a calendar date."""
    return (value - EPOCH).days


def date_of(day: int) -> dt.date:
    return EPOCH + dt.timedelta(days=int(day))


_TEXT_READER: Any = None  # monitor.scalar_times.TimeReader, made on first use (it keeps the dates it read)


def to_timestamp(value: object) -> pd.Timestamp:
    """Any date/datetime/string to an aware Timestamp; naive values are local time (C5).

    Text is read by the event reader (``io.times``), as a log's ``time`` cell and ``as_of`` are: pandas'
    own guess took "01/02/2024" for 2 January (month first) where the reader refuses it as ambiguous.
    """
    if isinstance(value, str):
        # the monitor's reader of one cell: the batch's reading in pure Python, a few µs (io.times'
        # parse_time builds an Arrow column per call). Imported when first needed: io imports this module
        from .monitor.scalar_times import TimeReader

        global _TEXT_READER
        if _TEXT_READER is None:
            _TEXT_READER = TimeReader()
        text = value.strip()
        ns = _TEXT_READER.text_time(text) if text else None
        if ns is None:
            raise BilingualError(f"cannot read {value!r} as a time", zh=f"无法将{value!r}识别为时间")
        return pd.Timestamp(ns, tz="UTC").tz_convert(LOCAL_TZ)
    ts = pd.Timestamp(value)
    if ts is pd.NaT:
        raise BilingualError(f"not a time: {value!r}", zh=f"不是时间：{value!r}")
    if ts.tzinfo is None:
        ts = ts.tz_localize(LOCAL_TZ)
    return ts


def local_day_of(value: object) -> int:
    """Local day number of one moment (date, datetime, string or Timestamp)."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return day_number(value)
    ns = to_timestamp(value).value
    return (ns + OFFSET_NS) // NS_PER_DAY


def local_days(utc_ns: np.ndarray) -> np.ndarray:
    """Vectorised: UTC nanoseconds (int64) to local day numbers (int64)."""
    return (np.asarray(utc_ns, dtype=np.int64) + OFFSET_NS) // NS_PER_DAY


def end_of_day_ns(days: np.ndarray | int) -> np.ndarray | int:
    """UTC nanoseconds of 23:59:59 local on the given day numbers."""
    return np.asarray(days, dtype=np.int64) * NS_PER_DAY - OFFSET_NS + END_OF_DAY_NS


def end_of_day(day: int) -> pd.Timestamp:
    """23:59:59+08:00 of a day number, as an aware Timestamp."""
    return pd.Timestamp(int(end_of_day_ns(day)), tz="UTC").tz_convert(LOCAL_TZ)


def iso(ns: int | None) -> str | None:
    """ISO 8601 with +08:00 for UTC nanoseconds; None for missing."""
    if ns is None or pd.isna(ns):
        return None
    stamp = pd.Timestamp(int(ns), tz="UTC").tz_convert(LOCAL_TZ)
    return stamp.isoformat(timespec="seconds")
