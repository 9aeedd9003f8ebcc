"""Properties of the indexed arithmetic, checked against a day-by-day reference walk."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govdata_policy.calendar import CalendarRangeError, WorkingCalendar
from govdata_policy.calendar.bounds import FIRST_DAY, LAST_DAY
from govdata_policy.timeutil import day_number

FIRST = day_number(dt.date(2004, 1, 1))
LAST_2026 = day_number(dt.date(2026, 12, 31))

days = st.integers(min_value=FIRST, max_value=LAST_2026)
counts = st.integers(min_value=0, max_value=60)
moments = st.datetimes(min_value=dt.datetime(2004, 1, 1), max_value=dt.datetime(2026, 12, 31, 23, 59, 59))
which = st.sampled_from(["national", "guangxi", "xinjiang"])


@pytest.fixture(scope="module")
def calendars(national, guangxi, xinjiang) -> dict[str, WorkingCalendar]:
    return {"national": national, "guangxi": guangxi, "xinjiang": xinjiang}


def walk_wd(cal: WorkingCalendar, day: int, n: int) -> int:
    """Reference: step one day at a time, counting working days after the start."""
    while n > 0:
        day += 1
        n -= cal.is_work(day)
    return day


def walk_cd(cal: WorkingCalendar, day: int, n: int) -> int:
    day += n
    while not cal.is_work(day):
        day += 1
    return day


@given(which, days, counts)
def test_wd_add_matches_walk(calendars, name, day, n):
    cal = calendars[name]
    assert cal.wd_add(day, n) == walk_wd(cal, day, n)


@given(which, days, counts)
def test_cd_add_matches_walk_and_is_a_working_day(calendars, name, day, n):
    cal = calendars[name]
    due = cal.cd_add(day, n)
    assert due == walk_cd(cal, day, n)
    assert cal.is_work(due) and due >= day + n


@given(which, st.lists(st.tuples(moments, counts), min_size=1, max_size=40))
@settings(max_examples=60)
def test_vectorised_equals_scalar(calendars, name, pairs):
    cal = calendars[name]
    starts = [p[0] for p in pairs]
    ns = np.array([p[1] for p in pairs])
    for vector_start in (starts, pd.Series(starts), pd.DatetimeIndex(starts), np.array(starts, "M8[s]")):
        wd = cal.add_working_days(vector_start, ns)
        cd = cal.add_calendar_days(vector_start, ns)
        assert list(wd) == [cal.add_working_days(s, int(n)) for s, n in zip(starts, ns, strict=True)]
        assert list(cd) == [cal.add_calendar_days(s, int(n)) for s, n in zip(starts, ns, strict=True)]
    work = cal.is_working_day(starts)
    assert work.tolist() == [cal.is_working_day(s) for s in starts]
    between = cal.working_days_between(starts, list(reversed(starts)))
    assert between.tolist() == [
        cal.working_days_between(a, b) for a, b in zip(starts, reversed(starts), strict=True)
    ]


@given(which, moments, counts)
def test_between_inverts_add(calendars, name, start, n):
    cal = calendars[name]
    assert cal.working_days_between(start, cal.add_working_days(start, n)) == n


@given(which, days, days, counts, counts)
def test_wd_add_is_monotone(calendars, name, d1, d2, n1, n2):
    cal = calendars[name]
    d1, d2 = sorted((d1, d2))
    n1, n2 = sorted((n1, n2))
    assert cal.wd_add(d1, n1) <= cal.wd_add(d2, n1)
    assert cal.wd_add(d1, n1) <= cal.wd_add(d1, n2)
    if n1 < n2:
        assert cal.wd_add(d1, n1) < cal.wd_add(d1, n2)  # strictly: every step is a new day


@given(which, st.integers(min_value=FIRST + 200, max_value=LAST_2026), counts)
def test_wd_sub_latest_is_the_latest_day_in_time(calendars, name, day, n):
    cal = calendars[name]
    latest = cal.wd_sub_latest(day, n)
    assert cal.wd_add(latest, n) < day  # in time
    assert cal.wd_add(latest + 1, n) >= day  # one day later is too late
    if n >= 1:
        # the brief's definition: max D with cum[day-1] - cum[D] >= n
        assert cal.wd_between(latest, day - 1) >= n
        assert cal.wd_between(latest + 1, day - 1) < n


@given(which, st.lists(days, min_size=1, max_size=50), counts)
def test_day_api_vectorised_equals_scalar(calendars, name, ds, n):
    cal = calendars[name]
    arr = np.array(ds, dtype=np.int64)
    assert cal.wd_add(arr, n).tolist() == [cal.wd_add(d, n) for d in ds]
    assert cal.cd_add(arr, n).tolist() == [cal.cd_add(d, n) for d in ds]
    assert cal.is_work(arr).tolist() == [cal.is_work(d) for d in ds]
    assert cal.wd_between(arr, arr[::-1]).tolist() == [
        cal.wd_between(a, b) for a, b in zip(ds, ds[::-1], strict=True)
    ]
    late = arr + 200
    assert cal.wd_sub_latest(late, n).tolist() == [cal.wd_sub_latest(int(d), n) for d in late]


def walk_wd_to_end(cal: WorkingCalendar, day: int, n: int) -> int | None:
    """Reference walk that stops at the calendar's last day: None when the count runs past it."""
    while n > 0:
        day += 1
        if day > LAST_DAY:
            return None
        n -= cal.is_work(day)
    return day


# the tests above stay within 2026; this one draws from the calendar's whole span (2004..2035),
# its last two years most, where a count runs off the end and must say so, not wrap or stop short
whole_span = st.one_of(st.integers(FIRST_DAY, LAST_DAY), st.integers(LAST_DAY - 800, LAST_DAY))
long_counts = st.integers(min_value=0, max_value=400)


@given(which, whole_span, long_counts, long_counts)
def test_wd_add_composes_over_the_whole_span_and_refuses_past_its_end(calendars, name, day, a, b):
    cal = calendars[name]
    expected = walk_wd_to_end(cal, day, a + b)
    if expected is None:
        with pytest.raises(CalendarRangeError):
            cal.wd_add(day, a + b)
        return
    assert cal.wd_add(day, a + b) == expected
    assert cal.wd_add(cal.wd_add(day, a), b) == expected
    assert a + b == 0 or cal.is_work(expected)
    assert cal.wd_between(day, expected) == a + b
