"""A workbook with a log on each of several sheets (one a month) is checked on its first visible
sheet, as documented, and says so: a note names the other sheets with the log's columns."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path

from typer.testing import CliRunner

from govdata_policy.cli.app import app
from govdata_policy.details import note_text
from govdata_policy.io import load_events, read_raw

runner = CliRunner()


def _monthly_workbook(path: Path, header: list[str]) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    for number, month in enumerate(("2024-03", "2024-04", "2024-05")):
        sheet = book.active if number == 0 else book.create_sheet()
        sheet.title = month
        sheet.append([f"{month} 数据共享台账"])  # a title above the table
        sheet.append(header)
        sheet.append([f"A{number}", "share.requested", dt.datetime(2024, 3 + number, 4, 9)])
    codes = book.create_sheet("代码表")  # a code list: no log, not named
    codes.append(["代码", "名称"])
    codes.append(["01", "无条件共享"])
    hidden = book.create_sheet("模板")  # hidden: not named either
    hidden.sheet_state = "hidden"
    hidden.append(header)
    book.save(path)


def test_a_workbook_with_a_log_on_each_sheet_says_which_were_not_read(tmp_path: Path) -> None:
    """It was checked on its first sheet alone without a word: "rows read 1", and it looked complete."""
    path = tmp_path / "monthly.xlsx"
    _monthly_workbook(path, ["case_id", "event", "time"])
    outcome = runner.invoke(app, ["check", str(path), "-j", "guangxi", "--as-of", "2025-12-31", "--format", "json",
                                  "--lang", "en"])
    result = json.loads(outcome.stdout)
    assert result["rows"]["read"] == 1  # the first sheet, as documented
    note = result["notes"][0]
    assert note == {"kind": "other_sheets", "message": (
        f"{path}: sheet '2024-03' was read; 2 other sheet(s) also have the log's columns (case_id, event, time) "
        "and were not read (2024-04, 2024-05): check them with --sheet, or all as one log with --sheet '*'")}
    assert note_text(note, "zh") == ("未读取的工作表", (
        f"{path}：只读取了工作表“2024-03”；另有2个工作表也有日志的列（case_id、event、time），"
        "未读取（2024-04、2024-05）：请用 --sheet 分别检查，或用 --sheet '*' 作为一个日志一起检查"))
    named = runner.invoke(app, ["check", str(path), "-j", "guangxi", "--as-of", "2025-12-31", "--format", "json",
                                "--sheet", "2024-04"])
    assert not any(n["kind"] == "other_sheets" for n in json.loads(named.stdout)["notes"])  # a sheet chosen: no note


def test_the_other_sheets_headers_are_mapped_as_the_logs_are(tmp_path: Path) -> None:
    path = tmp_path / "monthly.xlsx"
    _monthly_workbook(path, ["申请编号", "环节", "办理时间"])
    mapping = {"columns": {"申请编号": "case_id", "环节": "event", "办理时间": "time"}}
    assert read_raw(path).files[0].other_logs == ()  # unmapped, no other sheet has the log's columns
    raw = read_raw(path, mapping=mapping)
    assert [(f.sheet_read, f.other_logs) for f in raw.files] == [("2024-03", ("2024-04", "2024-05"))]
    events, _, _ = load_events(path, mapping=mapping)
    assert events.attrs["govdata_policy.read_notes"][0]["kind"] == "other_sheets"


def test_only_the_other_sheets_first_rows_are_read(tmp_path: Path) -> None:
    """An .xlsx sheet's XML is parsed up to its header's rows: a sheet whose XML breaks after them
    (standing for the 100k rows not wanted) is named all the same."""
    from govdata_policy.io.other_sheets import first_headers

    path = tmp_path / "monthly.xlsx"
    _monthly_workbook(path, ["case_id", "event", "time"])
    cut = tmp_path / "cut.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(cut, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet2.xml":
                rows = b"".join(b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>x</t></is></c></row>' % (r, r)
                                for r in range(4, 14))
                data = data.replace(b"</sheetData>", rows + b"<row r=\"14\"><c </sheetData>")  # broken past them
            target.writestr(info, data)
    assert first_headers(cut, None, ["2024-04", "2024-05"]) == {
        "2024-04": ["case_id", "event", "time"], "2024-05": ["case_id", "event", "time"]}
