"""Messy events the batch and the streaming monitor must read alike (found by a differential
fuzz of both paths): nested ids under other spellings, float ids, hour-only times, a vertical
tab, over-long integers, reasons of several fields, a literal "outcome.1" key, one field
under two spellings with equal values."""

from __future__ import annotations

import json
from typing import Any

import pytest

import govdata_policy as gp

AS_OF = "2025-12-31"


def _request(case: Any, time: str, **extra: Any) -> dict[str, Any]:
    return {"case_id": case, "event": "share.requested", "time": time, "category": "conditional",
            "provider": "市公安局", **extra}


def _reply(case: Any, time: str) -> dict[str, Any]:
    return {"case_id": case, "event": "share.provider_reviewed", "time": time, "outcome": "approved"}


CASES: dict[str, list[dict[str, Any]]] = {
    "nested id under another spelling": [
        {"case-id": ["A"], "event": "share.requested", "time": "2024-05-06 09:00", "category": "conditional"}],
    "nested id beside a blank case_id": [
        {"case_id": None, "CASE_ID": {"id": "A"}, "event": "share.requested", "time": "2024-05-06 09:00"}],
    "float ids (a missing id made the column float)": [
        _request(43112420240506, "2024-05-06 09:00"), _reply(43112420240506, "2024-05-21 10:00"),
        {"event": "share.requested", "time": "2024-05-22 09:00"}],
    "an hour without minutes beside other forms": [_request("A", "2024-05-06 09"), _reply("A", "2024年5月21日 10:00")],
    "an hour without minutes beside ISO times": [_request("A", "2024-05-06 09"), _reply("A", "2024-05-21 10:00")],
    "a vertical tab in a time": [_request("A", "2024年5月6日\x0b9时30分"), _reply("A", "2024-05-21 10:00")],
    "an integer of 19 digits": [
        {"case_id": "Q", "event": "quality.objection_raised", "time": "2024-05-06 09:00", "provider": "市公安局"},
        {"case_id": "Q", "event": "quality.extension_approved", "time": "2024-05-07 09:00",
         "extra_working_days": 10**18},
        {"case_id": "Q", "event": "quality.objection_resolved", "time": "2024-06-20 09:00"}],
    "reasons of two fields, in a log whose columns come in another order": [
        {"case_id": "A", "event": "open.reviewed", "time": "2024-05-06 09:00", "outcome": "approved"},
        {"case_id": "B", "event": "open.requested", "time": "2024-05-07 09:00", "category": "unconditional",
         "outcome": "Maybe"}],
    "a literal outcome.1 key": [
        {"case_id": "A", "event": "share.requested", "time": "2024-05-06 09:00", "category": "unconditional",
         "provider": "市公安局"},
        {"case_id": "A", "event": "share.provider_reviewed", "time": "2024-05-07 10:00", "outcome.1": "refused"},
        {"case_id": "B", "event": "share.provider_reviewed", "time": "2024-05-09 10:00", "outcome": "approved"}],
    # Yongzhou 18.2, 10 wd from Mon 2024-05-06 下午3:00 (15:00): 05-07..05-10 (4), Sat 05-11 make-up after
    # 劳动节 (5), 05-13..05-17 (10) -> due 05-17. A replied Mon 05-20 上午9:30: 1 wd late. B replied
    # 05-17 11:59 PM, on the due day. C's morning hour 13 is no time. In time order, for the monitor.
    "a 12-hour clock, and one that contradicts itself": [
        _request("A", "2024-05-06 下午3:00"), _request("B", "2024-05-06 3:01 PM"),
        _request("C", "2024-05-06 上午13:00"), _reply("B", "2024-05-17 11:59 PM"),
        _reply("A", "2024/5/20 上午 9:30:00")],
    "one field under two spellings, equal as read": [
        _request("A", "2024-05-06 09:00", emergency=True, Emergency="true"),
        _request("B", "2024-05-07 09:00", extra_working_days=3.0, **{"Extra Working Days": "3"})],
}


def _findings(records: Any) -> list[tuple[Any, ...]]:
    keys = ("rule_id", "case_id", "kind", "due", "working_days_late")
    return sorted(tuple(str(r.get(k)) for k in keys) for r in records)


@pytest.mark.parametrize("name", list(CASES))
def test_batch_and_monitor_read_messy_events_alike(name: str) -> None:
    events = CASES[name]
    profile = gp.load_jurisdiction("yongzhou")
    batch = profile.evaluate(events, as_of=AS_OF)
    monitor = profile.monitor()
    streamed = [f for event in events for f in monitor.push(event)] + monitor.advance(AS_OF)
    assert [(r["row"], r["reason"]) for r in batch.rejected_rows] == [(r["row"], r["reason"]) for r in monitor.rejected]
    assert _findings(json.loads(batch.to_json())["violations"]) == _findings(streamed)


def test_what_the_cases_above_read_as() -> None:
    profile = gp.load_jurisdiction("yongzhou")
    floats = profile.evaluate(CASES["float ids (a missing id made the column float)"], as_of=AS_OF)
    assert set(floats.violations["case_id"]) == {"43112420240506"}  # not 4.3112420240506e+13
    hour = profile.evaluate(CASES["an hour without minutes beside ISO times"], as_of=AS_OF)
    assert hour.rejected_rows[0]["reason"] == "time: cannot read '2024-05-06 09' as a time"
    literal = profile.evaluate(CASES["a literal outcome.1 key"], as_of=AS_OF)
    assert literal.violations.empty  # "outcome.1" is a column of its own, not a second outcome
    twelve = profile.evaluate(CASES["a 12-hour clock, and one that contradicts itself"], as_of=AS_OF)
    assert twelve.violations[["case_id", "working_days_late"]].values.tolist() == [["A", 1]]  # B replied 23:59
    assert twelve.rejected_rows[0]["reason"] == "time: cannot read '2024-05-06 上午13:00' as a time"
    nested = profile.evaluate(CASES["nested id under another spelling"], as_of=AS_OF)
    assert nested.rejected_rows[0]["reason"] == "case_id: a JSON list, not one value"


