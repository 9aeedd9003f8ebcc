"""Stop and restart: a snapshot in the middle of a log loses nothing."""

from __future__ import annotations

import pickle
import random

import pytest
from monitor_helpers import JURISDICTIONS, random_log, run_monitor

from govdata_policy.monitor import Monitor


@pytest.mark.parametrize("jurisdiction", JURISDICTIONS)
def test_snapshot_restore_in_the_middle_gives_one_pass_result(profiles, jurisdiction):
    profile = profiles[jurisdiction]
    rng = random.Random(7)
    events, as_of = random_log(profile, rng, 80)
    one_pass, whole = run_monitor(profile, events, as_of)

    for cut in (0, len(events) // 3, len(events) // 2, len(events) - 1):
        first = profile.monitor()
        found = [v for event in events[:cut] for v in first.push(event)]
        data = first.snapshot()
        del first
        second = Monitor.restore(profile, data)
        found += [v for event in events[cut:] for v in second.push(event)]
        found += second.advance(as_of)
        assert found == one_pass  # the same findings, in the same order
        assert second.stats() == whole.stats()
        assert second.rejected == whole.rejected


def test_pickle_round_trip_keeps_open_obligations(profiles):
    profile = profiles["yongzhou"]
    monitor = profile.monitor()
    monitor.push({"case_id": "A", "event": "share.requested", "time": "2024-05-06 09:00",
                  "category": "conditional", "provider": "市公安局"})
    assert monitor.stats()["open_obligations"] == 1
    clone = pickle.loads(pickle.dumps(monitor))
    assert clone.stats() == monitor.stats()
    late = clone.push({"case_id": "A", "event": "share.provider_reviewed", "time": "2024-06-21 10:00",
                       "outcome": "approved"})
    assert [v["kind"] for v in late] == ["late"]
    assert late[0]["responsible_party"] == "市公安局"  # the context came along
    assert clone.stats()["open_obligations"] == 0


def test_restore_refuses_another_profile(profiles):
    data = profiles["yongzhou"].monitor().snapshot()
    with pytest.raises(ValueError, match="different profile"):
        Monitor.restore(profiles["xinzhou"], data)
    with pytest.raises(ValueError, match="not a monitor snapshot"):
        Monitor.restore(profiles["yongzhou"], pickle.dumps({"format": 0}))
