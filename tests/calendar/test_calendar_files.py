"""Regional and override files, their validation, coverage notes, the range and the cache."""

from __future__ import annotations

import datetime as dt
import os
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from govdata_policy.calendar import CalendarFileError, CalendarRangeError, build_calendar
from govdata_policy.calendar.files import load_regional
from govdata_policy.calendar.resolve import UnknownJurisdictionError, calendar_files
from govdata_policy.paths import jurisdictions_dir
from govdata_policy.timeutil import day_number

CALENDARS = jurisdictions_dir() / "calendars"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


REGIONAL_HEAD = """\
    kind: regional
    region: testland
    label: Testland
    basis: {title: 测试办法, document: 令第1号, year: 2014}
    since: 2014
    years:
"""


# ---- overrides -------------------------------------------------------------------------


def test_override_day_off_moves_a_deadline(tmp_path, national):
    # 2025-09-28 (Sun) is a national make-up day; declared off it no longer counts
    path = write(
        tmp_path,
        "off.yaml",
        """\
        kind: overrides
        source: 测试通知
        off:
          - {name: 测试停工, dates: [2025-09-28]}
        """,
    )
    cal = build_calendar(overrides=[path])
    assert national.add_working_days("2025-09-26", 1).date() == dt.date(2025, 9, 28)
    assert cal.add_working_days("2025-09-26", 1).date() == dt.date(2025, 9, 29)
    assert (dt.date(2025, 9, 28), "off", "测试停工 (override)") in cal.entries(2025)
    assert cal.name == "national + overrides:off.yaml"


def test_override_working_day_moves_a_deadline(tmp_path, national):
    # 2025-10-04 (Sat, inside the National Day break) declared a working day
    path = write(
        tmp_path,
        "work.yaml",
        """\
        kind: overrides
        label: 通知
        work:
          - {name: 加班, from: 2025-10-04, to: 2025-10-04, source: a notice}
        """,
    )
    cal = build_calendar(overrides=[path])
    assert national.add_working_days("2025-09-30", 1).date() == dt.date(2025, 10, 9)
    assert cal.add_working_days("2025-09-30", 1).date() == dt.date(2025, 10, 4)
    assert cal.reasons("2025-09-30", "2025-10-04")[-1] == (dt.date(2025, 10, 4), "work", "加班 (通知)")


def test_later_layers_win(tmp_path, guangxi):
    # an override beats the regional file, and a later override file beats an earlier one
    first = write(tmp_path, "a.yaml", "kind: overrides\nwork: [{name: A, dates: [2023-04-23]}]\n")
    second = write(tmp_path, "b.yaml", "kind: overrides\noff: [{name: B, dates: [2023-04-23]}]\n")
    regional = CALENDARS / "guangxi.yaml"
    assert guangxi.add_working_days("2023-04-20", 1).date() == dt.date(2023, 4, 24)
    assert build_calendar(regional, [first]).add_working_days("2023-04-20", 1).date() == dt.date(2023, 4, 23)
    both = build_calendar(regional, [first, second])
    assert both.add_working_days("2023-04-20", 1).date() == dt.date(2023, 4, 24)


def test_override_settles_an_estimated_year(tmp_path):
    path = write(
        tmp_path,
        "2027.yaml",
        """\
        kind: overrides
        settles:
          - {year: 2027, scope: national, source: 国务院办公厅关于2027年部分节假日安排的通知}
        work:
          - {name: 调休上班, dates: [2027-02-14]}
        """,
    )
    assert build_calendar().coverage_notes("2027-01-01", "2027-12-31")
    settled = build_calendar(overrides=[path])
    assert settled.coverage_notes("2027-01-01", "2027-12-31") == []
    row = next(r for r in settled.coverage() if r.year == 2027)
    assert row.national == "override" and row.settled


