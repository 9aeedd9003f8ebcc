"""Spreadsheets through calamine (io/excel.py): the same cells as openpyxl gave, .xls and .ods too,
and error cells that are not read as empty."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sheet_xml import with_cells

from govdata_policy.io import load_events, read_raw
from govdata_policy.io.excel import _calamine_rows, _openpyxl_rows, _table, has_error_cells
from govdata_policy.timeutil import NS_PER_DAY

DATA = Path(__file__).parent / "data"
HOUR_NS = 3_600_000_000_000


def _local_ns(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> int:
    """Nanoseconds since the epoch of a +08:00 wall-clock time, worked out without the reader."""
    days = (dt.date(year, month, day) - dt.date(1970, 1, 1)).days
    return days * NS_PER_DAY + (hour - 8) * HOUR_NS + minute * 60_000_000_000


@pytest.mark.parametrize("name", ["typed.xls", "typed.ods"])
def test_old_excel_and_opendocument_sheets_are_read_with_their_types(name: str) -> None:
    # tests/io/data/make_fixtures.py wrote them: a title row, then a date-time cell, an Excel serial
    # number, a text time, a whole-number id and a date-only cell
    events, rejected, n = load_events(DATA / name)
    assert n == 4
    assert events["case_id"].tolist() == ["C1", "C1", "1001", "C2"]  # 1001: a number cell, no ".0"
    assert events["time_ns"].tolist() == [
        _local_ns(2024, 5, 6, 9),  # datetime cell, naive = Beijing time
        _local_ns(2024, 5, 7, 10, 30),  # 45419.4375: 45419 days after 1899-12-30, plus 10.5 hours
        _local_ns(2024, 5, 8, 16),  # text
        _local_ns(2024, 5, 9),  # a date alone: midnight
    ]
    assert events["extra_working_days"].tolist() == [pd.NA, pd.NA, pd.NA, 3]
    assert events["category"].astype(object).where(events["category"].notna(), None).tolist() == [
        "conditional", None, "unconditional", "conditional"]
    assert rejected == []


# --- the same cells as openpyxl gave --------------------------------------------------------------
_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=6)
_CELLS = st.one_of(
    st.none(),
    _TEXT,
    st.booleans(),
    st.integers(-10**12, 10**12),
    st.floats(-1e12, 1e12, allow_nan=False),
    st.datetimes(dt.datetime(1970, 1, 1), dt.datetime(2100, 12, 31)).map(lambda d: d.replace(microsecond=0)),
    st.dates(dt.date(1970, 1, 1), dt.date(2100, 12, 31)),
    st.times().map(lambda t: t.replace(microsecond=0)),
)


def _workbook(path: Path, header: list[str], rows: list[list[Any]]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def _calamine_frame(path: Path, name: str = "Sheet") -> pd.DataFrame:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    try:
        return _table(path, name, _calamine_rows(book, name))
    finally:
        book.close()


def _typed_cells(frame: pd.DataFrame) -> dict[str, list[tuple[type, Any]]]:
    """Each column's cells with their types (True == 1 == 1.0 in Python), an empty text cell as None."""
    return {name: [(type(v), v) for v in (None if v == "" else v for v in frame[name])] for name in frame}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(_CELLS, min_size=4, max_size=4), min_size=1, max_size=12))
def test_calamine_gives_the_cells_openpyxl_gave(tmp_path: Path, rows: list[list[Any]]) -> None:
    path = _workbook(tmp_path / "cells.xlsx", ["a", "b", "c", "d"], rows)
    ours = _calamine_frame(path)
    theirs = _table(path, "Sheet", _openpyxl_rows(path, "Sheet")) if any(
        any(v is not None and v != "" for v in r) for r in rows) else ours
    # openpyxl keeps an empty text cell as ""; calamine's reader gives None, which validation reads the same
    assert list(ours.columns) == list(theirs.columns)
    assert _typed_cells(ours) == _typed_cells(theirs)


# --- error cells ---------------------------------------------------------------------------------
def _with_cached_errors(path: Path) -> Path:
    """The workbook with C2 and D3 turned into error cells as Excel saves them (type e, the error text)."""
    return with_cells(path, "errors.xlsx", {ref: f'<c r="{ref}" t="e"><f>1/0</f><v>{error}</v></c>'
                                            for ref, error in (("C2", "#N/A"), ("D3", "#DIV/0!"))})


