"""WorkingCalendar: working-day arithmetic by indexing precomputed arrays.

Three arrays over the day numbers of 2004-01-01 .. 2035-12-31 answer
everything without a Python loop per element:

* ``work_mask[i]`` - is day ``FIRST_DAY + i`` a working day;
* ``cum[i]``       - working days up to and including that day;
* ``workdays``     - the sorted day numbers of all working days.

Because ``workdays[k]`` is the (k+1)-th working day and ``cum[d]`` counts those
on or before ``d``, the n-th working day after ``d`` (C1/C2: the trigger day is
not counted) is ``workdays[cum[d] + n - 1]``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..options import integer
from ..timeutil import date_of, day_number, end_of_day, local_day_of
from .bounds import FIRST_DAY, LAST_DATE, LAST_DAY, SPAN, SPAN_ZH, check_days, check_year, describe_day
from .coverage import YearCoverage
from .errors import CalendarRangeError
from .timestamps import due_times, is_array, like, local_days

IntLike = int | np.integer | np.ndarray | Sequence[int]
UNIT_ZH = {"working": "工作", "calendar": "自然"}  # _beyond's unit: 工作日, 自然日
INTS_ZH = {"days": "日期", "n": "天数"}  # _ints' what: the deadline's --start and its count


def _ints(value: Any, what: str) -> tuple[np.ndarray, bool]:
    array = np.asarray(value)
    if array.dtype == object and all(isinstance(v, int) and not isinstance(v, bool) for v in array.flat):
        # a Python int past int64 (10**30 days): numpy keeps it as an object, which is no wrong type
        raise CalendarRangeError(f"{what} {value} is too large for the working-day calendar ({SPAN})",
                                 zh=f"{INTS_ZH.get(what, what)} {value} 过大，超出工作日历（{SPAN_ZH}）")
    if array.dtype.kind not in "iu":
        raise TypeError(f"{what} must be integers (day numbers / counts), got dtype {array.dtype}")
    return array.astype(np.int64, copy=False), array.ndim == 0


def _out(array: np.ndarray, scalar: bool) -> Any:
    return int(array) if scalar else array


def _weekday(days: np.ndarray) -> np.ndarray:
    # 1970-01-01 was a Thursday: (day + 3) % 7 gives Monday = 0
    return (days + 3) % 7


def _one_day(value: Any) -> int:
    """A day number, or the local day of a date / datetime / string / Timestamp."""
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return int(value)
    return int(local_day_of(value))


def _count(n: Any, unit: str) -> Any:
    """The public API's count of days, checked as the other keywords are (options): a bool was read as 1 day
    (``True`` is an int) and ``"5"`` failed with a bare "cannot be interpreted as an integer". An array of
    counts is checked by ``_ints`` (its dtype: bool, float and text are refused); a list's own elements here,
    since ``np.asarray([True, 2])`` is an int array. No engine path comes through here: it calls ``wd_add``."""
    if isinstance(n, list | tuple):
        for value in n:
            integer("n", value, unit=unit)
        return n
    return n if is_array(n) else integer("n", n, unit=unit)


class WorkingCalendar:
    """National schedule + one region's days + user overrides, as arrays over day numbers."""

    first_day = FIRST_DAY
    last_day = LAST_DAY

    def __init__(
        self,
        name: str,
        work_mask: np.ndarray,
        named: Mapping[int, tuple[str, str]],
        coverage: Sequence[YearCoverage],
    ) -> None:
        mask = np.array(work_mask, dtype=bool)
        if mask.shape != (LAST_DAY - FIRST_DAY + 1,):
            raise ValueError(f"work_mask must cover {SPAN}, one entry per day")
        self.name = name
        self.work_mask = mask
        self.cum = np.cumsum(mask, dtype=np.int64)
        self.workdays = (np.flatnonzero(mask) + FIRST_DAY).astype(np.int64)
        for array in (self.work_mask, self.cum, self.workdays):
            array.flags.writeable = False  # shared by every user of the cached calendar
        self._named = dict(named)  # day number -> (name, layer: national | regional | override)
        self._named_days = np.array(sorted(self._named), dtype=np.int64)
        self._coverage = tuple(coverage)

    def __repr__(self) -> str:
        return f"WorkingCalendar({self.name!r}, {SPAN})"

    # ---- array API on day numbers -------------------------------------------------

    def wd_add(self, days: IntLike, n: IntLike) -> Any:
        """The n-th working day after each day (the day itself not counted); n=0 gives the day."""
        d, d_scalar = _ints(days, "days")
        k, k_scalar = _ints(n, "n")
        if k.size and k.min() < 0:
            raise ValueError("n must be >= 0: working days are counted forwards (see wd_sub_latest)")
        self._too_many(d, k, "working")
        pos = self.cum[check_days(d)] + k - 1
        if pos.size and pos.max() >= self.workdays.size:
            self._beyond(d, k, pos >= self.workdays.size, "working")
        due = self.workdays[np.maximum(pos, 0)]
        if k.size and k.min() == 0:
            due = np.where(k == 0, d, due)
        return _out(due, d_scalar and k_scalar)

    def cd_add(self, days: IntLike, n: IntLike) -> Any:
        """day + n; if that is not a working day, the next working day (C3, 民法典 203)."""
        d, d_scalar = _ints(days, "days")
        k, k_scalar = _ints(n, "n")
        check_days(d)
        self._too_many(d, k, "calendar")
        target = d + k
        index = check_days(target, "due day")
        work = self.work_mask[index]
        after = self.cum[index]  # position in workdays of the first working day after target
        off_after = np.where(work, 0, after)
        if off_after.size and off_after.max() >= self.workdays.size:
            self._beyond(d, k, ~work & (after >= self.workdays.size), "calendar")
        due = np.where(work, target, self.workdays[np.minimum(after, self.workdays.size - 1)])
        return _out(due, d_scalar and k_scalar)

    def wd_between(self, a_days: IntLike, b_days: IntLike) -> Any:
        """cum[b] - cum[a]: working days after a up to and including b (negative if b < a)."""
        a, a_scalar = _ints(a_days, "a_days")
        b, b_scalar = _ints(b_days, "b_days")
        return _out(self.cum[check_days(b)] - self.cum[check_days(a)], a_scalar and b_scalar)

    def is_work(self, days: IntLike) -> Any:
        d, scalar = _ints(days, "days")
        result = self.work_mask[check_days(d)]
        return bool(result) if scalar else result

    def wd_sub_latest(self, days: IntLike, n: IntLike) -> Any:
        """Latest day D whose n-th working day after it is still before the given day.

        For n >= 1 that is max D with cum[day-1] - cum[D] >= n, i.e. the day before
        the (cum[day-1] - n + 1)-th working day; it may itself be a day off (a request
        on Sunday counts like one on Friday). For n = 0 it is day - 1, matching
        wd_add(D, 0) = D. Raises CalendarRangeError when no such D lies in the span.
        """
        d, d_scalar = _ints(days, "days")
        k, k_scalar = _ints(n, "n")
        latest, short = self._latest_before(d, k)
        if short.any():
            i = int(np.flatnonzero(short.ravel())[0])
            day = int(np.broadcast_to(d, short.shape).ravel()[i])
            count = int(np.broadcast_to(k, short.shape).ravel()[i])
            raise CalendarRangeError(
                f"no day in the working-day calendar ({SPAN}) lies {count} working days "
                f"before {describe_day(day)}",
                zh=f"工作日历（{SPAN_ZH}）中没有在{describe_day(day)}之前 {count} 个工作日的日期",
            )
        return _out(latest, d_scalar and k_scalar)

    def lacks_working_days_before(self, days: IntLike, n: IntLike) -> np.ndarray:
        """Where ``wd_sub_latest`` would raise: no day of the calendar lies n working days before the day."""
        d, _ = _ints(days, "days")
        k, _ = _ints(n, "n")
        return self._latest_before(d, k)[1]

    def _latest_before(self, d: np.ndarray, k: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``wd_sub_latest``'s days, and where none lies in the calendar."""
        if k.size and k.min() < 0:
            raise ValueError("n must be >= 0")
        index = check_days(d)
        before = self.cum[index] - self.work_mask[index]  # working days strictly before the day
        pos = before - k
        latest = np.where(k == 0, d - 1, self.workdays[np.maximum(pos, 0)] - 1)
        return latest, (pos < 0) | (latest < FIRST_DAY)

    def _too_many(self, d: np.ndarray, k: np.ndarray, unit: str) -> None:
        """More days than the calendar holds end past it from any day. Said before adding: near 2**63
        the sum wrapped round to a negative position, and the 2**63-1-th working day was 2004-01-02."""
        if k.size and k.max() > LAST_DAY - FIRST_DAY:
            self._beyond(d, k, np.broadcast_to(k > LAST_DAY - FIRST_DAY, np.broadcast(d, k).shape), unit)

    def _beyond(self, d: np.ndarray, k: np.ndarray, bad: np.ndarray, unit: str) -> None:
        i = int(np.flatnonzero(bad.ravel())[0])
        day = int(np.broadcast_to(d, bad.shape).ravel()[i])
        count = int(np.broadcast_to(k, bad.shape).ravel()[i])
        raise CalendarRangeError(
            f"{describe_day(day)} + {count} {unit} days falls after {LAST_DATE}, "
            f"the end of the working-day calendar ({SPAN})",
            zh=f"{describe_day(day)}加 {count} 个{UNIT_ZH[unit]}日落在工作日历（{SPAN_ZH}）的末日{LAST_DATE}之后",
        )

    # ---- timestamps (scalar or vectorised) ------------------------------------------

    def add_working_days(self, start: Any, n: Any) -> Any:
        """End of the n-th working day after start's local day (23:59:59+08:00)."""
        return self._due(start, _count(n, "working days"), self.wd_add)

    def add_calendar_days(self, start: Any, n: Any) -> Any:
        """End of start's local day + n, moved to the next working day if off (C3)."""
        return self._due(start, _count(n, "calendar days"), self.cd_add)

    def _due(self, start: Any, n: Any, step: Callable[[Any, Any], Any]) -> Any:
        if not (is_array(start) or is_array(n)):
            return end_of_day(step(_one_day(start), n))
        if is_array(start):
            days, missing = local_days(start)
            # NaT in, NaT out: compute on a harmless day, blank it afterwards
            days = np.where(missing, FIRST_DAY, days)
        else:
            days, missing = np.asarray(_one_day(start), dtype=np.int64), np.asarray(False)
        due = np.asarray(step(days, np.asarray(n)))
        result = due_times(due.ravel(), np.broadcast_to(missing, due.shape).ravel())
        return like(start if isinstance(start, pd.Series) else n, result)

    def working_days_between(self, a: Any, b: Any) -> Any:
        """Working days after a's day up to and including b's day (CONTRACT.md working_days_late)."""
        if not (is_array(a) or is_array(b)):
            return int(self.wd_between(_one_day(a), _one_day(b)))
        a_days, b_days = self._days_of(a), self._days_of(b)
        return like(a if isinstance(a, pd.Series) else b, self.wd_between(a_days, b_days))

    def is_working_day(self, d: Any) -> Any:
        if not is_array(d):
            return bool(self.is_work(_one_day(d)))
        return like(d, self.is_work(self._days_of(d)))

    @staticmethod
    def _days_of(values: Any) -> np.ndarray:
        if not is_array(values):
            return np.asarray(_one_day(values), dtype=np.int64)
        days, missing = local_days(values)
        if missing.any():
            raise ValueError(f"missing time (NaT) at position {int(np.flatnonzero(missing)[0])}")
        return days

    # ---- what the calendar contains ---------------------------------------------------

    def entries(self, year: int) -> list[tuple[dt.date, str, str]]:
        """Every day off ("off") and make-up working day ("work") of the year, named, sorted."""
        check_year(year)
        lo = day_number(dt.date(year, 1, 1))
        hi = day_number(dt.date(year, 12, 31))
        days = self._named_days[
            np.searchsorted(self._named_days, lo) : np.searchsorted(self._named_days, hi, side="right")
        ]
        weekend = {d: name for d, name in self._holiday_weekends(lo, hi).items() if lo <= d <= hi}
        listed = sorted({*(int(d) for d in days), *weekend})
        return [self._entry(d) if d in self._named else (date_of(d), "off", weekend[d]) for d in listed]

    def _holiday_weekends(self, lo: int, hi: int) -> dict[int, str]:
        """The plain weekend days a holiday's block of days off takes in, named after the holiday.

        The State Council lists a holiday as its whole run of days off ("10月1日至8日放假调休，共8天"):
        the weekend days inside or beside it (not made working days) belong to it. Weekend days
        next to no holiday are not entries. A swapped day off ("休息日（由…调休）") names no block.
        """
        nearest: dict[int, tuple[int, str]] = {}  # weekend day -> (distance, the nearest holiday's name)
        start = np.searchsorted(self._named_days, lo - 7)
        stop = np.searchsorted(self._named_days, hi + 7, side="right")
        for day in self._named_days[start:stop].tolist():
            name = self._named[day][0]
            if self.work_mask[day - FIRST_DAY] or name.startswith("休息日"):
                continue
            for step in (-1, 1):  # outwards over days off, naming the plain weekend days met
                other = day + step
                while FIRST_DAY <= other <= LAST_DAY and not self.work_mask[other - FIRST_DAY]:
                    if other not in self._named and abs(other - day) < nearest.get(other, (99, ""))[0]:
                        nearest[other] = (abs(other - day), name)
                    other += step
        return {day: f"{_block_name(name)}（周末）" for day, (_, name) in nearest.items()}

    def _entry(self, day: int) -> tuple[dt.date, str, str]:
        working = bool(self.work_mask[day - FIRST_DAY])
        name = self._named.get(day, ("", ""))[0] or ("working day" if working else "day off")
        return date_of(day), "work" if working else "off", name

    def reasons(self, start_day: Any, due_day: Any) -> list[tuple[dt.date, str, str]]:
        """Days in (start_day, due_day] that moved the date, for ``explain``.

        Weekday days off, weekend working days, and every regional or override entry.
        """
        start, due = _one_day(start_day), _one_day(due_day)
        if due <= start:
            return []
        span = np.arange(start + 1, due + 1, dtype=np.int64)
        working = self.work_mask[check_days(span)]
        moved = span[(_weekday(span) < 5) != working]
        named = self._named_days[
            np.searchsorted(self._named_days, start + 1) : np.searchsorted(self._named_days, due, "right")
        ]
        layered = [d for d in named.tolist() if self._named[d][1] != "national"]
        return [self._entry(int(d)) for d in np.union1d(moved, np.asarray(layered, dtype=np.int64))]

    def coverage(self) -> list[YearCoverage]:
        """Per-year table: national published/estimated, regional data and confidence, notes."""
        return list(self._coverage)

    def coverage_notes(self, first_day: Any, last_day: Any) -> list[str]:
        """One note per unsettled (year, reason) touched by the span, in year order."""
        first, last = sorted((_one_day(first_day), _one_day(last_day)))
        years = range(date_of(max(first, FIRST_DAY)).year, date_of(min(last, LAST_DAY)).year + 1)
        notes: list[str] = []
        for row in self._coverage:
            if row.year in years:
                notes.extend(n for n in row.notes if n not in notes)
        return notes


# the holiday a block of days off is, from the name of one of its days: a weekend day in it is no
# substitute day off (补假), and the eve (除夕) is a day of the Spring Festival's block, not the block
_BLOCK_OF = {"农历除夕": "春节", "除夕": "春节"}


def _block_name(day_name: str) -> str:
    """``春节（补假）`` -> ``春节``, ``农历除夕`` -> ``春节``: the holiday a weekend day in its block is named after.

    A regional or override day off on a national holiday is named ``劳动节 / 纪念日 (Shili)`` (build._apply,
    the national name first): the block is the national holiday's, and its weekend days are not the region's
    day (a fixed 05-01 named 2024-05-04 and 05-05 ``劳动节 / 纪念日 (Shili)（周末）``)."""
    base = day_name.split(" / ")[0].replace("（补假）", "").replace(" (observed)", "").strip()
    return _BLOCK_OF.get(base, base)
