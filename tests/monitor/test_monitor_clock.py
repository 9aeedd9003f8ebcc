"""The monitor's clock is not moved by one mistyped far-future time (2034 for 2024): such an event is rejected,
the genuine ones after it are judged, and a snapshot keeps the genuine clock."""

from __future__ import annotations

from typing import Any

import pytest

import govdata_policy as gp
from govdata_policy.monitor import Monitor
from govdata_policy.monitor.core import MAX_AHEAD_DAYS
from govdata_policy.reasons_zh import reason_zh


def _request(case: str, time: str) -> dict[str, Any]:
    return {"case_id": case, "event": "share.requested", "time": time, "category": "conditional",
            "provider": "市公安局"}


def test_a_mistyped_year_is_rejected_and_the_events_after_it_are_judged() -> None:
    profile = gp.load_jurisdiction("yongzhou")
    monitor = profile.monitor(max_ahead_days=MAX_AHEAD_DAYS)
    monitor.push(_request("A", "2024-05-06 09:00"))
    assert monitor.push(_request("B", "2034-05-06 10:00")) == []
    # Yongzhou: a conditional request reviewed within 10 working days; A's review on 05-21 is late
    late = monitor.push({"case_id": "A", "event": "share.provider_reviewed", "time": "2024-05-21 10:00",
                         "outcome": "approved"})
    assert [v["kind"] for v in late] == ["late"]
    assert monitor.now == "2024-05-21T10:00:00+08:00"
    reason = ("time: 2034-05-06T10:00:00+08:00 is more than 92 days after the monitor's current time "
              "2024-05-06T09:00:00+08:00: too far ahead (a mistyped year?); if it is right, advance the monitor "
              "to it first")
    assert monitor.rejected == [{"row": 2, "reason": reason, "case_id": "B"}]
    assert reason_zh(reason).startswith("time：2034-05-06T10:00:00+08:00比监测器的当前时间")
    stats = monitor.stats()
    assert (stats["too_far_ahead"], stats["rejected"], stats["out_of_order"], stats["accepted"]) == (1, 1, 0, 2)
    assert Monitor.restore(profile, monitor.snapshot()).now == "2024-05-21T10:00:00+08:00"


def test_the_guard_counts_whole_days_from_the_current_time() -> None:
    monitor = gp.load_jurisdiction("yongzhou").monitor(max_ahead_days=MAX_AHEAD_DAYS)
    monitor.push(_request("A", "2024-01-01 09:00"))
    assert monitor.push(_request("B", "2024-04-02 09:00:01")) == [] and monitor.stats()["too_far_ahead"] == 1
    monitor.push(_request("C", "2024-04-02 09:00"))  # 92 days later, to the second: accepted
    assert monitor.stats()["accepted"] == 2 and monitor.now == "2024-04-02T09:00:00+08:00"


def test_the_first_event_and_advance_set_the_clock_and_none_turns_the_guard_off() -> None:
    profile = gp.load_jurisdiction("yongzhou")
    monitor = profile.monitor(max_ahead_days=MAX_AHEAD_DAYS)
    monitor.push(_request("A", "2030-01-02 09:00"))  # nothing before it to be ahead of
    monitor.advance("2031-06-30")
    monitor.push(_request("B", "2031-07-01 09:00"))
    assert monitor.stats()["rejected"] == 0 and monitor.now == "2031-07-01T09:00:00+08:00"
    unguarded = profile.monitor(max_ahead_days=None)
    unguarded.push(_request("A", "2024-01-02 09:00"))
    unguarded.push(_request("B", "2031-07-01 09:00"))
    assert unguarded.stats()["rejected"] == 0
    narrow = profile.monitor(max_ahead_days=0)
    narrow.push(_request("A", "2024-01-02 09:00"))
    narrow.push(_request("B", "2024-01-02 09:00:01"))
    assert narrow.stats()["too_far_ahead"] == 1


def test_a_restored_monitor_keeps_its_guard() -> None:
    profile = gp.load_jurisdiction("yongzhou")
    monitor = profile.monitor(max_ahead_days=10)
    monitor.push(_request("A", "2024-01-02 09:00"))
    restored = Monitor.restore(profile, monitor.snapshot())
    restored.push(_request("B", "2024-01-13 09:00"))
    assert restored.stats()["too_far_ahead"] == 1


@pytest.mark.parametrize("days", [-1, 1.5, "92"])
def test_max_ahead_days_is_a_whole_number_of_days(days: Any) -> None:
    with pytest.raises(ValueError, match="max_ahead_days"):
        gp.load_jurisdiction("yongzhou").monitor(max_ahead_days=days)


@pytest.mark.parametrize("name", ["guangxi", "yongzhou", "xinjiang", "xinzhou"])
def test_a_default_monitor_replaying_a_shipped_example_finds_what_the_batch_finds(name: str) -> None:
    # CONTRACT.md: a log pushed in time order, then advance(as_of), gives evaluate's violations. With the guard
    # on by default (92 days), the examples' quiet spells of months had every later event rejected: Yongzhou
    # 0 violations against 27
    import csv
    from collections import Counter
    from pathlib import Path

    from monitor_helpers import KEY_FIELDS

    path = Path(__file__).resolve().parents[2] / "examples" / f"{name}.csv"
    with path.open(encoding="utf-8") as handle:
        rows = [{k: v for k, v in row.items() if v} for row in csv.DictReader(handle)]
    profile = gp.load_jurisdiction(name)
    monitor = profile.monitor()
    found = [v for row in sorted(rows, key=lambda row: row["time"]) for v in monitor.push(row)]
    found += monitor.advance("2025-12-31")
    batch = profile.evaluate(path, as_of="2025-12-31").to_dict()["violations"]
    assert monitor.stats()["rejected"] == 0 and found
    assert Counter(tuple(v[f] for f in KEY_FIELDS) for v in found) == Counter(
        tuple(v[f] for f in KEY_FIELDS) for v in batch)
