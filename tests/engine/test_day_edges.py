"""Edges a platform's audit found: a whole number written "10.0", and the last second of a due day.

Batch and monitor are held to the same answers.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

import govdata_policy as gp

# Yongzhou 21: an objection verified within 5 working days, plus an approved extension (at most 15).
# Raised Mon 2024-06-03: 5 wd -> 06-04..06-07 (4), 06-10 is 端午 (off), 06-11 (5): due 06-11; with
# 10 more working days: 06-12..06-14 (3), 06-17..06-21 (8), 06-24, 06-25 (10): due 06-25. Resolved
# 06-25 17:30: met with the extension, 10 working days late without it.
QUALITY = [
    {"case_id": "Q", "event": "quality.objection_raised", "time": "2024-06-03 09:00", "provider": "x"},
    {"case_id": "Q", "event": "quality.extension_approved", "time": "2024-06-05 15:00", "extra_working_days": 10},
    {"case_id": "Q", "event": "quality.objection_resolved", "time": "2024-06-25 17:30"},
]


def test_a_whole_number_written_with_point_zero_is_that_number(tmp_path: Path) -> None:
    # pandas writes an integer column with a gap as 10.0: the DataFrame was read as 10, its CSV refused
    path = tmp_path / "q.csv"
    pd.DataFrame(QUALITY).to_csv(path, index=False)
    assert "10.0" in path.read_text(encoding="utf-8")
    yongzhou = gp.load_jurisdiction("yongzhou")
    for source in (pd.DataFrame(QUALITY), path):
        result = yongzhou.evaluate(source, as_of="2024-07-31")
        assert not result.rejected_rows and result.violations.empty, source
    monitor = yongzhou.monitor()
    for event in pd.read_csv(path, dtype=str).to_dict("records"):
        monitor.push({key: value for key, value in event.items() if isinstance(value, str)})
    assert not monitor.rejected and not monitor.advance("2024-07-31")


def test_other_numbers_are_still_refused() -> None:
    events = [dict(QUALITY[1], extra_working_days=text) for text in ("10.5", "1e1", "-3", "10.")]
    rejected = gp.load_jurisdiction("yongzhou").evaluate(events, as_of="2024-07-31").rejected_rows
    assert [r["reason"].split(":")[0] for r in rejected] == ["extra_working_days"] * 4


# A conditional request on Fri 2024-06-14 is due in 10 working days: 06-17..06-21 (5), 06-24..06-28 (10).
REQUEST = {"case_id": "A", "event": "share.requested", "time": "2024-06-14 10:00", "category": "conditional",
           "provider": "p"}


def test_the_due_day_is_over_at_the_next_days_first_instant_not_at_its_last_second() -> None:
    # a reply at 23:59:59.5 of the due day is on time; an as_of then is not yet overdue (it was, 0 days)
    yongzhou = gp.load_jurisdiction("yongzhou")
    reply = {"case_id": "A", "event": "share.provider_reviewed", "time": "2024-06-28 23:59:59.5", "outcome": "approved"}
    assert list(yongzhou.evaluate([REQUEST, reply], as_of="2024-07-31").obligations["status"]) == ["met"]
    for as_of, kinds in (("2024-06-28T23:59:59.5+08:00", []), ("2024-06-29T00:00:00+08:00", ["overdue"])):
        batch = yongzhou.evaluate([REQUEST], as_of=as_of)
        monitor = yongzhou.monitor()
        monitor.push(REQUEST)
        assert list(batch.violations["kind"]) == kinds, as_of
        assert [finding["kind"] for finding in monitor.advance(as_of)] == kinds, as_of


def test_a_result_without_findings_has_the_column_types_of_one_with_them() -> None:
    # every column was object when nothing was found: .dt failed on exactly the clean runs
    from govdata_policy.distributed import _concat
    from govdata_policy.engine.assemble import OBLIGATION_FIELDS, VIOLATION_FIELDS

    yongzhou = gp.load_jurisdiction("yongzhou")
    quiet = yongzhou.evaluate([REQUEST], as_of="2024-06-14", obligations=True)  # the request's own day
    busy = yongzhou.evaluate([REQUEST], as_of="2024-07-31", obligations=True)
    assert quiet.violations.empty and not busy.violations.empty
    assert quiet.violations.dtypes.to_dict() == busy.violations.dtypes.to_dict()
    assert str(quiet.violations["due"].dtype) == "datetime64[ns, Asia/Shanghai]"
    assert pd.concat([quiet.violations, busy.violations])["due"].dtype == busy.violations["due"].dtype
    nothing = yongzhou.evaluate([], as_of="2024-07-31", obligations=True)
    assert nothing.obligations.dtypes.to_dict() == busy.obligations.dtypes.to_dict()
    # the Dask path's table when no partition found anything
    assert _concat([], VIOLATION_FIELDS).dtypes.to_dict() == busy.violations.dtypes.to_dict()
    assert _concat([], OBLIGATION_FIELDS).dtypes.to_dict() == busy.obligations.dtypes.to_dict()


def test_a_number_as_of_is_refused_saying_how_to_write_it() -> None:
    # an epoch in seconds was read as nanoseconds: "as_of: 1970-01-01 is outside the working-day calendar"
    import pytest

    yongzhou = gp.load_jurisdiction("yongzhou")
    for number in (1719763200, 20240701, 1.7e9):
        with pytest.raises(ValueError, match=r"as_of: cannot read .* as a date or a time \(write YYYY-MM-DD\)"):
            yongzhou.evaluate([REQUEST], as_of=number)
        with pytest.raises(ValueError, match="write YYYY-MM-DD"):
            yongzhou.monitor().advance(number)


def test_an_event_in_the_last_second_of_the_as_of_day_is_checked() -> None:
    # as_of 2024-06-11 (a date) is the end of that day; it was 23:59:59.000, so an answer at 23:59:59.5 of it was
    # "after as_of": left out with a note, and the objection of QUALITY (due 06-11) shown unanswered
    answered = [QUALITY[0], {**QUALITY[2], "time": "2024-06-11T23:59:59.500+08:00"}]
    result = gp.load_jurisdiction("yongzhou").evaluate(answered, as_of="2024-06-11")
    assert result.as_of == "2024-06-11T23:59:59+08:00" and result.notes == []
    assert result.obligations["status"].tolist() == ["met"]


def test_an_event_at_the_as_of_instant_itself_is_checked() -> None:
    # as_of is "at or before": a reply logged at the very instant of a timed as_of answers the request (REQUEST, due
    # Fri 2024-06-28: 06-17..06-21 and 06-24..06-28 are its 10 working days). Were it read as after as_of, it
    # would be left out with a note and the request shown pending (06-28 is its due day, not yet over)
    yongzhou = gp.load_jurisdiction("yongzhou")
    reply = {"case_id": "A", "event": "share.provider_reviewed", "time": "2024-06-28 12:00", "outcome": "approved"}
    result = yongzhou.evaluate([REQUEST, reply], as_of="2024-06-28T12:00:00+08:00")
    assert result.notes == [] and result.violations.empty
    assert result.obligations["status"].tolist() == ["met"]
    assert str(result.obligations["fulfilled_at"].iloc[0]) == "2024-06-28 12:00:00+08:00"
