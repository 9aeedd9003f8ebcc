"""Each finding's evidence in the workbook and the HTML report: its rows' places in their own files
(证据位置 / Evidence location), as explain names them. ``evidence_rows`` count data rows across the log,
so with several files, every sheet of a workbook, a title above the header, a blank line or a value
over two lines, row 3 is not where the officer looks."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

import govdata_policy as gp
from govdata_policy.cli.app import app
from govdata_policy.report import write_report

ROOT = Path(__file__).resolve().parents[2]
HEADER = "case_id,event,time,category,outcome"
# Yongzhou 18.2: S1 requested 04-26, answered 05-14 (due 05-13): late, its evidence the two rows;
# S3 requested 05-06 and never answered: overdue at 06-30, its evidence the request
REQUEST_1 = "S1,share.requested,2024-04-26 09:00,conditional,"
REQUEST_3 = "S3,share.requested,2024-05-06 09:00,conditional,"
REPLY_1 = "S1,share.provider_reviewed,2024-05-14 10:00,,approved"


def _check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, logs: list[str], lang: str = "zh",
           sheet: str | None = None) -> dict[str, dict[str, Any]]:
    """``check LOG... -o report.xlsx`` run in ``tmp_path`` (files named as an officer names them): each case's
    violation (one a case here) and obligation rows of the workbook."""
    monkeypatch.chdir(tmp_path)
    args = ["check", *logs, "-j", "yongzhou", "--as-of", "2024-06-30", "-o", "report.xlsx", "--lang", lang,
            "--obligations", *(["--sheet", sheet] if sheet else [])]
    run = CliRunner().invoke(app, args)
    assert run.exit_code == 1, run.output
    return _sheets(tmp_path / "report.xlsx", lang)


def _sheets(path: Path, lang: str) -> dict[str, dict[str, Any]]:
    book = load_workbook(path)
    names = ("违规", "义务") if lang == "zh" else ("Violations", "Obligations")
    case = "案件" if lang == "zh" else "Case"
    out: dict[str, dict[str, Any]] = {}
    for name in names:
        rows = list(book[name].iter_rows(values_only=True))
        out[name] = {row[rows[0].index(case)]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    return out


def _place(sheets: dict[str, dict[str, Any]], case: str, lang: str = "zh") -> tuple[Any, Any]:
    """(证据行, 证据位置) of the case's violation, checked to be its obligation's too."""
    found, owed = sheets["违规" if lang == "zh" else "Violations"], sheets["义务" if lang == "zh" else "Obligations"]
    rows, place = ("证据行", "证据位置") if lang == "zh" else ("Evidence rows", "Evidence location")
    header = list(found[case])
    assert header[header.index(rows) + 1] == place  # after the evidence rows
    assert (owed[case][rows], owed[case][place]) == (found[case][rows], found[case][place])
    return found[case][rows], found[case][place]


def _write(path: Path, lines: list[str], encoding: str = "utf-8") -> Path:
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def test_several_csv_files_name_the_file_and_its_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write(tmp_path / "a.csv", [HEADER, REQUEST_1, REQUEST_3])
    _write(tmp_path / "b.csv", [HEADER, REPLY_1])
    zh = _check(tmp_path, monkeypatch, ["a.csv", "b.csv"])
    # row 3 of the log is line 2 of b.csv; the request and the reply lie in two files
    assert _place(zh, "S1") == ("1, 3", "a.csv文件第 2 行；b.csv文件第 2 行")
    assert _place(zh, "S3") == ("2", "a.csv文件第 3 行")
    en = _check(tmp_path, monkeypatch, ["a.csv", "b.csv"], lang="en")
    assert _place(en, "S1", "en") == ("1, 3", "line 2 of a.csv; line 2 of b.csv")
    # as explain names the same rows
    text = CliRunner().invoke(app, ["explain", "S1", "a.csv", "b.csv", "-j", "yongzhou", "--as-of", "2024-06-30",
                                    "--lang", "en"]).output
    assert "(row 1, line 2 of a.csv)" in text and "(row 3, line 2 of b.csv)" in text


def test_one_file_says_its_lines_past_a_title_a_blank_line_and_gbk(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    # a GBK export with a title line above the header and a blank line among the rows: rows 1-3, lines 3, 5, 6
    _write(tmp_path / "export.csv", ["永州市政务数据共享申请记录,,,,", HEADER, REQUEST_1, "", REQUEST_3, REPLY_1],
           encoding="gbk")
    zh = _check(tmp_path, monkeypatch, ["export.csv"])
    assert _place(zh, "S1") == ("1, 3", "文件第 3、6 行")  # one file: its lines, not its name
    assert _place(zh, "S3") == ("2", "文件第 5 行")
    en = _check(tmp_path, monkeypatch, ["export.csv"], lang="en")
    assert _place(en, "S1", "en") == ("1, 3", "lines 3, 6")
    assert _place(en, "S3", "en") == ("2", "line 5")


def test_a_value_over_two_lines_pushes_the_rows_after_it_down(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    _write(tmp_path / "log.csv", [HEADER + ",reason", REQUEST_1 + ',"第一行\n第二行"', REQUEST_3 + ",", REPLY_1 + ","])
    zh = _check(tmp_path, monkeypatch, ["log.csv"])
    assert _place(zh, "S1") == ("1, 3", "文件第 2、5 行")


def _monthly(path: Path) -> Path:
    book = Workbook()
    cover = book.active
    cover.title = "封面"
    cover.append(["永州市政务数据共享日志"])
    for name, rows in (("6月", [REQUEST_1, REQUEST_3]), ("7月", [REPLY_1])):
        sheet = book.create_sheet(name)
        for line in [HEADER, *rows]:
            sheet.append([cell or None for cell in line.split(",")])
    book.save(path)
    return path


def test_every_sheet_read_as_one_log_names_the_sheet_and_its_row(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    _monthly(tmp_path / "2024.xlsx")
    zh = _check(tmp_path, monkeypatch, ["2024.xlsx"], sheet="*")
    assert _place(zh, "S1") == ("1, 3", "2024.xlsx[6月]表格第 2 行；2024.xlsx[7月]表格第 2 行")
    assert _place(zh, "S3") == ("2", "2024.xlsx[6月]表格第 3 行")  # a sheet is named even alone
    en = _check(tmp_path, monkeypatch, ["2024.xlsx"], lang="en", sheet="*")
    assert _place(en, "S1", "en") == ("1, 3", "sheet row 2 of 2024.xlsx[6月]; sheet row 2 of 2024.xlsx[7月]")
    one = _check(tmp_path, monkeypatch, ["2024.xlsx"], sheet="6月")  # one sheet: its rows
    assert _place(one, "S3") == ("2", "表格第 3 行")


def _frame(lines: list[str]) -> pd.DataFrame:
    return pd.DataFrame([line.split(",") for line in lines], columns=HEADER.split(","))


def test_parquet_has_no_lines_so_its_file_is_named_or_nothing(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    _frame([REQUEST_1, REQUEST_3]).to_parquet(tmp_path / "a.parquet")
    _frame([REPLY_1]).to_parquet(tmp_path / "b.parquet")
    zh = _check(tmp_path, monkeypatch, ["a.parquet", "b.parquet"])
    assert _place(zh, "S1") == ("1, 3", "a.parquet；b.parquet")
    en = _check(tmp_path, monkeypatch, ["a.parquet", "b.parquet"], lang="en")
    assert _place(en, "S1", "en") == ("1, 3", "in a.parquet; in b.parquet")
    _frame([REQUEST_1, REQUEST_3, REPLY_1]).to_parquet(tmp_path / "all.parquet")
    assert _place(_check(tmp_path, monkeypatch, ["all.parquet"]), "S1") == ("1, 3", None)


def test_json_lines_name_their_lines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    records = _frame([REQUEST_1, REQUEST_3, REPLY_1]).to_dict(orient="records")
    _write(tmp_path / "log.jsonl", [json.dumps(records[0]), "", *(json.dumps(r) for r in records[1:])])
    assert _place(_check(tmp_path, monkeypatch, ["log.jsonl"]), "S1") == ("1, 3", "文件第 1、4 行")


def test_a_frame_has_no_place(tmp_path: Path) -> None:
    result = gp.load_jurisdiction("yongzhou").evaluate(_frame([REQUEST_1, REQUEST_3, REPLY_1]), as_of="2024-06-30")
    sheets = _sheets(write_report(result, "xlsx", tmp_path / "r.xlsx", obligations=True), "zh")
    assert _place(sheets, "S1") == ("1, 3", None)


def test_standard_input_is_named_as_given(tmp_path: Path) -> None:
    """``check -``: one log on standard input says its lines; beside a file it is named ``<stdin>``."""
    title = _write(tmp_path / "piped.csv", ["导出标题", HEADER, REQUEST_1, REQUEST_3, REPLY_1], encoding="gbk")
    _write(tmp_path / "a.csv", [HEADER, REQUEST_1, REQUEST_3])
    beside = (["a.csv", "-"], f"{HEADER}\n{REPLY_1}\n".encode(), "a.csv文件第 2 行；<stdin>文件第 2 行")
    for logs, data, want in ((["-"], title.read_bytes(), "文件第 3、5 行"), beside):
        done = subprocess.run([sys.executable, "-m", "govdata_policy", "check", *logs, "-j", "yongzhou", "--as-of",
                               "2024-06-30", "-o", "r.xlsx", "--obligations"], input=data, capture_output=True,
                              cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT / "src")}, timeout=300)
        assert done.returncode == 1, done.stderr
        assert _place(_sheets(tmp_path / "r.xlsx", "zh"), "S1") == ("1, 3", want)


def _table(page: str) -> dict[str, Any]:
    found = re.search(r'<script type="application/json" id="violations-data">(.*?)</script>', page, re.S)
    assert found
    return json.loads(found.group(1))


@pytest.mark.parametrize(("lang", "labels", "place"), [
    ("zh", ["证据行", "证据位置"], "a.csv文件第 2 行；b.csv文件第 2 行"),
    ("en", ["Evidence rows", "Evidence location"], "line 2 of a.csv; line 2 of b.csv"),
])
def test_the_html_report_shows_the_evidence_and_where_it_lies(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             lang: str, labels: list[str], place: str) -> None:
    _write(tmp_path / "a.csv", [HEADER, REQUEST_1, REQUEST_3])
    _write(tmp_path / "b.csv", [HEADER, REPLY_1])
    monkeypatch.chdir(tmp_path)
    result = gp.load_jurisdiction("yongzhou").evaluate(["a.csv", "b.csv"], as_of="2024-06-30")
    page = write_report(result, "html", tmp_path / "r.html", lang=lang).read_text(encoding="utf-8")
    data = _table(page)
    keys = [c["key"] for c in data["columns"]]
    assert keys[keys.index("evidence_rows") + 1] == "evidence_location"
    assert [c["label"] for c in data["columns"] if c["key"].startswith("evidence")] == labels
    rows = {row[0]: row for row in data["rows"]}
    assert rows["S1"][keys.index("evidence_rows")] == "1, 3"
    assert rows["S1"][keys.index("evidence_location")] == place
    # the case's timeline: each event's place beside its row, and in its dot's tip
    timeline = page[page.index('data-case="S1"'):]
    timeline = timeline[:timeline.index("</details>")]
    head = "所在位置" if lang == "zh" else "Location"
    assert f"<th>{head}</th>" in timeline
    assert (("<td>1</td><td>a.csv文件第 2 行</td>" in timeline and "<td>3</td><td>b.csv文件第 2 行</td>" in timeline)
            if lang == "zh" else "(Row 3, line 2 of b.csv)</title>" in timeline)
