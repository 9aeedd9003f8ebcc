"""``--sheet '*'`` on the command line: a workbook of a sheet a month checked and explained as one log,
each rejected row and each event named by its sheet."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from govdata_policy.cli.app import app

sys.path.insert(0, str(Path(__file__).parents[1] / "io"))
from monthly_book import CHINESE, HEADER, monthly_workbook  # noqa: E402  (tests/io's, as its tests build it)

runner = CliRunner()
LATE_ROW = ["C2", "share.requested", "昨天", "conditional", "市公安局"]


def test_check_reads_every_sheet_with_the_log_as_one_log(tmp_path: Path) -> None:
    path = monthly_workbook(tmp_path / "2024.xlsx", june_extra=[LATE_ROW])
    june = runner.invoke(app, ["check", str(path), "-j", "yongzhou", "--as-of", "2024-07-31", "--sheet", "6月",
                               "--format", "json"])
    assert june.exit_code == 1  # the June sheet alone: C1's request unanswered
    outcome = runner.invoke(app, ["check", str(path), "-j", "yongzhou", "--as-of", "2024-07-31", "--sheet", "*",
                                  "--format", "json"])
    assert outcome.exit_code == 0, outcome.output
    result = json.loads(outcome.stdout)
    assert result["rows"] == {"read": 3, "accepted": 2, "rejected": 1}
    assert result["rejected_rows"][0] | {"reason": ""} == {
        "row": 2, "line": 4, "source": f"{path}[6月]", "case_id": "C2", "reason": ""}
    assert result["notes"][0]["kind"] == "passed_over_sheets"


def test_the_table_names_the_sheet_of_each_rejected_row(tmp_path: Path) -> None:
    """Named as the file of a log of several files is, though every rejected row is of one sheet."""
    path = monthly_workbook(tmp_path / "2024.xlsx", june_extra=[LATE_ROW])
    for lang, expected in (("en", f"rejected row 2 (sheet row 4) ({path}[6月])"),
                           ("zh", f"拒绝第 2 行（表格第 4 行） ({path}[6月])")):
        outcome = runner.invoke(app, ["check", str(path), "-j", "yongzhou", "--as-of", "2024-07-31",
                                      "--sheet", "*", "--lang", lang], env={"COLUMNS": "300"})
        assert expected in outcome.stdout, outcome.stdout


def test_with_a_mapping(tmp_path: Path) -> None:
    path = monthly_workbook(tmp_path / "2024.xlsx", header=CHINESE)
    mapping = tmp_path / "map.yaml"
    mapping.write_text("columns: {" + ", ".join(f"{c}: {h}" for c, h in zip(CHINESE, HEADER, strict=True)) + "}\n",
                       encoding="utf-8")
    outcome = runner.invoke(app, ["check", str(path), "-j", "yongzhou", "--as-of", "2024-07-31", "--sheet", "*",
                                  "--mapping", str(mapping), "--format", "json"])
    assert outcome.exit_code == 0, outcome.output
    assert json.loads(outcome.stdout)["rows"]["accepted"] == 2


def test_explain_names_the_sheet_of_each_event(tmp_path: Path) -> None:
    path = monthly_workbook(tmp_path / "2024.xlsx")
    outcome = runner.invoke(app, ["explain", "C1", str(path), "-j", "yongzhou", "--as-of", "2024-07-31",
                                  "--sheet", "*", "--lang", "en"])
    assert outcome.exit_code == 0, outcome.output
    assert f"(row 1, sheet row 3 of {path}[6月])" in outcome.stdout
    assert f"(row 2, sheet row 2 of {path}[7月])" in outcome.stdout
    assert "overdue" not in outcome.stdout
    zh = runner.invoke(app, ["explain", "C1", str(path), "-j", "yongzhou", "--as-of", "2024-07-31", "--sheet", "*"])
    assert f"（第 2 行，{path}[7月]表格第 2 行）" in zh.stdout


def test_a_sheet_asked_of_no_workbook_is_still_refused(tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    log.write_text("case_id,event,time\nC1,share.requested,2024-06-24 09:00\n", encoding="utf-8")
    outcome = runner.invoke(app, ["check", str(log), "-j", "yongzhou", "--sheet", "*", "--lang", "en"])
    assert outcome.exit_code == 2 and "only a workbook has sheets" in outcome.stderr


def test_on_the_dask_engine(tmp_path: Path) -> None:
    pytest.importorskip("dask.distributed")
    path = monthly_workbook(tmp_path / "2024.xlsx", june_extra=[LATE_ROW])
    args = ["check", str(path), "-j", "yongzhou", "--as-of", "2024-07-31", "--sheet", "*", "--format", "json"]
    single = runner.invoke(app, args)
    dask = runner.invoke(app, [*args, "--engine", "dask", "--workers", "1"])
    assert dask.exit_code == single.exit_code == 0, dask.output
    assert json.loads(dask.stdout) == json.loads(single.stdout)
    assert json.loads(dask.stdout)["rejected_rows"][0]["source"] == f"{path}[6月]"


def test_mapping_init_drafts_every_sheet_with_the_log_and_passes_over_the_others(tmp_path: Path) -> None:
    """It drafted the first visible sheet, the cover page: its title a column to place, no case_id, event or
    time, and July's word 校核延期 without its TODO line."""
    path = monthly_workbook(tmp_path / "2024.xlsx", header=CHINESE,
                            july_extra=[["C7", "校核延期", dt.datetime(2024, 7, 3, 9), None, "市公安局"]])
    mapping = tmp_path / "map.yaml"
    outcome = runner.invoke(app, ["mapping", "init", str(path), "--sheet", "*", "-o", str(mapping)])
    assert outcome.exit_code == 0, outcome.output
    text = mapping.read_text(encoding="utf-8")
    assert "  申请编号: case_id\n  环节: event\n  办理时间: time\n" in text
    assert "    # 校核延期: ?   # TODO: 1 row(s)" in text
    assert "XX市政务数据共享台账" not in text and "字段" not in text  # the cover page's title, the 说明 sheet's header
    assert f"drafted from the sheets with the log's columns: {path}: 6月, {path}: 7月" in outcome.stderr
    assert f"passed over (no case_id, event and time placed): {path}: 封面, {path}: 说明" in outcome.stderr
    assert outcome.stderr.rstrip().endswith(f"govdata-policy check {path} --sheet '*' -j JURISDICTION "
                                            f"--mapping {mapping}")
    # the draft finished (July's word left out), the next step as it says
    mapping.write_text(text.replace("    # 校核延期: ?", "    校核延期: quality.extension_approved  #"),
                       encoding="utf-8")
    checked = runner.invoke(app, ["check", str(path), "--sheet", "*", "-j", "yongzhou", "--as-of", "2024-07-31",
                                  "--mapping", str(mapping), "--format", "json"])
    assert checked.exit_code == 0, checked.output
    assert json.loads(checked.stdout)["rows"] == {"read": 3, "accepted": 3, "rejected": 0}


