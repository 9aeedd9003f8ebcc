"""A regional day off on the same month and day every year (每年3月15日), written once as ``every_year``
instead of year by year: a day of the calendar in each year of its range, beating a national make-up
working day as a regional day does, validated as other entries are, and settling the years it covers."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from govdata_policy.calendar import CalendarFileError, build_calendar

HEAD = """\
kind: regional
region: shili
label: Shili
basis: {title: 示例市纪念日条例, document: 第七条, year: 2019}
since: 2020
"""
# 2023-04-23 (Sunday) is a national make-up working day (调休上班 for 劳动节)
FIXED = """\
every_year:
  - name: 纪念日
    month_day: 04-23
    source: 示例市纪念日条例 第七条 "每年4月23日放假1天"
    confidence: high
"""


def _file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "shili.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_a_day_off_every_year_is_off_in_each_year_and_beats_a_make_up_working_day(tmp_path: Path) -> None:
    national = build_calendar()
    calendar = build_calendar(_file(tmp_path, HEAD + FIXED))
    assert national.is_working_day("2023-04-23")  # the national make-up working day
    assert not calendar.is_working_day("2023-04-23")  # the region's day off beats it
    assert (dt.date(2023, 4, 23), "off", "纪念日 (Shili)") in calendar.entries(2023)
    for year in (2020, 2026, 2035):  # every year from since to the calendar's end
        assert (dt.date(year, 4, 23), "off", "纪念日 (Shili)") in calendar.entries(year)
    assert not any(day.month == 4 and day.day == 23 for day, _, _ in calendar.entries(2019))  # before since
    # one working day from Wednesday 2026-04-22: Thursday 04-23 is off, so Friday 04-24
    assert calendar.add_working_days("2026-04-22", 1).date() == dt.date(2026, 4, 24)
    # the years it covers are settled without a block each; none is "no data"
    assert calendar.coverage_notes("2020-01-01", "2026-12-31") == []
    row = next(r for r in calendar.coverage() if r.year == 2024)
    assert (row.regional, row.regional_confidence, row.settled) == ("data", "high", True)


def test_its_range_of_years_and_a_weak_confidence(tmp_path: Path) -> None:
    ranged = FIXED.replace("    confidence: high\n",
                           "    confidence: medium\n    from_year: 2022\n    to_year: 2024\n")
    calendar = build_calendar(_file(tmp_path, HEAD + ranged))
    assert calendar.is_working_day("2021-04-23") and calendar.is_working_day("2025-04-23")
    assert not calendar.is_working_day("2024-04-23")
    (note,) = calendar.coverage_notes("2024-01-01", "2024-12-31")
    assert note.startswith("calendar 2024: Shili regional days off not settled: 纪念日 confidence medium")
    (note,) = calendar.coverage_notes("2025-01-01", "2025-12-31")  # outside its range: no data, as before
    assert "no Shili regional holiday data for 2025" in note


def test_a_file_listing_days_off_year_by_year_too_leaves_a_year_without_its_block_unsettled(tmp_path: Path) -> None:
    # a festival a notice sets each year (listed in years:) is unknown in a year without its block: the fixed
    # day is counted, the year not taken as settled by it
    yearly = ("years:\n  - {year: 2024, source: 2024年通知, confidence: high, "
              "off: [{name: 节日, dates: [2024-05-06]}]}\n")
    calendar = build_calendar(_file(tmp_path, HEAD + FIXED + yearly))
    assert calendar.coverage_notes("2024-01-01", "2024-12-31") == []
    (note,) = calendar.coverage_notes("2025-01-01", "2025-12-31")
    assert "no Shili regional holiday data for 2025 beyond its days off every year" in note
    from govdata_policy.details import note_zh

    assert note_zh(note) == ("2025年日历：除每年固定的假日外，缺少Shili地方假日数据（该地区自2020起另有假日，第七条），"
                             "期限按无这些假日估算")  # check --lang zh says it in Chinese too
    assert not calendar.is_working_day("2025-04-23")


@pytest.mark.parametrize(("entry", "says"), [
    ("month_day: 4-23", "field every_year[0]: month_day '4-23': write the month and day as MM-DD (03-15)"),
    ("month_day: 02-29", "month_day '02-29' is not a day of every year"),
    ("month_day: 04-31", "month_day '04-31' is not a day of every year"),
    ("month_day: 04-23\n    from_year: 2019", "every_year[0] (纪念日): from_year 2019 is before 'since' (2020)"),
    ("month_day: 04-23\n    from_year: 2025\n    to_year: 2024", "to_year 2024 is before from_year 2025"),
    ("month_day: 04-23\n    to_year: 2019", "every_year[0] (纪念日): to_year 2019 is before 'since' (2020)"),
    ("month_day: 04-23\n    sorce: 第七条", "field every_year[0].sorce"),
])
def test_a_mistake_in_an_every_year_entry_names_the_file_and_field(tmp_path: Path, entry: str, says: str) -> None:
    path = _file(tmp_path, HEAD + FIXED.replace("month_day: 04-23", entry))
    with pytest.raises(CalendarFileError) as caught:
        build_calendar(path)
    assert str(caught.value).startswith(f"{path}: "), caught.value
    assert says in str(caught.value)


def test_a_day_both_every_year_and_in_a_years_block_is_refused(tmp_path: Path) -> None:
    for kind in ("off", "work"):
        yearly = (f"years:\n  - {{year: 2023, source: 通知, confidence: high, "
                  f"{kind}: [{{name: X, dates: [2023-04-23]}}]}}\n")
        path = _file(tmp_path, HEAD + FIXED + yearly)
        with pytest.raises(CalendarFileError, match=rf"year 2023: {kind}\[0\] \(X\): 2023-04-23 is also "
                                                    r"every_year\[0\] \(纪念日\), a day off every year"):
            build_calendar(path)


def test_two_every_year_entries_on_one_day_are_refused(tmp_path: Path) -> None:
    # the calendar keeps one name per day: a second entry on 04-23 would have silently named the day
    second = ("  - name: 建市日\n    month_day: 04-23\n    source: 第八条\n    confidence: high\n"
              "    from_year: 2024\n")
    path = _file(tmp_path, HEAD + FIXED + second)
    with pytest.raises(CalendarFileError) as caught:
        build_calendar(path)
    assert str(caught.value) == (f"{path}: every_year[1] (建市日): month_day 04-23: 2024-04-23 is also "
                                 "every_year[0] (纪念日), a day off every year")
    # the same month and day in years they do not share is two days, not one
    apart = FIXED.replace("    confidence: high\n", "    confidence: high\n    to_year: 2023\n")
    calendar = build_calendar(_file(tmp_path, HEAD + apart + second))
    assert (dt.date(2023, 4, 23), "off", "纪念日 (Shili)") in calendar.entries(2023)
    assert (dt.date(2024, 4, 23), "off", "建市日 (Shili)") in calendar.entries(2024)


def test_the_weekend_of_a_national_block_it_falls_in_is_not_named_after_it(tmp_path: Path) -> None:
    # 05-01 every year: 2024's 劳动节 runs 05-01..05-05, its weekend days 05-04/05 were listed as
    # "劳动节 / 纪念日 (Shili)（周末）", as if the region's one fixed day took them in
    calendar = build_calendar(_file(tmp_path, HEAD + FIXED.replace("04-23", "05-01")))
    entries = calendar.entries(2024)
    assert (dt.date(2024, 5, 1), "off", "劳动节 / 纪念日 (Shili)") in entries
    assert (dt.date(2024, 5, 4), "off", "劳动节（周末）") in entries
    assert (dt.date(2024, 5, 5), "off", "劳动节（周末）") in entries
