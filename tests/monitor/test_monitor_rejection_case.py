"""A rejected event names its case: the push number alone made a platform count its own pushes to find
which event of which case the monitor refused (the batch names a row of a file the user has open)."""

from __future__ import annotations

from typing import Any

import govdata_policy as gp
from govdata_policy.monitor import Monitor


def _pushed(monitor: Any, *events: dict[str, Any]) -> list[dict[str, Any]]:
    for event in events:
        monitor.push(event)
    return monitor.rejected


def test_a_rejection_names_the_case_as_read() -> None:
    monitor = gp.load_jurisdiction("yongzhou").monitor()
    rejected = _pushed(
        monitor,
        {"case_id": " Ｗ３ ", "event": "share.requested", "time": "2024-05-06 09:00", "category": "conditional"},
        # before the clock: out of order; the id is read as the batch reads it (trimmed, full width folded)
        {"case_id": "Ｗ３", "event": "share.requested", "time": "2024-05-06 08:00", "category": "conditional"},
        # unreadable: the case is the text given, trimmed
        {"case_id": " K-7 ", "event": "share.requested", "time": "not a time"},
        # a whole number as the id: its digits
        {"case_id": 12345, "event": "no.such_event", "time": "2024-05-06 10:00"},
    )
    assert [(r["row"], r.get("case_id")) for r in rejected] == [(2, "W3"), (3, "K-7"), (4, "12345")]
    assert "out of order" in rejected[0]["reason"]


def test_no_case_id_when_the_event_names_none() -> None:
    monitor = gp.load_jurisdiction("xinzhou").monitor()
    rejected = _pushed(
        monitor,
        {"event": "share.requested", "time": "2024-05-06 09:00"},
        {"case_id": "  ", "event": "share.requested", "time": "2024-05-06 09:00"},
        {"case_id": ["A", "B"], "event": "share.requested", "time": "2024-05-06 09:00"},
        ["not", "a", "mapping"],  # type: ignore[list-item]
    )
    assert [r["row"] for r in rejected] == [1, 2, 3, 4]
    assert all("case_id" not in r for r in rejected)


def test_the_case_survives_a_snapshot() -> None:
    profile = gp.load_jurisdiction("guangxi")
    monitor = profile.monitor()
    _pushed(monitor, {"case_id": "A", "event": "share.requested", "time": "bad"})
    restored = Monitor.restore(profile, monitor.snapshot())
    assert restored.rejected == [{"row": 1, "reason": monitor.rejected[0]["reason"], "case_id": "A"}]
