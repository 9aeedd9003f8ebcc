"""A workbook of a sheet a month read as one log (``sheet="*"``): each sheet with the log's columns is
read as a file of its own is when several are given, the others passed over and named in a note."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from monthly_book import CHINESE, MAPPING, monthly_workbook

import govdata_policy as gp
from govdata_policy.details import note_text
from govdata_policy.io import InputError, load_events, read_raw
from govdata_policy.io.all_sheets import ALL_SHEETS, log_sheets


def test_a_request_in_june_answered_in_july_is_judged_across_the_sheets(tmp_path: Path) -> None:
    """One sheet a run judged each sheet alone: June's request overdue, July's reply answering nothing."""
    path = monthly_workbook(tmp_path / "2024.xlsx")
    profile = gp.load_jurisdiction("yongzhou")
    june = profile.evaluate(path, as_of="2024-07-31", sheet="6月")
    assert [(v["rule_id"], v["kind"]) for v in june.violations.to_dict("records")] == [
        ("yz-18.2-conditional-reply", "overdue")]
    both = profile.evaluate(path, as_of="2024-07-31", sheet=ALL_SHEETS)
    assert both.rows == {"read": 2, "accepted": 2, "rejected": 0}
    assert both.violations.empty
    assert [o["status"] for o in both.obligations.to_dict("records")] == ["met"]


def test_each_sheet_is_read_as_a_file_of_its_own(tmp_path: Path) -> None:
    path = monthly_workbook(tmp_path / "2024.xlsx",
                            june_extra=[["C2", "share.requested", "昨天", "conditional", "市公安局"]],
                            july_extra=[["C3", "share.nonsense", dt.datetime(2024, 7, 2, 9), None, None]])
    raw = read_raw(path, sheet=ALL_SHEETS)
    # rows numbered on across the sheets in the workbook's order; each row's source names its sheet
    assert [(f.source, f.rows) for f in raw.files] == [(f"{path}[6月]", 2), (f"{path}[7月]", 2)]
    assert raw.row.tolist() == [1, 2, 3, 4]
    assert raw.source.tolist() == [f"{path}[6月]"] * 2 + [f"{path}[7月]"] * 2
    result = gp.load_jurisdiction("yongzhou").evaluate(path, as_of="2024-07-31", sheet=ALL_SHEETS)
    # a rejected row names its sheet and its row in that sheet (June's title and header above it)
    assert [(r["row"], r["line"], r["source"]) for r in result.rejected_rows] == [
        (2, 4, f"{path}[6月]"), (4, 3, f"{path}[7月]")]
    # the cover page and the 说明 sheet are said, the hidden template is not
    passed = [n for n in result.notes if n["kind"] == "passed_over_sheets"]
    assert passed == [{"kind": "passed_over_sheets", "message": (
        f"{path}: 2 sheet(s) without the log's columns (case_id, event, time) were passed over (封面, 说明)")}]
    assert note_text(passed[0], "zh") == ("跳过的工作表", (
        f"{path}：2个工作表没有日志的列（case_id、event、time），未读取（封面、说明）"))
    assert not any(n["kind"] == "other_sheets" for n in result.notes)


def test_the_sheets_are_chosen_by_their_header_as_the_mapping_names_it(tmp_path: Path) -> None:
    path = monthly_workbook(tmp_path / "2024.xlsx", header=CHINESE)
    assert log_sheets(path, None) == (["封面"], ["6月", "7月", "说明"])  # none has the log's columns unmapped
    events, rejected, rows_read = load_events(path, mapping=MAPPING, sheet=ALL_SHEETS)
    assert (len(events), rejected, rows_read) == (2, [], 2)
    assert events["event"].tolist() == ["share.requested", "share.provider_reviewed"]
    result = gp.load_jurisdiction("yongzhou").evaluate(path, as_of="2024-07-31", mapping=MAPPING, sheet=ALL_SHEETS)
    assert result.violations.empty


def test_without_the_mapping_the_missing_columns_are_said_of_the_first_sheet(tmp_path: Path) -> None:
    """No sheet holds the log's columns: not an empty log, the error any file without them gives."""
    path = monthly_workbook(tmp_path / "2024.xlsx", header=CHINESE)
    with pytest.raises(InputError, match=r"2024\.xlsx\[封面\]: missing required columns case_id, event, time"):
        load_events(path, sheet=ALL_SHEETS)


def test_a_glob_of_workbooks_reads_every_sheet_of_each(tmp_path: Path) -> None:
    first = monthly_workbook(tmp_path / "a.xlsx")
    second = monthly_workbook(tmp_path / "b.xlsx", july_extra=[["C9", "share.nonsense", dt.datetime(2024, 7, 2, 9),
                                                               None, None]])
    result = gp.load_jurisdiction("yongzhou").evaluate(str(tmp_path / "*.xlsx"), as_of="2024-07-31",
                                                       sheet=ALL_SHEETS)
    assert result.rows == {"read": 5, "accepted": 4, "rejected": 1}
    assert [(r["row"], r["line"], r["source"]) for r in result.rejected_rows] == [(5, 3, f"{second}[7月]")]
    assert [n["message"].split(":")[0] for n in result.notes if n["kind"] == "passed_over_sheets"] == [
        str(first), str(second)]


def test_a_csv_beside_the_workbook_is_read_as_itself(tmp_path: Path) -> None:
    path = monthly_workbook(tmp_path / "2024.xlsx")
    extra = tmp_path / "8月.csv"
    extra.write_text("case_id,event,time\nC5,share.requested,2024-08-01 09:00\n", encoding="utf-8")
    raw = read_raw([path, extra], sheet=ALL_SHEETS)
    assert [f.source for f in raw.files] == [f"{path}[6月]", f"{path}[7月]", str(extra)]
    with pytest.raises(InputError, match="only a workbook has sheets"):
        read_raw(extra, sheet=ALL_SHEETS)  # as any sheet asked of no workbook


def test_on_several_processes_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from govdata_policy.engine import parallel

    monkeypatch.setattr(parallel, "MIN_ROWS", 0)  # the log is small: two processes all the same
    path = monthly_workbook(tmp_path / "2024.xlsx",
                            june_extra=[["C2", "share.requested", dt.datetime(2024, 6, 3, 9), "conditional", "局"]])
    profile = gp.load_jurisdiction("yongzhou")
    one = profile.evaluate(path, as_of="2024-07-31", sheet=ALL_SHEETS)
    two = profile.evaluate(path, as_of="2024-07-31", sheet=ALL_SHEETS, workers=2)
    assert [(v["case_id"], v["kind"]) for v in two.violations.to_dict("records")] == [("C2", "overdue")]
    assert two.violations.to_dict("records") == one.violations.to_dict("records")
    assert two.notes == one.notes