def test_mapping_init_of_a_sheet_a_month_proposes_to_check_them_as_one_log(tmp_path: Path) -> None:
    """Drafted from every sheet of one header, the next step it gives checks them all, as drafted."""
    import openpyxl

    path = tmp_path / "months.xlsx"

    book = openpyxl.Workbook()
    for number, name in enumerate(("6月", "7月")):
        sheet = book.active if number == 0 else book.create_sheet(name)
        sheet.title = name
        sheet.append(CHINESE)
        sheet.append(["C1", "提交申请", dt.datetime(2024, 6 + number, 3, 9), None, "市公安局"])
    book.save(path)
    mapping = tmp_path / "map.yaml"
    outcome = runner.invoke(app, ["mapping", "init", str(path), "-o", str(mapping)])
    assert outcome.exit_code == 0, outcome.output
    assert f"govdata-policy check {path} --sheet '*' -j JURISDICTION --mapping {mapping}" in outcome.stderr


def test_compare_log_reads_the_sheet_asked_or_every_sheet(tmp_path: Path) -> None:
    """compare --log had no --sheet: a workbook was read on its first visible sheet alone (here a cover
    page: no log at all), while check and explain read the sheet asked, or all of them."""
    path = monthly_workbook(tmp_path / "2024.xlsx", june_extra=[LATE_ROW])
    base = ["compare", "yongzhou", "yongzhou", "--log", str(path), "--as-of", "2024-07-31", "--format", "json"]
    june = runner.invoke(app, [*base, "--sheet", "6月"])
    assert june.exit_code == 0, june.output
    assert json.loads(june.stdout)["log"]["rows"]["yongzhou (1)"] == {"read": 2, "accepted": 1, "rejected": 1}
    every = runner.invoke(app, [*base, "--sheet", "*"])
    assert every.exit_code == 0, every.output
    log = json.loads(every.stdout)["log"]
    assert log["rows"]["yongzhou (1)"] == {"read": 3, "accepted": 2, "rejected": 1}
    assert log["rejected_rows"]["yongzhou (1)"][0]["source"] == f"{path}[6月]"
    assert log["notes"]["yongzhou (1)"][0]["kind"] == "passed_over_sheets"
    # without --log it is taken for nothing, as --as-of and --mapping are
    alone = runner.invoke(app, ["compare", "yongzhou", "--sheet", "6月", "--lang", "zh"])
    assert alone.exit_code == 2
    assert "--sheet 用于比较日志上的检查结果：请加上 --log 文件" in alone.stderr
