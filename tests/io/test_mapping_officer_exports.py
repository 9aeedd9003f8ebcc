"""Drafted mappings of exports as Chinese platforms write them, checked end to end: the draft
an officer gets from ``mapping init`` should load the log with no row lost to its own words."""

from __future__ import annotations

import pandas as pd

from govdata_policy.io import load_events
from govdata_policy.io.mapping import draft


def _drafted(frame: pd.DataFrame) -> dict:
    found = draft(frame)
    return {"columns": found["columns"], "values": found["values"]}


def test_agree_on_a_compliance_review_is_pass_and_on_a_provider_review_approved() -> None:
    # platforms write 同意 / 不同意 at 符合性审查 as well as at the provider's answer; drafted as
    # plain approved / refused, every compliance review row was rejected
    frame = pd.DataFrame({
        "申请单号": ["A1", "A1", "A1", "A2", "A2"],
        "办理环节": ["提交申请", "符合性审查", "提供部门答复", "提交申请", "符合性审查"],
        "操作时间": ["2024-05-06 09:00", "2024-05-07 09:00", "2024-05-08 09:00", "2024-05-06 10:00",
                 "2024-05-07 10:00"],
        "审核结果": ["", "同意", "不同意", "", "不同意"],
    })
    events, rejected, read = load_events(frame, mapping=_drafted(frame))
    assert rejected == [] and read == 5
    assert [v if isinstance(v, str) else None for v in events["outcome"]] == [None, "pass", "refused", None, "reject"]


def test_the_data_source_department_is_the_provider() -> None:
    # 数源部门 (数源单位) is how many platforms name the providing department; left unplaced, the
    # provider rules named no responsible party and rules testing the provider stayed quiet
    found = draft(pd.DataFrame(columns=["申请编号", "环节", "办理时间", "需求部门", "数源部门", "数源部门层级"]))
    assert found["columns"]["数源部门"] == "provider" and found["columns"]["数源部门层级"] == "provider_level"
    unit = draft(pd.DataFrame(columns=["申请编号", "环节", "办理时间", "数源单位"]))
    assert unit["columns"]["数源单位"] == "provider"


def test_the_submission_time_is_the_time_when_no_better_header_is_there() -> None:
    # an export whose only time is 提交时间 was drafted with no time column: check then refused
    # the log for a missing required column
    assert draft(pd.DataFrame(columns=["工单号", "操作", "提交时间"]))["columns"]["提交时间"] == "time"
    both = draft(pd.DataFrame(columns=["工单号", "操作", "提交时间", "办理时间"]))
    assert both["columns"]["办理时间"] == "time" and both["unplaced_columns"] == ["提交时间"]
