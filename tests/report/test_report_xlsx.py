"""The workbook report, opened with openpyxl and compared with the JSON result."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from govdata_policy.citation import cite_zh
from govdata_policy.cli.app import app
from govdata_policy.reasons_zh import reason_zh
from govdata_policy.report import write_report
from govdata_policy.report.i18n import KINDS, STATUSES, WORDS
from govdata_policy.report.xlsx import DATETIME_FORMAT, SHEETS

TIME_COLUMNS = {"违规": ("期限", "发生时间"), "义务": ("触发时间", "期限", "完成时间")}


def naive_local(value: str | None) -> dt.datetime | None:
    """The JSON's ISO +08:00 time as Excel holds it: naive local time."""
    return None if value is None else dt.datetime.fromisoformat(value).replace(tzinfo=None)


def lines_zh(rows: list[int]) -> str | None:
    """Where the fixture's evidence rows lie in its one CSV file, as explain says it: the header is line 1."""
    return f"文件第 {'、'.join(str(r + 1) for r in rows)} 行" if rows else None


def records(sheet: Any) -> list[dict[str, Any]]:
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


@pytest.fixture(scope="module")
def book_zh(result: Any, tmp_path_factory: pytest.TempPathFactory) -> Any:
    path = write_report(
        result, "xlsx", tmp_path_factory.mktemp("xlsx") / "report.xlsx", lang="zh", obligations=True
    )
    return load_workbook(path)


def test_sheets_are_named_in_chinese_and_laid_out(book_zh: Any) -> None:
    assert book_zh.sheetnames == ["汇总", "违规", "义务", "拒绝行"]
    for sheet in book_zh.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:"), sheet.title
        assert sheet.auto_filter.ref.endswith(str(sheet.max_row)), sheet.title
        widths = [sheet.column_dimensions[c.column_letter].width for c in sheet[1]]
        assert all(w and w > 4 for w in widths), sheet.title
        assert all(c.font.bold for c in sheet[1])
    assert [c.value for c in book_zh["违规"][1]][:4] == ["规则", "条款", "类型", "案件"]


def test_violations_equal_the_json(book_zh: Any, expected: dict[str, Any]) -> None:
    rows = records(book_zh["违规"])
    kinds = {label: code for code, label in KINDS["zh"].items()}
    assert len(rows) == len(expected["violations"])
    for row, want in zip(rows, expected["violations"], strict=True):
        assert row["规则"] == want["rule_id"]
        # Yongzhou's 办法 is written in 条: 18.2 is cited 第十八条第（二）项, its penalty 38.8 第三十八条第（八）项
        assert row["条款"] == cite_zh(want["clause"], "article")
        assert kinds[row["类型"]] == want["kind"]
        assert row["案件"] == want["case_id"]
        assert row["责任方"] == want["responsible_party"]
        assert row["期限"] == naive_local(want["due"])
        assert row["发生时间"] == naive_local(want["occurred_at"])
        assert row["逾期工作日"] == want["working_days_late"]
        assert row["罚则条款"] == (cite_zh(want["penalty_clause"], "article") if want["penalty_clause"] else None)
        assert row["处理"] == want["consequence"]
        assert row["说明"] == want["message_zh"]
        assert row["证据行"] == ", ".join(str(r) for r in want["evidence_rows"])
        assert row["证据位置"] == lines_zh(want["evidence_rows"])
        # the JSON's profile key ("main") as the reader knows the document: by its number
        assert want["document"] == "main" and row["依据文件"] == "永政办发〔2022〕13号"
    sheet = book_zh["违规"]
    header = [c.value for c in sheet[1]]
    for name in TIME_COLUMNS["违规"]:
        for cell in list(
            sheet.iter_cols(min_col=header.index(name) + 1, max_col=header.index(name) + 1, min_row=2)
        )[0]:
            if cell.value is not None:
                assert cell.is_date and cell.number_format == DATETIME_FORMAT


def test_obligations_and_rejected_rows_equal_the_json(book_zh: Any, expected: dict[str, Any]) -> None:
    rows = records(book_zh["义务"])
    statuses = {label: code for code, label in STATUSES["zh"].items()}
    assert len(rows) == len(expected["obligations"])
    for row, want in zip(rows, expected["obligations"], strict=True):
        assert (row["规则"], row["案件"], row["条款"]) == (want["rule_id"], want["case_id"], cite_zh(want["clause"]))
        assert statuses[row["状态"]] == want["status"]
        assert row["触发时间"] == naive_local(want["trigger_at"])
        assert row["期限"] == naive_local(want["due"])
        assert row["完成时间"] == naive_local(want["fulfilled_at"])
        assert row["逾期工作日"] == want["working_days_late"]
        assert row["证据行"] == ", ".join(str(r) for r in want["evidence_rows"])
        assert row["证据位置"] == lines_zh(want["evidence_rows"])
    rejected = records(book_zh["拒绝行"])
    assert [(r["行号"], r["原因"]) for r in rejected] == [  # the reason said in Chinese, as the sheet is
        (r["row"], reason_zh(r["reason"])) for r in expected["rejected_rows"]
    ]