# ---- malformed files -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # an impossible date: file, year and field are named
        (
            "  - {year: 2022, source: s, confidence: high, off: [{name: X, dates: [2022-02-30]}]}",
            ["bad.yaml", "year 2022", "off[0] (X).dates[0]", "not a real date"],
        ),
        # a missing required field
        ("  - {year: 2021, source: s, off: [{name: X, dates: [2021-04-14]}]}", ["year 2021", "confidence"]),
        # a confidence outside the scale
        ("  - {year: 2021, source: s, confidence: certain}", ["year 2021", "field confidence"]),
        # a misspelt key is refused, not ignored
        ("  - {year: 2021, source: s, confidance: high}", ["year 2021", "field confidance", "Extra"]),
        # a date in the wrong year's block
        (
            "  - {year: 2023, source: s, confidence: high, off: [{name: X, dates: [2024-04-11]}]}",
            ["year 2023", "off[0] (X)", "not in year 2023"],
        ),
        # a year before the region's start
        ("  - {year: 2010, source: s, confidence: high}", ["before 'since'"]),
        # the same year twice
        (
            "  - {year: 2020, source: s, confidence: high}\n  - {year: 2020, source: s, confidence: high}",
            ["year 2020 is given twice"],
        ),
        # a number where a date belongs
        (
            "  - {year: 2022, source: s, confidence: high, off: [{name: X, dates: [20220405]}]}",
            ["year 2022", "dates[0]", "YYYY-MM-DD"],
        ),
    ],
)
def test_malformed_regional_file_names_file_year_and_field(tmp_path, body, expected):
    path = write(tmp_path, "bad.yaml", REGIONAL_HEAD + textwrap.indent(body, "    ") + "\n")
    with pytest.raises(CalendarFileError) as err:
        build_calendar(path)
    message = str(err.value)
    assert "\n" not in message
    for part in expected:
        assert part in message, message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("kind: overrides\noff: [{name: X}]\n", ["over.yaml", "off[0] (X)", "needs 'dates'"]),
        ("kind: overrides\nwork: [{name: X, from: 2025-01-05, to: 2025-01-04}]\n", ["work[0] (X)", "before"]),
        ("kind: overrides\noff: [{name: X, dates: [2036-01-01]}]\n", ["outside the calendar"]),
        ("kind: regional\n", ["field kind", "should be 'overrides'"]),
        ("kind: overrides\noff: []\noff: []\n", ["the key 'off' is given twice", "line 3"]),
        ("kind: overrides\noff: [\n", ["not valid YAML"]),
        # libyaml's own words leave out the character and the alias: the file is asked again of PyYAML's parser
        ("kind: overrides\noff:\n\t- {name: X, dates: [2025-03-12]}\n", ["found character '\\t'", "line 3"]),
        ("kind: overrides\noff: *holidays\n", ["undefined alias 'holidays'", "line 2"]),
        ("- just a list\n", ["expected a mapping"]),
    ],
)
def test_malformed_override_file(tmp_path, text, expected):
    path = write(tmp_path, "over.yaml", text)
    with pytest.raises(CalendarFileError) as err:
        build_calendar(overrides=[path])
    for part in expected:
        assert part in str(err.value), str(err.value)


def test_missing_file(tmp_path):
    with pytest.raises(CalendarFileError, match="file not found"):
        build_calendar(tmp_path / "nope.yaml")


def test_bundled_files_validate():
    guangxi = load_regional(CALENDARS / "guangxi.yaml")
    xinjiang = load_regional(CALENDARS / "xinjiang.yaml")
    assert guangxi.since == 2014 and [b.year for b in guangxi.years] == list(range(2019, 2027))
    assert xinjiang.since == 2011 and [b.year for b in xinjiang.years] == list(range(2022, 2027))
    cancelled = next(b for b in guangxi.years if b.year == 2020)
    assert cancelled.off == [] and cancelled.confidence == "high"


# ---- coverage --------------------------------------------------------------------------


