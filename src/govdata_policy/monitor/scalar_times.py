"""Times of one event, read as the batch reads them (``govdata_policy.io.times``), in pure Python.

The common shapes are settled here: "YYYY-MM-DD HH:MM[:SS]" (space or T,
optional +08:00) by three table lookups, and every form of the batch's own
time pattern (``io.time_pattern.TIME_PATTERN``: slashes, 年月日, ``20240506093000``, offsets, fractions) by
that same pattern. Whatever the pattern refuses or does not settle goes to the
batch reader itself (``io.times.parse_time``), so the verdict is always the
batch's. A time without offset is Beijing time (+08:00, C5).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ..io.civil import NS_PER_SECOND
from ..io.text import CONTAINERS, formula_text
from ..io.time_pattern import LOCAL_OFFSET_MINUTES, TIME_PATTERN, twenty_four_hour
from ..io.times import MAX_YEAR, MIN_YEAR, parse_time
from ..timeutil import NS_PER_DAY

_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()
# RE2 (the batch) reads \d and \s as ASCII; so must Python's re. RE2's \s is [\t\n\f\r ], without
# the vertical tab Python's takes: spelled out, so "2024-05-06 \x0b09:00" is refused on both sides
_TIME_RX = re.compile(TIME_PATTERN.replace(r"\s", r"[\t\n\f\r ]"), re.ASCII)
# the valid clock fields, as written, in ns: "HH:MM" into the day; what may follow it (nothing, ":SS",
# ":SS+08:00") into the minute
MINUTE_NS = {f"{h:02d}:{m:02d}": (h * 60 + m) * 60 * NS_PER_SECOND for h in range(24) for m in range(60)}
SECOND_NS = {"": 0, **{f":{s:02d}": s * NS_PER_SECOND for s in range(60)},
             **{f":{s:02d}+08:00": s * NS_PER_SECOND for s in range(60)}}


def _missing(value: Any) -> bool:
    """None, NaN, NaT, pd.NA: what pandas reads as a missing cell."""
    if value is None:
        return True
    if isinstance(value, str | bool | int):
        return False
    if isinstance(value, float):
        return value != value
    try:
        import pandas as pd

        return bool(pd.isna(value))
    except (TypeError, ValueError):  # lists and other containers are values, not NA
        return False


class TimeReader:
    """Reads time values; keeps the day of each date text it has checked.

    The common form, "YYYY-MM-DD HH:MM[:SS]" (a space or T, optional
    +08:00), is read by three lookups: the date with its separator
    ("YYYY-MM-DD ", checked once, then kept in ``heads`` with its day and the
    start of that local day in UTC ns), "HH:MM" and what follows (tables of
    the valid ones, in ns), so no int() and no per-character checks.
    """

    def __init__(self) -> None:
        self._date_days: dict[tuple[int, int, int], int] = {}
        self._iso_days: dict[str, int] = {}
        self.heads: dict[str, tuple[int, int]] = {}

    def _day_of(self, y: int, mo: int, d: int) -> int | None:
        key = (y, mo, d)
        day = self._date_days.get(key)
        if day is None:
            if not (MIN_YEAR <= y <= MAX_YEAR):
                return None
            try:
                day = dt.date(y, mo, d).toordinal() - _EPOCH_ORDINAL
            except ValueError:
                return None
            if len(self._date_days) < 200_000:
                self._date_days[key] = day
        return day

    def fast_time(self, text: str) -> int | None:
        """UTC ns of "YYYY-MM-DD HH:MM[:SS]" (or T, or +08:00), local time; None for any other form."""
        head = self.heads.get(text[:11])
        if head is None:
            head = self._head(text[:11])
            if head is None:
                return None
        minute = MINUTE_NS.get(text[11:16])
        second = SECOND_NS.get(text[16:])
        if minute is None or second is None:
            return None
        return head[1] + minute + second

    def _head(self, head: str) -> tuple[int, int] | None:
        """(day, start of that local day in UTC ns) of "YYYY-MM-DD " or "YYYY-MM-DDT"; None if not one."""
        if len(head) != 11 or head[10] not in " T":
            return None
        day = self._iso_days.get(head[:10])
        if day is None:
            day = self._iso_day(head[:10])
            if day is None:
                return None
        found = (day, (day * 86_400 - LOCAL_OFFSET_MINUTES * 60) * NS_PER_SECOND)
        if len(self.heads) < 200_000:
            self.heads[head] = found
        return found

    def _iso_day(self, date: str) -> int | None:
        """Day number of a "YYYY-MM-DD" text, checked (ASCII digits, a real date, the years the batch reads)."""
        if date[4] != "-" or date[7] != "-" or not date.isascii() or not (date[:4] + date[5:7] + date[8:]).isdigit():
            return None
        day = self._day_of(int(date[:4]), int(date[5:7]), int(date[8:]))
        if day is not None and len(self._iso_days) < 200_000:
            self._iso_days[date] = day
        return day

    def text_time(self, text: str) -> int | None:
        """UTC ns of a stripped, non-empty time text; None if it cannot be read."""
        m = _TIME_RX.fullmatch(text)
        if m is None:
            return _batch_time(text)
        y, mo, d, mo8, d8, h, mi, s, f, tz = m.group("y", "mo", "d", "mo8", "d8", "h", "mi", "s", "f", "tz")
        hc, mic, sc, fc = m.group("hc", "mic", "sc", "fc")
        if hc:  # the clock in digits ("20240506T0930"): never a second clock with colons after it
            if h:
                return None
            h, mi, s, f = hc, mic, sc, fc
        day = self._day_of(int(y), int(mo or mo8), int(d or d8))
        hh, mm, ss = int(h or 0), int(mi or 0), int(s or 0)
        ap1, ap2 = m.group("ap1", "ap2")
        if ap1 or ap2:  # a 12-hour clock: "下午3:00", "3:00 PM"
            hour = None if ap1 and ap2 else twenty_four_hour(hh, ap1 or ap2)
            if hour is None:
                return None  # "上午13:00" contradicts itself, "下午3:00 PM" has a mark too many: as the batch
            hh = hour
        if day is None or hh >= 24 or mm >= 60 or ss >= 60:
            # what the pattern refuses, Arrow's ISO pass may still take: ask the batch reader
            return _batch_time(text)
        local = day * NS_PER_DAY + ((hh * 60 + mm) * 60 + ss) * NS_PER_SECOND
        if f:
            local += int(f.ljust(9, "0"))
        if not tz:
            return local - LOCAL_OFFSET_MINUTES * 60 * NS_PER_SECOND
        offset = _offset_minutes(tz)
        if offset is None:  # "+25:00" is no offset: the batch refuses it
            return None
        return local - offset * 60 * NS_PER_SECOND

    def time_value(self, value: Any) -> tuple[int | None, bool]:
        """(ns, bad) of one cell, as ``io.times.parse_times`` reads it."""
        if isinstance(value, str):
            text = formula_text(value.strip())  # Excel's ="2024-05-06 09:30", as io.times reads it
            if not text:
                return None, False
            ns = self.text_time(text)
            return ns, ns is None
        if _missing(value):
            return None, False
        if isinstance(value, CONTAINERS):
            return None, True  # as the batch: a list or object is no time
        try:
            ns = parse_time(value)
        except ValueError:
            return None, True
        return ns, ns is None


def _batch_time(text: str) -> int | None:
    """The batch reader itself, for the rare forms the fast pattern does not settle
    (Arrow's ISO variants, yyyymmdd numbers, Excel serials): about a millisecond."""
    try:
        return parse_time(text)
    except ValueError:
        return None


def _offset_minutes(tz: str) -> int | None:
    """'Z', '+08:00', '+0800', '+08' to minutes east of UTC (as io.times reads them); None for
    what is no offset (more than 14 hours, minutes from 60)."""
    text = tz.upper().replace(":", "")
    if text == "Z":
        return 0
    text = text.ljust(5, "0")
    sign = -1 if text.startswith("-") else 1
    hours, minutes = int(text[1:3]), int(text[3:5])
    if minutes >= 60 or hours * 60 + minutes > 14 * 60:
        return None
    return sign * (hours * 60 + minutes)
