"""Edges monitor and mutation audits found, each held to the batch: extensions as the batch counts them, times no
64-bit count holds, periods near the calendar's end, and state the garbage collector need not walk."""

from __future__ import annotations

import datetime as dt
import gc
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from monitor_helpers import KEY_FIELDS, multiset, run_monitor

import govdata_policy as gp

# Yongzhou 21: an objection verified within 5 wd, extended by up to 15 wd (extension_approved).
# Raised Mon 2024-05-06; 5 wd: 05-07..05-10 (4), Sat 05-11 (5: the 劳动节 make-up working day) -> due 05-11.
NEGATIVE_GRANT = [
    {"case_id": "Q1", "event": "quality.objection_raised", "time": "2024-05-06 09:00"},
    {"case_id": "Q1", "event": "quality.extension_approved", "time": "2024-05-07 09:00", "extra_working_days": -3},
    {"case_id": "Q1", "event": "quality.objection_resolved", "time": "2024-05-10 09:00"},
    # +10 then -5: the negative grant is a rejected row (a count of days is 0 or more), so due is
    # 05-11 + 10 wd: 05-13..05-17, 05-20..05-24
    {"case_id": "Q2", "event": "quality.objection_raised", "time": "2024-05-06 09:00"},
    {"case_id": "Q2", "event": "quality.extension_approved", "time": "2024-05-07 09:00", "extra_working_days": 10},
    {"case_id": "Q2", "event": "quality.extension_approved", "time": "2024-05-08 09:00", "extra_working_days": -5},
]


def _same(profile: Any, events: list[dict[str, Any]], as_of: str) -> list[dict[str, Any]]:
    batch = profile.evaluate(events, as_of=as_of).to_dict()["violations"]
    in_time_order = sorted((dict(e) for e in events), key=lambda e: e["time"])  # one text format here
    streamed, _ = run_monitor(profile, in_time_order, as_of)
    assert multiset(streamed, KEY_FIELDS) == multiset(batch, KEY_FIELDS)
    return streamed


def test_a_negative_grant_extends_nothing_in_the_monitor_as_in_the_batch() -> None:
    profile = gp.load_jurisdiction("yongzhou")
    rejected = profile.evaluate(NEGATIVE_GRANT, as_of="2024-06-30").rejected_rows
    assert [(r["row"], r["reason"]) for r in rejected] == [
        (2, "extra_working_days: '-3' is not a whole number, 0 or more"),
        (6, "extra_working_days: '-5' is not a whole number, 0 or more")]
    found = _same(profile, NEGATIVE_GRANT, "2024-06-30")
    q2 = [v for v in found if v["case_id"] == "Q2" and v["rule_id"] == "yz-21-quality-verification"]
    assert [(v["kind"], v["due"]) for v in q2] == [("overdue", "2024-05-24T23:59:59+08:00")]
    assert not [v for v in found if v["case_id"] == "Q1" and v["rule_id"] == "yz-21-quality-verification"]


def test_an_extension_at_the_very_minute_of_its_objection_counts_in_the_monitor_too() -> None:
    """tests/cases/yongzhou/quality.yaml "at the very minute" (ties are outside the monitor's guarantee):
    pushed in the order a platform records them (objection, then its extension), the monitor counts the
    extension as the batch does."""
    # Raised Mon 2024-06-03: 5 wd to Tue 06-11 (06-10 端午 off); + 5 wd: 06-12..06-14, 06-17, 06-18 -> 06-18
    events = [{"case_id": "Q9", "event": "quality.objection_raised", "time": "2024-06-03 09:00"},
              {"case_id": "Q9", "event": "quality.extension_approved", "time": "2024-06-03 09:00",
               "extra_working_days": 5},
              {"case_id": "Q9", "event": "quality.objection_resolved", "time": "2024-06-18 10:00"}]
    profile = gp.load_jurisdiction("yongzhou")
    monitor = profile.monitor()
    found = [v for event in events for v in monitor.push(event)] + monitor.advance("2024-07-31")
    assert not [v for v in found if v["rule_id"] == "yz-21-quality-verification"]
    batch = profile.evaluate(events, as_of="2024-07-31").violations
    assert "yz-21-quality-verification" not in set(batch["rule_id"])