def test_coverage_notes(national, guangxi, xinjiang):
    notes_2027 = national.coverage_notes("2026-12-20", "2027-01-10")
    assert notes_2027 == [
        "calendar 2027: national schedule not yet published; "
        "make-up working days unknown, deadlines estimated"
    ]
    (xj_2024,) = xinjiang.coverage_notes("2024-04-01", "2024-04-30")
    assert "2024" in xj_2024 and "Xinjiang" in xj_2024 and "low-medium" in xj_2024
    assert "one secondary source" in xj_2024
    (gx_2025,) = guangxi.coverage_notes(day_number(dt.date(2025, 3, 1)), day_number(dt.date(2025, 3, 5)))
    assert "2025" in gx_2025 and "Guangxi" in gx_2025 and "medium" in gx_2025
    assert "press summaries only" in gx_2025
    # 2023: national published, Guangxi data with confidence high -> settled
    assert guangxi.coverage_notes("2023-01-01", "2023-12-31") == []
    # a year with no regional data after the region's start is flagged
    (gx_2016,) = guangxi.coverage_notes("2016-05-01", "2016-05-02")
    assert "no Guangxi regional holiday data for 2016" in gx_2016
    # before the region's start there is nothing to flag
    assert guangxi.coverage_notes("2010-01-01", "2010-12-31") == []
    # national years 2004..2026 are published
    assert national.coverage_notes("2004-01-01", "2026-12-31") == []
    # a span touching several unsettled years gives one note per (year, reason), in order
    notes = xinjiang.coverage_notes("2026-06-01", "2027-02-01")
    assert [n.split(":")[0] for n in notes] == ["calendar 2026", "calendar 2027", "calendar 2027"]


def test_coverage_table(guangxi, national):
    rows = guangxi.coverage()
    assert [r.year for r in rows] == list(range(2004, 2036))
    by_year = {r.year: r for r in rows}
    assert by_year[2023].settled and by_year[2023].regional_confidence == "high"
    assert by_year[2020].regional == "data" and by_year[2020].settled
    assert by_year[2025].regional_confidence == "medium" and not by_year[2025].settled
    assert by_year[2017].regional == "no-data"
    assert by_year[2010].regional == "before-since" and by_year[2010].settled
    assert by_year[2030].national == "estimated"
    table = pd.DataFrame(national.coverage())
    assert table.loc[table.year <= 2026, "national"].eq("published").all()
    assert table.loc[table.year >= 2027, "national"].eq("estimated").all()


# ---- range -----------------------------------------------------------------------------


def test_out_of_range_raises(national):
    with pytest.raises(CalendarRangeError, match="2003-12-31 is outside"):
        national.add_working_days("2003-12-31", 1)
    with pytest.raises(CalendarRangeError, match="falls after 2035-12-31"):
        national.add_working_days("2035-12-20", 30)
    with pytest.raises(CalendarRangeError, match="2036-01-0"):
        national.add_calendar_days("2035-12-30", 5)
    with pytest.raises(CalendarRangeError):
        national.wd_add(np.array([day_number(dt.date(2020, 1, 1)), day_number(dt.date(2040, 1, 1))]), 1)
    with pytest.raises(CalendarRangeError, match="year 2036"):
        national.entries(2036)
    with pytest.raises(CalendarRangeError):
        national.wd_sub_latest(day_number(dt.date(2004, 1, 5)), 10)
    # it is a ValueError, so generic input handling catches it
    assert issubclass(CalendarRangeError, ValueError)


def test_last_day_of_range_still_works(national):
    assert national.is_working_day("2035-12-31")  # a Monday
    assert national.add_working_days("2035-12-28", 1).date() == dt.date(2035, 12, 31)


# ---- cache -----------------------------------------------------------------------------


