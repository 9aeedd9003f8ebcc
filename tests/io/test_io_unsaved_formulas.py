"""Formula cells with no saved value (io/formula_cells.py): a workbook written by openpyxl (or an
older Apache POI) and never opened in Excel holds its formulas without their values, which calamine
and openpyxl read as empty cells. A required cell was refused as "missing" and an optional one
vanished: such a cell is now refused, as an error value is, naming the column and the formula."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sheet_xml import with_cells

from govdata_policy.io import load_events, read_raw
from govdata_policy.io.cell_errors import NO_SAVED_VALUE
from govdata_policy.io.formula_cells import scan_sheet, unsaved_formulas
from govdata_policy.monitor.scalar_validate import EventParser
from govdata_policy.reasons_zh import reason_zh


def _unsaved(name: str, formula: str) -> str:
    return (f"{name}: a formula with no saved value ({formula}): the workbook was never calculated "
            "(open and save it in Excel or WPS)")


def _written_by_openpyxl(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["case_id", "event", "time", "reason", "helper"])
    sheet.append(["C1", "share.requested", "2024-05-06 09:00", "=\"依据\"&\"第5条\"", "=ROW()-1"])
    sheet.append(['="C"&"2"', "share.requested", "2024-05-06 09:00", "ok", None])
    sheet.append(["C3", "share.requested", "=TEXT(45418,\"yyyy-mm-dd\")", None, None])
    sheet.append(["C4", "share.requested", "2024-05-06 09:00", "ok", "x"])
    # a last row of formulas alone: calamine's sheet ends at its last cell with a value, so the row was not even read
    sheet.append(["=A5", "=B5", "=C5"])
    book.save(path)
    return path


def test_a_formula_without_its_value_is_refused_naming_it_not_read_as_empty(tmp_path: Path) -> None:
    path = _written_by_openpyxl(tmp_path / "log.xlsx")
    assert scan_sheet(path) == (False, True)
    events, rejected, rows = load_events(path)
    assert rows == len(events) + len(rejected) == 5  # the row of formulas alone is read, and refused
    assert {r["row"]: r["reason"] for r in rejected} == {
        1: _unsaved("reason", '="依据"&"第5条"'),  # an optional cell: its value had vanished
        2: _unsaved("case_id", '="C"&"2"'),  # not "case_id: missing"
        3: _unsaved("time", '=TEXT(45418,"yyyy-mm-dd")'),  # not "time: missing"
        5: "; ".join([_unsaved("case_id", "=A5"), _unsaved("event", "=B5"), _unsaved("time", "=C5")]),
    }
    # a column no rule reads passes through as written, as an error value does there
    assert events["case_id"].tolist() == ["C4"]
    assert read_raw(path).frame["helper"].tolist()[:2] == [f"{NO_SAVED_VALUE} =ROW()-1", None]
    assert reason_zh(_unsaved("time", "=C5")) == (
        "time：公式（=C5）没有保存计算结果：工作簿从未计算过（请用 Excel 或 WPS 打开并保存）")


def _patched(path: Path, cells: dict[str, str]) -> Path:
    """The workbook with the given cells' XML replaced (as Excel, LibreOffice or POI writes them)."""
    return with_cells(path, "patched.xlsx", cells)


def _plain(path: Path) -> Path:
    book = openpyxl.Workbook()
    book.active.append(["case_id", "event", "time", "reason"])
    for number in range(2, 5):
        book.active.append([f"C{number}", "share.requested", "2024-05-06 09:00", "x"])
    book.save(path)
    return path


def test_saved_values_and_the_empty_text_are_read_as_they_are(tmp_path: Path) -> None:
    path = _patched(_plain(tmp_path / "log.xlsx"), {
        "A2": '<c r="A2" t="str"><f>"C"&amp;"2"</f><v>C2</v></c>',  # Excel: the value beside the formula
        "D2": '<c r="D2" t="str"><f>IF(1,"","")</f><v></v></c>',  # a formula whose value is the empty text
        "D3": '<c r="D3" s="0"><f t="shared" ref="D3:D4" si="0">A3</f></c>',  # POI 3: no <v> at all
        "D4": '<c r="D4"><f t="shared" si="0"/></c>',  # a cell sharing D3's formula
    })
    assert unsaved_formulas(path, "Sheet") == [(2, 3, "A3"), (3, 3, "")]
    events, rejected, rows = load_events(path)
    assert rows == 3 and events["case_id"].tolist() == ["C2"] and events["reason"].isna().all()
    assert [r["reason"] for r in rejected] == [
        _unsaved("reason", "=A3"),
        "reason: a formula with no saved value: the workbook was never calculated (open and save it in Excel or WPS)"]
    assert reason_zh(rejected[1]["reason"]).startswith("reason：公式没有保存计算结果")


def test_a_workbook_without_formulas_is_not_looked_at_again(tmp_path: Path, monkeypatch: Any) -> None:
    import govdata_policy.io.excel as excel

    def looked_at(*_: Any) -> list[Any]:
        raise AssertionError("the sheet holds no formula")

    monkeypatch.setattr(excel, "unsaved_formulas", looked_at)
    path = _plain(tmp_path / "log.xlsx")
    assert scan_sheet(path) == (False, False)
    assert load_events(path)[2] == 3


@pytest.mark.parametrize("block", [*range(2, 40), 57, 64, 100])
def test_formulas_cut_by_a_block_boundary_are_found(tmp_path: Path, monkeypatch: Any, block: int) -> None:
    import govdata_policy.io.formula_cells as formula_cells

    path = _written_by_openpyxl(tmp_path / "log.xlsx")
    expected = unsaved_formulas(path, "Sheet")
    assert len(expected) == 7
    monkeypatch.setattr(formula_cells, "SCAN_BLOCK", block)
    assert scan_sheet(path, "Sheet")[1]
    assert unsaved_formulas(path, "Sheet") == expected


def test_a_csv_or_a_record_holding_the_mark_is_refused_as_the_workbook_is(tmp_path: Path) -> None:
    """The mark read back (a pass-through column's text saved to a CSV and mapped) means the same there,
    in the batch and in the monitor."""
    event = {"case_id": "C1", "event": "share.requested", "time": "2024-05-06 09:00",
             "subject_id": f"{NO_SAVED_VALUE} =B2"}
    assert [r["reason"] for r in load_events([event])[1]] == [_unsaved("subject_id", "=B2")]
    assert EventParser().parse(event) == _unsaved("subject_id", "=B2")
