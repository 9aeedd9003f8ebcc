"""The filter of evicted case ids forgets: after a million and more evictions, new case ids are still rarely
taken for evicted ones (a filter that never forgot took more and more of them), recent ones are still known,
and a snapshot's filter of the one-generation format restores."""

from __future__ import annotations

from typing import Any

import govdata_policy as gp
from govdata_policy.monitor import Monitor
from govdata_policy.monitor.state import EvictedFilter


def test_after_many_evictions_new_ids_are_rarely_taken_for_evicted_ones() -> None:
    evicted = EvictedFilter()
    n = 1_100_000  # generations of 500,000: the first has been dropped
    for i in range(n):
        evicted.add(f"case-{i}")
    # the bound is 1 in 800 (docs/monitor.md): 25 of these 20,000; one filter of these 2**24 bits holding
    # them all took about 1 in 175 (0.57%): 114
    wrongly = sum(f"new-{i}" in evicted for i in range(20_000))
    assert wrongly <= 40
    # the last 500,000 evicted ids are all still known
    assert all(f"case-{i}" in evicted for i in range(n - 500_000, n, 997))


def _evicting_monitor(profile: Any) -> Monitor:
    """Case A evicted from a cache of one closed case by B's and C's events (test_monitor_stream's)."""
    monitor = profile.monitor(closed_cache_size=1)
    monitor.push({"case_id": "A", "event": "resource.offline_publicized", "time": "2024-03-01 09:00"})
    monitor.push({"case_id": "B", "event": "catalog.offline_requested", "time": "2024-03-02 09:00"})
    monitor.push({"case_id": "C", "event": "share.paper_demanded", "time": "2024-03-03 09:00"})
    return monitor


def _notes_of_a(monitor: Monitor) -> list[str]:
    found = monitor.push({"case_id": "A", "event": "resource.offline_executed", "time": "2024-06-03 09:00"})
    assert found
    return [v.get("note", "") for v in found]


def test_a_snapshot_with_a_filter_of_the_one_generation_format_restores() -> None:
    profile = gp.load_jurisdiction("guangxi")
    monitor = _evicting_monitor(profile)
    evicted = monitor._cases.evicted
    # as a snapshot taken before the filter had generations holds it
    evicted.__dict__ = {"bits": evicted.current, "count": evicted.current_count}
    restored = Monitor.restore(profile, monitor.snapshot())
    assert all("evicted" in note for note in _notes_of_a(restored))
    # one holding more ids than a generation may is dropped: its wrong matches would be over the bound
    evicted.__dict__ = {"bits": evicted.__dict__["bits"], "count": EvictedFilter.CAPACITY + 1}
    restored = Monitor.restore(profile, monitor.snapshot())
    assert restored._cases.evicted.old is None and "A" not in restored._cases.evicted


def test_a_snapshot_keeps_both_generations() -> None:
    profile = gp.load_jurisdiction("guangxi")
    monitor = _evicting_monitor(profile)
    evicted = monitor._cases.evicted
    evicted.old, evicted.current, evicted.current_count = evicted.current, None, 0  # A's generation is the old
    restored = Monitor.restore(profile, monitor.snapshot())
    assert all("evicted" in note for note in _notes_of_a(restored))