def test_error_cells_are_read_as_their_error_text_not_as_empty(tmp_path: Path) -> None:
    plain = _workbook(tmp_path / "log.xlsx", ["case_id", "event", "time", "category"], [
        ["C1", "share.requested", "x", "conditional"],
        ["C2", "share.requested", "2024-05-06 09:00", "x"],
    ])
    assert not has_error_cells(plain)
    path = _with_cached_errors(plain)
    assert has_error_cells(path)
    # calamine alone would say the cells are empty: the reason the workbook goes to openpyxl
    assert _calamine_frame(path)["time"].tolist() == [None, "2024-05-06 09:00"]
    raw = read_raw(path)
    assert raw.frame["time"].tolist() == ["#N/A", "2024-05-06 09:00"]
    assert raw.frame["category"].tolist() == ["conditional", "#DIV/0!"]
    events, rejected, n = load_events(path)
    reasons = {r["row"]: r["reason"] for r in rejected}
    assert n == 2 and reasons[1].startswith("time: '#N/A' is an Excel error value")  # not "time: missing"
    assert "category: '#DIV/0!' is an Excel error value" in reasons[2]


def test_the_error_scan_finds_a_cell_cut_by_a_block_boundary(tmp_path: Path, monkeypatch: Any) -> None:
    import govdata_policy.io.formula_cells as formula_cells

    path = _with_cached_errors(_workbook(tmp_path / "log.xlsx", ["a", "b", "c", "d"], [["x"] * 4, ["y"] * 4]))
    with zipfile.ZipFile(path) as book:
        xml = book.read("xl/worksheets/sheet1.xml")
    at = xml.index(b' t="e"')
    for block in range(2, 12):  # blocks ending inside ' t="e"' at every offset
        monkeypatch.setattr(formula_cells, "SCAN_BLOCK", block)
        assert has_error_cells(path), (block, at)


def test_only_the_sheet_read_is_looked_at_for_error_cells(tmp_path: Path) -> None:
    """A summary sheet's formula errors (a common 汇总 sheet) do not send the log sheet to openpyxl."""
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "汇总"
    book.active.append(["a", "b", "c", "d"])
    book.active.append(["x", "x", "x", "x"])
    book.active.append(["y", "y", "y", "y"])
    log = book.create_sheet("日志")
    log.append(["case_id", "event", "time"])
    log.append(["C1", "share.requested", "2024-05-06 09:00"])
    book.save(tmp_path / "two.xlsx")
    path = _with_cached_errors(tmp_path / "two.xlsx")  # C2 and D3 of the first sheet, 汇总
    assert has_error_cells(path) and has_error_cells(path, "汇总")
    assert not has_error_cells(path, "日志")
    events, rejected, n = load_events(path, sheet="日志")
    assert (n, rejected, events["time_ns"].tolist()) == (1, [], [_local_ns(2024, 5, 6, 9)])
    assert read_raw(path, sheet=0).frame["c"].tolist() == ["#N/A", "y"]  # the summary, by openpyxl


def test_a_cell_merged_down_rows_gives_each_row_its_value(tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["永州市数据共享日志"])  # a title merged across the columns: stays a title
    sheet.merge_cells("A1:D1")
    sheet.append(["case_id", "event", "time", "outcome"])
    sheet.append(["C4", "share.requested", "2025-05-26 09:00", None])
    sheet.append([None, "share.provider_reviewed", "2025-06-12 10:00", "approved"])
    sheet.merge_cells("A3:A4")  # the case id over both of its rows
    book.save(tmp_path / "merged.xlsx")
    events, rejected, read = load_events(tmp_path / "merged.xlsx")
    assert read == 2 and not rejected and events["case_id"].tolist() == ["C4", "C4"]