def test_a_12_hour_clock_reads_alike_in_batch_and_monitor_for_every_hour() -> None:
    from govdata_policy.io.times import parse_time
    from govdata_policy.monitor.scalar_times import TimeReader

    reader = TimeReader()
    for hour in range(24):
        for written in (f"2024-05-06 上午{hour}:05", f"2024-05-06 下午 {hour}:05:00", f"2024/5/6 {hour}:05 PM",
                        f"2024年5月6日 {hour}:05 am", f"2024-05-06 下午{hour}:05 PM", f"2024-05-06 上午{hour}:05 PM"):
            try:
                batch: int | None = parse_time(written)
            except ValueError:
                batch = None
            assert reader.time_value(written) == (batch, batch is None), written
    # by hand: 上午12:05 is 00:05, 下午12:05 is 12:05, PM 1:05 is 13:05; 上午13:05 and PM 0:05 no time at all
    assert [reader.time_value(t)[0] for t in ("2024-05-06 上午12:05", "2024-05-06 下午12:05", "2024-05-06 1:05 PM")] \
        == [parse_time(t) for t in ("2024-05-06 00:05", "2024-05-06 12:05", "2024-05-06 13:05")]
    assert reader.time_value("2024-05-06 上午13:05") == (None, True) == reader.time_value("2024-05-06 0:05 PM")
    assert reader.time_value("2024-05-06 下午3:05 PM") == (None, True)  # a mark too many, as the batch says


def test_a_late_finding_names_the_party_its_fulfilment_names() -> None:
    # Xinzhou 5.5, 5 working days from Fri 2024-09-27 (National Day 10-01..10-07 off, make-up Sun 09-29 and
    # Sat 10-12): 09-29 (1), 09-30 (2), 10-08 (3), 10-09 (4), 10-10 (5) -> due 10-10. Answered Tue 10-15:
    # 10-11, 10-12 (make-up), 10-14, 10-15 -> 4 working days late. Only the answer names the provider.
    events = [
        {"case_id": "Q", "event": "quality.objection_raised", "time": "2024-09-27 10:00", "requester": "REQ"},
        {"case_id": "Q", "event": "quality.objection_resolved", "time": "2024-10-15 10:00", "provider": "PRV",
         "actor": "PRV", "actor_role": "provider"},
    ]
    profile = gp.load_jurisdiction("xinzhou")
    batch = profile.evaluate(events, as_of="2025-01-01")
    monitor = profile.monitor()
    streamed = [f for event in events for f in monitor.push(event)]
    found = batch.violations.itertuples()
    assert [(v.kind, str(v.due)[:10], v.working_days_late, v.responsible_party) for v in found] == [
        ("late", "2024-10-10", 4, "PRV")]
    assert [(f["kind"], f["responsible_party"]) for f in streamed] == [("late", "PRV")]


def test_the_clock_in_digits_reads_alike_in_batch_and_monitor() -> None:
    from govdata_policy.io.times import parse_time
    from govdata_policy.monitor.scalar_times import TimeReader

    reader = TimeReader()
    for written in ("20240506093000", "202405060930", "20240506T0930", "20240506T093000.25", "20240506T013000Z",
                    "20240506T093000+0800", "20240506093000 09:30", "20240506253000", "20240231093000",
                    20240506093000, 202405060930):
        try:
            batch: int | None = parse_time(written)
        except ValueError:
            batch = None
        assert reader.time_value(written) == (batch, batch is None), written
    # by hand: 09:30 local on 6 May 2024 is 01:30 UTC
    assert reader.time_value("20240506T093000")[0] == parse_time("2024-05-06 09:30")


def test_an_identifier_given_as_a_float_that_lost_digits_is_refused_not_reported_invalid() -> None:
    import pandas as pd

    # 650102198805120022 is a valid citizen ID (tests/cases/xinjiang/collection.yaml works its check digit);
    # as a float64 it is 650102198805120000 (a double keeps 15-16 digits), whose check digit fails: clause 13
    # reported an invalid identifier the log never held. A float below 2**53 keeps its digits and is checked.
    events = [
        {"case_id": "ID-1", "event": "conduct.duplicate_collection", "time": "2024-05-06 10:00",
         "actor": "自治区教育厅",
         "subject_id": 650102198805120022.0},
        {"case_id": "ID-2", "event": "conduct.duplicate_collection", "time": "2024-05-06 11:00",
         "actor": "自治区教育厅",
         "subject_id": 650102880512002.0},  # an old 15-digit number: exact as a float, and invalid
    ]
    profile = gp.load_jurisdiction("xinjiang")
    batch = profile.evaluate(pd.DataFrame(events), as_of="2024-06-30")
    reason = ("subject_id: 650102198805120000 is a number too large for a float to keep every digit (2**53 and "
              "more): it may have been rounded, and its check digit cannot be verified (export ids as text)")
    assert [(r["row"], r["reason"]) for r in batch.rejected_rows] == [(1, reason)]
    format_rule = "xj-13-subject-id-format"
    assert batch.violations.query("rule_id == @format_rule")["case_id"].tolist() == ["ID-2"]
    monitor = profile.monitor()
    streamed = [f for event in events for f in monitor.push(event)] + monitor.advance("2024-06-30")
    assert [(r["row"], r["reason"]) for r in monitor.rejected] == [(1, reason)]
    assert [f["case_id"] for f in streamed if f["rule_id"] == format_rule] == ["ID-2"]
