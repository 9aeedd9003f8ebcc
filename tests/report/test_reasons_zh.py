"""A rejected row's reason in a Chinese report is said in Chinese (the JSON keeps the English).

The reasons are produced by the readers, validation, the calendar checks and the monitor
themselves, from inputs that go wrong in every way they know, so a sentence reworded or added
in the code without its Chinese here fails ``test_every_reason_the_code_writes_is_said_in_chinese``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

import govdata_policy as gp
from govdata_policy.cli.app import app
from govdata_policy.reasons_zh import reason_zh

runner = CliRunner()

HEADER = "case_id,event,time,category,outcome,classified,extra_working_days,planned_offline_at"
# one row per way a row of a CSV can be refused (Guangxi: its 27.1 counts 30 working days back
# from planned_offline_at; the calendar spans 2004-01-01 .. 2035-12-31)
BAD_ROWS = [
    ",share.requested,2024-01-02 09:00,conditional,,,,",
    "C1,,2024-01-02 09:00,,,,,",
    "C2,share.requested,,,,,,",
    "C3,share.requestd,2024-01-02 09:00,,,,,",  # close to a name: did you mean
    "C4,提交申请,2024-01-02 09:00,,,,,",  # an export's word for one event
    "C5,报备,2024-01-02 09:00,,,,,",  # a word for two events
    "C6,xyzzy,2024-01-02 09:00,,,,,",
    "C7,share.requested,09:00,,,,,",
    'C8,share.requested,"45964 days, 9:00:00",,,,,',
    "C9,share.requested,2024-13-01,,,,,",
    "C10,share.requested,2024-01-02 09:00,bogus,,,,",
    "C11,share.provider_reviewed,2024-01-02 09:00,,maybe,,,",
    "C11b,share.compliance_reviewed,2024-01-02 09:00,,approved,,,",  # a word of another event's
    "C12,share.requested,2024-01-02 09:00,,,perhaps,,",
    "C13,share.requested,2024-01-02 09:00,,,,-3,",
    "C14,share.requested,2024-01-02 09:00,,,,,,,extra",
    "C15,share.requested,1990-01-02 09:00,,,,,",
    "C16,share.requested,2035-12-20 09:00,,,,,",
    "C17,resource.offline_requested,2024-01-02 09:00,,,,,2004-01-10",
    "C18,resource.offline_requested,2024-01-02 09:00,,,,,2040-01-10",
    "C19,share.requestd,2024-13-01,bogus,,,,",  # three problems in one row
    "合计,,,,3件,,,",  # the spreadsheet's totals row
    "C21,share.requested,2024-01-02 09:00,#N/A,,,,",  # an Excel error value
    "C22,share.requested,2024-01-02 09:00,Err:502,,,,",  # LibreOffice's
    "C23,share.requested,2024-01-02 09:00,#NO_SAVED_VALUE =B2,,,,",  # an uncalculated formula's mark (io.formula_cells)
    HEADER,  # the header again: two files joined
]
GOOD_ROW = "C20,share.requested,2024-01-02 09:00,conditional,,,,"  # read: the log is checked, not refused


def _bad_csv(folder: Path) -> Path:
    path = folder / "bad.csv"
    path.write_text(HEADER + "\n" + "\n".join([*BAD_ROWS, GOOD_ROW]) + "\n", encoding="utf-8")
    return path


def _all_reasons(folder: Path) -> list[str]:
    guangxi = gp.load_jurisdiction("guangxi")
    reasons = [r["reason"] for r in guangxi.evaluate(_bad_csv(folder), as_of="2024-06-30").rejected_rows]
    lines = folder / "bad.jsonl"
    lines.write_text('not json\n[1, 2]\n{"case_id": {"a": 1}, "event": "share.requested", '
                     '"time": "2024-01-02 09:00"}\n', encoding="utf-8")
    reasons += [r["reason"] for r in guangxi.evaluate(lines, as_of="2024-06-30").rejected_rows]
    items = folder / "bad.json"
    items.write_text('[1, {"case_id": "A", "event": "share.requested", "time": "2024-01-02 09:00"}]',
                     encoding="utf-8")
    reasons += [r["reason"] for r in guangxi.evaluate(items, as_of="2024-06-30").rejected_rows]
    deep = folder / "deep.jsonl"  # a cell nested too deep; a line with so many brackets json reads it
    deep.write_text('{"case_id": "D", "event": "share.requested", "time": "2024-01-02 09:00", "reason": '
                    + "[" * 150 + "1" + "]" * 150 + "}\n"
                    + '{"case_id": "E", "event": "share.requested", "time": "2024-01-02 09:00", "reason": '
                    + "[" * 1100 + "1" + "]" * 1100 + "}\n", encoding="utf-8")
    reasons += [r["reason"] for r in guangxi.evaluate(deep, as_of="2024-06-30").rejected_rows]
    frame = pd.DataFrame({"case_id": ["S"], "event": ["share.requested"], "time": ["2024-01-02 09:00"],
                          "subject_id": [2.0**60]})  # an 18-digit ID number in a float column
    reasons += [r["reason"] for r in guangxi.evaluate(frame, as_of="2024-06-30").rejected_rows]
    cut = [b"\xbc", "甲".encode("gbk"), "乙".encode("gbk")]  # GBK text, its first value cut inside a character
    impala = pa.table({"case_id": pa.array(cut, pa.binary()), "event": ["share.requested"] * 3,
                       "time": ["2024-01-02 09:00"] * 3})
    reasons += [r["reason"] for r in guangxi.evaluate(impala, as_of="2024-06-30").rejected_rows]
    cut = folder / "cut.csv"  # UTF-8, a value cut inside a character
    cut.write_bytes("case_id,event,time,reason\nC1,share.requested,2024-01-02 09:00,同意\n".encode()
                    + "C2,share.requested,2024-01-02 09:00,同意".encode()[:-1] + b"\n")
    reasons += [r["reason"] for r in guangxi.evaluate(cut, as_of="2024-06-30").rejected_rows]
    monitor = gp.load_jurisdiction("xinjiang").monitor(max_ahead_days=92)  # the guard a live stream sets
    monitor.push("share.requested")  # type: ignore[arg-type]  # not a mapping: refused, not raised
    monitor.push({"case_id": "A", "event": "share.requested", "time": "2024-01-03 09:00",
                  "category": "conditional", "Category": "unconditional"})
    monitor.push({"case_id": "B", "event": "share.requested", "time": "2024-01-05 09:00"})
    monitor.push({"case_id": "B", "event": "share.requested", "time": "2024-01-04 09:00"})  # out of order
    monitor.push({"case_id": "F", "event": "share.requested", "time": "2034-01-05 09:00"})  # a mistyped year
    monitor.advance("2024-05-01")  # (more than 92 days ahead of 01-05: the clock goes there first)
    monitor.push({"case_id": "R", "event": "conduct.rectification_ordered", "time": "2024-05-06 09:00",
                  "rectify_by": "2040-01-01"})
    monitor.push({"case_id": 2.0**60, "event": "share.requested", "time": "2024-05-07 09:00"})  # a rounded id
    return reasons + [r["reason"] for r in monitor.rejected]


_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def test_every_reason_the_code_writes_is_said_in_chinese(tmp_path: Path) -> None:
    reasons = _all_reasons(tmp_path)
    # every bad row, JSON line and item, and every push but B's first, was refused
    assert len(reasons) == len(BAD_ROWS) + 3 + 1 + 2 + 1 + 1 + 1 + 6
    for reason in reasons:
        zh = reason_zh(reason)
        for problem in zh.split("；"):
            # the values quoted from the file stay as written; the sentence around them is Chinese
            assert _CJK.search(_QUOTED.sub("", problem)), f"not said in Chinese: {problem!r} (of {reason!r})"


@pytest.mark.parametrize(("reason", "zh"), [
    ("case_id: missing", "case_id：缺失"),
    ("time: cannot read '2024-13-01' as a time; category: 'bogus' is not allowed on share.* events "
     "(allowed: unconditional, conditional, not_shared)",
     "time：无法将'2024-13-01'识别为时间；category：share.* 事件不允许'bogus'（允许：unconditional、conditional、"
     "not_shared）"),
    ("event: unknown event '报备' (it could be 'catalog.filed' or 'share.filed': map it in the mapping file)",
     "event：未知事件'报备'（可能是'catalog.filed'或'share.filed'：请在映射文件中映射）"),
    ("rectify_by: 2040-01-01 is outside the working-day calendar (2004-01-01 .. 2035-12-31)",
     "rectify_by：2040-01-01在工作日历（2004-01-01至2035-12-31）之外"),
    # a value holding "; " is not a second problem; only a field name starts one
    ("reason: 'a; b' is not allowed (allowed: x)", "reason：不允许'a; b'（允许：x）"),
    ("subject_id: '#N/A' is an Excel error value (the cell's formula failed), not a value",
     "subject_id：'#N/A'是 Excel 错误值（单元格的公式出错），不是数据"),
    ("provider: 'Err:502' is a LibreOffice error value (the cell's formula failed), not a value",
     "provider：'Err:502'是 LibreOffice 错误值（单元格的公式出错），不是数据"),
    ("time: a formula with no saved value (=TEXT(A2,\"yyyy-mm-dd\")): the workbook was never calculated (open and "
     "save it in Excel or WPS)",
     "time：公式（=TEXT(A2,\"yyyy-mm-dd\")）没有保存计算结果：工作簿从未计算过（请用 Excel 或 WPS 打开并保存）"),
    ("something new; case_id: missing", "something new；case_id：缺失"),  # without a pattern: as written
])
def test_reason_in_chinese(reason: str, zh: str) -> None:
    assert reason_zh(reason) == zh


def test_chinese_reports_and_explanation_show_the_chinese_reason_and_the_json_the_english(tmp_path: Path) -> None:
    log = _bad_csv(tmp_path)
    base = ["check", str(log), "-j", "guangxi", "--as-of", "2024-06-30"]
    table = runner.invoke(app, [*base, "--lang", "zh"], env={"COLUMNS": "300"})
    assert "拒绝第 10 行（文件第 11 行）: time：无法将'2024-13-01'识别为时间" in table.output
    english = runner.invoke(app, [*base, "--lang", "en"], env={"COLUMNS": "300"})
    assert "rejected row 10 (line 11): time: cannot read '2024-13-01' as a time" in english.output
    runner.invoke(app, [*base, "--lang", "zh", "-o", str(tmp_path / "r.html")])
    assert "time：无法将&#x27;2024-13-01&#x27;识别为时间" in (tmp_path / "r.html").read_text(encoding="utf-8")
    runner.invoke(app, [*base, "--lang", "zh", "-o", str(tmp_path / "r.xlsx")])
    sheet = load_workbook(tmp_path / "r.xlsx")["拒绝行"]
    assert "time：无法将'2024-13-01'识别为时间" in [row[-1] for row in sheet.iter_rows(values_only=True)]
    result = gp.load_jurisdiction("guangxi").evaluate(log, as_of="2024-06-30")
    assert "time：无法将'2024-13-01'识别为时间" in str(result.explain("C9", lang="zh"))
    assert "time: cannot read '2024-13-01' as a time" in str(result.explain("C9", lang="en"))
    document = runner.invoke(app, [*base, "-o", str(tmp_path / "r.json")])
    assert document.exit_code != 2, document.output  # checked, not refused
    assert "time: cannot read '2024-13-01' as a time" in (tmp_path / "r.json").read_text(encoding="utf-8")
