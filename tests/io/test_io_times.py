"""Each timestamp form Chinese systems write, with its UTC instant worked out."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from govdata_policy.io.times import NA_NS, parse_time, parse_times

S = 10**9
# 2024-05-06 00:00 UTC is 19849 days after 1970-01-01: 19849 * 86400 = 1714953600 s.
MAY6_UTC_MIDNIGHT = 1_714_953_600 * S
# 09:00 +08:00 on 6 May is 01:00 UTC on 6 May.
MAY6_0900_LOCAL = MAY6_UTC_MIDNIGHT + 1 * 3600 * S
# Local midnight (00:00 +08:00) on 6 May is 16:00 UTC on 5 May.
MAY6_LOCAL_MIDNIGHT = MAY6_UTC_MIDNIGHT - 8 * 3600 * S

FORMS = [
    # no offset: Asia/Shanghai local, 09:00 local = 01:00 UTC
    ("2024-05-06 09:00:00", MAY6_0900_LOCAL),
    # explicit +08:00: the same instant
    ("2024-05-06T09:00:00+08:00", MAY6_0900_LOCAL),
    # Z: 01:00 UTC as written
    ("2024-05-06T01:00:00Z", MAY6_0900_LOCAL),
    # other offsets: 09:00 at -05:00 is 14:00 UTC
    ("2024-05-06T09:00:00-05:00", MAY6_UTC_MIDNIGHT + 14 * 3600 * S),
    ("2024-05-06 09:00:00 +0800", MAY6_0900_LOCAL),
    # a date alone is local midnight, 16:00 UTC the day before
    ("2024-05-06", MAY6_LOCAL_MIDNIGHT),
    # slashes without zero padding, minutes only
    ("2024/5/6 9:00", MAY6_0900_LOCAL),
    ("2024/05/06 09:00:00", MAY6_0900_LOCAL),
    # Chinese date, with and without a time
    ("2024年5月6日 09:00", MAY6_0900_LOCAL),
    ("2024年5月6日", MAY6_LOCAL_MIDNIGHT),
    ("2024年5月6日9时30分", MAY6_0900_LOCAL + 30 * 60 * S),
    # compact yyyymmdd: local midnight
    ("20240506", MAY6_LOCAL_MIDNIGHT),
    # the clock in digits: Java's yyyyMMddHHmmss (and HHmm), ISO 8601's basic format with T, its offset
    ("20240506090000", MAY6_0900_LOCAL),
    ("202405060930", MAY6_0900_LOCAL + 30 * 60 * S),
    ("20240506T0900", MAY6_0900_LOCAL),
    ("20240506T090000.5", MAY6_0900_LOCAL + S // 2),
    # 01:00 at Z, and 09:00 at +0800, are both 09:00 local
    ("20240506T010000Z", MAY6_0900_LOCAL),
    ("20240506T090000+0800", MAY6_0900_LOCAL),
    # fractions of a second: .5 s after 09:00:00 local
    ("2024-05-06 09:00:00.5", MAY6_0900_LOCAL + S // 2),
    # Excel serial date as text: day 45418 is 2024-05-06 (25569 is 1970-01-01, 45418 - 25569 =
    # 19849), .375 of a day is 09:00 local
    ("45418.375", MAY6_0900_LOCAL),
    # surrounding blanks are ignored
    ("  2024-05-06 09:00:00 ", MAY6_0900_LOCAL),
    # a 12-hour clock, as a Chinese-locale export writes it (上午 morning, 下午 afternoon) or an
    # English one (AM/PM): 下午3:00 is 15:00 local, six hours after 09:00
    ("2024/5/6 下午 3:00:00", MAY6_0900_LOCAL + 6 * 3600 * S),
    ("2024-05-06 下午3:00", MAY6_0900_LOCAL + 6 * 3600 * S),
    ("2024年5月6日上午9:00", MAY6_0900_LOCAL),
    ("2024-05-06 3:00 PM", MAY6_0900_LOCAL + 6 * 3600 * S),
    ("2024-05-06 9:00:00 am", MAY6_0900_LOCAL),
    # 上午12:30 is half past midnight; 12:30 PM half past noon; 下午15:00 says 15:00 twice over
    ("2024-05-06 上午12:30", MAY6_LOCAL_MIDNIGHT + 30 * 60 * S),
    ("2024-05-06 12:30 PM", MAY6_LOCAL_MIDNIGHT + (12 * 60 + 30) * 60 * S),
    ("2024-05-06 下午15:00", MAY6_0900_LOCAL + 6 * 3600 * S),
]


@pytest.mark.parametrize(("text", "expected"), FORMS)
def test_each_form_alone(text: str, expected: int) -> None:
    ns, bad = parse_times(pd.Series([text], dtype="str"))
    assert not bad[0]
    assert ns[0] == expected, pd.Timestamp(int(ns[0]), tz="UTC")


def test_all_forms_in_one_column_and_as_objects() -> None:
    texts = [t for t, _ in FORMS]
    expected = [e for _, e in FORMS]
    for series in (pd.Series(texts, dtype="str"), pd.Series(texts, dtype=object), pa.array(texts)):
        ns, bad = parse_times(series)
        assert not bad.any()
        assert ns.tolist() == expected


@pytest.mark.parametrize(
    "text",
    ["2024-13-01", "2024-02-30", "2023-02-29", "2024-05-06 24:00:00", "2024-05-06 09:60", "yesterday",
     "2024-05", "12345", "20241340", "1800-01-01", "五月六日", "2024-05-06 09:00:00 +8 hours",
     # shapes read by strptime first, which would roll these over into the next month/minute
     "2024/2/30 9:00", "2024/5/6 9:00:60", "2023年2月29日", "2024-4-31 10:00:00", "2400/1/1",
     # a 12-hour clock that contradicts itself: morning at 13:00, afternoon at 0:30
     "2024-05-06 上午13:00", "2024-05-06 0:30 PM",
     # two marks, agreeing or not: one too many to trust (they were read as 03:00)
     "2024-05-06 下午3:00 PM", "2024-05-06 上午3:00 PM",
     # the clock in digits: an hour alone, a clock given twice, hour 25, 30 February, one digit too many
     "2024050609", "20240506090000 09:00", "20240506250000", "20240230090000", "202405060900001",
     # a clock twice whose hours add past 99 ("6000" and "50:00"): refused, not an IndexError for the column
     "202405066000 50:00", "20240506T9999 99:99"],
)
def test_unreadable(text: str) -> None:
    ns, bad = parse_times(pd.Series([text, "2024-05-06 09:00:00"], dtype="str"))
    assert bad.tolist() == [True, False]
    assert ns[1] == MAY6_0900_LOCAL
    with pytest.raises(ValueError, match="cannot read"):
        parse_time(text)


def test_a_time_not_read_is_said_in_chinese_too() -> None:
    # io.parse_time, timeutil.to_timestamp (deadline --start, a pushed event's time) and the calendar's
    # add_working_days: the ValueError English code matches, with the Chinese text errors.Bilingual carries
    from govdata_policy.calendar.resolve import calendar_for_jurisdiction
    from govdata_policy.errors import zh_of
    from govdata_policy.timeutil import to_timestamp

    calendar = calendar_for_jurisdiction("yongzhou")
    for read in (parse_time, to_timestamp, lambda text: calendar.add_working_days([text], 1)):
        with pytest.raises(ValueError, match="cannot read '?2024-13-01'? as a time") as refused:
            read("2024-13-01")
        assert zh_of(refused.value) in ("无法将'2024-13-01'识别为时间", "无法将2024-13-01识别为时间")


def test_leap_day_is_a_date() -> None:
    # 2024 is a leap year: 29 Feb 00:00 local = 28 Feb 16:00 UTC
    assert parse_time("2024-02-29") == int(pd.Timestamp("2024-02-28 16:00", tz="UTC").value)


def test_missing_values_are_not_bad() -> None:
    ns, bad = parse_times(pd.Series(["", "   ", None, np.nan], dtype=object))
    assert not bad.any()
    assert (ns == NA_NS).all()
    assert parse_time(None) is None


def test_numeric_columns_excel_serials_and_yyyymmdd() -> None:
    # 45418.375 = 2024-05-06 09:00 local; 20240506 = local midnight; 5 is neither
    ns, bad = parse_times(pd.Series([45418.375, 20240506, np.nan, 5.0]))
    assert ns[:2].tolist() == [MAY6_0900_LOCAL, MAY6_LOCAL_MIDNIGHT]
    assert bad.tolist() == [False, False, False, True]
    ns, bad = parse_times(pd.Series([20240506], dtype="Int64"))
    assert ns[0] == MAY6_LOCAL_MIDNIGHT


def test_numbers_with_the_clock_in_digits() -> None:
    # a CSV or JSON column of yyyyMMddHHmmss read as integers: 20240506093000 is 09:30:00 local,
    # 202405060900 09:00; hour 25, 30 February and 10 digits (an hour alone) are no time
    ns, bad = parse_times(pd.Series([20240506093000, 202405060900, 20240506250000, 20240230090000, 2024050609]))
    assert ns[:2].tolist() == [MAY6_0900_LOCAL + 30 * 60 * S, MAY6_0900_LOCAL]
    assert bad.tolist() == [False, False, True, True, True]
    ns, bad = parse_times(pa.array([20240506093000], pa.int64()))
    assert ns.tolist() == [MAY6_0900_LOCAL + 30 * 60 * S] and not bad.any()


def test_serial_seconds_do_not_drift() -> None:
    # 09:00:01 is 32401/86400 of a day, not exact in binary; ms rounding keeps the second
    serial = 45418 + 32401 / 86400
    ns, _ = parse_times(pd.Series([serial]))
    assert ns[0] == MAY6_0900_LOCAL + S


def test_datetime_values() -> None:
    naive = pd.Series(pd.to_datetime(["2024-05-06 09:00"]))  # naive = local
    aware = pd.Series(pd.to_datetime(["2024-05-06 01:00"]).tz_localize("UTC"))
    seconds = naive.astype("datetime64[s]")  # pandas 3 keeps second resolution
    for series in (naive, aware, seconds):
        ns, bad = parse_times(series)
        assert ns.tolist() == [MAY6_0900_LOCAL] and not bad.any()
    mixed = pd.Series(
        [dt.datetime(2024, 5, 6, 9), dt.datetime(2024, 5, 6, 1, tzinfo=dt.UTC), dt.date(2024, 5, 6),
         pd.Timestamp("2024-05-06 09:00"), np.datetime64("2024-05-06T09:00"), True, None],
        dtype=object,
    )
    ns, bad = parse_times(mixed)
    assert ns[:5].tolist() == [MAY6_0900_LOCAL, MAY6_0900_LOCAL, MAY6_LOCAL_MIDNIGHT,
                               MAY6_0900_LOCAL, MAY6_0900_LOCAL]
    assert bad.tolist() == [False] * 5 + [True, False]


def test_fast_path_and_fallback_agree_on_a_big_column() -> None:
    # more rows than one block of the ISO pass (65536), so a block can fail alone
    stamps = pd.date_range("2024-01-01", periods=70_000, freq="37min")
    text = pd.Series(stamps.strftime("%Y-%m-%d %H:%M:%S"), dtype="str")
    expected = stamps.tz_localize("Asia/Shanghai").tz_convert("UTC").as_unit("ns").asi8
    ns, bad = parse_times(text)  # Arrow's cast over the whole column
    assert np.array_equal(ns, expected) and not bad.any()
    spoiled = text.copy()
    spoiled.iloc[[100, 69_000]] = ["garbage", "2024-02-30 09:00:00"]  # both blocks go to pass 2
    ns, bad = parse_times(spoiled)
    assert bad.nonzero()[0].tolist() == [100, 69_000]
    assert np.array_equal(np.delete(ns, [100, 69_000]), np.delete(expected, [100, 69_000]))
    # the other shapes: slashes without padding, and 年月日, through strptime and the pattern
    for fmt in ("%Y/%-m/%-d %-H:%M", "%Y年%-m月%-d日 %H:%M:%S", "%Y/%m/%d"):
        other = pd.Series(stamps.strftime(fmt), dtype="str")
        want = pd.to_datetime(stamps.strftime(fmt.replace("%-", "%")), format=fmt.replace("%-", "%"))
        want = want.tz_localize("Asia/Shanghai").tz_convert("UTC").as_unit("ns").asi8
        ns, bad = parse_times(other)
        assert not bad.any() and np.array_equal(ns, want), fmt