def test_a_notice_at_the_very_minute_of_its_publicity_counts_in_the_monitor_too() -> None:
    """tests/cases/guangxi/resource_offline.yaml "at the very minute" (Guangxi 27.3 users notified during the
    publicity), pushed as a platform records them: no prohibited offline act, as in the batch."""
    events = [{"case_id": "R", "event": "resource.offline_replied", "time": "2024-05-06 09:00", "outcome": "approved",
               "provider": "自治区交通运输厅"},
              {"case_id": "R", "event": "resource.offline_publicized", "time": "2024-05-06 10:00"},
              {"case_id": "R", "event": "resource.users_notified", "time": "2024-05-06 10:00"},
              {"case_id": "R", "event": "resource.offline_executed", "time": "2024-06-18 09:00"}]
    profile = gp.load_jurisdiction("guangxi")
    monitor = profile.monitor()
    found = [v for event in events for v in monitor.push(event)] + monitor.advance("2024-07-31")
    assert not [v for v in found if v["rule_id"] == "gx-27.3-users-notified"]
    assert "gx-27.3-users-notified" not in set(profile.evaluate(events, as_of="2024-07-31").violations["rule_id"])


def test_a_duty_without_days_is_missing_at_the_very_instant_of_its_trigger() -> None:
    """Yongzhou 18.3 (C4: a not-shared request approved must be filed, no number of days): advanced to the
    instant of the approval, the filing is missing, as the batch has it at that as_of; a minute before, not."""
    events = [{"case_id": "F1", "event": "share.requested", "time": "2024-05-06 09:00", "category": "not_shared",
               "provider": "市民政局"},
              {"case_id": "F1", "event": "share.provider_reviewed", "time": "2024-05-07 10:00", "outcome": "approved"}]
    profile = gp.load_jurisdiction("yongzhou")
    for as_of, expected in (("2024-05-07 10:00", ["missing"]), ("2024-05-07 09:59", [])):
        monitor = profile.monitor()
        found = [v for event in events if event["time"] <= as_of for v in monitor.push(event)]  # up to as_of
        found += monitor.advance(as_of)
        assert [v["kind"] for v in found if v["rule_id"] == "yz-18.3-not-shared-filed"] == expected, as_of
        batch = profile.evaluate(events, as_of=as_of).violations
        assert list(batch.loc[batch["rule_id"] == "yz-18.3-not-shared-filed", "kind"]) == expected, as_of


def test_an_extension_of_a_calendar_day_period_counts_in_the_monitor_too(tmp_path: Path) -> None:
    variant = tmp_path / "yz-cal.yaml"
    variant.write_text("name: yz-cal\nextends: yongzhou\nparameters:\n  yz_quality_verification_days:\n"
                       "    value: {unit: calendar_days, days: 7}\n    reference: test\n    description: test\n",
                       encoding="utf-8")
    # 7 cd from Mon 05-06: 05-13 (a working day); + 5 wd granted: 05-14..05-17, 05-20 -> due 2024-05-20,
    # so an answer on 05-17 is on time and one on 05-21 late by 1
    events = [
        {"case_id": "Q1", "event": "quality.objection_raised", "time": "2024-05-06 09:00"},
        {"case_id": "Q1", "event": "quality.extension_approved", "time": "2024-05-07 09:00", "extra_working_days": 5},
        {"case_id": "Q1", "event": "quality.objection_resolved", "time": "2024-05-17 09:00"},
        {"case_id": "Q2", "event": "quality.objection_raised", "time": "2024-05-06 09:00"},
        {"case_id": "Q2", "event": "quality.extension_approved", "time": "2024-05-07 09:00", "extra_working_days": 5},
        {"case_id": "Q2", "event": "quality.objection_resolved", "time": "2024-05-21 09:00"},
    ]
    found = _same(gp.load_jurisdiction(variant), events, "2024-06-30")
    late = [(v["case_id"], v["due"], v["working_days_late"]) for v in found
            if v["rule_id"] == "yz-21-quality-verification"]
    assert late == [("Q2", "2024-05-20T23:59:59+08:00", 1)]


