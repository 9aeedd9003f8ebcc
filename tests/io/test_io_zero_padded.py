"""Whole numbers in cells formatted with zeros alone (``00000``) are read as Excel shows them
(io/zero_padded.py): an Excel user keeps an id's leading zeros so, and the case 00123 was read as
the case 123, apart from the same case written as text."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from govdata_policy.io import load_events, read_raw
from govdata_policy.io.excel import has_error_cells
from govdata_policy.io.zero_padded import padded_styles


def _workbook(path: Path, error_cell: bool = False) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["case_id", "event", "time", "subject_id", "helper"])
    rows: list[tuple[Any, str, str, Any, Any]] = [
        (123, "share.requested", "2024-05-06 09:00", 12345678, 7),  # shown 00123 and 012345678
        ("00123", "share.compliance_reviewed", "2024-05-07 09:00", None, -123),  # the same case, as text
        ("A1", "share.requested", "2024-05-06 09:00", None, 123.5),  # a fraction: Excel rounds, left as it is
        ("A2", "share.requested", "2024-05-06 09:00", None, "42"),  # text in such a cell stays text
        ("A3", "share.requested", "2024-05-06 09:00", None, 5),  # no format of zeros: a number
        ("A4", "share.requested", "2024-05-06 09:00", None, 8),  # the format "0" pads nothing
        ("A5", "share.requested", "2024-05-06 09:00", 10**15 + 1, True),  # 16 digits: Excel kept 15 of them
    ]
    formats = {"A2": "00000", "D2": "000000000", "E2": "0000", "E3": "00000", "E4": "00000", "E5": "00000",
               "E7": "0", "D8": "0000000000000000", "E8": "00"}
    for row in rows:
        sheet.append(list(row))
    for ref, code in formats.items():
        sheet[ref].number_format = code
    if error_cell:  # a sheet with an error cell is read by openpyxl, not calamine
        sheet["F8"] = "#N/A"
        sheet["F8"].data_type = "e"
    book.save(path)
    return path


@pytest.mark.parametrize("error_cell", [False, True])
def test_a_number_formatted_with_zeros_is_read_as_excel_shows_it(tmp_path: Path, error_cell: bool) -> None:
    path = _workbook(tmp_path / "log.xlsx", error_cell)
    assert has_error_cells(path) == error_cell
    frame = read_raw(path).frame
    assert frame["case_id"].tolist()[:2] == ["00123", "00123"]
    assert frame["subject_id"].tolist()[0] == "012345678"
    assert frame["helper"].tolist()[:7] == ["0007", "-00123", 123.5, "42", 5, 8, True]
    assert frame["subject_id"].tolist()[6] == 10**15 + 1  # a number: validation says what it lost
    events, rejected, rows = load_events(path)
    assert rows == 7 and not rejected
    assert events["case_id"].tolist()[:2] == ["00123", "00123"]  # one case, not 123 and 00123


def test_only_the_workbooks_own_cell_formats_count(tmp_path: Path) -> None:
    """A conditional format's <dxf> may give an id its own format: no cell's style."""
    path = _workbook(tmp_path / "log.xlsx")
    with zipfile.ZipFile(path) as book:
        styles = padded_styles(book)
        xml = book.read("xl/styles.xml").decode()
    assert sorted(styles.values()) == [2, 4, 5, 9, 16]  # the widths of the formats with zeros, "0" not among them
    dxf = '<dxfs count="1"><dxf><numFmt numFmtId="0" formatCode="00000"/></dxf></dxfs>'
    patched = tmp_path / "dxf.xlsx"
    with zipfile.ZipFile(path) as old, zipfile.ZipFile(patched, "w") as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename == "xl/styles.xml":
                data = xml.replace("<tableStyles", dxf + "<tableStyles").encode()
            new.writestr(item.filename, data)
    with zipfile.ZipFile(patched) as book:
        assert padded_styles(book) == styles


def test_a_workbook_without_such_a_format_is_not_searched(tmp_path: Path, monkeypatch: Any) -> None:
    import govdata_policy.io.zero_padded as zero_padded

    def searched(*_: Any) -> Any:
        raise AssertionError("no cell style shows zeros")

    monkeypatch.setattr(zero_padded, "_styled_cells", searched)
    book = openpyxl.Workbook()
    book.active.append(["case_id", "event", "time"])
    book.active.append([123, "share.requested", "2024-05-06 09:00"])
    book.active["A2"].number_format = "0.00"
    book.save(tmp_path / "plain.xlsx")
    assert read_raw(tmp_path / "plain.xlsx").frame["case_id"].tolist() == [123]


@pytest.mark.parametrize("block", [*range(2, 30), 41, 64, 100])
def test_cells_cut_by_a_block_boundary_are_found(tmp_path: Path, monkeypatch: Any, block: int) -> None:
    import govdata_policy.io.formula_cells as formula_cells

    path = _workbook(tmp_path / "log.xlsx")
    expected = read_raw(path).frame
    monkeypatch.setattr(formula_cells, "SCAN_BLOCK", block)
    assert read_raw(path).frame.equals(expected)
