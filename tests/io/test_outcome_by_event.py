"""``outcome`` is checked against its event's words (CONTRACT.md's vocabulary: a compliance review
passes or rejects, a provider approves or refuses). Any of the four words was taken on any event,
and a word of another event's matched no rule: a compliance review "approved" opened no provider
duty (Guangxi 29.3 vanished), a provider's "reject" without reason or basis escaped 29.3's
required basis. Such a row is now rejected with a reason, by the batch and the monitor alike."""

from __future__ import annotations

from typing import Any

import pytest

import govdata_policy as gp
from govdata_policy.reasons_zh import reason_zh
from govdata_policy.rules.conditions import _check_conditions

REQUEST = {"event": "share.requested", "category": "conditional", "requester_level": "region",
           "provider_level": "region", "provider": "自治区公安厅"}
LOG = [
    {"case_id": "A", "time": "2024-05-06 09:00", **REQUEST},
    {"case_id": "A", "event": "share.compliance_reviewed", "time": "2024-05-07 09:00", "outcome": "approved"},
    {"case_id": "B", "time": "2024-05-06 09:00", **REQUEST},
    {"case_id": "B", "event": "share.compliance_reviewed", "time": "2024-05-07 09:00", "outcome": "PASS"},
    {"case_id": "B", "event": "share.provider_reviewed", "time": "2024-05-08 09:00", "outcome": "reject"},
    {"case_id": "C", "time": "2024-05-06 09:00", **REQUEST},
    {"case_id": "C", "event": "share.compliance_reviewed", "time": "2024-05-07 09:00", "outcome": "pass"},
    {"case_id": "C", "event": "share.provider_reviewed", "time": "2024-05-08 09:00", "outcome": "Refused"},
]
AS_OF = "2024-05-09"
WRONG = {
    2: "outcome: 'approved' is not allowed on share.compliance_reviewed (allowed: pass, reject)",
    5: "outcome: 'reject' is not allowed on share.provider_reviewed (allowed: approved, refused)",
}


def test_the_batch_rejects_another_events_outcome() -> None:
    result = gp.load_jurisdiction("guangxi").evaluate(LOG, as_of=AS_OF)
    assert {r["row"]: r["reason"] for r in result.rejected_rows} == WRONG
    assert result.rows == {"read": 8, "accepted": 6, "rejected": 2}
    # the event's own words, in any case, are read as before: C's refusal lacks its basis
    found = {(v["case_id"], v["rule_id"]) for v in result.violations.to_dict("records")}
    assert ("C", "gx-29.3-refusal-basis") in found


def test_the_monitor_rejects_it_with_the_batchs_reason() -> None:
    monitor = gp.load_jurisdiction("guangxi").monitor()
    for row in sorted(range(len(LOG)), key=lambda i: LOG[i]["time"]):  # in time order, as a monitor is fed
        monitor.push(LOG[row])
    pushed = sorted(range(len(LOG)), key=lambda i: LOG[i]["time"])  # push number -> the log's row
    assert {pushed[r["row"] - 1] + 1: r["reason"] for r in monitor.rejected} == WRONG


@pytest.mark.parametrize("fields", [{"outcome": "approved"}, {"outcome": " approved ", "reason": "x"}])
def test_the_monitors_fast_and_full_paths_agree(fields: dict[str, Any]) -> None:
    monitor = gp.load_jurisdiction("guangxi").monitor()
    monitor.push({"case_id": "A", "event": "share.compliance_reviewed", "time": "2024-05-07 09:00", **fields})
    assert [r["reason"] for r in monitor.rejected] == [WRONG[2]]


def test_the_reason_is_said_in_chinese() -> None:
    assert reason_zh(WRONG[2]) == "outcome：share.compliance_reviewed 事件不允许'approved'（允许：pass、reject）"


def test_a_rule_cannot_test_another_events_outcome() -> None:
    with pytest.raises(ValueError, match="'approved' is not one of pass, reject"):
        _check_conditions("share.compliance_reviewed", {"outcome": {"equals": "approved"}}, own=True)


def test_the_final_reviews_outcome_takes_any_word() -> None:
    # CONTRACT.md names no words for it and no rule tests it; refusing its row for "pass" would lose the
    # event that fulfils Guangxi's final-review duty (a false missing or overdue finding)
    from govdata_policy.io import load_events

    rows = [{"case_id": "F", "event": "share.final_reviewed", "time": "2024-05-06 09:00", "outcome": word}
            for word in ("pass", "approved")]
    _, rejected, _ = load_events(rows)
    assert rejected == []


# a word no event allows, on an event with words of its own: the reason named all four words, so an officer
# told "(allowed: pass, reject, approved, refused)" for a provider's review wrote 'pass' and was refused again
UNKNOWN = [
    {"case_id": "U", "event": "share.provider_reviewed", "time": "2024-05-08 09:00", "outcome": "maybe"},
    {"case_id": "V", "event": "share.compliance_reviewed", "time": "2024-05-08 09:00", "outcome": "maybe"},
    {"case_id": "W", "event": "share.final_reviewed", "time": "2024-05-08 09:00", "outcome": "maybe"},
]
UNKNOWN_REASONS = [
    "outcome: 'maybe' is not allowed on share.provider_reviewed (allowed: approved, refused)",
    "outcome: 'maybe' is not allowed on share.compliance_reviewed (allowed: pass, reject)",
    # the final review has no words of its own (CONTRACT.md names none): any of the four is taken
    "outcome: 'maybe' is not allowed (allowed: pass, reject, approved, refused)",
]


def test_a_word_no_event_allows_is_refused_with_the_events_own_words() -> None:
    result = gp.load_jurisdiction("guangxi").evaluate(UNKNOWN, as_of=AS_OF)
    assert [r["reason"] for r in result.rejected_rows] == UNKNOWN_REASONS
    monitor = gp.load_jurisdiction("guangxi").monitor()
    for row in UNKNOWN:
        monitor.push(row)
    assert [r["reason"] for r in monitor.rejected] == UNKNOWN_REASONS
    said_zh = "outcome：share.provider_reviewed 事件不允许'maybe'（允许：approved、refused）"
    assert reason_zh(UNKNOWN_REASONS[0]) == said_zh
