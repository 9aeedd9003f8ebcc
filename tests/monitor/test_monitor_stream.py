"""A stream's own concerns: order, duplicates, bad rows, the clock, validity, evicted context."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import pytest

from govdata_policy.io import read_raw, validate
from govdata_policy.monitor.scalar_validate import EventParser


def _request(case: str, time: Any, **extra: Any) -> dict[str, Any]:
    return {"case_id": case, "event": "share.requested", "time": time, "category": "conditional", **extra}


def test_out_of_order_is_rejected_with_a_reason(profiles):
    monitor = profiles["yongzhou"].monitor()
    assert monitor.push(_request("A", "2024-05-06 09:00")) == []
    assert monitor.push(_request("B", "2024-05-06 08:59")) == []
    assert monitor.rejected == [{"row": 2, "reason": (
        "time: 2024-05-06T08:59:00+08:00 is before the monitor's current time 2024-05-06T09:00:00+08:00: "
        "out of order (a monitor only moves forward; push each source in time order)"), "case_id": "B"}]
    monitor.push(_request("C", "2024-05-06 09:00"))  # the same time as the clock: accepted
    stats = monitor.stats()
    assert (stats["out_of_order"], stats["rejected"], stats["accepted"], stats["open_cases"]) == (1, 1, 2, 2)


def test_duplicates_are_recognised_not_rejected(profiles):
    monitor = profiles["yongzhou"].monitor()
    event = _request("A", "2024-05-06 09:00", provider="市公安局")
    monitor.push(event)
    assert monitor.push(dict(event)) == []  # at the current time
    monitor.push(_request("B", "2024-05-07 09:00"))
    # a resend of A's latest event, after the clock moved on: still a duplicate, not out of order
    assert monitor.push({**event, "category": " Conditional "}) == []  # same after validation
    stats = monitor.stats()
    assert (stats["duplicates"], stats["rejected"], stats["open_obligations"]) == (2, 0, 2)
    # same case and time, another value: not a duplicate
    monitor.push({**event, "time": "2024-05-07 09:00", "provider": "市卫健委"})
    assert monitor.stats()["duplicates"] == 2


BAD_EVENTS = [
    {"event": "share.requested", "time": "2024-05-06 09:00"},
    {"case_id": "  ", "event": "share.requestd", "time": "2024-13-01"},
    {"case_id": "A", "event": "Share.Requested", "time": "2024-02-30 10:00"},
    {"case_id": "A", "event": "share.requested", "time": None},
    {"case_id": "A", "event": "share.requested", "time": "2024-05-06 09:00", "category": "on_request"},
    {"case_id": "A", "event": "open.requested", "time": "2024-05-06 09:00", "category": "unconditional"},
    {"case_id": "A", "event": "share.provider_reviewed", "time": "2024-05-06", "outcome": "maybe",
     "emergency": "perhaps", "extra_working_days": "3.5", "rectify_by": "soon", "scope": "city"},
    {"case_id": "A", "event": "conduct.log_deleted", "time": "2024-05-06 09:00", "log_created_at": "2024/13/01"},
    {"case_id": "A", "event": "share.requested", "time": "1999-05-06 09:00"},
    {"case_id": "A", "event": "share.requested", "time": "2040-05-06 09:00"},
    {"case_id": "A", "event": "catalog_offline", "time": True},
]


def test_invalid_events_get_the_batch_reasons_and_the_monitor_goes_on(profiles):
    profile = profiles["yongzhou"]
    good = _request("OK", "2024-05-06 09:00")
    answer = {"case_id": "OK", "event": "share.provider_reviewed", "time": "2024-06-21 10:00"}
    log = [*BAD_EVENTS, good, answer]
    batch = profile.evaluate(log, as_of="2024-06-30").to_dict()
    monitor = profile.monitor()
    found = [v for event in log for v in monitor.push(event)]
    assert [(r["row"], r["reason"]) for r in monitor.rejected] == [
        (r["row"], r["reason"]) for r in batch["rejected_rows"]]
    assert len(monitor.rejected) == len(BAD_EVENTS)
    assert [v["kind"] for v in found] == ["late"]
    assert found[0]["evidence_rows"] == [len(BAD_EVENTS) + 1, len(BAD_EVENTS) + 2]


TRICKY_VALUES = [
    {"case_id": " A ", "event": "SHARE.REQUESTED", "time": " 2024-05-06 09:00 ", "category": " CONDITIONAL ",
     "emergency": "是", "cross_level": "Y", "dedicated": 1, "requester_level": "City"},
    {"case_id": 17, "event": "quality.extension_approved", "time": "2024/5/6 9:00", "extra_working_days": 3},
    {"case_id": "A", "event": "quality.extension_approved", "time": "2024年5月6日 09:00:30",
     "extra_working_days": "007"},
    {"case_id": "A", "event": "share.requested", "time": "20240506", "category": "unconditional"},
    {"case_id": "A", "event": "share.requested", "time": "2024-05-06T09:00:00Z", "mounted": False},
    {"case_id": "A", "event": "share.requested", "time": "2024-05-06T09:00:00.250+08:00"},
    {"case_id": "A", "event": "share.requested", "time": dt.datetime(2024, 5, 6, 9, 0), "reason": 3.0},
    {"case_id": "A", "event": "share.requested", "time": pd.Timestamp("2024-05-06 09:00", tz="UTC")},
    {"case_id": "A", "event": "resource.offline_requested", "time": "2024-05-06 09:00",
     "planned_offline_at": "2024-07-01", "rectify_by": dt.date(2024, 6, 1), "note": "", "kind": "DATA"},
]


@pytest.mark.parametrize("event", TRICKY_VALUES, ids=range(len(TRICKY_VALUES)))
def test_one_event_is_read_as_the_batch_reads_its_row(event):
    frame, rejected = validate(read_raw([event]))
    parsed = EventParser().parse(event)
    assert not rejected and not isinstance(parsed, str), (rejected, parsed)
    case_id, name, t, day, attrs, keys = parsed
    assert sorted(keys) == sorted(attrs)
    row = frame.iloc[0]
    assert (case_id, name, t, day) == (row["case_id"], row["event"], row["time_ns"], row["day"])
    batch_attrs = {k: (v.item() if hasattr(v, "item") else v) for k, v in row.items()
                   if k not in ("row", "case_id", "event", "time_ns", "day") and not pd.isna(v)}
    assert attrs == batch_attrs


def test_advance_reports_overdue_and_missing_once(profiles):
    monitor = profiles["yongzhou"].monitor()
    monitor.push(_request("A", "2024-05-06 09:00"))
    monitor.push({"case_id": "S", "event": "security.incident", "time": "2024-05-07 09:00", "kind": "data"})
    with pytest.raises(TypeError, match="wall clock"):
        monitor.advance(None)
    early = monitor.advance("2024-05-06")  # a date alone: the end of that day
    assert [v["kind"] for v in early] == []  # the incident came after it
    assert monitor.now == "2024-05-07T09:00:00+08:00"  # the clock never goes back
    found = monitor.advance("2024-05-31")
    assert sorted(v["kind"] for v in found) == ["missing", "overdue"]
    overdue = next(v for v in found if v["kind"] == "overdue")
    # 10 working days from Monday 6 May 2024 end on Friday 17 May: Saturday 11 May was a make-up working day
    assert overdue["due"] == "2024-05-17T23:59:59+08:00" and overdue["working_days_late"] == 10
    assert monitor.advance("2024-06-30") == []
    # a late answer after the overdue report is still reported, as late
    late = monitor.push({"case_id": "A", "event": "share.provider_reviewed", "time": "2024-07-01 10:00"})
    assert [v["kind"] for v in late] == ["late"]
    assert monitor.stats()["open_obligations"] == 0


def test_validity_c6_counted_not_returned(profiles):
    monitor = profiles["xinjiang"].monitor(max_ahead_days=None)  # two years apart, on purpose
    outside = monitor.push({"case_id": "X", "event": "conduct.third_party_transfer", "time": "2022-06-01 10:00"})
    inside = monitor.push({"case_id": "Y", "event": "conduct.third_party_transfer", "time": "2024-06-01 10:00"})
    assert outside == [] and [v["kind"] for v in inside] == ["prohibited"]
    assert monitor.stats()["outside_validity"] == 1
    kinds = {note["kind"] for note in monitor.notes()}
    assert {"trial", "validity"} <= kinds
    everything = profiles["xinjiang"].monitor(enforce_validity=False, max_ahead_days=None)
    assert everything.push({"case_id": "X", "event": "conduct.third_party_transfer", "time": "2022-06-01 10:00"})


def test_evicted_context_is_flagged(profiles):
    """Past the recently-closed cache, a case's later event is judged without context, and says so."""
    monitor = profiles["guangxi"].monitor(closed_cache_size=1)
    publicized = {"case_id": "A", "event": "resource.offline_publicized", "time": "2024-03-01 09:00"}
    monitor.push(publicized)
    monitor.push({"case_id": "B", "event": "catalog.offline_requested", "time": "2024-03-02 09:00"})
    monitor.push({"case_id": "C", "event": "share.paper_demanded", "time": "2024-03-03 09:00"})
    assert monitor.stats()["evicted_cases"] >= 1
    found = monitor.push({"case_id": "A", "event": "resource.offline_executed", "time": "2024-06-03 09:00"})
    assert found and all("evicted" in v["note"] for v in found)
    # with room in the cache the same case is judged with its context and carries no note
    roomy = profiles["guangxi"].monitor()
    roomy.push(publicized)
    assert all("note" not in v for v in roomy.push(
        {"case_id": "A", "event": "resource.offline_executed", "time": "2024-06-03 09:00"}))
    assert any(n["kind"] == "monitor" for n in monitor.notes())


def test_dates_rules_count_working_days_on_must_lie_on_the_calendar(profiles):
    """A due date (Xinjiang 44) or a lead time's date (Guangxi 27.1) off the calendar: refused, nothing kept."""
    monitor = profiles["xinjiang"].monitor()
    assert monitor.push({"case_id": "R", "event": "conduct.rectification_ordered", "time": "2024-05-06 09:00",
                         "rectify_by": "2040-01-01"}) == []
    assert monitor.rejected == [{"row": 1, "reason": (
        "rectify_by: 2040-01-01 is outside the working-day calendar (2004-01-01 .. 2035-12-31)"), "case_id": "R"}]
    assert monitor.stats()["open_obligations"] == 0 and monitor.now is None
    monitor = profiles["guangxi"].monitor()
    monitor.push({"case_id": "O", "event": "resource.offline_requested", "time": "2024-05-06 09:00",
                  "planned_offline_at": "2004-01-10"})
    assert [r["reason"].split(":")[0] for r in monitor.rejected] == ["planned_offline_at"]
    late = monitor.push({"case_id": "O", "event": "resource.offline_requested", "time": "2024-05-07 09:00",
                         "planned_offline_at": "2024-05-20"})
    assert [v["kind"] for v in late] == ["late"]
