"""Timestamps as Chinese government systems write them, to UTC nanoseconds.

Everything here is vectorised. A column of strings goes through up to four
passes, each over what the one before could not read:

0. The fixed-width layouts (``2024-05-06 09:00:00``, ``2024/05/06 09:00``,
   ``2024-05-06``) read straight from the column's bytes (``io.civil``). Most
   logs never leave this pass, and it only accepts: anything odd goes on.
1. Arrow's own ISO 8601 cast, block by block. It is strict (no Feb 30, no
   hour 24) and fast.
2. Arrow's strptime for the usual other shapes (``2024/5/6 9:00``,
   ``2024年5月6日``, unpadded dashes), grouped by separator and colon count;
   results where the C library may have rolled an invalid date over are
   passed on.
3. One RE2 pattern takes the date and time fields of every form we know (ISO
   with ``T`` and an offset, ``20240506``, ``20240506093000``, ``9时30分``, ``下午3:00`` …) and the
   instant is computed with integer arithmetic, the calendar checked explicitly
   (``io.time_pattern``). Plain numbers in a plausible range are Excel serial dates.

Only object columns (Excel cells, dict records) are handled value by value,
and then over their DISTINCT values, never per row.

A value without an offset is Asia/Shanghai local time, a fixed +08:00 (C5).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import BilingualError
from ..timeutil import OFFSET_NS
from .civil import (
    MAX_YEAR,
    MIN_YEAR,
    NA_NS,
    NS_PER_DAY,
    NS_PER_SECOND,
    days_from_civil,
    parse_fixed,
    valid_date,
)
from .text import fold_width, lengths, string_chunks, unwrap_formulas
from .time_pattern import parse_fields

_INT64 = np.iinfo(np.int64)  # a time must fit a 64-bit count of ns

# Excel serial day numbers accepted as dates: 1970-01-01 .. 2100-01-01. Anything else
# that is a bare number is more likely an id or an amount than a date.
EXCEL_EPOCH_SERIAL = 25569  # serial number of 1970-01-01 (Excel counts from 1899-12-30)
MIN_SERIAL, MAX_SERIAL = 25569.0, 73051.0

PLAIN_NUMBER = r"^\d+(\.\d+)?$"  # text io.times reads as a serial date

_WINDOW_NS = (
    int((dt.date(MIN_YEAR, 1, 1) - dt.date(1970, 1, 1)).days) * NS_PER_DAY,
    int((dt.date(MAX_YEAR + 1, 1, 1) - dt.date(1970, 1, 1)).days) * NS_PER_DAY,
)
_SAMPLE, _BLOCK = 1_000, 1 << 16
_HOUR_ONLY_BYTES = len("2024-05-06 09")  # a date and an hour, no minutes: Arrow's ISO cast takes it


def parse_times(values: Any) -> tuple[np.ndarray, np.ndarray]:
    """Parse a column of times to UTC nanoseconds.

    ``values`` is a pandas Series, a numpy array, a pyarrow array or a list.
    Returns ``(ns, bad)``: ``ns`` is int64 with ``NA_NS`` where there is no
    time; ``bad`` is True where a value is present but cannot be read.
    Missing values (None, NaN, NaT, empty or blank strings) are ``NA_NS`` and not bad.
    """
    text = string_chunks(values)
    if text is not None:
        return _parse_strings(text)
    if isinstance(values, pa.ChunkedArray | pa.Array):
        values = values.to_pandas()
    series = values if isinstance(values, pd.Series) else pd.Series(values, dtype=_guess_dtype(values))
    dtype = series.dtype
    if isinstance(dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_dtype(dtype):
        return _parse_datetimes(series)
    if pd.api.types.is_bool_dtype(dtype):
        missing = series.isna().to_numpy()
        return np.full(len(series), NA_NS, dtype=np.int64), ~missing
    if pd.api.types.is_numeric_dtype(dtype):
        return _parse_numbers(series.to_numpy(dtype=np.float64, na_value=np.nan))
    return _parse_objects(series)


def parse_time(value: Any) -> int | None:
    """One value to UTC nanoseconds (None if missing); ValueError if unreadable."""
    ns, bad = parse_times(pd.Series([value], dtype=object))
    if bad[0]:
        # a ValueError as before; its Chinese text for the verbs and platforms that say errors in Chinese
        raise BilingualError(f"cannot read {value!r} as a time", zh=f"无法将{value!r}识别为时间")
    return None if ns[0] == NA_NS else int(ns[0])


def _guess_dtype(values: Any) -> Any:
    # numpy arrays keep their dtype; plain lists stay objects so mixed cells survive
    return values.dtype if isinstance(values, np.ndarray) else object


def _clean_text(arr: pa.Array | pa.ChunkedArray) -> pa.Array:
    """Trimmed strings with blanks as nulls, one chunk; Excel's ``="2024-05-06 09:30"`` is its text
    (``text.formula_text``). Only cells the fixed-width pass did not read come here: no cost to the rest."""
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    arr = unwrap_formulas(pc.utf8_trim_whitespace(arr))
    return pc.if_else(pc.equal(arr, ""), pa.scalar(None, arr.type), arr)


def _parse_strings(arr: pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray]:
    """Text cells as read (large_string, not trimmed): the fixed layouts first, the rest by _parse_text."""
    if arr.num_chunks != 1:
        arr = pa.chunked_array([arr.combine_chunks()], arr.type)  # numpy passes over one buffer
    if not len(arr):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=bool)
    out, done = parse_fixed(arr.chunk(0))
    rest = ~done & (lengths(arr.chunk(0)) > 0)  # an empty cell is missing
    out[~done] = NA_NS
    bad = np.zeros(len(arr), dtype=bool)
    if rest.any():
        idx = np.flatnonzero(rest)
        out[idx], bad[idx] = _parse_text(_clean_text(arr.take(pa.array(idx))))
    return out, bad


def _parse_datetimes(series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    try:
        if isinstance(series.dtype, pd.DatetimeTZDtype):
            ns = series.dt.tz_convert("UTC").dt.tz_localize(None).astype("datetime64[ns]")
            shift = 0
        else:
            ns = series.astype("datetime64[ns]")
            shift = OFFSET_NS  # naive = local wall time (C5)
    except pd.errors.OutOfBoundsDatetime:  # a datetime(1, 1, 1) or year 9999 among them: value by value
        return _parse_objects(series.astype(object))
    out = ns.to_numpy().view(np.int64).copy()
    present = out != NA_NS
    # within 8 hours of the ns range's start (pd.Timestamp.min as a "no date" mark) local time has no UTC ns
    bad = present & (out <= _INT64.min + shift)
    out[present & ~bad] -= shift
    out[bad] = NA_NS
    return out, bad


def _parse_numbers(numbers: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Numeric cells: yyyymmdd (with HHMM or HHMMSS) integers or Excel serial dates."""
    out = np.full(len(numbers), NA_NS, dtype=np.int64)
    present = ~np.isnan(numbers)
    bad = present.copy()
    whole = present & (numbers == np.floor(np.where(present, numbers, 0)))
    for scale in (1, 10**4, 10**6):  # yyyymmdd, and with HHMM or HHMMSS as Java exports write them
        rows = whole & (numbers >= (MIN_YEAR * 10_000 + 101) * scale) & (numbers < (MAX_YEAR * 10_000 + 1232) * scale)
        if rows.any():
            _read_date_numbers(numbers, rows, scale, out, bad)
    serial = present & (numbers >= MIN_SERIAL) & (numbers <= MAX_SERIAL)
    if serial.any():
        # Excel keeps time as a fraction of a day and shows it to the nearest second: a serial written
        # with 5 decimals, as exports and CSV copies keep it (45413.39583), is 09:30:00 to the officer;
        # to the millisecond it was 09:29:59.712, before a request logged at 09:30:00 as text
        seconds = np.rint((numbers[serial] - EXCEL_EPOCH_SERIAL) * 86_400).astype(np.int64)
        out[serial] = seconds * NS_PER_SECOND - OFFSET_NS
        bad[serial] = False
    return out, bad


