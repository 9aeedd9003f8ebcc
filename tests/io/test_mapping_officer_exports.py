"""Drafted mappings of exports as Chinese platforms write them, checked end to end: the draft
an officer gets from ``mapping init`` should load the log with no row lost to its own words."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from govdata_policy.io import InputError, load_events, load_mapping
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


@pytest.mark.parametrize(("text", "line", "key"), [
    ("columns:\n  申请编号: case_id\n  环节: event\n  办理时间: time\n  环节: outcome\n", 5, "环节"),
    ("columns: {申请编号: case_id}\nvalues:\n  event:\n    提交申请: share.requested\n"
     "    提交申请: share.authorized\n", 5, "提交申请"),
    ("values:\n  event: {提交申请: share.requested}\nvalues:\n  outcome: {通过: pass}\n", 3, "values"),
])
def test_a_key_given_twice_in_a_hand_edited_mapping_is_named(tmp_path: Path, text: str, line: int,
                                                             key: str) -> None:
    # YAML keeps the last of two equal keys: 环节 mapped twice became the outcome and the log was
    # refused for a missing event column, never naming the mapping's duplicate
    path = tmp_path / "map.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=rf"map\.yaml: not valid YAML \(line {line}\): the key '{key}' is given twice"):
        load_mapping(path)


def test_a_yes_no_column_mapped_to_another_word_is_refused_when_the_mapping_loads(tmp_path: Path) -> None:
    # 是: 紧急 was accepted, then every request row of the log rejected ('emergency: '紧急' is not a
    # yes/no value'): the requests were lost, and the deadlines they start with them
    path = tmp_path / "map.yaml"
    path.write_text("columns: {是否紧急: emergency}\nvalues:\n  emergency: {是: 紧急, 否: 'no'}\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"map\.yaml: values\.emergency\.是: '紧急' is not a yes/no value"):
        load_mapping(path)
    path.write_text("columns: {是否紧急: emergency}\nvalues:\n  emergency: {紧急: 'Yes', 一般: false}\n",
                    encoding="utf-8")
    assert load_mapping(path).values == {"emergency": {"紧急": "Yes", "一般": "false"}}


def test_a_word_shorter_than_the_glosses_it_is_part_of_lists_them_as_candidates() -> None:
    # 下线申请 and 下线公示 were TODOs saying only "an event name from the vocabulary", though the
    # docs promise the candidates for an ambiguous word; they are listed, and nothing is placed
    frame = pd.DataFrame({"业务编号": ["C1", "C1", "C1"], "事件": ["下线申请", "下线公示", "异议"],
                          "发生时间": ["2024-07-01 09:00"] * 3})
    found = draft(frame)
    assert "event" not in found["values"]
    assert found["unplaced_values"]["event"] == {
        "下线申请": (1, ["catalog.offline_requested", "resource.offline_requested"]),
        "下线公示": (1, ["catalog.offline_publicized", "resource.offline_publicized"]),
        "异议": (1, [])}


def test_a_totals_row_saying_so_in_the_serial_number_column_is_not_drafted() -> None:
    # 合计 under 序号, the case id blank: its "3条" was a TODO word of the outcome
    frame = pd.DataFrame({"序号": ["1", "2", "合计"], "申请编号": ["Z1", "Z1", None],
                          "环节": ["提交申请", "初审", None],
                          "办理时间": ["2024-05-06 09:00", "2024-05-07 09:00", None],
                          "审核结果": [None, "同意", "3条"]})
    found = draft(frame)
    assert "outcome" not in found["unplaced_values"] and list(found["values"]["outcome"]) == ["同意"]


def test_todo_headers_of_an_export_with_none_placed_can_be_uncommented(tmp_path: Path) -> None:
    # pinyin headers: nothing placed, every header a TODO line under "columns: {}"; uncommented as
    # the file says, the mapping no longer read as YAML
    from govdata_policy.cli.mapping_cmd import render_yaml

    found = draft(pd.DataFrame(columns=["SQBH", "HJMC", "BLSJ"]))
    text = render_yaml(found, "export.csv")
    for header, name in (("SQBH", "case_id"), ("HJMC", "event"), ("BLSJ", "time")):
        text = text.replace(f"  # {header}: COLUMN", f"  {header}: {name}  #")
    path = tmp_path / "map.yaml"
    path.write_text(text, encoding="utf-8")
    assert load_mapping(path).columns == {"SQBH": "case_id", "HJMC": "event", "BLSJ": "time"}
    path.write_text(render_yaml(found, "export.csv"), encoding="utf-8")
    assert load_mapping(path).columns == {}


def test_a_todo_header_uncommented_without_a_column_name_is_refused(tmp_path: Path) -> None:
    # "数源单位: COLUMN" was taken as a column named COLUMN: two such headers ran together silently
    path = tmp_path / "map.yaml"
    path.write_text("columns:\n  申请编号: case_id\n  数源单位: COLUMN   # TODO: not placed\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"map\.yaml: columns\.数源单位: replace COLUMN with a column name"):
        load_mapping(path)
