"""Yongzhou 18（二）and a deadline's ``also_fulfilled_by``: the authority's rejection of a conditional request at 初审
(share.compliance_reviewed outcome=reject) answers it under the reading yz_initial_rejection_answers=answers, and
not under the default, provider_only. Batch and monitor give the same verdicts (every field of every finding).

The dates: every request is made Wed 2024-09-25 10:00. National calendar (Hunan has no regional days off); ten
working days: Thu 09-26 (1), Fri 09-27 (2), Sun 09-29 (3, the make-up working day before 国庆), Mon 09-30 (4),
国庆 10-01..10-07 off, 10-08..10-11 (5..8), Sat 10-12 (9, make-up working day), Mon 10-14 (10): due 2024-10-14
23:59:59+08:00. as_of Thu 2024-10-31: the working days after 10-14 up to 10-31 are 10-15..10-18 (4), 10-21..10-25
(5) and 10-28..10-31 (4), 13 days late for a request still unanswered.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import govdata_policy as gp

RULE = "yz-18.2-conditional-reply"
AS_OF = "2024-10-31"
DUE = "2024-10-14T23:59:59+08:00"
READING = "yz_initial_rejection_answers"


def _request(case: str, time: str = "2024-09-25 10:00") -> dict[str, Any]:
    return {"case_id": case, "event": "share.requested", "time": time, "category": "conditional",
            "requester": "市人力资源和社会保障局", "provider": "市民政局"}


def _initial(case: str, time: str, outcome: str) -> dict[str, Any]:
    return {"case_id": case, "event": "share.compliance_reviewed", "time": time, "outcome": outcome}


def _reviewed(case: str, time: str, outcome: str = "approved") -> dict[str, Any]:
    return {"case_id": case, "event": "share.provider_reviewed", "time": time, "outcome": outcome}


def _answers(reading_variant: Callable[..., Path]) -> Any:
    return gp.load_jurisdiction(reading_variant("yongzhou", READING, "answers"))


def _verdicts(profile: Any, events: list[dict[str, Any]], as_of: str = AS_OF,
              order: list[int] | None = None) -> dict[str, Any]:
    """The rule's obligations and violations by the batch, after checking that a monitor fed the events (in
    ``order``, else as listed) finds the same violations, every field (but the evidence rows, push numbers, when
    the events are pushed in another order than the batch's rows)."""
    result = profile.evaluate([dict(e) for e in events], as_of=as_of).to_dict()
    monitor = profile.monitor(max_ahead_days=None)
    streamed = [f for i in (order or range(len(events))) for f in monitor.push(dict(events[i]))]
    streamed += monitor.advance(as_of)
    skip = {"evidence_rows"} if order is not None and order != sorted(order) else set()

    def counted(found: list[dict[str, Any]]) -> Counter:
        mine = [f for f in found if f["rule_id"] == RULE]
        return Counter(repr(sorted((k, v) for k, v in f.items() if k not in skip)) for f in mine)

    assert counted(streamed) == counted(result["violations"])
    return {
        "obligations": sorted((o["case_id"], o["trigger_at"], o["status"], o["due"], o["fulfilled_at"])
                              for o in result["obligations"] if o["rule_id"] == RULE),
        "violations": sorted((v["case_id"], v["kind"], v["due"], v["occurred_at"], v["working_days_late"])
                             for v in result["violations"] if v["rule_id"] == RULE),
    }


def test_a_rejection_at_initial_review_within_the_period_answers_under_answers_only(reading_variant) -> None:
    events = [_request("A"), _initial("A", "2024-10-10 15:00", "reject")]
    answered = _verdicts(_answers(reading_variant), events)
    assert answered["obligations"] == [("A", "2024-09-25T10:00:00+08:00", "met", DUE, "2024-10-10T15:00:00+08:00")]
    assert answered["violations"] == []
    # the default (CLAUSES.md's row): only the provider's review answers, and none came
    default = _verdicts(gp.load_jurisdiction("yongzhou"), events)
    assert default["violations"] == [("A", "overdue", DUE, None, 13)]


def test_a_rejection_after_the_due_day_is_late(reading_variant) -> None:
    # rejected Tue 10-15: the working days after 10-14 up to 10-15 = 1
    events = [_request("B"), _initial("B", "2024-10-15 09:00", "reject")]
    assert _verdicts(_answers(reading_variant), events)["violations"] == [
        ("B", "late", DUE, "2024-10-15T09:00:00+08:00", 1)]
    assert _verdicts(gp.load_jurisdiction("yongzhou"), events)["violations"] == [("B", "overdue", DUE, None, 13)]


def test_a_pass_at_initial_review_answers_nothing_and_a_late_provider_review_is_late(reading_variant) -> None:
    # approved Wed 10-16: the working days after 10-14 up to 10-16 are 10-15 and 10-16 = 2, under either reading
    events = [_request("C"), _initial("C", "2024-10-09 09:00", "pass"), _reviewed("C", "2024-10-16 09:00")]
    late = [("C", "late", DUE, "2024-10-16T09:00:00+08:00", 2)]
    assert _verdicts(_answers(reading_variant), events)["violations"] == late
    assert _verdicts(gp.load_jurisdiction("yongzhou"), events)["violations"] == late


def test_a_rejection_at_the_instant_of_the_request_answers_it(reading_variant) -> None:
    # a log of dates only, or one written by the same system in the same minute: at or after the trigger counts
    events = [_request("D"), _initial("D", "2024-09-25 10:00", "reject")]
    answered = _verdicts(_answers(reading_variant), events)
    assert answered["obligations"] == [("D", "2024-09-25T10:00:00+08:00", "met", DUE, "2024-09-25T10:00:00+08:00")]
    assert _verdicts(gp.load_jurisdiction("yongzhou"), events)["violations"] == [("D", "overdue", DUE, None, 13)]


@pytest.mark.parametrize("order", [[0, 1, 2], [0, 2, 1]], ids=["rejection pushed first", "request pushed first"])
def test_a_rejection_closing_an_earlier_request_does_not_answer_one_made_at_its_instant(
        reading_variant, order: list[int]) -> None:
    """answers_of's tie rule holds for the union of the matches: the rejection at Fri 09-27 10:00 answers the request
    of 09-25; the one made again at that minute waits for its own answer. Its ten working days from Fri 09-27:
    Sun 09-29 (1), Mon 09-30 (2), 国庆 off, 10-08..10-11 (3..6), Sat 10-12 (7), 10-14..10-16 (8..10): due Wed 10-16;
    as_of 10-31: 10-17, 10-18, 10-21..10-25, 10-28..10-31 = 11 working days late. The monitor agrees whichever of
    the instant's two events is pushed first."""
    events = [_request("E"), _initial("E", "2024-09-27 10:00", "reject"), _request("E", "2024-09-27 10:00")]
    found = _verdicts(_answers(reading_variant), events, order=order)
    assert found["obligations"] == [
        ("E", "2024-09-25T10:00:00+08:00", "met", DUE, "2024-09-27T10:00:00+08:00"),
        ("E", "2024-09-27T10:00:00+08:00", "overdue", "2024-10-16T23:59:59+08:00", None)]
    assert found["violations"] == [("E", "overdue", "2024-10-16T23:59:59+08:00", None, 11)]


def test_the_first_answer_of_either_event_closes_the_request(reading_variant) -> None:
    events = [
        # rejected at 初审 on 10-10, then (on reconsideration) refused by the provider after the due day
        _request("F1"), _initial("F1", "2024-10-10 15:00", "reject"), _reviewed("F1", "2024-10-18 09:00", "refused"),
        # reviewed by the provider first, then a rejection logged after the due day
        _request("F2"), _reviewed("F2", "2024-10-11 09:00"), _initial("F2", "2024-10-21 09:00", "reject"),
    ]
    found = _verdicts(_answers(reading_variant), sorted(events, key=lambda e: e["time"]))
    assert [(case, fulfilled) for case, _, _, _, fulfilled in found["obligations"]] == [
        ("F1", "2024-10-10T15:00:00+08:00"), ("F2", "2024-10-11T09:00:00+08:00")]
    assert found["violations"] == []


def test_provider_only_chosen_gives_the_verdicts_of_the_rule_as_written(reading_variant) -> None:
    """The reading switched to provider_only (as a variant choosing it) is the default: every request above,
    rejected at 初审 and never reviewed, is overdue as before also_fulfilled_by existed."""
    events = [_request("A"), _initial("A", "2024-10-10 15:00", "reject"),
              _request("B"), _initial("B", "2024-10-15 09:00", "reject"),
              _request("C"), _initial("C", "2024-10-09 09:00", "pass"), _reviewed("C", "2024-10-16 09:00"),
              _request("D"), _initial("D", "2024-09-25 10:00", "reject")]
    events.sort(key=lambda e: e["time"])
    chosen = gp.load_jurisdiction(reading_variant("yongzhou", READING, "provider_only"))
    assert chosen.rules_by_id[RULE].also_fulfilled_by == []
    found = _verdicts(chosen, events)
    assert found == _verdicts(gp.load_jurisdiction("yongzhou"), events)
    assert found["violations"] == [("A", "overdue", DUE, None, 13), ("B", "overdue", DUE, None, 13),
                                   ("C", "late", DUE, "2024-10-16T09:00:00+08:00", 2), ("D", "overdue", DUE, None, 13)]


def test_matches_of_one_event_with_different_conditions_each_answer(variant_file) -> None:
    """fulfil and an also_fulfilled_by entry naming the same event: either condition answers, neither is
    required of the other (the monitor tests the matches naming the event pushed, any one of which answers)."""
    profile = gp.load_jurisdiction(variant_file("yz-either", (
        "extends: yongzhou\nrule_overrides:\n  yz-18.2-conditional-reply:\n"
        "    fulfil: {event: share.provider_reviewed, when: {outcome: approved}}\n"
        "    also_fulfilled_by: [{event: share.provider_reviewed, when: {outcome: refused}}]\n")))
    events = [_request("G1"), _reviewed("G1", "2024-10-08 09:00", "approved"),
              _request("G2"), _reviewed("G2", "2024-10-08 09:00", "refused"),
              # a review without an outcome matches neither: the request stays open until as_of
              _request("G3"), {"case_id": "G3", "event": "share.provider_reviewed", "time": "2024-10-08 09:00"}]
    events.sort(key=lambda e: e["time"])
    found = _verdicts(profile, events)
    assert [(case, status) for case, _, status, _, _ in found["obligations"]] == [
        ("G1", "met"), ("G2", "met"), ("G3", "overdue")]