def test_merged_cells_are_filled_down_on_the_openpyxl_path_too(tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["case_id", "event", "time", "note"])
    sheet.append(["C4", "share.requested", "2025-05-26 09:00", "=NA()"])
    sheet.append([None, "share.provider_reviewed", "2025-06-12 10:00", None])
    sheet.merge_cells("A2:A3")
    book.save(tmp_path / "merged.xlsx")
    with zipfile.ZipFile(tmp_path / "merged.xlsx") as source:  # the formula's cached value: an error cell
        parts = {n: source.read(n) for n in source.namelist()}
    sheet_xml = parts["xl/worksheets/sheet1.xml"].decode()
    parts["xl/worksheets/sheet1.xml"] = sheet_xml.replace("<f>NA()</f><v></v>", "<f>NA()</f><v>#N/A</v>").replace(
        '<c r="D2"', '<c r="D2" t="e"', 1).encode()
    with zipfile.ZipFile(tmp_path / "merged.xlsx", "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)
    assert has_error_cells(tmp_path / "merged.xlsx")
    events, rejected, read = load_events(tmp_path / "merged.xlsx")
    assert read == 2 and events["case_id"].tolist() == ["C4", "C4"] and not rejected


def _workbook_with_an_error_cell(path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["case_id", "event", "time", "category", "provider", "outcome", "note"])
    sheet.append(["D1", "share.requested", dt.datetime(2025, 3, 10, 9), "unconditional", "市公安局", None, "#N/A"])
    sheet.append(["D1", "share.provider_reviewed", dt.datetime(2025, 3, 11, 9), None, None, "refused", None])
    sheet.append(["D2", "share.requested", dt.datetime(2025, 3, 10, 9), "conditional", "市公安局", None, None])
    book.save(path)


def test_a_sheet_that_declares_too_small_an_area_is_read_whole(tmp_path: Path) -> None:
    """An error cell sends the sheet to openpyxl's read-only reader, which read only the area the
    sheet's <dimension> declares: "A1:C2" over 4 rows and 7 columns lost two rows and four columns."""
    whole = tmp_path / "whole.xlsx"
    _workbook_with_an_error_cell(whole)
    wrong = tmp_path / "wrong.xlsx"
    with zipfile.ZipFile(whole) as source, zipfile.ZipFile(wrong, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<dimension ref="A1:G4"/>', b'<dimension ref="A1:C2"/>')
                assert b'ref="A1:C2"' in data
            target.writestr(info, data)
    assert has_error_cells(wrong)
    read = read_raw(wrong).frame
    assert len(read) == 3 and list(read.columns)[:7] == [
        "case_id", "event", "time", "category", "provider", "outcome", "note"]
    assert read["outcome"].tolist()[1] == "refused"


def test_the_first_visible_sheet_is_read_not_a_hidden_template(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    template = book.active
    template.title, template.sheet_state = "模板", "hidden"
    template.append(["case_id", "event", "time", "category", "provider"])
    template.append(["示例", "share.requested", dt.datetime(2025, 3, 10, 9), "conditional", "示例部门"])
    log = book.create_sheet("日志")
    book.active = 1
    log.append(["case_id", "event", "time", "category", "provider", "outcome"])
    log.append(["P1", "share.requested", dt.datetime(2025, 3, 10, 9), "unconditional", "市公安局", None])
    path = tmp_path / "hidden_first.xlsx"
    book.save(path)
    assert read_raw(path).frame["case_id"].tolist() == ["P1"]
    assert read_raw(path, sheet="模板").frame["case_id"].tolist() == ["示例"]  # still there when named
    assert read_raw(path, sheet=0).frame["case_id"].tolist() == ["示例"]  # an index counts every sheet


def test_a_title_merged_over_two_rows_is_skipped_not_taken_for_the_header(tmp_path: Path) -> None:
    """A title merged over A1:D2 was copied into every cell of both rows: the second row looked as
    full as the header and was taken for it ("missing required columns …; columns found:
    XX市政务数据共享台账, XX市政务数据共享台账 (2), …")."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"] = "XX市政务数据共享台账"
    sheet.merge_cells("A1:D2")
    sheet.append(["case_id", "event", "time", "reason"])
    sheet.append(["A1", "share.requested", dt.datetime(2024, 3, 4, 9), "r"])
    book.save(tmp_path / "title.xlsx")
    events, rejected, read = load_events(tmp_path / "title.xlsx")
    assert (read, rejected) == (1, [])
    assert events["case_id"].tolist() == ["A1"] and events["time_ns"].tolist() == [_local_ns(2024, 3, 4, 9)]


def test_a_header_over_two_rows_names_its_columns_from_both(tmp_path: Path) -> None:
    """A two-row header (申请编号 and 提供部门 merged down A1:A2 and D1:D2, 办理信息 over B1:C1 with 环节
    and 时间 under it): the lower row lacked the names merged down into it, so it was taken for a title and
    the first row of events for the header ("missing required columns …; columns found: A1,
    share.requested, …"), with that row lost."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["申请编号", "办理信息", None, "提供部门"])
    sheet.append([None, "环节", "时间", None])
    for cells in ("A1:A2", "B1:C1", "D1:D2"):
        sheet.merge_cells(cells)
    sheet.append(["A1", "share.requested", dt.datetime(2024, 3, 4, 9), "市公安局"])
    sheet.append(["A2", "share.bogus", dt.datetime(2024, 3, 4, 9), "市公安局"])
    book.save(tmp_path / "two_row_header.xlsx")
    mapping = {"columns": {"申请编号": "case_id", "环节": "event", "时间": "time", "提供部门": "provider"}}
    events, rejected, read = load_events(tmp_path / "two_row_header.xlsx", mapping=mapping)
    assert read == 2 and events["case_id"].tolist() == ["A1"] and events["provider"].tolist() == ["市公安局"]
    assert [(r["row"], r["case_id"]) for r in rejected] == [(2, "A2")]


def test_a_note_merged_under_the_table_puts_no_text_in_other_cells(tmp_path: Path) -> None:
    """A note merged over A6:D7 under the table was copied into the event and time cells: its row
    was rejected as "event: unknown event '备注：…'", though those cells are empty in the sheet.
    A note merged down one column (A9:A10) gives its blank second row no value: no row of its own."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["case_id", "event", "time", "reason"])
    sheet.append(["A1", "share.requested", dt.datetime(2024, 3, 4, 9), "r"])
    sheet["A6"] = "备注 本表由系统导出"
    sheet.merge_cells("A6:D7")
    sheet["A9"] = "制表人 张三"
    sheet.merge_cells("A9:A10")
    book.save(tmp_path / "note.xlsx")
    events, rejected, read = load_events(tmp_path / "note.xlsx")
    assert [(r["case_id"], r["reason"]) for r in rejected] == [
        ("备注 本表由系统导出", "event: missing; time: missing"), ("制表人 张三", "event: missing; time: missing")]
    assert read == 3 and events["case_id"].tolist() == ["A1"]


def _workbook_1904(path: Path, times: list[Any], epoch_1904: bool = True) -> None:
    import openpyxl
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    book = openpyxl.Workbook()
    if epoch_1904:
        book.epoch = CALENDAR_MAC_1904
    sheet = book.active
    sheet.append(["case_id", "event", "time", "planned_offline_at"])
    for number, time in enumerate(times, 1):
        sheet.append([f"A{number}", "share.requested", time, time])
    book.save(path)


def test_serial_numbers_of_a_1904_workbook_are_read_in_its_date_system(tmp_path: Path) -> None:
    """Mac Excel's 1904 date system (workbookPr date1904="1"): 43893.375 is 2024-03-04 09:00 there,
    and was read as a 1900-system serial, 2020-03-03 09:00. Numbers written as text too, and the
    time attributes; a date cell was right already. A number io.times would read as a 1900 serial is
    read in the 1904 system even past 2100 (not as a wrong date 4 years early); 20240304 stays a
    yyyymmdd date, a number below 1970 no date."""
    path = tmp_path / "mac.xlsx"
    _workbook_1904(path, [43893.375, "43893.375", dt.datetime(2024, 3, 4, 9), 43893, 71600.5, 20240304, 24000])
    events, rejected, read = load_events(path)
    nine, midnight = _local_ns(2024, 3, 4, 9), _local_ns(2024, 3, 4)
    expected = [nine, nine, nine, midnight, _local_ns(2100, 1, 12, 12), midnight]
    assert events["time_ns"].tolist() == expected and events["planned_offline_at"].tolist() == expected
    assert [(r["case_id"], r["reason"]) for r in rejected] == [
        ("A7", "time: cannot read '24000' as a time; planned_offline_at: cannot read '24000' as a time")]
    plain = tmp_path / "windows.xlsx"  # the 1900 system, as before
    _workbook_1904(plain, [45355.375, "45355.375"], epoch_1904=False)
    assert load_events(plain)[0]["time_ns"].tolist() == [nine, nine]


def test_an_empty_first_sheet_names_the_other_sheets(tmp_path: Path) -> None:
    # a blank cover sheet before the months: the error said only "empty", not where the log is
    import openpyxl

    from govdata_policy.io.read import InputError

    book = openpyxl.Workbook()
    book.active.title = "封面"
    for month in ("1月", "2月"):
        book.create_sheet(month).append(["case_id", "event", "time"])
    path = tmp_path / "months.xlsx"
    book.save(path)
    with pytest.raises(InputError, match=r"sheet '封面' is empty \(no header row\); the workbook's other sheets: "
                                         r"1月, 2月 \(name one with --sheet\)") as info:
        read_raw(path)
    assert "1月、2月（请用 --sheet 指定）" in info.value.zh
    assert read_raw(path, sheet="1月").rows_read == 0  # the sheet named is read
