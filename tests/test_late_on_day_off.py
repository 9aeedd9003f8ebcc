"""Late by 0 working days (done, or still open at as_of, on a day off after the due day) is said as
it is: "逾期完成…逾期0个工作日" and "已逾期0个工作日" contradicted themselves. working_days_late stays 0:
the days counted are working days (tests/cases/yongzhou/sharing.yaml, S182-5)."""

from __future__ import annotations

from typing import Any

import pytest

import govdata_policy as gp

# Yongzhou 18.2: requested Fri 2024-06-14, 10 working days -> due Fri 2024-06-28
REQUEST = {"event": "share.requested", "time": "2024-06-14 16:00", "category": "conditional", "provider": "市民政局"}
LOG = [  # in time order, as a monitor is fed
    {"case_id": "SAT", **REQUEST},  # answered on the Saturday after: late by 0
    {"case_id": "OPEN", **REQUEST},  # still open on Sunday 06-30 (as_of): overdue by 0
    {"case_id": "SAT", "event": "share.provider_reviewed", "time": "2024-06-29 09:30", "outcome": "approved"},
]
AS_OF = "2024-06-30"


def _batch() -> list[dict[str, Any]]:
    return gp.load_jurisdiction("yongzhou").evaluate(LOG, as_of=AS_OF).violations.to_dict("records")


def _monitor() -> list[dict[str, Any]]:
    monitor = gp.load_jurisdiction("yongzhou").monitor()
    found = [v for event in LOG for v in monitor.push(event)]
    return found + monitor.advance(AS_OF)


@pytest.mark.parametrize("run", [_batch, _monitor], ids=["batch", "monitor"])
def test_zero_working_days_late_is_said_as_a_day_off_after_the_due_day(run: Any) -> None:
    found = {v["case_id"]: v for v in run()}
    saturday, opened = found["SAT"], found["OPEN"]
    assert (saturday["kind"], saturday["working_days_late"]) == ("late", 0)
    assert saturday["message_zh"].endswith(
        "应于2024-06-28前完成，实际于2024-06-29 09:30完成（期限届满后的休息日，逾期不足1个工作日）")
    assert saturday["message_en"].endswith(
        "due by the end of 2024-06-28, done 2024-06-29 09:30 (a day off after the due day: less than one "
        "working day late)")
    assert (opened["kind"], opened["working_days_late"]) == ("overdue", 0)
    assert opened["message_zh"].endswith(
        "应于2024-06-28前完成，截至2024-06-30仍未完成（期限届满后至今均为休息日，逾期不足1个工作日）")
    assert opened["message_en"].endswith(
        "still not done on 2024-06-30 (only days off since the due day: less than one working day overdue)")
    for record in (saturday, opened):
        assert "逾期0个工作日" not in record["message_zh"] and " 0 working day" not in record["message_en"]


def test_one_working_day_late_keeps_its_count() -> None:
    answered_monday = [{"case_id": "MON", **REQUEST}, {"case_id": "MON", "event": "share.provider_reviewed",
                                                        "time": "2024-07-01 09:30", "outcome": "approved"}]
    [monday] = gp.load_jurisdiction("yongzhou").evaluate(answered_monday, as_of="2024-07-31").violations.to_dict(
        "records")
    assert monday["working_days_late"] == 1 and monday["message_zh"].endswith("完成，逾期1个工作日")


def test_explain_says_it_too() -> None:
    result = gp.load_jurisdiction("yongzhou").evaluate(LOG, as_of=AS_OF)
    zh, en = result.explain("SAT").to_text("zh"), result.explain("SAT").to_text("en")
    assert "状态：逾期完成，逾期不足 1 个工作日（期限届满后只有休息日）" in zh
    assert "Status: late, less than one working day late (only days off after the due day)" in en
    assert "逾期不足 1 个工作日" in result.explain("OPEN").to_text("zh")
