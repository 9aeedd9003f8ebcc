"""The span the calendar covers, and range checks on day numbers.

2004 is the first year both national sources (``holidays`` and the independent
``chinese_calendar``) agree on; 2035 leaves room for long retention periods while
keeping the precomputed arrays small (about 11,700 days).
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from ..timeutil import date_of, day_number
from .errors import CalendarRangeError

FIRST_YEAR = 2004
LAST_YEAR = 2035
FIRST_DATE = dt.date(FIRST_YEAR, 1, 1)
LAST_DATE = dt.date(LAST_YEAR, 12, 31)
FIRST_DAY = day_number(FIRST_DATE)
LAST_DAY = day_number(LAST_DATE)
SPAN = f"{FIRST_DATE.isoformat()} .. {LAST_DATE.isoformat()}"


def describe_day(day: int) -> str:
    """A day number as a date when it is one, else as the number (e.g. NaT's sentinel)."""
    try:
        return date_of(day).isoformat()
    except (OverflowError, ValueError):
        return f"day number {day}"


# the span as the Chinese messages give it (as_of's own, engine/evaluate.py, says it so)
SPAN_ZH = f"{FIRST_DATE.isoformat()}至{LAST_DATE.isoformat()}"
WHAT_ZH = {"day": "日期", "due day": "到期日"}  # check_days' ``what``, as the Chinese text names it


def check_days(days: np.ndarray, what: str = "day") -> np.ndarray:
    """Indexes into the precomputed arrays; raises naming the first day out of range."""
    index = days - FIRST_DAY
    if index.size and (index.min() < 0 or index.max() > LAST_DAY - FIRST_DAY):
        bad = days[(days < FIRST_DAY) | (days > LAST_DAY)].flat[0]
        day = describe_day(int(bad))
        raise CalendarRangeError(
            f"{what} {day} is outside the working-day calendar ({SPAN})",
            zh=f"{WHAT_ZH.get(what, '日期')}{day}在工作日历（{SPAN_ZH}）之外",
        )
    return index


def check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise CalendarRangeError(
            f"year {year} is outside the working-day calendar ({FIRST_YEAR}..{LAST_YEAR})",
            zh=f"{year}年在工作日历（{FIRST_YEAR}至{LAST_YEAR}年）之外",
        )
