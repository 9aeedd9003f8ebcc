"""The monitor's notes say what the batch's say about what it was shown: here, acts a lead-time or
retention rule could not judge because the date it counts from was blank (``blank_date``)."""

from __future__ import annotations

import govdata_policy as gp
from govdata_policy.monitor import Monitor

# Guangxi 27.1: an offline request at least 30 working days before its planned offline date.
OFFLINE = {"case_id": "R1", "event": "resource.offline_requested", "time": "2024-05-06 10:00", "provider": "P"}
NOTE_TWO = ("2 event(s) of gx-27.1-resource-offline-notice have no 'planned_offline_at', the date it counts "
            "from: not judged")


def _blank_notes(notes: list[dict[str, str]]) -> list[str]:
    return [n["message"] for n in notes if n["kind"] == "blank_date"]


def test_blank_planned_dates_are_counted_as_the_batch_counts_them() -> None:
    # R1 carries its date (2024-05-20: 10 working days ahead, short of 30: late); R2 has no such field,
    # R3 leaves it blank: both unjudged, counted
    events = [{**OFFLINE, "planned_offline_at": "2024-05-20"}, {**OFFLINE, "case_id": "R2"},
              {**OFFLINE, "case_id": "R3", "planned_offline_at": ""}]
    profile = gp.load_jurisdiction("guangxi")
    monitor = profile.monitor()
    found = [v for e in events for v in monitor.push(e)]
    assert [v["case_id"] for v in found if v["rule_id"] == "gx-27.1-resource-offline-notice"] == ["R1"]
    assert _blank_notes(monitor.notes()) == [NOTE_TWO]
    assert _blank_notes(profile.evaluate(events, as_of="2024-12-31").notes) == [NOTE_TWO]


def test_the_count_survives_a_snapshot_and_goes_on() -> None:
    profile = gp.load_jurisdiction("guangxi")
    fresh = profile.monitor()
    assert _blank_notes(fresh.notes()) == []  # nothing seen, nothing said
    # a snapshot taken before any blank date was seen has no count: restored, it starts one
    restored = Monitor.restore(profile, fresh.snapshot())
    restored.push({**OFFLINE, "case_id": "R2"})
    again = Monitor.restore(profile, restored.snapshot())
    again.push({**OFFLINE, "case_id": "R3", "planned_offline_at": " "})
    assert _blank_notes(again.notes()) == [NOTE_TWO]


def test_retention_counts_blank_creation_dates_in_the_monitor_too() -> None:
    # Xinjiang 15: usage logs kept 3 years from their creation; a deletion without the creation date
    # cannot be judged; one with it (created 2023-01-02, deleted 2024-05-06: after 1 year) is prohibited
    deleted = {"case_id": "L", "event": "conduct.log_deleted", "time": "2024-05-06 10:00", "actor": "某局"}
    monitor = gp.load_jurisdiction("xinjiang").monitor()
    found = monitor.push({**deleted, "log_created_at": "2023-01-02 09:00"}) + monitor.push({**deleted, "case_id": "L2"})
    assert [v["rule_id"] for v in found] == ["xj-15-log-retention"]
    assert _blank_notes(monitor.notes()) == [
        "1 event(s) of xj-15-log-retention have no 'log_created_at', the date it counts from: not judged"]
