"""Every sheet of a workbook read as one log (``sheet="*"``) with a mapping joining a date and a time of day
exported in two columns (``join: {time: [办理日期, 办理时间]}``): drafted and read as one sheet is."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from govdata_policy.cli.app import app

runner = CliRunner()
JOINED = ["申请编号", "环节", "办理日期", "办理时间", "共享类型", "提供部门"]


def _book(path: Path, july: list[list[Any]] | None = None) -> Path:
    """A cover page, June and July with the date and the time of day in two columns (June's a date cell and
    a time cell, July's text), a 说明 sheet: Yongzhou 18.2's request in June, answered in July."""
    import openpyxl

    book = openpyxl.Workbook()
    cover = book.active
    cover.title = "封面"
    cover.append(["XX市政务数据共享台账"])
    june = book.create_sheet("6月")
    june.append(JOINED)
    june.append(["C1", "提交申请", dt.datetime(2024, 6, 24), dt.time(9, 0), "有条件共享", "市公安局"])
    june.append(["C2", "提交申请", dt.datetime(2024, 6, 25), dt.time(14, 30), "有条件共享", "市公安局"])
    sheet = book.create_sheet("7月")
    for row in july or [JOINED, ["C1", "提供部门答复", "2024-07-01", "10:00", None, "市公安局"],
                        ["C2", "提供部门答复", "2024-07-02", "25:00", None, "市公安局"]]:
        sheet.append(row)
    notes = book.create_sheet("说明")
    notes.append(["字段", "含义"])
    notes.append(["办理日期", "办理的日期"])
    book.save(path)
    return path


def test_mapping_init_drafts_the_sheets_whose_time_is_a_join(tmp_path: Path) -> None:
    """A sheet whose time the draft makes a join placed it under ``join``, not ``columns``: every such sheet
    was passed over as placing no time ("no case_id, event and time placed"), and the draft, made of none,
    was the cover page's."""
    path = _book(tmp_path / "2024.xlsx")
    mapping = tmp_path / "map.yaml"
    outcome = runner.invoke(app, ["mapping", "init", str(path), "--sheet", "*", "-o", str(mapping)])
    assert outcome.exit_code == 0, outcome.output
    text = mapping.read_text(encoding="utf-8")
    assert "join:\n  time: [办理日期, 办理时间]" in text
    assert "    提交申请: share.requested\n    提供部门答复: share.provider_reviewed\n" in text
    assert "XX市政务数据共享台账" not in text
    assert f"drafted from the sheets with the log's columns: {path}: 6月, {path}: 7月" in outcome.stderr
    assert f"passed over (no case_id, event and time placed): {path}: 封面, {path}: 说明" in outcome.stderr
    checked = runner.invoke(app, ["check", str(path), "--sheet", "*", "-j", "yongzhou", "--as-of", "2024-07-31",
                                  "--mapping", str(mapping), "--format", "json"])
    result = json.loads(checked.stdout)
    assert result["rows"] == {"read": 4, "accepted": 3, "rejected": 1}
    assert [(r["row"], r["line"], r["source"], r["reason"]) for r in result["rejected_rows"]] == [
        (4, 3, f"{path}[7月]", "time: cannot read '25:00' in 办理时间 as a time of day")]


def test_a_sheet_with_one_of_the_joined_columns_is_refused_naming_it_not_passed_over(tmp_path: Path) -> None:
    """July exported its time whole in 办理时间, no 办理日期 beside it: the mapping cannot read it (as it
    cannot read such a file), and it was passed over as a sheet "without the log's columns", its reply
    unseen and June's request reported overdue."""
    import pytest

    import govdata_policy as gp
    from govdata_policy.io import InputError
    from govdata_policy.io.all_sheets import log_sheets
    from govdata_policy.io.mapping import as_mapping

    path = _book(tmp_path / "2024.xlsx", july=[
        ["环节", "申请编号", "办理时间", "提供部门"], ["提供部门答复", "C1", dt.datetime(2024, 7, 1, 10), "市公安局"]])
    mapping = {"columns": {"申请编号": "case_id", "环节": "event", "共享类型": "category", "提供部门": "provider"},
               "join": {"time": ["办理日期", "办理时间"]},
               "values": {"event": {"提交申请": "share.requested", "提供部门答复": "share.provider_reviewed"},
                          "category": {"有条件共享": "conditional"}}}
    assert log_sheets(path, as_mapping(mapping)) == (["6月", "7月"], ["封面", "说明"])
    said = (f"{path}[7月]: the mapping joins 办理日期 and 办理时间 into time, but the file has no 办理日期 column; "
            "columns found: 环节, 申请编号, 办理时间, 提供部门")
    with pytest.raises(InputError) as raised:
        gp.load_jurisdiction("yongzhou").evaluate(path, as_of="2024-07-31", mapping=mapping, sheet="*")
    assert str(raised.value) == said
    file = tmp_path / "map.yaml"
    file.write_text(json.dumps(mapping, ensure_ascii=False), encoding="utf-8")
    outcome = runner.invoke(app, ["check", str(path), "--sheet", "*", "-j", "yongzhou", "--mapping", str(file)])
    assert outcome.exit_code == 2
    assert outcome.stderr.strip() == (f"错误：{path}[7月]：映射文件把办理日期和办理时间合并为time，"
                                      "但文件中没有办理日期列；文件中的列：环节、申请编号、办理时间、提供部门")
    # a sheet with one joined column but not the log's others (说明, its header 字段) is still passed over
    mapping["join"] = {"time": ["字段", "办理时间"]}
    assert log_sheets(path, as_mapping(mapping))[1] == ["封面", "说明"]