def test_cache_builds_once_and_rebuilds_on_change(tmp_path):
    path = write(tmp_path, "o.yaml", "kind: overrides\noff: [{name: X, dates: [2025-09-29]}]\n")
    first = build_calendar(overrides=[path])
    assert build_calendar(overrides=(path,)) is first
    assert build_calendar() is build_calendar(None, ())
    path.write_text("kind: overrides\noff: [{name: Y, dates: [2025-09-30]}]\n", encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    second = build_calendar(overrides=[path])
    assert second is not first
    assert second.is_working_day("2025-09-29") and not second.is_working_day("2025-09-30")


def test_arrays_are_read_only(national):
    with pytest.raises(ValueError):
        national.cum[0] = 5


# ---- resolving -j ----------------------------------------------------------------------


def test_resolve_names_and_profiles(tmp_path, monkeypatch):
    regional, overrides = calendar_files("guangxi")
    assert regional is not None and regional.name == "guangxi.yaml" and overrides == []
    assert calendar_files("yongzhou") == (None, [])
    with pytest.raises(UnknownJurisdictionError):
        calendar_files("atlantis")
    # a profile path: regional and overrides relative to the profile file
    (tmp_path / "cal").mkdir()
    own = write(tmp_path / "cal", "mine.yaml", (CALENDARS / "guangxi.yaml").read_text(encoding="utf-8"))
    extra = write(tmp_path, "extra.yaml", "kind: overrides\noff: [{name: X, dates: [2025-09-29]}]\n")
    profile = write(tmp_path, "p.yaml", "calendar:\n  regional: cal/mine.yaml\n  overrides: [extra.yaml]\n")
    assert calendar_files(str(profile)) == (own, [extra])
    child = write(tmp_path, "child.yaml", "extends: p.yaml\n")
    assert calendar_files(str(child)) == (own, [extra])
    broken = write(tmp_path, "broken.yaml", "calendar: {regional: cal/missing.yaml}\n")
    with pytest.raises(CalendarFileError, match="calendar.regional"):
        calendar_files(str(broken))


def test_a_variant_giving_part_of_calendar_keeps_the_rest_of_its_parents(tmp_path):
    """``extends: xinjiang`` with ``calendar: {overrides: [...]}``: the regional days stay, in
    the calendar verbs as in the check (the verbs dropped them: 2023-06-27 + 5 working days
    was 07-04 for ``deadline`` and 07-07 for ``check``)."""
    import govdata_policy as gp
    from govdata_policy.calendar.resolve import calendar_for_jurisdiction

    extra = write(tmp_path, "extra.yaml", "kind: overrides\noff: [{name: X, dates: [2027-09-29]}]\n")
    variant = write(tmp_path, "variant.yaml", "extends: xinjiang\ncalendar: {overrides: [extra.yaml]}\n")
    regional, overrides = calendar_files(str(variant))
    assert regional == CALENDARS / "xinjiang.yaml" and overrides == [extra]
    # 2023-06-27 (Tue) + 5 working days: 06-28..06-30 are 古尔邦节 in Xinjiang (regional days off),
    # 07-01/02 a weekend, so 07-03..07-07 are the five: due 2023-07-07
    start = dt.date(2023, 6, 27)
    assert calendar_for_jurisdiction(str(variant)).add_working_days(start, 5).date() == dt.date(2023, 7, 7)
    assert gp.load_jurisdiction(variant).calendar.add_working_days(start, 5).date() == dt.date(2023, 7, 7)
    dropped = write(tmp_path, "dropped.yaml", "extends: xinjiang\ncalendar: {regional: null}\n")
    # without the regional days: 06-28..06-30, 07-03, 07-04
    assert calendar_for_jurisdiction(str(dropped)).add_working_days(start, 5).date() == dt.date(2023, 7, 4)
    assert gp.load_jurisdiction(dropped).calendar.add_working_days(start, 5).date() == dt.date(2023, 7, 4)


def test_resolve_without_profile_uses_regional_file(tmp_path, monkeypatch):
    # before a jurisdiction has a profile, calendars/<j>.yaml alone is enough
    (tmp_path / "calendars").mkdir()
    write(tmp_path / "calendars", "xinjiang.yaml", (CALENDARS / "xinjiang.yaml").read_text(encoding="utf-8"))
    monkeypatch.setattr("govdata_policy.calendar.resolve.jurisdictions_dir", lambda: tmp_path)
    regional, _ = calendar_files("xinjiang")
    assert regional == tmp_path / "calendars" / "xinjiang.yaml"
    # without its profile, a jurisdiction without a regional file is unknown too (the engine keeps no list
    # of national-only names: Yongzhou's and Xinzhou's profiles say they have no regional file)
    for name in ("guangxi", "xinzhou"):
        with pytest.raises(UnknownJurisdictionError, match=f"unknown jurisdiction '{name}': give a path"):
            calendar_files(name)