@pytest.mark.parametrize("sentinel", [pd.Timestamp.min, dt.datetime(1, 1, 1), dt.datetime(9999, 12, 31)])
def test_a_time_no_nanosecond_count_holds_is_a_rejected_event_not_a_crash(sentinel: Any) -> None:
    profile = gp.load_jurisdiction("xinjiang")
    events = [{"case_id": "A", "event": "conduct.leak", "time": sentinel},
              {"case_id": "B", "event": "conduct.leak", "time": dt.datetime(2024, 5, 6, 9)}]
    monitor = profile.monitor()
    for event in events:
        monitor.push(event)
    assert [r["row"] for r in monitor.rejected] == [1] and "as a time" in monitor.rejected[0]["reason"]
    assert monitor.stats()["accepted"] == 1
    batch = profile.evaluate(pd.DataFrame(events), as_of="2024-12-31")  # a datetime column, as a caller has
    assert batch.rows == {"read": 2, "accepted": 1, "rejected": 1}
    assert "as a time" in batch.rejected_rows[0]["reason"]


def test_a_period_beyond_the_calendar_rejects_its_event_and_keeps_the_rest(tmp_path: Path) -> None:
    """A variant's 100-wd period from an event in September 2035 ran past 2035-12-31: the batch stopped
    with an error for the whole log and the monitor raised IndexError, losing the obligation."""
    variant = tmp_path / "yz-100.yaml"
    variant.write_text("name: yz-100\nextends: yongzhou\nparameters:\n  yz_objection_mark_days:\n"
                       "    value: 100\n    reference: test\n    description: test\n", encoding="utf-8")
    profile = gp.load_jurisdiction(variant)
    events = [{"case_id": "C2", "event": "objection.received", "time": "2024-01-02 10:00"},
              {"case_id": "C1", "event": "objection.received", "time": "2035-09-01 10:00"}]
    batch = profile.evaluate(events, as_of="2035-12-31", enforce_validity=False)
    assert batch.rows == {"read": 2, "accepted": 1, "rejected": 1}
    # 100 wd need 1.5 x 100 + 30 = 180 days of room: events up to 2035-12-31 - 180 days = 2035-07-04
    assert batch.rejected_rows[0]["reason"] == (
        "time: 2035-09-01 is too near the end of the working-day calendar (2004-01-01 .. 2035-12-31): events are "
        "checked up to 2035-07-04, so that every period counted from one ends in it")
    assert set(batch.violations["case_id"]) == {"C2"}
    monitor = profile.monitor(enforce_validity=False)
    for event in events:
        monitor.push(event)
    assert [r["reason"] for r in monitor.rejected] == [batch.rejected_rows[0]["reason"]]


def test_a_lead_time_with_too_few_working_days_before_its_date_is_a_rejected_row() -> None:
    """Guangxi 27.1 counts 30 wd back from planned_offline_at; from 2004-01-20 no such day lies in the
    calendar. The batch stopped with an error for the whole log; the monitor rejected the one event."""
    profile = gp.load_jurisdiction("guangxi")
    events = [
        {"case_id": "E1", "event": "resource.offline_requested", "time": "2004-01-02 10:00",
         "planned_offline_at": "2004-01-20"},
        {"case_id": "E2", "event": "resource.offline_requested", "time": "2024-01-02 10:00",
         "planned_offline_at": "2024-03-20"},
    ]
    batch = profile.evaluate(events, as_of="2024-12-31", enforce_validity=False)
    reason = ("planned_offline_at: no day in the working-day calendar (2004-01-01 .. 2035-12-31) lies 30 working "
              "days before 2004-01-20")
    assert [r["reason"] for r in batch.rejected_rows] == [reason]
    assert set(batch.violations["case_id"]) == {"E2"}
    monitor = profile.monitor(enforce_validity=False)
    for event in events:
        monitor.push(event)
    assert [r["reason"] for r in monitor.rejected] == [reason]


def test_a_case_with_extension_totals_keeps_a_context_the_collector_does_not_track() -> None:
    monitor = gp.load_jurisdiction("yongzhou").monitor()
    for i in range(50):
        monitor.push({"case_id": f"Q{i}", "event": "quality.extension_approved", "time": "2024-05-06 09:00",
                      "extra_working_days": 3})
    gc.collect()
    contexts = list(monitor._cases.contexts.values())
    assert len(contexts) == 50 and not any(gc.is_tracked(ctx) for ctx in contexts)


def test_field_names_never_seen_again_do_not_grow_the_parser_without_bound() -> None:
    monitor = gp.load_jurisdiction("guangxi").monitor(closed_cache_size=10)
    for i in range(5000):
        monitor.push({"case_id": f"C{i}", "event": "share.usage_reported", "time": "2024-03-01 09:00",
                      f"attr_{i}": 1})
    assert len(monitor._parser._kinds) <= 4096
