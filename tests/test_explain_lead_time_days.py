"""``explain`` of a lead time (Guangxi 27.1, "提前30个工作日内", at least 30 working days before
planned_offline_at): the days said to have moved its due date are those of the span it counts, the
working days strictly before the planned date. The planned date itself is not counted (the engine's
``wd_sub_latest``: cum[planned - 1] - cum[due] >= 30), so a holiday or a make-up working day on that
date moves nothing and is not listed.

2025 national schedule: 国庆/中秋 10-01..10-08 off, make-up working days Sun 09-28 and Sat 10-11.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import govdata_policy as gp


def _explained(case_id: str, requested: str, planned: str, as_of: str, profile: Any = "guangxi") -> Any:
    log = [{"case_id": case_id, "event": "resource.offline_requested", "time": requested,
            "planned_offline_at": planned}]
    result = gp.load_jurisdiction(profile).evaluate(log, as_of=as_of)
    [act] = [a for a in result.explain(case_id).acts if a.rule.rule_id == "gx-27.1-resource-offline-notice"]
    return act


def _days(act: Any) -> list[tuple[str, str]]:
    return [(r.date, r.kind) for r in act.calendar]


def test_a_planned_date_on_a_holiday_is_not_said_to_move_the_due_date() -> None:
    # planned Mon 2025-10-06 (中秋节, off). Working days strictly before it, counted back: 09-30 (1), 09-29 (2),
    # Sun 09-28 make-up (3), 09-26..09-22 (8), 09-19..09-15 (13), 09-12..09-08 (18), 09-05..09-01 (23),
    # 08-29..08-25 (28), 08-22 (29), 08-21 (30): due (latest request day) Wed 2025-08-20.
    # Requested Mon 09-01: late by 21, 22, 25..29, 09-01 = 8 working days.
    act = _explained("L", "2025-09-01 10:00", "2025-10-06", "2025-09-02")
    assert (act.finding.kind, act.finding.due[:10], act.finding.working_days_late) == ("late", "2025-08-20", 8)
    # moved by: the make-up Sunday 09-28 and the weekday days off 10-01..10-03; NOT 10-06, the planned day
    assert _days(act) == [("2025-09-28", "work"), ("2025-10-01", "off"), ("2025-10-02", "off"),
                          ("2025-10-03", "off")]


def test_a_planned_date_on_a_make_up_saturday_is_not_said_to_move_the_due_date() -> None:
    # planned Sat 2025-10-11, a make-up working day (调休上班). Working days strictly before it: 10-10 (1),
    # 10-09 (2), 09-30 (3), 09-29 (4), Sun 09-28 (5), 09-26..09-22 (10), 09-19..09-15 (15), 09-12..09-08 (20),
    # 09-05..09-01 (25), 08-29..08-25 (30): due Sun 2025-08-24. Requested Tue 08-26: late by 08-25, 08-26 = 2.
    act = _explained("S", "2025-08-26 10:00", "2025-10-11", "2025-08-27")
    assert (act.finding.kind, act.finding.due[:10], act.finding.working_days_late) == ("late", "2025-08-24", 2)
    assert ("2025-10-11", "work") not in _days(act)
    assert _days(act) == [("2025-09-28", "work"), ("2025-10-01", "off"), ("2025-10-02", "off"),
                          ("2025-10-03", "off"), ("2025-10-06", "off"), ("2025-10-07", "off"),
                          ("2025-10-08", "off")]


def test_at_most_reading_lists_the_same_span(tmp_path: Path) -> None:
    # gx_resource_offline_notice_mode at_most ("within 30 working days before the planned date"): a request with
    # more than 30 working days strictly between it and the planned date is premature; its due is the last day it
    # may not come on, the latest day with 31 working days after it before the date. Planned Mon 2025-10-06
    # (中秋节): the 31st working day back is 08-20 (the count above, one more), so due Tue 2025-08-19.
    variant = tmp_path / "gx-at-most.yaml"
    variant.write_text("extends: guangxi\nname: gx-at-most\n"
                       "parameters:\n  gx_resource_offline_notice_mode:\n    value: at_most\n"
                       "    reference: D 第二十七条（一） read literally\n", encoding="utf-8")
    act = _explained("M", "2025-08-19 10:00", "2025-10-06", "2025-08-20", profile=variant)
    assert (act.finding.kind, act.finding.due[:10]) == ("premature", "2025-08-19")
    assert _days(act) == [("2025-09-28", "work"), ("2025-10-01", "off"), ("2025-10-02", "off"),
                          ("2025-10-03", "off")]
