"""The findings of a case come in time order (of the event each is anchored on), then by rule id.

A report lists a case's findings as they happened; the rule id only breaks ties at one instant.
"""

from __future__ import annotations

import govdata_policy as gp


def test_a_cases_findings_are_in_time_order_before_rule_order() -> None:
    # Yongzhou 21: an objection raised Mon 2024-06-03 is due in 5 working days: 06-04..06-07 (4), Mon 06-10 端午
    # off, 06-11 (5) -> due Tue 06-11; resolved Wed 06-12: late by 1. A duplicate collection on Tue 06-04 (14) is
    # prohibited. The late finding is anchored on 06-03, before the collection: it comes first, although its rule
    # id (yz-21-...) sorts after yz-14-...; a second case's findings follow the first case's.
    events = [
        {"case_id": "A", "event": "quality.objection_raised", "time": "2024-06-03 09:00", "provider": "市民政局"},
        {"case_id": "A", "event": "conduct.duplicate_collection", "time": "2024-06-04 10:00", "actor": "某县民政局"},
        {"case_id": "A", "event": "quality.objection_resolved", "time": "2024-06-12 09:00"},
        {"case_id": "B", "event": "conduct.duplicate_collection", "time": "2024-06-01 10:00", "actor": "某县民政局"},
    ]
    found = gp.load_jurisdiction("yongzhou").evaluate(events, as_of="2024-07-31").violations
    assert list(zip(found["case_id"], found["rule_id"], found["kind"], strict=True)) == [
        ("A", "yz-21-quality-verification", "late"),
        ("A", "yz-14-no-duplicate-collection", "prohibited"),
        ("B", "yz-14-no-duplicate-collection", "prohibited"),
    ]
    assert found["working_days_late"].tolist()[0] == 1
