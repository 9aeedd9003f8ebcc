"""How the monitor keeps its state: exact LRU eviction, same-time events, what the garbage collector sees."""

from __future__ import annotations

import gc
import random

from monitor_helpers import random_log


def _leak(case: str, time: str) -> dict[str, str]:
    """An act Yongzhou prohibits outright (39): a finding at once, no obligation, the case closes."""
    return {"case_id": case, "event": "conduct.leak", "time": time}


def test_the_least_recently_active_closed_case_is_evicted(profiles):
    monitor = profiles["yongzhou"].monitor(closed_cache_size=2)
    assert ["note" in v for v in monitor.push(_leak("A", "2024-05-06 09:00"))] == [False]
    monitor.push(_leak("B", "2024-05-06 09:01"))
    monitor.push(_leak("A", "2024-05-06 09:02"))  # A active again: B is now the oldest
    monitor.push(_leak("C", "2024-05-06 09:03"))  # three closed cases: B goes
    assert monitor.stats()["evicted_cases"] == 1
    assert ["note" in v for v in monitor.push(_leak("A", "2024-05-06 09:04"))] == [False]
    found = monitor.push(_leak("B", "2024-05-06 09:05"))  # judged without its earlier context
    assert ["note" in v for v in found] == [True]
    stats = monitor.stats()
    assert (stats["evicted_cases"], stats["cached_closed_cases"], stats["open_cases"]) == (2, 2, 0)


def test_several_events_of_a_case_at_one_time(profiles):
    monitor = profiles["yongzhou"].monitor()
    first = {"case_id": "A", "event": "share.requested", "time": "2024-05-06 09:00", "category": "conditional",
             "provider": "市公安局"}
    second = {**first, "provider": "市卫健委"}
    third = {"case_id": "A", "event": "conduct.leak", "time": "2024-05-06 09:00"}
    for event in (first, second, third):
        monitor.push(event)
    for event in (third, first, second, {**second, "provider": " 市卫健委 "}):
        assert monitor.push(dict(event)) == []  # each a duplicate of one of the three
    stats = monitor.stats()
    assert (stats["accepted"], stats["duplicates"], stats["open_obligations"]) == (3, 4, 2)
    monitor.push({**first, "time": "2024-05-06 09:01"})  # a later time: a new event, not a duplicate
    monitor.push(third)  # and the old ones are now out of order
    stats = monitor.stats()
    assert (stats["accepted"], stats["duplicates"], stats["out_of_order"]) == (4, 4, 1)


def test_remembered_cases_are_not_walked_by_the_garbage_collector(profiles):
    """Contexts hold atomic values only and heap entries are tuples of ints: untracked after a collection."""
    profile = profiles["xinjiang"]
    events, as_of = random_log(profile, random.Random(5), 200)
    monitor = profile.monitor()
    for event in events:
        monitor.push(event)
    gc.collect()
    cases = monitor._cases
    assert cases.contexts and cases.order and monitor.heap
    assert not any(gc.is_tracked(ctx) for ctx in cases.contexts.values())
    assert not any(gc.is_tracked(entry) for entry in monitor.heap)
    # what the collector does walk is what is open: the obligations
    open_obligations = sum(len(found) for rules in cases.open.values() for found in rules.values())
    assert open_obligations == monitor.stats()["open_obligations"] > 0