def _read_date_numbers(numbers: np.ndarray, rows: np.ndarray, scale: int, out: np.ndarray, bad: np.ndarray) -> None:
    """Whole numbers that are a date, and a clock in digits after it (``scale`` 1: none, 10**4: HHMM,
    10**6: HHMMSS), into ``out``; the ones read are no longer ``bad``."""
    digits = numbers[rows].astype(np.int64)
    date, clock = digits // scale, digits % scale
    y, mo, d = date // 10_000, date // 100 % 100, date % 100
    if scale == 10**6:
        h, mi, s = clock // 10_000, clock // 100 % 100, clock % 100
    else:  # HHMM, or no clock at all (every field 0)
        h, mi, s = clock // 100, clock % 100, np.zeros_like(clock)
    ok = valid_date(y, mo, d) & (h < 24) & (mi < 60) & (s < 60)
    idx = np.flatnonzero(rows)[ok]
    seconds = (h[ok] * 60 + mi[ok]) * 60 + s[ok]
    out[idx] = days_from_civil(y[ok], mo[ok], d[ok]) * NS_PER_DAY + seconds * NS_PER_SECOND - OFFSET_NS
    bad[idx] = False


def _parse_text(arr: pa.Array, wide_folded: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Trimmed strings (nulls for blanks) to (ns, bad)."""
    n = len(arr)
    present = pc.is_valid(arr).to_numpy(zero_copy_only=False)
    out = np.full(n, NA_NS, dtype=np.int64)
    if not present.any():
        return out, np.zeros(n, dtype=bool)
    done = _cast_iso(arr, out) & present
    if (done == present).all():
        return out, np.zeros(n, dtype=bool)
    # pass 2: the usual shapes through strptime, then the pattern for the rest
    present = present & ~done
    idx = np.flatnonzero(present)
    values = arr if idx.size == n else arr.take(pa.array(idx))
    ns, ok = _parse_by_shape(values)
    if not ok.all():
        redo = np.flatnonzero(~ok)
        ns[redo], ok[redo] = parse_fields(values.take(pa.array(redo)))
    out[idx[ok]] = ns[ok]
    bad = np.zeros(n, dtype=bool)
    bad[idx[~ok]] = True
    if bad.any():
        rest = np.flatnonzero(bad)
        ns2, ok2 = _parse_serial_text(arr.take(pa.array(rest)))
        out[rest[ok2]] = ns2[ok2]
        bad[rest[ok2]] = False
    if bad.any() and not wide_folded:  # typed in full width ("２０２４－０３－０５　０９：００"): once more, folded
        rest = np.flatnonzero(bad)
        unread = arr.take(pa.array(rest))
        folded = fold_width(pa.chunked_array([unread])).combine_chunks()
        if not folded.equals(unread):
            ns3, bad3 = _parse_text(folded, wide_folded=True)
            out[rest[~bad3]] = ns3[~bad3]
            bad[rest[~bad3]] = False
    return out, bad


def _cast_iso(arr: pa.Array, out: np.ndarray) -> np.ndarray:
    """Pass 1: Arrow's strict ISO cast (naive = local), block by block; True where it took.

    A failing cast still reads its whole input before it gives up, so a sample
    decides first whether the column is ISO at all, and blocks keep one odd
    value from costing the whole column.
    """
    ok = np.zeros(len(arr), dtype=bool)
    target = pa.timestamp("ns")
    try:
        pc.cast(arr.slice(0, _SAMPLE), target)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return ok
    for start in range(0, len(arr), _BLOCK):
        block = arr.slice(start, _BLOCK)
        try:
            stamps = pc.cast(block, target)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            continue  # pass 2 reads this block
        got = stamps.fill_null(0).to_numpy(zero_copy_only=False).view(np.int64)
        # the cast knows no year window; out-of-window years go to pass 2 to be refused. Nor does
        # it want minutes: "2024-05-06 09" (13 bytes) goes on too, and is refused there, whatever
        # the column's other values (the cast runs only when a sample of them is ISO)
        fine = pc.is_valid(stamps).to_numpy(zero_copy_only=False) & (got >= _WINDOW_NS[0]) & (
            got < _WINDOW_NS[1]
        ) & (pc.fill_null(pc.binary_length(block), 0).to_numpy(zero_copy_only=False) != _HOUR_ONLY_BYTES)
        ok[start:start + len(got)] = fine
        out[start:start + len(got)][fine] = got[fine] - OFFSET_NS
    return ok


def _parse_by_shape(values: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Slash, dash and 年月日 dates with 0-2 colons, through Arrow's strptime.

    strptime is many times faster than field extraction, but the C library's
    version rolls 30 February over into March and second 60 into the next
    minute. So every result whose day is 1-3 or whose second is 0-1 (where an
    overflow would land) is left for the strict pattern pass to decide.
    """
    n = len(values)
    ns = np.zeros(n, dtype=np.int64)
    ok = np.zeros(n, dtype=bool)
    colons = pc.count_substring(values, ":").to_numpy(zero_copy_only=False)
    date_kind = np.where(
        pc.match_substring(values, "/").to_numpy(zero_copy_only=False), 0,
        np.where(pc.match_substring(values, "年").to_numpy(zero_copy_only=False), 2, 1),
    )
    for kind, date_format in enumerate(("%Y/%m/%d", "%Y-%m-%d", "%Y年%m月%d日")):
        for count, time_format in enumerate(("", " %H:%M", " %H:%M:%S")):
            chosen = np.flatnonzero((date_kind == kind) & (colons == count))
            if not chosen.size:
                continue
            subset = values if chosen.size == n else values.take(pa.array(chosen))
            stamps = pc.strptime(subset, format=date_format + time_format, unit="s", error_is_null=True)
            parsed = pc.is_valid(stamps).to_numpy(zero_copy_only=False)
            suspect = pc.less_equal(pc.day(stamps), 3)
            if count == 2:
                suspect = pc.or_(suspect, pc.less_equal(pc.second(stamps), 1))
            years = pc.year(stamps)
            outside = pc.or_(pc.less(years, MIN_YEAR), pc.greater(years, MAX_YEAR))
            suspect = pc.fill_null(pc.or_(suspect, outside), True).to_numpy(zero_copy_only=False)
            good = parsed & ~suspect
            seconds = pc.cast(stamps, pa.int64()).fill_null(0).to_numpy(zero_copy_only=False)
            ns[chosen[good]] = seconds[good] * NS_PER_SECOND - OFFSET_NS
            ok[chosen[good]] = True
    return ns, ok


def _parse_serial_text(values: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Plain numbers written as text ('45418.375') as Excel serial dates."""
    ok = pc.match_substring_regex(values, PLAIN_NUMBER).to_numpy(zero_copy_only=False)
    ns = np.zeros(len(values), dtype=np.int64)
    if ok.any():
        idx = np.flatnonzero(ok)
        numbers = pc.cast(values.take(pa.array(idx)), pa.float64()).to_numpy(zero_copy_only=False)
        # an 8-digit text is yyyymmdd and was handled by the pattern; here only serials
        got, bad = _parse_numbers(np.where(numbers >= MIN_YEAR * 10_000, np.nan, numbers))
        good = ~bad & (got != NA_NS)
        ns[idx[good]] = got[good]
        ok[idx[~good]] = False
    return ns, ok


def _parse_objects(series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Mixed cells (str, datetime, date, number): parse each DISTINCT value once."""
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    uniq_ns = np.full(len(uniques), NA_NS, dtype=np.int64)
    uniq_bad = np.zeros(len(uniques), dtype=bool)
    text_pos: list[int] = []
    text_vals: list[str] = []
    for i, value in enumerate(uniques):
        if isinstance(value, str):
            text_pos.append(i)
            text_vals.append(value)
        else:
            got = _scalar_ns(value)
            if got is None:
                uniq_bad[i] = True
            else:
                uniq_ns[i] = got
    if text_pos:
        ns, bad = _parse_text(_clean_text(pa.array(text_vals, pa.string())))
        uniq_ns[text_pos] = ns
        uniq_bad[text_pos] = bad
    out = np.full(len(series), NA_NS, dtype=np.int64)
    bad_out = np.zeros(len(series), dtype=bool)
    has = codes >= 0
    out[has] = uniq_ns[codes[has]]
    bad_out[has] = uniq_bad[codes[has]]
    return out, bad_out


def _scalar_ns(value: Any) -> int | None:
    """A non-string cell to UTC ns, or None if it is not a time (or one no 64-bit ns count holds:
    ``datetime(1, 1, 1)``, ``pd.Timestamp.min`` as a "no date" mark, which crashed the whole read)."""
    try:
        ns = _scalar_ns_unchecked(value)
    except (OverflowError, pd.errors.OutOfBoundsDatetime):
        return None
    return ns if ns is None or _INT64.min < ns <= _INT64.max else None


def _scalar_ns_unchecked(value: Any) -> int | None:
    if isinstance(value, bool | np.bool_):
        return None
    if isinstance(value, dt.datetime | np.datetime64 | pd.Timestamp):
        stamp = pd.Timestamp(value)
        if stamp is pd.NaT:
            return None
        if stamp.tzinfo is None:
            return int(stamp.as_unit("ns").value) - OFFSET_NS
        return int(stamp.tz_convert("UTC").as_unit("ns").value)
    if isinstance(value, dt.date):
        return (value - dt.date(1970, 1, 1)).days * NS_PER_DAY - OFFSET_NS
    if isinstance(value, int | float | np.integer | np.floating):
        ns, bad = _parse_numbers(np.array([float(value)]))
        return None if bad[0] or ns[0] == NA_NS else int(ns[0])
    return None
