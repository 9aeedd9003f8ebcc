"""A compliance officer's first run: an export of their own (GBK, Chinese headers and words, a
title line and a totals row), ``mapping init``, the TODO lines finished by hand, then ``check``.
Each test is a step where the officer was left without a way on."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from govdata_policy.cli.app import app
from govdata_policy.io import InputError, load_mapping

EXPORT = (
    "永州市政务数据共享交换平台 工单流转记录,,,,,,\n"
    "序号,工单编号,事件类型,发生时间,申请部门,提供部门,共享类型\n"
    "1,GD01,共享申请,2024/5/6 9:30,市人社局,市民政局,有条件\n"
    "2,GD01,审核通过,2024/5/28 16:40,,市民政局,\n"
    "合计,,,,,,共2条\n"
)


@pytest.fixture
def export(tmp_path: Path) -> Path:
    path = tmp_path / "export.csv"
    path.write_bytes(EXPORT.encode("gbk"))
    return path


def _drafted(export: Path, tmp_path: Path) -> str:
    out = tmp_path / "map.yaml"
    result = CliRunner().invoke(app, ["mapping", "init", str(export), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out.read_text(encoding="utf-8")


def test_a_todo_word_uncommented_with_its_question_mark_left_says_what_to_write(export: Path,
                                                                               tmp_path: Path) -> None:
    # "# 审核通过: ?   # TODO: ..." with the '# ' taken off and the ? left: PyYAML's "mapping keys are not
    # allowed here" (untranslated in the Chinese message too) named no word and no way on
    text = _drafted(export, tmp_path)
    assert "    # 审核通过: ?   # TODO" in text
    mapping = tmp_path / "map.yaml"
    text = text.replace("    # 审核通过: ?", "    审核通过: ?")
    mapping.write_text(text, encoding="utf-8")
    line = next(n for n, x in enumerate(text.splitlines(), 1) if x.startswith("    审核通过: ?"))
    with pytest.raises(InputError) as raised:
        load_mapping(mapping)
    assert str(raised.value) == (
        f"{mapping}: line {line}: 审核通过: replace ? with the value the word means (the TODO comment names "
        "the choices), or put the '#' back to leave the word unmapped")
    assert raised.value.zh == (f"{mapping}：第 {line} 行：审核通过：请把 ? 换成这个词对应的值"
                               "（TODO 注释列出了可选的值），或把行首的 '#' 加回去，不映射这个词")
    result = CliRunner().invoke(app, ["check", str(export), "-j", "yongzhou", "--mapping", str(mapping)])
    assert result.exit_code == 2 and f"第 {line} 行：审核通过：请把 ? 换成" in result.stderr


def test_other_yaml_mistakes_keep_their_own_message(tmp_path: Path) -> None:
    # a misindented line: the ? is not what stops the reading
    mapping = tmp_path / "map.yaml"
    mapping.write_text("values:\n  event:\n    审核通过: share.provider_reviewed\n   共享申请: ?\n", encoding="utf-8")
    with pytest.raises(InputError, match="not valid YAML"):
        load_mapping(mapping)


def _workbook(path: Path, sheets: dict[str, list[list[str]]]) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


HEADER = ["序号", "工单编号", "事件类型", "发生时间", "提供部门"]


def test_a_workbook_of_a_sheet_a_month_is_not_sent_to_its_other_sheets_for_the_columns(tmp_path: Path) -> None:
    # two half-years, one header: check without a mapping said "日志可能在另一个工作表上（2024年下半年）：
    # 请用 --sheet 选择", where the other sheet lacks the same columns; the mapping was what was missing
    book = _workbook(tmp_path / "export.xlsx", {
        "2024年上半年": [HEADER, ["1", "GD01", "共享申请", "2024/5/6 9:30", "市民政局"]],
        "2024年下半年": [HEADER, ["1", "GD02", "共享申请", "2024/7/1 9:00", "市公安局"]],
    })
    result = CliRunner().invoke(app, ["check", str(book), "-j", "yongzhou"])
    assert result.exit_code == 2
    assert "另一个工作表" not in result.stderr and "mapping init" in result.stderr
    english = CliRunner().invoke(app, ["check", str(book), "-j", "yongzhou", "--lang", "en"])
    assert "another sheet" not in english.stderr and "mapping init" in english.stderr


def test_a_cover_sheet_still_names_the_sheets_after_it(tmp_path: Path) -> None:
    book = _workbook(tmp_path / "export.xlsx", {
        "说明": [["本表由共享平台导出"], ["导出人", "张三"]],
        "2024年上半年": [HEADER, ["1", "GD01", "共享申请", "2024/5/6 9:30", "市民政局"]],
        "2024年下半年": [HEADER, ["1", "GD02", "共享申请", "2024/7/1 9:00", "市公安局"]],
    })
    result = CliRunner().invoke(app, ["check", str(book), "-j", "yongzhou"])
    assert result.exit_code == 2
    assert "日志可能在另一个工作表上（2024年上半年、2024年下半年）：请用 --sheet 选择" in result.stderr


def test_mapping_init_drafts_the_words_of_a_workbook_s_other_sheets_with_its_header(tmp_path: Path) -> None:
    # the draft read the first sheet alone: 校核延期, written in the second half-year only, had no TODO line,
    # and check --sheet 2024年下半年 then rejected its rows with the mapping "finished"
    book = _workbook(tmp_path / "export.xlsx", {
        "2024年上半年": [HEADER, ["1", "GD01", "共享申请", "2024/5/6 9:30", "市民政局"]],
        "2024年下半年": [HEADER, ["1", "GD02", "疑义反馈", "2024/7/15 9:00", "市税务局"],
                     ["2", "GD02", "校核延期", "2024/7/19 16:00", "市税务局"]],
        "汇总": [["部门", "件数"], ["市民政局", "1"]],
    })
    result = CliRunner().invoke(app, ["mapping", "init", str(book)])
    assert result.exit_code == 0, result.output
    assert "    # 校核延期: ?   # TODO: 1 row(s)" in result.stdout
    assert "    # 疑义反馈: ?   # TODO: 1 row(s)" in result.stdout
    assert (f"also drafted from the sheets with the same header (check them with the first as one log: "
            f"--sheet '*'): {book}: 2024年下半年") in result.stderr
    assert "件数" not in result.stdout  # the summary sheet, another header, is no part of the log


def test_an_event_word_that_says_the_outcome_too_gives_the_row_its_outcome(tmp_path: Path) -> None:
    # 事件类型 审核通过 / 审核驳回: the export's one column says the event and the answer. Mapped to the event
    # alone, the refusal of an unconditional request (yongzhou 18.1) was never found: no outcome column
    # could be mapped, one header takes one column
    import pandas as pd

    from govdata_policy import load_jurisdiction
    from govdata_policy.io import load_events

    frame = pd.DataFrame({
        "工单编号": ["A", "A", "B", "B", "C", "C"],
        "事件类型": ["共享申请", "审核驳回", "共享申请", "审核通过", "共享申请", "审核驳回"],
        "发生时间": ["2024/7/8 14:00", "2024/7/9 10:00", "2024/7/8 14:00", "2024/7/9 10:00",
                 "2024/7/8 14:00", "2024/7/9 10:00"],
        "共享类型": ["无条件"] * 6,
        "审核结果": [None, None, None, None, None, "同意"],  # the export's own cell, when it says one, counts
    })
    mapping = {
        "columns": {"工单编号": "case_id", "事件类型": "event", "发生时间": "time", "共享类型": "category",
                    "审核结果": "outcome"},
        "values": {"event": {"共享申请": "share.requested",
                             "审核通过": {"event": "share.provider_reviewed", "outcome": "approved"},
                             "审核驳回": {"event": "share.provider_reviewed", "outcome": "refused"}},
                   "category": {"无条件": "unconditional"}, "outcome": {"同意": "approved"}},
    }
    events, rejected, _ = load_events(frame, mapping=mapping)
    assert rejected == []
    assert events["event"].tolist() == ["share.requested", "share.provider_reviewed"] * 3
    assert [v if isinstance(v, str) else None for v in events["outcome"]] == [
        None, "refused", None, "approved", None, "approved"]
    found = load_jurisdiction("yongzhou").evaluate(frame, mapping=mapping, as_of="2024-12-31")
    assert found.violations[["rule_id", "case_id"]].values.tolist() == [["yz-18.1-unconditional-not-refused", "A"]]
    # without an outcome column in the export at all, the word alone gives it
    del frame["审核结果"], mapping["columns"]["审核结果"], mapping["values"]["outcome"]
    events, rejected, _ = load_events(frame, mapping=mapping)
    assert rejected == [] and [v if isinstance(v, str) else None for v in events["outcome"]] == [
        None, "refused", None, "approved", None, "refused"]


@pytest.mark.parametrize(("sets", "message"), [
    ({"outcome": "refused"}, "values.event.审核驳回: a table here gives the event and what the word also says"),
    ({"event": "share.provider_reviewd", "outcome": "refused"},
     "values.event.审核驳回.event: 'share.provider_reviewd' is not an event name "
     "(did you mean 'share.provider_reviewed'?)"),
    ({"event": "share.compliance_reviewed", "outcome": "refused"},
     "values.event.审核驳回.outcome: 'refused' is not allowed for outcome (allowed: pass, reject)"),
    ({"event": "share.provider_reviewed", "outcom": "refused"},
     "values.event.审核驳回.outcom: an event word can set an optional column of the contract (outcome, category, …), "
     "not 'outcom' (did you mean 'outcome'?)"),
    ({"event": "share.provider_reviewed", "time": "2024-05-06"}, "values.event.审核驳回.time: an event word can set"),
])
def test_an_event_word_s_table_is_checked_when_the_mapping_loads(tmp_path: Path, sets: dict, message: str) -> None:
    from govdata_policy.io.mapping import as_mapping

    with pytest.raises(InputError) as raised:
        as_mapping({"columns": {"事件类型": "event"}, "values": {"event": {"审核驳回": sets}}})
    assert message in str(raised.value)
