"""A compliance officer's GBK export with Chinese headers and words, from `mapping init` to the
three reports of `check --mapping` (issue 6), with nothing lost on the way."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from govdata_policy.cli.app import app

EXPORT = Path(__file__).resolve().parents[1] / "io" / "data" / "gbk_export.csv"
runner = CliRunner()


def test_mapping_init_then_check_writes_json_xlsx_and_html(tmp_path: Path) -> None:
    mapping = tmp_path / "map.yaml"
    assert runner.invoke(app, ["mapping", "init", str(EXPORT), "-o", str(mapping)]).exit_code == 0
    base = ["check", str(EXPORT), "-j", "guangxi", "--mapping", str(mapping), "--as-of", "2024-12-31"]
    # GX2024-001: 提供部门审核 不同意 with 不予共享理由 涉及国家秘密 but no legal basis column:
    # Guangxi R 二（四）5 asks a refusal for its reason and its basis, so it is invalid
    outcome = runner.invoke(app, [*base, "-o", str(tmp_path / "found.json")])
    assert outcome.exit_code == 1, outcome.output
    body = json.loads((tmp_path / "found.json").read_text(encoding="utf-8"))
    assert body["rows"] == {"read": 5, "accepted": 5, "rejected": 0}
    assert [(v["rule_id"], v["case_id"], v["kind"]) for v in body["violations"]] == [
        ("gx-r2.4.5-refusal-basis", "GX2024-001", "invalid")]
    assert runner.invoke(app, [*base, "-o", str(tmp_path / "report.xlsx")]).exit_code == 1
    workbook = openpyxl.load_workbook(tmp_path / "report.xlsx", read_only=True)
    cells = {str(cell) for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True) for cell in row}
    assert {"gx-r2.4.5-refusal-basis", "GX2024-001"} <= cells
    assert runner.invoke(app, [*base, "--lang", "en", "-o", str(tmp_path / "report.html")]).exit_code == 1
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "GX2024-001" in page and f">{body['violations'][0]['clause']}<" in page


def test_mapping_init_says_the_next_step(tmp_path: Path) -> None:
    """An officer who has the draft is told what to do with it (finish the TODO lines, check with it): before,
    stderr listed what could not be placed and stopped there."""
    mapping = tmp_path / "map.yaml"
    drafted = runner.invoke(app, ["mapping", "init", str(EXPORT), "-o", str(mapping)])
    assert drafted.exit_code == 0
    last = drafted.stderr.splitlines()[-1]
    todo = "finish the lines marked TODO in it, then: " if "TODO" in mapping.read_text(encoding="utf-8") else ""
    assert last == f"wrote {mapping}; {todo}govdata-policy check {EXPORT} -j JURISDICTION --mapping {mapping}"
    # the command it names, with a jurisdiction, runs
    assert runner.invoke(app, ["check", str(EXPORT), "-j", "guangxi", "--mapping", str(mapping), "--as-of",
                               "2024-12-31", "--format", "json"]).exit_code == 1
    # a workbook's sheet goes into the command; a draft to standard output has no file to name
    sheet = tmp_path / "export.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "2024年"
    for row in [["编号", "事件", "时间"], ["A1", "share.requested", "2024-05-06 09:00"]]:
        book.active.append(row)
    book.save(sheet)
    other = tmp_path / "sheet.yaml"
    drafted = runner.invoke(app, ["mapping", "init", str(sheet), "--sheet", "2024年", "-o", str(other)])
    assert drafted.stderr.splitlines()[-1].endswith(f"--sheet 2024年 -j JURISDICTION --mapping {other}")
    assert "wrote" not in runner.invoke(app, ["mapping", "init", str(EXPORT)]).stderr