def test_summary_numbers_equal_the_json(book_zh: Any, expected: dict[str, Any]) -> None:
    rows = records(book_zh["汇总"])
    words = WORDS["zh"]
    totals = {r["项目"]: r["数量"] for r in rows if r["类别"] == words["totals"]}
    assert totals[f"{words['rows']}: {words['rows_read']}"] == expected["rows"]["read"]
    assert totals[f"{words['rows']}: {words['rows_accepted']}"] == expected["rows"]["accepted"]
    assert totals[f"{words['rows']}: {words['rows_rejected']}"] == expected["rows"]["rejected"]
    assert totals[words["violations"]] == len(expected["violations"])
    assert totals[words["obligations"]] == len(expected["obligations"])
    by_kind = {r["说明"]: r["数量"] for r in rows if r["类别"] == words["by_kind"]}
    for kind in KINDS["zh"]:
        assert by_kind[kind] == sum(v["kind"] == kind for v in expected["violations"])
    by_clause = {r["项目"]: r["数量"] for r in rows if r["类别"] == words["by_clause"]}
    for clause in {v["clause"] for v in expected["violations"]}:
        assert by_clause[cite_zh(clause)] == sum(v["clause"] == clause for v in expected["violations"])
    by_penalty = {r["项目"]: (r["数量"], r["处理"]) for r in rows if r["类别"] == words["by_penalty"]}
    assert by_penalty["第三十八条第（八）项"] == (
        sum(v["penalty_clause"] == "38.8" for v in expected["violations"]),
        "责令改正",
    )
    rates = [r for r in rows if str(r["类别"]).startswith(words["charts"])]
    month = {r["项目"]: r for r in rates if words["by_month"] in r["类别"]}
    decided = [o for o in expected["obligations"] if o["status"] in ("met", "late", "overdue")]
    may = [o for o in decided if o["due"].startswith("2024-05")]
    assert month["2024-05"]["数量"] == len(may)
    assert month["2024-05"]["按期完成率"] == pytest.approx(sum(o["status"] == "met" for o in may) / len(may))


def test_english_workbook_lists_only_open_obligations_by_default(
    result: Any, expected: dict[str, Any], tmp_path: Path
) -> None:
    book = load_workbook(write_report(result, "xlsx", tmp_path / "en.xlsx", lang="en"))
    assert book.sheetnames == list(SHEETS["en"].values())
    assert [c.value for c in book["Violations"][1]][:4] == ["Rule", "Clause", "Kind", "Case"]
    # in English a clause is its path, as in the JSON
    assert [r["Clause"] for r in records(book["Violations"])] == [v["clause"] for v in expected["violations"]]
    # each evidence row's line in the file, after the rows: one file, so it is not named
    header = [c.value for c in book["Violations"][1]]
    assert header[header.index("Evidence rows") + 1] == "Evidence location"
    assert [r["Evidence location"] for r in records(book["Violations"])] == [
        ("line" if len(v["evidence_rows"]) == 1 else "lines") + " " + ", ".join(str(r + 1) for r in v["evidence_rows"])
        for v in expected["violations"]
    ]
    rows = records(book["Obligations"])
    assert [(r["Case"], r["Status"]) for r in rows] == [
        (o["case_id"], o["status"]) for o in expected["obligations"] if o["status"] != "met"
    ]
    notes = [r["Note"] for r in records(book["Summary"]) if r["Section"] == "Notes"]
    assert any("--obligations" in str(n) for n in notes)


def test_check_cli_writes_the_workbook(log_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "cli.xlsx"
    run = CliRunner().invoke(
        app,
        [
            "check",
            str(log_path),
            "-j",
            "yongzhou",
            "--as-of",
            "2024-06-30",
            "--format",
            "xlsx",
            "-o",
            str(out),
            "--lang",
            "en",
            "--obligations",
        ],
    )
    assert run.exit_code == 1, run.output
    assert load_workbook(out).sheetnames == ["Summary", "Violations", "Obligations", "Rejected rows"]
