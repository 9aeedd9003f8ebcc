"""Which record of a CSV's head is its header, and its delimiter (``csv_head.csv_header``): a quoted value
over several lines is one record, so a line of it holding more delimiters than the header has columns
is no candidate for the header, nor a vote for its delimiter."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from govdata_policy.cli.app import app
from govdata_policy.io import load_events
from govdata_policy.io.csv_head import csv_header, plan_csv

# a header the contract reads (``Case ID`` is case_id) but does not name word for word, so the header is
# found by how many cells each record fills, as for an export's own headers read through a mapping
HEADER = ["Case ID", "Event", "Time", "Requester", "Note"]
ROW = ["GX-1", "share.requested", "2024-04-09 09:00", "自治区人社厅"]
# a remark whose second line holds more commas than the log has columns
REMARK = "备注：\n甲,乙,丙,丁,戊,己,庚,辛"


def _write(path: Path, delimiter: str, rows: list[list[str]], above: str = "") -> Path:
    def cell(value: str) -> str:
        return '"' + value.replace('"', '""') + '"' if "\n" in value or delimiter in value else value

    lines = [delimiter.join(map(cell, row)) for row in [HEADER, *rows]]
    path.write_text(above + "\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("delimiter", [",", "\t"])
@pytest.mark.parametrize("n", [1, 2])
def test_a_line_of_a_quoted_value_is_not_the_header(tmp_path: Path, delimiter: str, n: int) -> None:
    path = _write(tmp_path / "log.csv", delimiter, [[*ROW, REMARK]] * n)
    assert csv_header(path.read_text(encoding="utf-8")) == (0, delimiter)
    assert plan_csv(path).names == tuple(HEADER)
    events, rejected, read = load_events(path)
    assert read == len(events) == n and not rejected and events["Note"].tolist() == [REMARK] * n


def test_a_title_above_a_header_over_a_quoted_value_is_passed_over(tmp_path: Path) -> None:
    path = _write(tmp_path / "log.csv", ",", [[*ROW, REMARK]], above="广西政务数据共享台账,,\n")
    assert csv_header(path.read_text(encoding="utf-8")) == (1, ",")
    events, rejected, read = load_events(path)
    assert read == len(events) == 1 and not rejected
    assert events["row"].tolist() == [1]


def test_a_stray_quote_in_a_title_still_leaves_the_header_found(tmp_path: Path) -> None:
    """No record of the head closes a quote opened in the title: its lines are looked at as lines."""
    path = _write(tmp_path / "log.csv", ",", [ROW + ["无"]], above='永州市"数据共享台账\n')
    assert csv_header(path.read_text(encoding="utf-8")) == (1, ",")
    events, rejected, read = load_events(path)
    assert read == len(events) == 1 and not rejected and events["case_id"].tolist() == ["GX-1"]


def test_the_check_command_reads_a_one_row_log_with_a_long_remark(tmp_path: Path) -> None:
    path = _write(tmp_path / "log.txt", "\t", [[*ROW, REMARK]])
    done = CliRunner().invoke(app, ["check", str(path), "-j", "guangxi", "--as-of", "2026-06-30",
                                    "--format", "json", "--lang", "en"])
    assert done.exit_code in (0, 1), done.output
    assert json.loads(done.stdout)["rows"] == {"read": 1, "accepted": 1, "rejected": 0}


# a header cell over two lines (a wrapped header cell of a sheet, saved as CSV) in the first column: the
# header's second line then splits into as many fields as the header has
WRAPPED = ["序号\nNo.", "case_id", "event", "time", "provider"]


def _wrapped_log(path: Path, rows: int, above: str = "") -> Path:
    lines = ['"序号\nNo.",case_id,event,time,provider']
    lines += [f"{i},GX-{i},share.requested,2024-04-{i % 28 + 1:02d} 09:00,自治区公安厅" for i in range(1, rows + 1)]
    path.write_text(above + "\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("above", ["", "广西政务数据共享台账,,,,\n"])
def test_the_rows_begin_after_every_line_of_a_header_over_two_lines(tmp_path: Path, above: str) -> None:
    """The header is found as a record, over both its lines; the rows were read from its second line on
    (Arrow skips physical lines: only the header's first was skipped), so ``No."`` and the header's names
    were read as a row, rejected: a row of the file that is none, in a log with nothing wrong."""
    path = _wrapped_log(tmp_path / "log.csv", 3, above)
    assert plan_csv(path).names == tuple(WRAPPED)
    events, rejected, read = load_events(path)
    assert (read, len(events), rejected) == (3, 3, [])
    assert events["case_id"].tolist() == ["GX-1", "GX-2", "GX-3"]
    first = 2 + above.count("\n")  # the header's two lines, the title's
    done = CliRunner().invoke(app, ["check", str(path), "-j", "guangxi", "--as-of", "2026-06-30",
                                    "--format", "json", "--lang", "en"])
    assert done.exit_code in (0, 1), done.output
    assert json.loads(done.stdout)["rows"] == {"read": 3, "accepted": 3, "rejected": 0}
    bad = path.read_text(encoding="utf-8").replace("2024-04-03 09:00", "never")
    path.write_text(bad, encoding="utf-8")
    done = CliRunner().invoke(app, ["check", str(path), "-j", "guangxi", "--as-of", "2026-06-30",
                                    "--format", "json", "--lang", "en"])
    found = json.loads(done.stdout)
    assert found["rows"] == {"read": 3, "accepted": 2, "rejected": 1}
    assert [(r["row"], r["line"]) for r in found["rejected_rows"]] == [(2, first + 2)]


def test_each_part_of_a_log_under_a_header_over_two_lines_carries_the_whole_header(tmp_path: Path) -> None:
    """A part's copy of the header took the header's first line alone, and the rest of the file began
    inside its quote: no row could be cut at, so the log was one part (it had parts before ef6450a)."""
    from govdata_policy.io.partitions import input_parts

    path = _wrapped_log(tmp_path / "log.csv", 60)
    parts = [part for part, _ in input_parts(path, blocksize=path.stat().st_size // 3)]
    assert len(parts) >= 3
    assert {part.header for part in parts} == {'"序号\nNo.",case_id,event,time,provider\n'.encode()}


def test_a_stray_quote_in_the_header_loses_no_row(tmp_path: Path) -> None:
    """A quote opened in a header cell and never closed: Arrow skips the header's line and finds rows wider
    than the header's names, so the Python reader reads the file, and it read the header as a record: the
    quote took every line after it into the header's last name, and no row was left (read 0, the check
    passing a log of 3 rows). The rows are read after the header's line, as Arrow reads them, each rejected
    for its width."""
    path = tmp_path / "log.csv"
    path.write_text('case_id,event,time,"note,provider\n'
                    + "".join(f"GX-{i},share.requested,2024-04-0{i} 09:00,x,自治区公安厅\n" for i in (1, 2, 3)),
                    encoding="utf-8")
    events, rejected, read = load_events(path)
    assert (read, len(events), len(rejected)) == (3, 0, 3)
    assert [r["case_id"] for r in rejected] == ["GX-1", "GX-2", "GX-3"]
    assert all("the row has 5 fields where the header has 4" in r["reason"] for r in rejected)
    done = CliRunner().invoke(app, ["check", str(path), "-j", "guangxi", "--as-of", "2026-06-30", "--lang", "en"])
    assert done.exit_code == 2  # nothing read is no pass
    assert "none of the 3 rows of the log could be read (row 1 (line 2) of" in done.stderr


@pytest.mark.parametrize("title", ['永州市"数据共享台账,,导出时间：2025-12-31\n',
                                   '广西政务数据共享台账（"2025年）,导出人：张三,,\n'])
def test_a_title_of_two_cells_with_a_quote_of_its_own_is_still_passed_over(tmp_path: Path, title: str) -> None:
    """A quote inside a title's cell (not opening it: CSV reads it as it is) counted as opening a value, so the
    title and every line after it were one record, never closed; filling two cells, it was taken for the
    header ("missing required columns case_id, event, time; columns found: 永州市"数据共享台账, ..."), where
    f02e674, looking at lines, read the log. A header found in a record never closed is looked for again
    among the lines."""
    path = _write(tmp_path / "log.csv", ",", [ROW + ["无"], ROW + ["有"]], above=title)
    assert csv_header(path.read_text(encoding="utf-8")) == (1, ",")
    assert plan_csv(path).names == tuple(HEADER)
    events, rejected, read = load_events(path)
    assert read == len(events) == 2 and not rejected and events["case_id"].tolist() == ["GX-1", "GX-1"]


@pytest.mark.parametrize("header", ["case_id,event,time,provider", "案件编号,事件,时间,提供部门"])
def test_a_quote_in_a_title_and_a_stray_one_in_a_row_leave_the_header_found(tmp_path: Path, header: str) -> None:
    """A quote inside a title's cell is text (CSV opens a quoted value only at a cell's start), but the
    head's records counted every quote: the title's closed at a row's stray quote, the title, the header and
    that row became one record, and the next row was taken for the header ("missing required columns
    case_id, event, time; columns found: A2, share.requested, ..."; through a mapping, its columns not found).
    The header is found, and the stray quote is named for what it is, as without the title."""
    path = tmp_path / "log.csv"
    rows = ["A1,share.requested,2024-05-06 09:00,\"市局", "A2,share.requested,2024-05-06 10:00,县局",
            "A3,share.requested,2024-05-07 10:00,县局"]
    path.write_text("\n".join(['永州市数据共享"报表', header, *rows]) + "\n", encoding="utf-8")
    assert csv_header(path.read_text(encoding="utf-8")) == (1, ",")
    assert plan_csv(path).names == tuple(header.split(","))
    if header.startswith("case_id"):
        with pytest.raises(ValueError, match=r"row 1: a quote in column provider is never closed"):
            load_events(path)


@pytest.mark.parametrize("title", ['"永州市数据共享台账', '"永州市数据共享台账,,导出时间', '报表,"说明',
                                   '永州市"数据"共享台账'])
def test_a_quote_opening_a_title_cell_and_never_closed_leaves_the_header_found(title: str) -> None:
    """A quote at a cell's start opens a value: never closed, it leaves every record after the title open,
    and the header is looked for among the lines. Quotes inside a cell are text whatever their number."""
    rows = "".join(f"A{i},share.requested,2024-05-0{i} 09:00,x\n" for i in (1, 2))
    assert csv_header(f"{title}\ncase_id,event,time,provider\n{rows}") == (1, ",")
