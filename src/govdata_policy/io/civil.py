"""Civil dates to day numbers, and the common fixed-width timestamps read straight from bytes.

Most exports write every time the same way, ``2024-05-06 09:00:00``. Such a
cell is 19 bytes with its digits in fixed places, so a whole column of them is
a (rows x 19) byte matrix, read with integer arithmetic in a few numpy passes
over blocks that stay in the cache (a column with nothing else in it straight
from its Arrow buffer).
Whatever is not exactly one of the layouts below, or is not a real date and
time, is left for the general passes of ``io.times``, which also decide what is
unreadable: this pass only ever accepts.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from ..timeutil import OFFSET_NS
from .text import buffers, valid_mask

# Marks a missing value in the returned nanoseconds; int64 min is pandas' NaT too.
NA_NS = np.iinfo(np.int64).min
NS_PER_SECOND = 10**9
NS_PER_DAY = 86_400 * NS_PER_SECOND
# Years outside this window are typing errors, not events (and int64 ns ends in 2262).
MIN_YEAR, MAX_YEAR = 1900, 2199
_DAYS_IN_MONTH = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)

# Layouts read here, by length: YYYY-MM-DD, YYYY-MM-DD HH:MM, YYYY-MM-DD HH:MM:SS, with '-'
# or '/' between the date's parts and ' ' or 'T' before the time; all local (+08:00).
_LENGTHS = (19, 16, 10)
# where the digits of each field are
_SECTIONS = {"y": (0, 4), "mo": (5, 7), "d": (8, 10), "h": (11, 13), "mi": (14, 16), "s": (17, 19)}
_DASH, _SLASH, _SPACE, _T, _COLON, _ZERO = (ord(c) for c in "-/ T:0")
_BLOCK = 1 << 15


def valid_date(y: np.ndarray, mo: np.ndarray, d: np.ndarray) -> np.ndarray:
    month_ok = (mo >= 1) & (mo <= 12)
    leap = (y % 4 == 0) & ((y % 100 != 0) | (y % 400 == 0))
    dim = _DAYS_IN_MONTH[np.clip(mo, 1, 12) - 1] + ((mo == 2) & leap)
    return (y >= MIN_YEAR) & (y <= MAX_YEAR) & month_ok & (d >= 1) & (d <= dim)


def days_from_civil(y: np.ndarray, mo: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm)."""
    y = np.asarray(y, dtype=np.int64) - (np.asarray(mo) <= 2)
    era = y // 400
    yoe = y - era * 400
    mp = (np.asarray(mo, dtype=np.int64) + 9) % 12
    doy = (153 * mp + 2) // 5 + np.asarray(d, dtype=np.int64) - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146_097 + doe - 719_468


def parse_fixed(arr: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(UTC ns, ok) of a large_string array; ok only where a cell is one of the fixed layouts.

    Cells are taken as they are (not trimmed): one with blanks around it is not of
    a fixed length and goes to the general passes, like any other form.
    """
    n = len(arr)
    ns = np.zeros(n, dtype=np.int64)
    ok = np.zeros(n, dtype=bool)
    if not n:
        return ns, ok
    offsets, data = buffers(arr)
    sizes = np.diff(offsets)
    if arr.null_count:
        sizes[~valid_mask(arr)] = 0
    for width in _LENGTHS:
        rows = sizes == width
        if not rows.any():
            continue
        idx = None if rows.all() else np.flatnonzero(rows)
        count = n if idx is None else idx.size
        # blocks of rows small enough to stay in cache, their bytes one line per position
        for lo in range(0, count, _BLOCK):
            hi = min(lo + _BLOCK, count)
            if idx is None:  # the whole column in one layout: its bytes in place
                cells = data[offsets[lo]:offsets[hi]].reshape(hi - lo, width).T.copy()
            else:
                starts = offsets[idx[lo:hi]]
                cells = np.empty((width, hi - lo), dtype=np.uint8)
                for at in range(width):
                    np.take(data, starts + at, out=cells[at])
            got, good = _read_cells(cells, width)
            where = slice(lo, hi) if idx is None else idx[lo:hi]
            ns[where] = np.where(good, got, ns[where])
            ok[where] |= good
    return ns, ok


def _month_tables() -> tuple[np.ndarray, np.ndarray]:
    """Day number of the first of each month and its length, indexed (year - MIN_YEAR) * 13 + month."""
    years = np.repeat(np.arange(MIN_YEAR, MAX_YEAR + 1, dtype=np.int64), 13)
    months = np.tile(np.arange(13, dtype=np.int64), MAX_YEAR - MIN_YEAR + 1)
    real = months >= 1
    first = np.where(real, days_from_civil(years, np.maximum(months, 1), np.ones_like(years)), 0)
    leap = (years % 4 == 0) & ((years % 100 != 0) | (years % 400 == 0))
    length = np.where(real, _DAYS_IN_MONTH[np.maximum(months, 1) - 1] + ((months == 2) & leap), 0)
    return first.astype(np.int32), length.astype(np.uint8)


_MONTH_FIRST, _MONTH_LENGTH = _month_tables()
_YEARS = MAX_YEAR - MIN_YEAR + 1


def _read_cells(cells: np.ndarray, width: int) -> tuple[np.ndarray, np.ndarray]:
    """The cells of one layout (width x rows bytes) to (UTC ns, ok)."""
    sep = cells[4]
    good = (sep == cells[7]) & ((sep == _DASH) | (sep == _SLASH))
    if width > 10:
        good &= ((cells[10] == _SPACE) | (cells[10] == _T)) & (cells[13] == _COLON)
    if width > 16:
        good &= cells[16] == _COLON
    digits = cells - np.uint8(_ZERO)  # a non-digit wraps past 9
    places = [at for start, stop in _SECTIONS.values() for at in range(start, min(stop, width))]
    good &= (digits[places] <= 9).all(axis=0)

    def pair(at: int) -> np.ndarray:  # two digits, 0-99, in one byte
        return digits[at] * np.uint8(10) + digits[at + 1]

    year = pair(0).astype(np.int16) * np.int16(100) + pair(2) - np.int16(MIN_YEAR)
    month, day = pair(5), pair(8)
    good &= (year >= 0) & (year < _YEARS) & (month >= 1) & (month <= 12) & (day >= 1)
    at = np.where(good, year, 0).astype(np.int32) * 13 + np.where(good, month, 0)
    good &= day <= _MONTH_LENGTH[at]
    days = _MONTH_FIRST[at] + day - 1
    out = days.astype(np.int64) * NS_PER_DAY - OFFSET_NS
    if width > 10:
        hour, minute = pair(11), pair(14)
        good &= (hour < 24) & (minute < 60)
        seconds = hour.astype(np.int32) * 3600 + minute.astype(np.int32) * 60
        if width > 16:
            second = pair(17)
            good &= second < 60
            seconds += second
        out += seconds.astype(np.int64) * NS_PER_SECOND
    return out, good
