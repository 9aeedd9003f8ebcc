"""Deadlines worked out by hand from the published schedules; the reason is in each comment.

C1: the trigger day is not counted. C2: due at the end of the n-th working day.
C3: a calendar-day period ending on a day off ends on the next working day.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from govdata_policy.calendar import WorkingCalendar

D = dt.date

# (calendar, start, "wd"|"cd", n, expected due day)
CASES = [
    # 2025-09-26 is a Friday; 09-27 Sat off; 09-28 Sun is a make-up working day (国庆/中秋 2025)
    ("national", "2025-09-26", "wd", 1, D(2025, 9, 28)),
    # 01-25 Sat off; 01-26 Sun make-up day = 1st; 01-27 Mon = 2nd; 01-28 除夕 .. 02-04 off
    # (春节 01-29..31, weekend 02-01/02, 02-03 and 02-04 swapped days off); 02-05 Wed = 3rd
    ("national", "2025-01-24", "wd", 3, D(2025, 2, 5)),
    # Guangxi: 04-21..23 壮族三月三; 04-23 (Sun) is a national make-up day but off in Guangxi;
    # 04-24 Mon is the 1st working day
    ("guangxi", "2023-04-20", "wd", 1, D(2023, 4, 24)),
    # the same start nationally: 04-21 Fri is an ordinary working day
    ("national", "2023-04-20", "wd", 1, D(2023, 4, 21)),
    # Xinjiang: 古尔邦节 06-06 (Fri) .. 06-10 (Tue); 06-11 Wed is the 1st working day
    ("xinjiang", "2025-06-05", "wd", 1, D(2025, 6, 11)),
    # National Day 2025: 10-01..10-08 off (国庆 + 中秋 10-06 + swapped 10-07/08); 10-09 Thu = 1st
    ("national", "2025-09-30", "wd", 1, D(2025, 10, 9)),
    # ... 10-09 Thu = 1st, 10-10 Fri = 2nd, 10-11 Sat is a make-up working day = 3rd
    ("national", "2025-09-30", "wd", 3, D(2025, 10, 11)),
    # National Day 2024: 09-29 (Sun) is a make-up day, so the 1st working day after Fri 09-27
    ("national", "2024-09-27", "wd", 1, D(2024, 9, 29)),
    # 2024-09-30 Mon: 10-01..10-07 off, 10-08 Tue = 1st
    ("national", "2024-09-30", "wd", 1, D(2024, 10, 8)),
    # Spring Festival 2024: 除夕 02-09 was a working day (not a holiday that year)
    ("national", "2024-02-08", "wd", 1, D(2024, 2, 9)),
    # 02-10..02-17 off; 02-18 (Sun) is a make-up working day
    ("national", "2024-02-09", "wd", 1, D(2024, 2, 18)),
    # make-up Saturday: 2025-02-08 (Sat) was worked for the Spring Festival swap
    ("national", "2025-02-07", "wd", 1, D(2025, 2, 8)),
    # 2023: 中秋 09-29 + 国庆 to 10-06 off; make-up days Sat 10-07 and Sun 10-08
    ("national", "2023-09-28", "wd", 1, D(2023, 10, 7)),
    ("national", "2023-09-28", "wd", 2, D(2023, 10, 8)),
    ("national", "2023-09-28", "wd", 3, D(2023, 10, 9)),
    # start on a day off (Sat 10-04 inside the 2025 National Day break): 10-09 is the 1st
    ("national", "2025-10-04", "wd", 1, D(2025, 10, 9)),
    # start on a make-up Sunday: the next working day is Monday
    ("national", "2025-09-28", "wd", 1, D(2025, 9, 29)),
    # n = 0 is the start day itself, even on a day off
    ("national", "2025-10-03", "wd", 0, D(2025, 10, 3)),
    # Guangxi 2022: 04-02 (Sat) is a national make-up day but the first day of 三月三 (04-02..06)
    ("guangxi", "2022-04-01", "wd", 1, D(2022, 4, 7)),
    # nationally 04-02 is worked (清明 04-03..05)
    ("national", "2022-04-01", "wd", 1, D(2022, 4, 2)),
    # Guangxi 2021: 04-14..16 off, 04-17 Sat off, 04-18 Sun a regional make-up working day
    ("guangxi", "2021-04-13", "wd", 1, D(2021, 4, 18)),
    ("national", "2021-04-13", "wd", 1, D(2021, 4, 14)),
    # Xinjiang 2023: 肉孜节 04-21 Fri off, 04-22 Sat off, 04-23 Sun a national make-up day
    # that Xinjiang keeps (its notice does not cancel it)
    ("xinjiang", "2023-04-20", "wd", 1, D(2023, 4, 23)),
    # Xinjiang 2023: 古尔邦节 06-28..30 (Wed..Fri), weekend, 07-03 Mon
    ("xinjiang", "2023-06-27", "wd", 1, D(2023, 7, 3)),
    ("national", "2023-06-27", "wd", 1, D(2023, 6, 28)),
    # Every other regional entry of jurisdictions/calendars, one working day from the day before it: the
    # due day is the first working day after the entry, so a day off added, dropped or moved there shows.
    # Guangxi 2019: 04-04 (Thu) off, 清明 04-05..07 nationally, 04-08 (Mon) off again -> 04-09 Tue
    ("guangxi", "2019-04-03", "wd", 1, D(2019, 4, 9)),
    ("national", "2019-04-03", "wd", 1, D(2019, 4, 4)),
    # Guangxi 2025: 03-31 (Mon) and 04-01 (Tue) off after the weekend -> 04-02 Wed (nationally Mon 03-31)
    ("guangxi", "2025-03-28", "wd", 1, D(2025, 4, 2)),
    # Guangxi 2026: 04-17 (Fri) and 04-20 (Mon) off around the weekend -> 04-21 Tue (nationally 04-17)
    ("guangxi", "2026-04-16", "wd", 1, D(2026, 4, 21)),
    # Xinjiang 2022: 劳动节 04-30..05-04 nationally, then 肉孜节 05-05 (Thu) off -> 05-06 Fri
    # (nationally 05-05; the make-up Saturday 05-07 comes after)
    ("xinjiang", "2022-05-04", "wd", 1, D(2022, 5, 6)),
    ("national", "2022-05-04", "wd", 1, D(2022, 5, 5)),
    # Xinjiang 2022: 古尔邦节 07-09 (Sat) .. 07-13 (Wed) -> 07-14 Thu (nationally Mon 07-11)
    ("xinjiang", "2022-07-08", "wd", 1, D(2022, 7, 14)),
    # Xinjiang 2024: 肉孜节 04-10 (Wed) -> 04-11 Thu
    ("xinjiang", "2024-04-09", "wd", 1, D(2024, 4, 11)),
    # Xinjiang 2024: weekend, then 古尔邦节 06-17 (Mon) .. 06-19 (Wed) -> 06-20 Thu (nationally 06-17)
    ("xinjiang", "2024-06-14", "wd", 1, D(2024, 6, 20)),
    # Xinjiang 2025: 肉孜节 03-29 (Sat) .. 03-31 (Mon) -> 04-01 Tue
    ("xinjiang", "2025-03-28", "wd", 1, D(2025, 4, 1)),
    # Xinjiang 2026: 肉孜节 03-20 (Fri) .. 03-22 (Sun) -> 03-23 Mon (nationally 03-20)
    ("xinjiang", "2026-03-19", "wd", 1, D(2026, 3, 23)),
    # Xinjiang 2026: 古尔邦节 05-27 (Wed) .. 05-31 (Sun) -> 06-01 Mon (nationally 05-27)
    ("xinjiang", "2026-05-26", "wd", 1, D(2026, 6, 1)),
    ("national", "2026-05-26", "wd", 1, D(2026, 5, 27)),
    # Guangxi 2020: the holiday was cancelled, 2020-03-26 (三月三) was a plain Thursday
    ("guangxi", "2020-03-25", "wd", 1, D(2020, 3, 26)),
    # 2005-12-31 (Sat) is a make-up working day in holidays (see test_calendar_vs_chinese_calendar)
    ("national", "2005-12-30", "wd", 1, D(2005, 12, 31)),
    # C3: 09-21 + 10 = 10-01 国庆 -> the next working day 10-09
    ("national", "2025-09-21", "cd", 10, D(2025, 10, 9)),
    # C3: Sat 03-01 + 14 = Sat 03-15 -> Mon 03-17
    ("national", "2025-03-01", "cd", 14, D(2025, 3, 17)),
    # C3 does not move a period ending on a make-up working day (Sun 2025-09-28)
    ("national", "2025-09-18", "cd", 10, D(2025, 9, 28)),
    # an ordinary end: Mon 03-03 + 30 = Wed 04-02
    ("national", "2025-03-03", "cd", 30, D(2025, 4, 2)),
    # n = 0 calendar days on a day off still rolls forward (C3)
    ("national", "2025-10-03", "cd", 0, D(2025, 10, 9)),
    # Xinjiang 2023: 06-18 + 10 = 06-28, first day of 古尔邦节 -> 07-03
    ("xinjiang", "2023-06-18", "cd", 10, D(2023, 7, 3)),
    # Guangxi 2023: 04-13 + 10 = 04-23, a national make-up Sunday but off in Guangxi -> 04-24
    ("guangxi", "2023-04-13", "cd", 10, D(2023, 4, 24)),
    ("national", "2023-04-13", "cd", 10, D(2023, 4, 23)),
]


@pytest.mark.parametrize(("which", "start", "unit", "n", "expected"), CASES)
def test_hand_worked(request, which, start, unit, n, expected):
    cal: WorkingCalendar = request.getfixturevalue(which)
    add = cal.add_working_days if unit == "wd" else cal.add_calendar_days
    due = add(start, n)
    assert due == pd.Timestamp(f"{expected.isoformat()}T23:59:59+08:00")
    # the day-number API gives the same day
    from govdata_policy.timeutil import date_of, day_number

    step = cal.wd_add if unit == "wd" else cal.cd_add
    assert date_of(step(day_number(dt.date.fromisoformat(start)), n)) == expected


def test_due_is_end_of_day_in_local_time(national):
    due = national.add_working_days("2025-09-26", 1)
    assert due.isoformat() == "2025-09-28T23:59:59+08:00"
    assert due.utcoffset() == dt.timedelta(hours=8)


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        # 23:59 on the make-up Sunday is still that day: the 1st working day is Monday 09-29
        ("2025-09-28T23:59:00", D(2025, 9, 29)),
        ("2025-09-28T23:59:59.999", D(2025, 9, 29)),
        # 00:00 on Monday 09-29 is Monday: the 1st working day after it is Tuesday 09-30
        ("2025-09-29T00:00:00", D(2025, 9, 30)),
        # 16:00 UTC on 09-28 is 00:00 local on 09-29 (C5: local time decides the day)
        ("2025-09-28T16:00:00Z", D(2025, 9, 30)),
        # 15:59 UTC is still 23:59 local on 09-28
        ("2025-09-28T15:59:00+00:00", D(2025, 9, 29)),
    ],
)
def test_time_of_day_only_picks_the_day(national, start, expected):
    assert national.add_working_days(start, 1).date() == expected


def test_start_types_agree(national):
    expected = national.add_working_days("2025-09-26", 1)
    for start in (
        D(2025, 9, 26),
        dt.datetime(2025, 9, 26, 10, 30),
        pd.Timestamp("2025-09-26 10:30"),
        pd.Timestamp("2025-09-26 10:30", tz="Asia/Shanghai"),
        "2025-09-26T10:30:00+08:00",
    ):
        assert national.add_working_days(start, 1) == expected


def test_is_working_day_and_between(national, guangxi):
    assert national.is_working_day("2025-09-28")  # make-up Sunday
    assert not national.is_working_day("2025-10-01")
    assert national.is_working_day("2023-04-23") and not guangxi.is_working_day("2023-04-23")
    # working_days_late: due 2025-09-30, fulfilled 10-09 -> 1 working day late (10-01..08 off)
    assert national.working_days_between("2025-09-30", "2025-10-09T10:00") == 1
    assert national.working_days_between("2025-10-09", "2025-09-30") == -1
    assert national.working_days_between("2025-09-30", "2025-09-30T23:00") == 0


def test_names(national, guangxi, xinjiang):
    assert national.name == "national"
    assert guangxi.name == "national + guangxi"
    assert xinjiang.name == "national + xinjiang"
