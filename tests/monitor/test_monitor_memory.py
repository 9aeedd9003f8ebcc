"""Open state stays bounded on a long stream of cases that open and settle.

200,000 events here (100,000 cases, each a request answered in time) keep
the test to a few seconds; benchmarks/bench_monitor.py pushes 1,000,000.
The bound is asserted on the monitor's own counters, not on process memory.
"""

from __future__ import annotations

import datetime as dt

EVENTS = 200_000
CACHE = 10_000


def _times(n: int) -> list[str]:
    """One time a minute from 2024-03-01 09:00, as plain strings."""
    start = dt.datetime(2024, 3, 1, 9, 0)
    return [(start + dt.timedelta(minutes=i)).strftime("%Y-%m-%d %H:%M:%S") for i in range(n)]


def test_closed_cases_do_not_pile_up(profiles):
    monitor = profiles["yongzhou"].monitor(closed_cache_size=CACHE)
    times = _times(EVENTS)
    push = monitor.push
    peak_open = 0
    for i in range(0, EVENTS, 2):
        case = f"R{i}"
        push({"case_id": case, "event": "share.requested", "time": times[i], "category": "conditional",
              "provider": "市公安局", "requester": "市卫健委"})
        assert not push({"case_id": case, "event": "share.provider_reviewed", "time": times[i + 1],
                         "outcome": "approved"})
        if i % 20_000 == 0:
            peak_open = max(peak_open, monitor.stats()["open_cases"])
    stats = monitor.stats()
    assert stats["events_pushed"] == EVENTS
    assert stats["accepted"] == EVENTS and stats["rejected"] == 0
    assert stats["open_cases"] == 0 and stats["open_obligations"] == 0 and peak_open <= 1
    assert stats["cached_closed_cases"] == CACHE
    assert stats["evicted_cases"] == EVENTS // 2 - CACHE
    # fulfilled obligations leave stale heap entries; compaction keeps them bounded
    assert stats["heap_entries"] <= 2 * 4096 + 2


def test_open_obligations_are_what_stays(profiles):
    """Unanswered requests stay open (and are reported overdue once); answered ones go."""
    monitor = profiles["yongzhou"].monitor(closed_cache_size=100)
    times = _times(2_000)
    for i in range(1_000):
        monitor.push({"case_id": f"Q{i}", "event": "share.requested", "time": times[i], "category": "conditional"})
    for i in range(0, 1_000, 2):
        monitor.push({"case_id": f"Q{i}", "event": "share.provider_reviewed", "time": times[1_000 + i]})
    stats = monitor.stats()
    assert stats["open_cases"] == 500 and stats["open_obligations"] == 500
    assert stats["cached_closed_cases"] == 100
    overdue = monitor.advance("2024-06-30")
    assert len(overdue) == 500 and {v["kind"] for v in overdue} == {"overdue"}
    assert monitor.advance("2024-07-31") == []  # each reported once
    assert monitor.stats()["open_obligations"] == 500  # still open: a late answer is still news
