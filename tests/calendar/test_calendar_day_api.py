"""The day-number API's edge cases, the vectorised timestamp API's types, entries and reasons."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from govdata_policy.calendar import CalendarRangeError
from govdata_policy.options import KeywordError
from govdata_policy.timeutil import date_of, day_number

D = dt.date


def dn(y: int, m: int, d: int) -> int:
    return day_number(D(y, m, d))


# ---- wd_sub_latest: the latest day D with the n-th working day after D before the day ----


@pytest.mark.parametrize(
    ("day", "n", "expected"),
    [
        # Mon 03-10, n=1: the 1st working day after D must be <= Fri 03-07, so D = Thu 03-06
        (D(2025, 3, 10), 1, D(2025, 3, 6)),
        # Tue 03-11, n=1: Mon 03-10 may be the 1st, so D can be Sunday 03-09 (a day off)
        (D(2025, 3, 11), 1, D(2025, 3, 9)),
        # n=0: wd_add(D, 0) = D, so the day before
        (D(2025, 3, 11), 0, D(2025, 3, 10)),
        # the day itself is off (Sun 10-05 in the break): last working day before is Tue 09-30
        (D(2025, 10, 5), 1, D(2025, 9, 29)),
        # planned Thu 10-09 right after the break: same answer, 10-01..08 do not count
        (D(2025, 10, 9), 1, D(2025, 9, 29)),
        # Mon 09-29: the make-up Sunday 09-28 is the last working day before it -> Sat 09-27
        (D(2025, 9, 29), 1, D(2025, 9, 27)),
        # n=2 over the make-up Sunday: working days 09-26 (Fri) and 09-28 (Sun) -> D = Thu 09-25
        (D(2025, 9, 29), 2, D(2025, 9, 25)),
        # the first possible answer: 2004-01-02 (Fri) is the first working day of the span
        (D(2004, 1, 5), 1, D(2004, 1, 1)),
    ],
)
def test_wd_sub_latest_edges(national, day, n, expected):
    latest = national.wd_sub_latest(day_number(day), n)
    assert date_of(latest) == expected
    assert national.wd_add(latest, n) < day_number(day) <= national.wd_add(latest + 1, n)


def test_wd_sub_latest_lead_time_30(national):
    # "提前30个工作日": planned offline 2025-10-09 -> the request must be on or before this day
    latest = national.wd_sub_latest(dn(2025, 10, 9), 30)
    assert national.wd_between(latest, dn(2025, 10, 8)) == 30
    assert national.wd_between(latest + 1, dn(2025, 10, 8)) == 29


@pytest.mark.parametrize(("day", "n"), [(D(2004, 1, 2), 1), (D(2004, 1, 1), 0), (D(2004, 1, 9), 10)])
def test_wd_sub_latest_before_the_span(national, day, n):
    with pytest.raises(CalendarRangeError, match="working days before"):
        national.wd_sub_latest(day_number(day), n)


# ---- day-number API shapes and arguments --------------------------------------------------


def test_scalar_in_scalar_out_array_in_array_out(national):
    assert isinstance(national.wd_add(dn(2025, 9, 26), 1), int)
    assert isinstance(national.is_work(dn(2025, 9, 28)), bool)
    out = national.wd_add(np.array([dn(2025, 9, 26), dn(2025, 9, 30)]), np.array([1, 3]))
    assert out.dtype == np.int64
    assert [date_of(d) for d in out] == [D(2025, 9, 28), D(2025, 10, 11)]
    # n as an array against one day broadcasts
    assert [date_of(d) for d in national.wd_add(dn(2025, 9, 30), np.arange(4))] == [
        D(2025, 9, 30),
        D(2025, 10, 9),
        D(2025, 10, 10),
        D(2025, 10, 11),
    ]


def test_bad_arguments(national):
    with pytest.raises(ValueError, match="n must be >= 0"):
        national.wd_add(dn(2025, 1, 1), -1)
    with pytest.raises(TypeError):
        national.wd_add(np.array([1.5]), 1)
    with pytest.raises(TypeError):
        national.add_working_days("2025-01-01", 1.5)
    with pytest.raises(TypeError, match="numbers are not timestamps"):
        national.add_working_days(np.array([dn(2025, 1, 1)]), 1)
    with pytest.raises(ValueError):
        national.add_working_days("not a date", 1)


def test_wd_between_sign(national):
    a, b = dn(2025, 9, 30), dn(2025, 10, 10)
    assert national.wd_between(a, b) == 2  # 10-09 and 10-10
    assert national.wd_between(b, a) == -2
    assert national.wd_between(a, a) == 0


# ---- vectorised timestamps ------------------------------------------------------------------


def test_vectorised_types(national):
    starts = pd.Series(pd.to_datetime(["2025-09-26 10:00", "2025-01-24 23:59", None]), index=[10, 20, 30])
    due = national.add_working_days(starts, np.array([1, 3, 1]))
    assert isinstance(due, pd.Series) and list(due.index) == [10, 20, 30]
    assert str(due.dt.tz) == "Asia/Shanghai" and due.iloc[0].utcoffset() == dt.timedelta(hours=8)
    assert due.iloc[0].isoformat() == "2025-09-28T23:59:59+08:00"
    assert due.iloc[1].date() == D(2025, 2, 5)
    assert pd.isna(due.iloc[2])  # NaT in, NaT out
    index = national.add_calendar_days(pd.DatetimeIndex(["2025-09-21"]), 10)
    assert isinstance(index, pd.DatetimeIndex) and index[0].date() == D(2025, 10, 9)
    work = national.is_working_day(np.array(["2025-09-28", "2025-10-01"], dtype="M8[D]"))
    assert work.dtype == bool and work.tolist() == [True, False]
    late = national.working_days_between(["2025-09-30"], ["2025-10-10"])
    assert late.tolist() == [2]
    with pytest.raises(ValueError, match="NaT"):
        national.working_days_between(starts, starts)


def test_empty_inputs(national):
    assert len(national.add_working_days([], 1)) == 0
    assert national.wd_add(np.array([], dtype=np.int64), 3).tolist() == []
    assert national.is_working_day(pd.Series([], dtype="datetime64[ns]")).tolist() == []


def test_mixed_offsets_and_naive(national):
    # 23:30 UTC on 09-26 is Saturday 09-27 07:30 local; naive text is local time
    due = national.add_working_days(["2025-09-26T23:30:00+00:00", "2025-09-26T10:00"], 1)
    assert [d.date() for d in due] == [D(2025, 9, 28), D(2025, 9, 28)]
    due = national.add_working_days(["2025-09-28T23:30:00+00:00", D(2025, 9, 26)], 1)
    assert [d.date() for d in due] == [D(2025, 9, 30), D(2025, 9, 28)]



def test_text_is_read_as_a_logs_time_column(national):
    """A string is read as the event reader reads a ``time`` cell, alone or in a list. pandas' guess
    read "10/01/2024" alone as 1 October (国庆, 1 wd -> 10-08) but, after "13/01/2024" in a list, as
    10 January (a Wednesday, 1 wd -> 01-11): the same text, two due days. The reader refuses it."""
    for text in ("10/01/2024", "01/02/2024"):
        with pytest.raises(ValueError, match="cannot read"):
            national.add_working_days(text, 1)
        with pytest.raises(ValueError, match="cannot read"):
            national.add_working_days(["2024-01-13", text], 1)
        with pytest.raises(ValueError, match="cannot read"):
            national.add_working_days(pd.Series(["2024-01-13", text]), 1)  # a string column
        with pytest.raises(ValueError, match="cannot read"):
            national.is_working_day(text)
    # the reader's own forms: 2024/09/30 Mon, the last day before 国庆 10-01..07 -> 10-08;
    # 2024年9月29日 is the make-up Sunday (worked) -> 09-30; 下午11:30 on 09-29 is still 09-29
    assert national.add_working_days("2024/09/30", 1).date() == D(2024, 10, 8)
    assert national.add_working_days("2024年9月29日", 1).date() == D(2024, 9, 30)
    due = national.add_working_days(["2024-09-29 下午11:30", "2024/09/30 09:00", None], 1)
    assert [d.date() for d in due[:2]] == [D(2024, 9, 30), D(2024, 10, 8)] and pd.isna(due[2])

# ---- entries and reasons -------------------------------------------------------------------


def test_entries(national, xinjiang):
    entries = national.entries(2025)
    assert entries == sorted(entries)
    assert (D(2025, 5, 31), "off", "端午节") in entries  # a national holiday on a Saturday
    assert (D(2025, 1, 26), "work", "调休上班（与 2025-02-03 调换）") in entries
    assert all(kind in ("off", "work") for _, kind, _ in entries)
    assert D(2025, 3, 1) not in [d for d, _, _ in entries]  # plain weekends are not entries
    assert (D(2025, 6, 6), "off", "古尔邦节 (Xinjiang)") in xinjiang.entries(2025)
    assert (D(2025, 6, 6), "off", "古尔邦节 (Xinjiang)") not in entries
    # a year after the published ones still lists the statutory (estimated) holidays
    assert any(name.startswith("国庆节") for _, _, name in national.entries(2030))


def test_entries_list_a_holiday_block_whole(national):
    """"10月1日至8日放假调休，共8天" (2025): the weekend 10-04/05 inside the block is listed, named after
    the nearest holiday; a weekend beside a block is too (2023-12-30/31: "12月30日至1月1日放假调休"),
    a weekend next to no holiday is not (2025-10-18)."""
    october = [(d, kind, name) for d, kind, name in national.entries(2025) if d.month == 10]
    assert [d.day for d, kind, _ in october if kind == "off"] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert (D(2025, 10, 4), "off", "国庆节（周末）") in october
    assert (D(2025, 10, 5), "off", "中秋节（周末）") in october
    assert (D(2025, 10, 11), "work", "调休上班（与 2025-10-08 调换）") in october
    assert D(2025, 10, 18) not in [d for d, _, _ in october]
    assert [(d, name) for d, _, name in national.entries(2023) if d >= D(2023, 12, 30)] == [
        (D(2023, 12, 30), "元旦（周末）"), (D(2023, 12, 31), "元旦（周末）")]
    # 2026 春节 "2月15日至23日放假调休，共9天"; 02-14 and 02-28 are make-up working days
    february = [d.day for d, kind, _ in national.entries(2026) if d.month == 2 and kind == "off"]
    assert february == list(range(15, 24))
    # a weekend day is named after the block's holiday: not the eve (02-15 is no 除夕, 02-16 is) nor a
    # substitute day (2024-02-17 is no 补假), as it was ("农历除夕（周末）", "春节（补假）（周末）")
    names = dict((d, name) for d, _, name in [*national.entries(2026), *national.entries(2024)])
    assert (names[D(2026, 2, 15)], names[D(2026, 2, 16)]) == ("春节（周末）", "农历除夕")
    assert (names[D(2024, 2, 14)], names[D(2024, 2, 17)]) == ("春节（补假）", "春节（周末）")


def test_a_regional_day_off_on_a_national_holiday_keeps_both_names(guangxi):
    """Guangxi's 2022 notice gave 04-02..06 off for 三月三 and 清明 together: 04-05 is 清明节 nationally
    and stays named so; 04-04, nationally a swapped day off (for the make-up Saturday 04-02, off in
    Guangxi), is named as the notice names it."""
    april = {d: name for d, _, name in guangxi.entries(2022) if d.month == 4 and d.day <= 6}
    assert april[D(2022, 4, 5)] == "清明节 / 壮族三月三 (Guangxi)"
    assert april[D(2022, 4, 4)] == april[D(2022, 4, 6)] == "壮族三月三 (Guangxi)"


def test_reasons(national, guangxi):
    # the Spring Festival example: what moved 2025-01-24 + 3 wd to 02-05
    assert national.reasons("2025-01-24", "2025-02-05") == [
        (D(2025, 1, 26), "work", "调休上班（与 2025-02-03 调换）"),
        (D(2025, 1, 28), "off", "农历除夕"),
        (D(2025, 1, 29), "off", "春节"),
        (D(2025, 1, 30), "off", "春节"),
        (D(2025, 1, 31), "off", "春节"),
        (D(2025, 2, 3), "off", "休息日（由 2025-01-26 调休）"),
        (D(2025, 2, 4), "off", "休息日（由 2025-02-08 调休）"),
    ]
    # regional entries are listed even on a weekend (04-22 is a Saturday)
    assert [r[0] for r in guangxi.reasons(dn(2023, 4, 20), dn(2023, 4, 24))] == [
        D(2023, 4, 21),
        D(2023, 4, 22),
        D(2023, 4, 23),
    ]
    # the trigger day is not counted (C1), so it moved nothing, even when it is a day off itself: a request on
    # 除夕 Tue 2025-01-28 + 3 wd: 01-29..01-31 春节, 02-01/02 weekend, 02-03/04 休息日 (swapped for the make-up
    # days 01-26 and 02-08), then 02-05, 02-06, 02-07 -> due 02-07; 01-28 is no reason
    assert national.reasons("2025-01-28", "2025-02-07") == [
        (D(2025, 1, 29), "off", "春节"),
        (D(2025, 1, 30), "off", "春节"),
        (D(2025, 1, 31), "off", "春节"),
        (D(2025, 2, 3), "off", "休息日（由 2025-01-26 调休）"),
        (D(2025, 2, 4), "off", "休息日（由 2025-02-08 调休）"),
    ]
    assert national.add_working_days("2025-01-28", 3).date() == D(2025, 2, 7)
    assert national.reasons("2025-03-03", "2025-03-07") == []  # nothing moved the date
    assert national.reasons("2025-03-07", "2025-03-03") == []


# ---- the timestamp API's count of days, checked as the API's other keywords are (options) ----


@pytest.mark.parametrize("count", [True, np.True_, "5", 5.0, None, [True, 2]])
@pytest.mark.parametrize("unit", ["working", "calendar"])
def test_a_count_that_is_no_whole_number_is_refused_naming_n(national, unit: str, count: object) -> None:
    # True was read as 1 day; "5" and 5.0 failed with a bare "cannot be interpreted as an integer"
    add = national.add_working_days if unit == "working" else national.add_calendar_days
    with pytest.raises(KeywordError, match=rf"^n: expected a whole number of {unit} days, got "):
        add("2025-01-03", count)


def test_whole_counts_still_pass(national) -> None:
    assert national.add_working_days("2025-01-03", np.int64(1)).date() == D(2025, 1, 6)
    assert list(national.add_calendar_days("2025-01-03", [0, 2]).date) == [D(2025, 1, 3), D(2025, 1, 6)]
    with pytest.raises(ValueError, match="n must be >= 0"):  # a negative count is the calendar's to refuse
        national.add_working_days("2025-01-03", -1)
