"""push(event, strict=True): a refused event raises RejectedEvent with the record monitor.rejected keeps.

Without it push gave [] for a refused event exactly as for one with nothing to report, so a platform feeding
rows it had got wrong (a DataFrame's iterrows: Series, not mappings) saw a quiet stream."""

from __future__ import annotations

import pickle

import pandas as pd
import pytest

import govdata_policy as gp
from govdata_policy.monitor import RejectedEvent

REQUEST = {"case_id": "A", "event": "share.requested", "time": "2024-05-06 09:00", "category": "conditional",
           "provider": "市公安局"}


def _refused(monitor, event) -> RejectedEvent:
    with pytest.raises(RejectedEvent) as caught:
        monitor.push(event, strict=True)
    return caught.value


def test_a_refused_event_raises_with_its_row_reason_and_case() -> None:
    monitor = gp.load_jurisdiction("yongzhou").monitor(max_ahead_days=92)
    assert monitor.push(REQUEST, strict=True) == []  # taken: nothing decided yet
    late = monitor.push({"case_id": "A", "event": "share.provider_reviewed", "time": "2024-05-21 10:00",
                         "outcome": "approved"}, strict=True)
    assert [v["kind"] for v in late] == ["late"]

    unreadable = _refused(monitor, {"case_id": " B ", "event": "share.requested", "time": "not a time"})
    assert (unreadable.row, unreadable.case_id) == (3, "B")
    assert unreadable.reason == "time: cannot read 'not a time' as a time"
    assert unreadable.rejection == {"row": 3, "reason": unreadable.reason, "case_id": "B"}
    assert str(unreadable) == "event 3 (case 'B') rejected: time: cannot read 'not a time' as a time"
    assert unreadable.zh is not None and unreadable.zh.startswith("第 3 个事件（案件 B）未被接受：")
    assert isinstance(unreadable, ValueError)

    late_arrival = _refused(monitor, {**REQUEST, "case_id": "C", "time": "2024-05-07 09:00"})
    assert "out of order" in late_arrival.reason and late_arrival.case_id == "C"
    mistyped = _refused(monitor, {**REQUEST, "case_id": "D", "time": "2034-05-22 09:00"})
    assert "too far ahead" in mistyped.reason
    off_calendar = _refused(monitor, {**REQUEST, "case_id": "E", "time": "2099-01-01 09:00"})
    assert off_calendar.row == 6
    nameless = _refused(monitor, {"event": "share.requested", "time": "2024-05-22 09:00"})
    assert nameless.case_id is None and "case_id" not in nameless.rejection
    assert str(nameless).startswith("event 7 rejected: case_id: missing")

    # recorded and counted as a push without strict records and counts it; the monitor goes on
    assert [r["row"] for r in monitor.rejected] == [3, 4, 5, 6, 7]
    assert monitor.rejected[0] == unreadable.rejection
    stats = monitor.stats()
    assert (stats["rejected"], stats["out_of_order"], stats["too_far_ahead"], stats["accepted"]) == (5, 1, 1, 2)
    assert monitor.push({**REQUEST, "case_id": "F", "time": "2024-05-22 09:00"}, strict=True) == []


def test_rows_of_iterrows_are_refused_out_loud() -> None:
    monitor = gp.load_jurisdiction("yongzhou").monitor()
    _, row = next(pd.DataFrame([REQUEST]).iterrows())
    refused = _refused(monitor, row)
    assert refused.reason == "event: expected a mapping of fields, got Series"
    assert monitor.push(row) == []  # without strict, as before: recorded, counted, not raised
    assert monitor.stats()["rejected"] == 2


def test_a_duplicate_is_not_a_refusal() -> None:
    monitor = gp.load_jurisdiction("guangxi").monitor()
    monitor.push(REQUEST, strict=True)
    assert monitor.push(dict(REQUEST), strict=True) == []
    assert (monitor.stats()["duplicates"], monitor.stats()["rejected"]) == (1, 0)


def test_the_error_pickles_whole_and_is_exported() -> None:
    monitor = gp.load_jurisdiction("xinzhou").monitor()
    refused = _refused(monitor, {"case_id": "A", "event": "teleport", "time": "2024-05-06 09:00"})
    again = pickle.loads(pickle.dumps(refused))
    assert (again.rejection, str(again), again.zh) == (refused.rejection, str(refused), refused.zh)
    assert gp.RejectedEvent is RejectedEvent and "RejectedEvent" in gp.__all__
