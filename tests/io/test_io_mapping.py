"""Column/value mappings: loading, applying, drafting, and ``mapping init``."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from govdata_policy.io import InputError, apply_mapping, draft_mapping, load_events, load_mapping, read_raw
from govdata_policy.io.mapping import ColumnMapping, draft, guess_event
from govdata_policy.reasons_zh import reason_zh


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "map.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_load_mapping_of_the_contract_example(tmp_path: Path) -> None:
    path = _write(tmp_path, """\
columns: {申请编号: case_id, 环节: event, 办理时间: time, 共享类型: category}
values:
  event: {提交申请: share.requested, 提供部门答复: share.provider_reviewed}
  category: {无条件共享: unconditional, 有条件共享: conditional, 不予共享: not_shared}
""")
    mapping = load_mapping(path)
    assert mapping.columns["环节"] == "event"
    assert mapping.values["category"]["不予共享"] == "not_shared"


def test_yaml_scalars_become_text(tmp_path: Path) -> None:
    # 1: and true are not strings to YAML; an export's codes and words are
    path = _write(tmp_path, "columns: {编号: case_id}\nvalues:\n  event: {1: share.requested}\n"
                            "  emergency: {紧急: true}\n  event_note:\n")
    mapping = load_mapping(path)
    assert mapping.values["event"] == {"1": "share.requested"}
    assert mapping.values["emergency"] == {"紧急": "true"}
    assert mapping.values["event_note"] == {}  # a heading left with only TODO comments


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("columns: [a, b]\n", r"map.yaml: columns: Input should be a valid dictionary"),
        ("colums: {a: case_id}\n", r"map.yaml: colums: Extra inputs are not permitted"),
        ("values: {event: {提交: share.requsted}}\n",
         r"map.yaml: values.event.提交: 'share.requsted' is not an event name "
         r"\(did you mean 'share.requested'\?\)"),
        ("values: {category: {无条件: always}}\n",
         r"map.yaml: values.category.无条件: 'always' is not allowed for category"),
        ("values: {outcome: {通过: {share.nope: pass}}}\n",
         r"map.yaml: values.outcome.通过.share.nope: 'share.nope' is not an event name"),
        ("columns: {编号: }\n", r"map.yaml: columns: '编号' maps to nothing"),
        ("columns: {a: b\n", r"map.yaml: not valid YAML \(line \d+\)"),
        ("- a\n- b\n", r"map.yaml: expected a mapping with 'columns:' and 'values:'"),
    ],
)
def test_load_mapping_errors_name_file_and_field(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        load_mapping(_write(tmp_path, text))


def test_missing_mapping_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="nope.yaml: mapping file not found"):
        load_mapping(tmp_path / "nope.yaml")


def test_apply_mapping_renames_translates_and_coalesces() -> None:
    frame = pd.DataFrame(
        {"编号": ["A", "B", "C"], "环节": [" 提交 ", "审核", "终审"], "申请时间": ["2024-05-06", "", None],
         "办理时间": ["2024-05-07", "2024-05-08", "2024-05-09"], "结果": ["通过", "通过", "驳回"]},
        index=[5, 6, 7],
    )
    mapping = ColumnMapping.model_validate({
        "columns": {"编号": "case_id", "环节": "event", "申请时间": "time", "办理时间": "time",
                    "结果": "outcome"},
        "values": {"event": {"提交": "share.compliance_reviewed", "审核": "share.provider_reviewed"},
                   "outcome": {"通过": {"share.compliance_reviewed": "pass", "*": "approved"},
                               "驳回": {"*": "refused"}}},
    })
    out = apply_mapping(frame, mapping)
    assert list(out.columns) == ["case_id", "event", "time", "outcome"]
    assert out.index.tolist() == [5, 6, 7]
    assert out["event"].tolist() == ["share.compliance_reviewed", "share.provider_reviewed", "终审"]
    # the first mapped header with a value wins, in mapping order
    assert out["time"].tolist() == ["2024-05-06", "2024-05-08", "2024-05-09"]
    # one export word, two meanings, decided by the event
    assert out["outcome"].tolist() == ["pass", "approved", "refused"]


def test_mapping_is_applied_per_file_so_differing_headers_line_up(tmp_path: Path) -> None:
    may = tmp_path / "may.csv"
    may.write_text("编号,环节,申请时间\nA,提交申请,2024-05-06\n", encoding="utf-8")
    june = tmp_path / "june.csv"
    june.write_text("编号,环节,办理时间\nB,提交申请,2024-06-06\n", encoding="utf-8")
    mapping = {"columns": {"编号": "case_id", "环节": "event", "申请时间": "time", "办理时间": "time"},
               "values": {"event": {"提交申请": "share.requested"}}}
    events, rejected, n = load_events([may, june], mapping=mapping)
    assert rejected == [] and n == 2 and list(events.columns) == ["row", "case_id", "event", "time_ns", "day"]


def test_draft_places_chinese_and_english_headers() -> None:
    frame = pd.DataFrame(columns=[
        "业务编号", "操作", "操作时间", "数据提供部门", "使用部门", "共享属性", "结果", "原因", "法律依据",
        "数据资源", "应用场景", "用途", "经办部门", "角色", "申请部门层级", "是否紧急", "附件"])
    mapping, unplaced = draft_mapping(frame)
    assert mapping["columns"] == {
        "业务编号": "case_id", "操作": "event", "操作时间": "time", "数据提供部门": "provider",
        "使用部门": "requester", "共享属性": "category", "结果": "outcome", "原因": "reason",
        "法律依据": "legal_basis", "数据资源": "resource", "应用场景": "scenario", "用途": "purpose",
        "经办部门": "actor", "角色": "actor_role", "申请部门层级": "requester_level", "是否紧急": "emergency"}
    assert unplaced == ["附件"]
    english, unplaced = draft_mapping(pd.DataFrame(columns=["Case ID", "Event", "Timestamp", "Provider"]))
    assert english["columns"] == {"Case ID": "case_id", "Event": "event", "Timestamp": "time",
                                  "Provider": "provider"}


def test_draft_prefers_the_event_time_over_the_request_time() -> None:
    mapping, unplaced = draft_mapping(pd.DataFrame(columns=["流水号", "环节", "申请时间", "办理时间"]))
    assert mapping["columns"]["办理时间"] == "time"
    assert unplaced == ["申请时间"]


def test_draft_proposes_values_and_lists_what_it_cannot_place() -> None:
    frame = pd.DataFrame({
        "申请编号": ["A"] * 8,
        "环节": ["申请提交", "规范性审查", "部门审核", "终审", "订阅", "提出校核", "校核完成", "神秘环节"],
        "时间": ["2024-05-06"] * 8,
        "共享类型": ["无条件共享", "有条件共享", "不予共享", "依申请开放", "", "", "", "看情况"],
        "审核结果": ["同意", "通过", "驳回", "不通过", "拒绝", "不同意", "", ""],
    })
    found = draft(frame)
    assert found["values"]["event"] == {
        "申请提交": "share.requested", "规范性审查": "share.compliance_reviewed",
        "部门审核": "share.provider_reviewed", "终审": "share.final_reviewed", "订阅": "share.authorized",
        "提出校核": "quality.objection_raised", "校核完成": "quality.objection_resolved"}
    assert found["values"]["category"] == {"无条件共享": "unconditional", "有条件共享": "conditional",
                                           "不予共享": "not_shared", "依申请开放": "on_request"}
    outcome = found["values"]["outcome"]
    assert outcome["同意"] == {"share.compliance_reviewed": "pass", "*": "approved"}
    assert outcome["拒绝"] == outcome["不同意"] == {"share.compliance_reviewed": "reject", "*": "refused"}
    assert outcome["通过"] == {"share.compliance_reviewed": "pass", "*": "approved"}
    assert outcome["不通过"] == {"share.compliance_reviewed": "reject", "*": "refused"}
    assert found["unplaced_values"] == {"event": {"神秘环节": (1, [])}, "category": {"看情况": (1, [])}}


def test_a_totals_row_is_neither_drafted_nor_accepted(tmp_path: Path) -> None:
    # the export's last row counts the others: "合计 … 3件" is no outcome to map, and checking the log
    # refuses that row saying it is a totals row (it is still counted: read = accepted + rejected)
    frame = pd.DataFrame({"申请编号": ["A", "A", "B", "合 计"], "环节": ["申请提交", "部门审核", "申请提交", ""],
                          "时间": ["2024-05-06 09:00", "2024-05-07 09:00", "2024-05-06 09:00", ""],
                          "审核结果": ["", "同意", "", "3件"]})
    found = draft(frame)
    assert found["values"]["outcome"] == {"同意": {"share.compliance_reviewed": "pass", "*": "approved"}}
    assert "outcome" not in found["unplaced_values"]
    mapping = {"columns": found["columns"], "values": found["values"]}
    events, rejected, read = load_events(frame, mapping=mapping)
    assert read == 4 and len(events) == 3
    assert [r["reason"] for r in rejected] == [
        "case_id: '合 计' marks a totals row, not an event; event: missing; time: missing; "
        "outcome: '3件' is not allowed (allowed: pass, reject, approved, refused)"]


def test_draft_boolean_and_level_words() -> None:
    frame = pd.DataFrame({"编号": ["A", "B", "C"], "环节": ["share.requested"] * 3, "时间": ["2024-05-06"] * 3,
                          "是否紧急": ["是", "无", "不确定"], "申请部门层级": ["市级", "县级", "national"]})
    found = draft(frame)
    assert found["values"] == {"emergency": {"无": "false"},
                               "requester_level": {"市级": "city", "县级": "county"}}
    assert found["unplaced_values"] == {"emergency": {"不确定": (1, [])}}
    mapping, _ = draft_mapping(frame)
    events, rejected, _ = load_events(frame, mapping=mapping)  # a draft dict is a mapping too
    assert events["emergency"].tolist() == [True, False]
    assert [r["reason"] for r in rejected] == [
        "emergency: '不确定' is not a yes/no value (true/false, 1/0, yes/no, 是/否, Y/N)"]


def test_guess_event_uses_the_vocabulary_glosses() -> None:
    assert guess_event("目录更新") == ["catalog.updated"]
    assert guess_event("数据资源下线") == ["resource.offline_executed"]
    assert guess_event("受理结果答复") == ["catalog.offline_replied", "resource.offline_replied"]
    assert guess_event("share.requested") == ["share.requested"]
    assert guess_event("驳回申请") == []  # '申请' alone is too short to guess inside a word


def test_mapping_init_on_the_gbk_export_then_load_with_zero_rejections(gbk_csv: Path, tmp_path: Path) -> None:
    from govdata_policy.cli.app import app

    out = tmp_path / "map.yaml"
    result = CliRunner().invoke(app, ["mapping", "init", str(gbk_csv), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "备注" in result.stderr
    text = out.read_text(encoding="utf-8")
    assert "# 备注: COLUMN   # TODO" in text
    assert yaml.safe_load(text)["columns"]["申请编号"] == "case_id"
    events, rejected, n = load_events(gbk_csv, mapping=out)
    assert rejected == [] and n == len(events) == 5
    assert events["event"].tolist() == ["share.requested", "share.compliance_reviewed",
                                        "share.provider_reviewed", "share.requested", "share.authorized"]
    assert [None if pd.isna(v) else v for v in events["outcome"]] == [None, "pass", "refused", None, None]
    # it will not overwrite an officer's edited file without --force
    again = CliRunner().invoke(app, ["mapping", "init", str(gbk_csv), "-o", str(out)])
    assert again.exit_code == 2 and "exists" in again.stderr


def test_mapping_init_writes_todo_lines_that_still_load(tmp_path: Path) -> None:
    from govdata_policy.cli.app import app

    log = tmp_path / "odd.csv"
    log.write_text("编号,环节,时间,x: y\nA,神秘环节,2024-05-06,1\nB,受理结果答复,2024-05-06,2\n",
                   encoding="utf-8")
    result = CliRunner().invoke(app, ["mapping", "init", str(log)])
    assert result.exit_code == 0
    assert "# 神秘环节: ?   # TODO: 1 row(s); an event name from the vocabulary" in result.stdout
    assert "TODO: 1 row(s); one of catalog.offline_replied, resource.offline_replied" in result.stdout
    assert '# "x: y": COLUMN' in result.stdout
    assert "could not place 2 value(s) of event" in result.stderr
    mapping = tmp_path / "m.yaml"
    mapping.write_text(result.stdout, encoding="utf-8")
    assert load_mapping(mapping).columns == {"编号": "case_id", "环节": "event", "时间": "time"}
    _, rejected, _ = load_events(log, mapping=mapping)
    assert len(rejected) == 2  # the TODO words are still unknown events, and say so


def test_mapping_init_shows_an_exports_control_characters_not_obeys_them(tmp_path: Path) -> None:
    from govdata_policy.cli.app import app

    # a header holding ESC and BEL (an OSC sequence retitling the terminal) and an event word holding ESC
    log = tmp_path / "odd.csv"
    log.write_text("编号,环节,时间,\x1b]0;pwn\x07备注\nA,\x1b[2J环节,2024-05-06,1\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["mapping", "init", str(log)])
    assert result.exit_code == 0
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "kept as text named \\x1b]0;pwn\\x07备注" in result.stdout
    assert "\\x1b]0;pwn\\x07备注" in result.stderr and "\\x1b[2J环节" in result.stderr


def test_mapping_init_errors_are_one_line_exit_2(tmp_path: Path) -> None:
    from govdata_policy.cli.app import app

    result = CliRunner().invoke(app, ["mapping", "init", str(tmp_path / "none.csv")])
    assert result.exit_code == 2
    assert result.stderr.strip().count("\n") == 0 and "file not found" in result.stderr


def test_read_raw_accepts_a_mapping_dict() -> None:
    raw = read_raw([{"编号": "A"}], mapping={"columns": {"编号": "case_id"}})
    assert list(raw.frame.columns) == ["case_id"]


def test_mapping_init_on_a_cover_sheet_points_to_the_log_sheet(tmp_path: Path) -> None:
    """A workbook whose first sheet is a cover page drafted ``columns: {}`` and said nothing of
    its other sheets (check does)."""
    import datetime as dt

    from openpyxl import Workbook

    from govdata_policy.cli.app import app

    book = Workbook()
    cover = book.active
    cover.title = "封面"
    cover.append(["XX市政务数据共享台账"])
    log = book.create_sheet("日志")
    log.append(["申请编号", "环节", "办理时间"])
    log.append(["A1", "提交申请", dt.datetime(2025, 3, 3, 9)])
    path = tmp_path / "cover.xlsx"
    book.save(path)
    result = CliRunner().invoke(app, ["mapping", "init", str(path)])
    assert result.exit_code == 0
    assert "the log may be on another sheet (日志): choose it with --sheet" in result.stderr
    chosen = CliRunner().invoke(app, ["mapping", "init", str(path), "--sheet", "日志"])
    assert "another sheet" not in chosen.stderr and "申请编号: case_id" in chosen.stdout
    # beside a CSV of the same log the sheet is the workbook's; asked of the CSV alone, it is refused
    csv_path = tmp_path / "march.csv"
    csv_path.write_text("申请编号,环节,办理时间\nA2,提交申请,2025-03-04 09:00\n", encoding="utf-8")
    both = CliRunner().invoke(app, ["mapping", "init", str(path), str(csv_path), "--sheet", "日志"])
    assert both.exit_code == 0 and "申请编号: case_id" in both.stdout
    alone = CliRunner().invoke(app, ["mapping", "init", str(csv_path), "--sheet", "日志"])
    assert alone.exit_code == 2 and "only a workbook has sheets" in alone.stderr


def test_mapping_init_drafts_one_mapping_for_several_monthly_files(tmp_path: Path) -> None:
    """May's export says 申请时间, June's 办理时间: a draft of May alone left June with no time."""
    from govdata_policy.cli.app import app

    may, june = tmp_path / "05.jsonl", tmp_path / "06.jsonl"
    may.write_text('{"编号":"A","环节":"提交申请","申请时间":"2024-05-06 09:00","共享类型":"有条件共享"}\n'
                   '{"编号":"A","环节":"神秘","申请时间":"2024-05-07 09:00"}\n', encoding="utf-8")
    june.write_text('{"编号":"B","环节":"提交申请","办理时间":"2024-06-03 09:00","共享类型":"无条件共享"}\n'
                    '{"编号":"B","环节":"神秘","办理时间":"2024-06-04 09:00"}\n', encoding="utf-8")
    out = tmp_path / "map.yaml"
    result = CliRunner().invoke(app, ["mapping", "init", str(may), str(june), "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "drafted from 05.jsonl, 06.jsonl." in text
    assert "# 神秘: ?   # TODO: 2 row(s)" in text  # one word of both files: its rows summed
    drafted = yaml.safe_load(text)
    assert drafted["columns"] == {"编号": "case_id", "环节": "event", "申请时间": "time", "共享类型": "category",
                                  "办理时间": "time"}
    assert drafted["values"]["category"] == {"有条件共享": "conditional", "无条件共享": "unconditional"}
    events, rejected, n = load_events([may, june], mapping=out)
    assert n == 4 and len(events) == 2 and [r["reason"] for r in rejected] == [  # the mapping in use is named
        f"event: unknown event '神秘' (an export's own word: add it under values: event: in the mapping file {out})"
    ] * 2
    assert events["case_id"].tolist() == ["A", "B"]


def test_merged_drafts_place_a_word_or_header_placed_in_any_file() -> None:
    from govdata_policy.io.draft import merge_drafts

    first = {"columns": {"编号": "case_id"}, "values": {"event": {"提交申请": "share.requested"}},
             "unplaced_columns": ["备注"], "unplaced_values": {"event": {"神秘": (3, [])}}}
    second = {"columns": {"备注": "reason"}, "values": {"event": {"神秘": "share.filed"}},
              "unplaced_columns": ["附件"], "unplaced_values": {"event": {"奇怪": (1, []), "更怪": (5, [])}}}
    merged = merge_drafts([first, second])
    assert merged["columns"] == {"编号": "case_id", "备注": "reason"}
    assert merged["unplaced_columns"] == ["附件"]
    assert merged["values"]["event"] == {"提交申请": "share.requested", "神秘": "share.filed"}
    assert list(merged["unplaced_values"]["event"].items()) == [("更怪", (5, [])), ("奇怪", (1, []))]


def test_a_totals_row_under_the_row_number_column_says_so_when_refused() -> None:
    # 合计 under 序号 and the case id left blank: refused as "case_id: missing; event: missing; …", which reads as
    # a broken event; it now says first what the row is, as a 合计 in the case id column does
    frame = pd.DataFrame({"序号": ["1", "合计"], "case_id": ["A", None], "event": ["share.requested", None],
                          "time": ["2024-05-06 09:00", None], "outcome": [None, "1件"]})
    _, rejected, read = load_events(frame)
    assert read == 2 and [r["reason"] for r in rejected] == [
        "序号: '合计' marks a totals row, not an event; case_id: missing; event: missing; time: missing; "
        "outcome: '1件' is not allowed (allowed: pass, reject, approved, refused)"]
    assert reason_zh(rejected[0]["reason"]).startswith("序号：'合计'表示合计行，不是事件；case_id：缺失")
