"""Spreadsheets: .xlsx and .xlsm, and .xls, .xlsb and .ods, with their cells as typed.

calamine (Rust, ``python-calamine``) reads the sheet: openpyxl parses a sheet's XML in
Python, 18.5 s for a 100k-row, 15-column .xlsx whose CSV twin is checked in 1.2 s;
calamine read it in 2.4 s. It reads the old binary .xls (still what many offices'
software saves), .xlsb and OpenDocument .ods as well.

The cells reach validation as openpyxl gave them, which the rest of the reader was
built and tested on: text as ``str`` (an empty one as None), a whole number as
``int`` (Excel writes 5, not 5.0; calamine gives every number as a float), other
numbers as ``float``, a date or date-time cell as ``datetime`` (a date alone at
midnight), a time of day as ``time``, a duration as ``timedelta``, TRUE/FALSE as
``bool``. One difference is kept on purpose: calamine knows the East Asian built-in
date formats (ids 27-36 and 50-58, e.g. ``yyyy"年"m"月"d"日"`` in a zh-CN Excel), which
openpyxl reads as bare serial numbers; the time column reads both the same, and a
text attribute now shows the date rather than ``45418.375``.

Error cells (``#N/A``, ``#DIV/0!``) are read by calamine as empty, which would turn
"this cell holds an error" into "this cell is empty". An .xlsx or .xlsm sheet holding
any is therefore read by openpyxl (slower), so the error text reaches validation as
the cell's value and is reported (other sheets' errors do not count). The other
formats have no such fallback: their error cells read as empty (docs/input.md).
A whole number in a cell formatted with zeros (``00000``, an id's leading zeros kept) is
read as the text Excel shows (io.zero_padded): calamine gives no formats.
A formula cell with no value saved (a workbook written by openpyxl and never opened in Excel),
which both readers give as empty, is named instead (io.formula_cells): the same pass over the
sheet's XML finds error cells and formulas.

A workbook in the 1904 date system (Mac Excel) has its date cells made dates by either reader,
but a plain number in a time column is a serial that io.times would count from 1900: the
reader marks such a workbook (``uses_1904_dates``, .xlsx and .xlsm), and ``read_raw`` makes the
serials of its time columns dates once the mapping has named them (``dates_of_1904_serials``).
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pandas as pd

from ..errors import zh_list
from ..vocabulary import TIME_ATTRIBUTES
from .formula_cells import column_index, mark_unsaved, scan_sheet, unsaved_formulas
from .lines import LineMap
from .other_sheets import first_headers
from .read import DATE1904, HEAD_ROWS, LINES, OTHER_SHEETS, InputError, dedupe, has_cells, header_place
from .times import MAX_SERIAL, MIN_SERIAL, PLAIN_NUMBER
from .zero_padded import pad_numbers

OPENPYXL_SUFFIXES = (".xlsx", ".xlsm")  # zip of XML: error cells can be looked for, openpyxl can read them
_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
# the 1904 date system's day 0, 1904-01-01, is day 1462 of the 1900 system, whose serials io.times reads
_DAYS_BEFORE_1904 = 1462
_DAY_ZERO_1900 = dt.datetime(1899, 12, 30)
_WHOLE_NUMBER_LIMIT = 1e15  # Excel keeps 15 significant digits: a whole number below this is written as one


def read_workbook(path: Path, sheet: str | int | None) -> pd.DataFrame:
    """The sheet (the first visible one, or ``sheet``: name or 0-based index among all worksheets)
    as a frame of object columns."""
    from python_calamine import CalamineError, CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    try:
        sheets = _worksheets(book)
        name = _chosen(path, sheets, sheet)
        # no sheet asked for: the others' headers, for a note when they hold a log too (io.other_sheets)
        others = [other for other, visible in sheets if visible and other != name] if sheet is None else []
        headers = first_headers(path, book, others) if others else {}
        # one pass over the sheet's XML: error cells (read by openpyxl), formulas (perhaps with no value saved)
        errors, formulas = scan_sheet(path, name) if path.suffix.lower() in OPENPYXL_SUFFIXES else (False, False)
        try:
            calamine_sheet = book.get_sheet_by_name(name)
        except CalamineError:
            # calamine 0.9 refuses a whole sheet holding one of Excel 365's newer errors ("Unsupported
            # cell error value '#SPILL!'", #CALC!, #GETTING_DATA): openpyxl reads it, merges from its XML
            if not errors:
                raise
            calamine_sheet = None
        # openpyxl's read-only sheets know no merged cells: calamine's list of them serves both readers
        merged = (getattr(calamine_sheet, "merged_cell_ranges", None) or [] if calamine_sheet is not None
                  else merged_ranges(path, name))
        if errors:
            rows: list[Any] = [list(row) for row in _openpyxl_rows(path, name)]
        else:
            rows = _calamine_cells(calamine_sheet)
    finally:
        book.close()
    if path.suffix.lower() in OPENPYXL_SUFFIXES:  # an id formatted 00000 as Excel shows it: 00123 (io.zero_padded)
        pad_numbers(path, name, rows)
    if formulas:  # a formula with no value saved is named, not read as an empty cell (io.formula_cells)
        mark_unsaved(rows, unsaved_formulas(path, name))
    if others and not any(has_cells(row) for row in rows):
        # an empty first sheet (a cover left blank) before the sheets with the log: say where to look
        raise InputError(f"{path}: sheet {name!r} is empty (no header row); the workbook's other sheets: "
                         f"{', '.join(others)} (name one with --sheet)",
                         zh=f"{path}：工作表{name!r}是空的（没有表头行）；工作簿的其他工作表："
                         f"{'、'.join(others)}（请用 --sheet 指定）")
    table = _table(path, name, rows, merged)
    if headers:
        table.attrs[OTHER_SHEETS] = (name, headers)
    if path.suffix.lower() in OPENPYXL_SUFFIXES and uses_1904_dates(path):
        table.attrs[DATE1904] = True  # read_raw turns its time columns' serials into dates, once they are named
    return table


def sheet_names(path: Path) -> list[str]:
    """The workbook's worksheets, the one read when no sheet is named first, then the other visible ones."""
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    try:
        sheets = _worksheets(book)
    finally:
        book.close()
    first = _default(sheets)
    return [first, *(name for name, visible in sheets if visible and name != first)] if first else []


def _worksheets(book: Any) -> list[tuple[str, bool]]:
    """(name, visible) of each worksheet, in the workbook's order (charts and macro sheets left out)."""
    from python_calamine import SheetTypeEnum, SheetVisibleEnum

    return [(m.name, m.visible == SheetVisibleEnum.Visible) for m in book.sheets_metadata
            if m.typ == SheetTypeEnum.WorkSheet]


def _default(sheets: list[tuple[str, bool]]) -> str | None:
    # the first visible sheet: a hidden template or code list placed first is not the log
    return next((name for name, visible in sheets if visible), sheets[0][0] if sheets else None)


def has_error_cells(path: Path, sheet_name: str | None = None) -> bool:
    """Whether the sheet (any worksheet, if it cannot be told which part holds it) has a cell of
    type error: a summary sheet's #DIV/0! does not send the log sheet to openpyxl."""
    return scan_sheet(path, sheet_name)[0]


_MERGE = re.compile(rb"""<(?:\w+:)?mergeCell\s+ref\s*=\s*["']([A-Z]+)(\d+):([A-Z]+)(\d+)["']""")


def merged_ranges(path: Path, sheet_name: str) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """The sheet's merged ranges as calamine gives them, ((top, left), (bottom, right)) from 0, read
    from its XML (``<mergeCell ref="A3:A5"/>``): for a sheet calamine cannot read (read_workbook)."""
    with zipfile.ZipFile(path) as book:
        part = sheet_parts(book).get(sheet_name)
        if part not in book.NameToInfo:
            return []
        xml = book.read(part)
    return [((int(top) - 1, column_index(left)), (int(bottom) - 1, column_index(right)))
            for left, top, right, bottom in _MERGE.findall(xml)]


def sheet_parts(book: zipfile.ZipFile) -> dict[str, str]:
    """Each sheet's name and the zip member of its XML, from workbook.xml and its relationships;
    empty when they cannot be read (a Strict OOXML workbook's other namespaces, say)."""
    try:
        rels = ElementTree.fromstring(book.read("xl/_rels/workbook.xml.rels"))
        workbook = ElementTree.fromstring(book.read("xl/workbook.xml"))
    except (KeyError, ElementTree.ParseError):
        return {}
    targets = {rel.get("Id"): rel.get("Target") or "" for rel in rels}
    parts = {}
    for sheet in workbook.iter(f"{{{_MAIN_NS}}}sheet"):
        target = targets.get(sheet.get(f"{{{_REL_NS}}}id"), "")
        parts[sheet.get("name") or ""] = target[1:] if target.startswith("/") else posixpath.normpath(f"xl/{target}")
    return parts


def _calamine_rows(book: Any, name: str) -> list[list[Any]]:
    return _calamine_cells(book.get_sheet_by_name(name))


def _calamine_cells(sheet: Any) -> list[list[Any]]:
    rows = sheet.to_python(skip_empty_area=False)
    cell = _calamine_cell
    return [[v or None if v.__class__ is str else cell(v) for v in row] for row in rows]


def _fill_merged_down(table: list[list[Any]], ranges: Sequence[Any], header: int, last: int | None = None) -> None:
    """A cell merged down several rows of one column, below the header (``header``: its 0-based
    row in the sheet), holds its value in each of them: an export that merges the case id of a
    case's rows would otherwise leave all but the first without one (rejected as "case_id:
    missing"). Nothing else is filled. A merge across columns is a title or a note ("XX市政务数据
    共享台账" over A1:D2, "备注：…" over A10:D11 under the table): copied into every cell, a
    two-row title filled its second row as full as the header and was taken for it, and a note
    put its text in the event and time cells of a row that has none. A row the merge would fill
    alone (blank but for it) stays blank: a note merged down one column is not a row of events.
    ``last``: only the merges beginning on rows up to it (0-based), the first rows before the header is known."""
    for (top, left), (bottom, right) in ranges:
        if bottom <= top or right != left or top <= header or top >= len(table) or (last is not None and top > last):
            continue
        value = table[top][left] if left < len(table[top]) else None
        for row in table[top + 1:bottom + 1]:
            if left < len(row) and row[left] is None and has_cells(row):
                row[left] = value


def uses_1904_dates(path: Path) -> bool:
    """Whether an .xlsx or .xlsm workbook counts its dates from 1904 (Mac Excel: ``<workbookPr
    date1904="1"/>``), read from its small workbook.xml alone. Both readers turn a date cell into
    the right date by it; a plain number in a time column is left to ``dates_of_1904_serials``."""
    with zipfile.ZipFile(path) as book:
        try:
            workbook = ElementTree.fromstring(book.read("xl/workbook.xml"))
        except (KeyError, ElementTree.ParseError):
            return False
    # by the element's local name: a Strict OOXML workbook has another namespace
    properties = next((e for e in workbook.iter() if e.tag.rpartition("}")[2] == "workbookPr"), None)
    return properties is not None and (properties.get("date1904") or "").strip().lower() in ("1", "true")


def dates_of_1904_serials(frame: pd.DataFrame) -> pd.DataFrame:
    """The time columns (``time``, the time attributes) of a workbook in the 1904 date system with
    each serial date, a number or a number written as text, made the date-time it means there;
    io.times reads a bare number by the 1900 system, 4 years and a day earlier. The numbers made
    dates are the serials of 1970-2100 in the 1904 system and those io.times would take for a 1900
    serial (to 73051, which is 2104 here: read as that, not as 2100); other cells stay as they are."""
    names = [name for name in ("time", *sorted(TIME_ATTRIBUTES)) if name in frame.columns]
    if not names:
        return frame
    out = frame.copy(deep=False)
    for name in names:
        out[name] = pd.Series([_date_of_1904_serial(v) for v in frame[name]], index=frame.index, dtype=object)
    return out


def _date_of_1904_serial(value: Any) -> Any:
    if isinstance(value, str) and re.match(PLAIN_NUMBER, value.strip()):
        serial = float(value)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        serial = float(value)
    else:
        return value
    if not MIN_SERIAL - _DAYS_BEFORE_1904 <= serial <= MAX_SERIAL:
        return value
    # to the second, as io.times rounds a serial (and as Excel shows one): Excel keeps a time as a fraction of a day
    return _DAY_ZERO_1900 + dt.timedelta(seconds=round((serial + _DAYS_BEFORE_1904) * 86_400))


def _calamine_cell(value: Any) -> Any:
    """A non-text cell as openpyxl gives it (see the module's docstring)."""
    if value.__class__ is float:
        return int(value) if value.is_integer() and abs(value) < _WHOLE_NUMBER_LIMIT else value
    if value.__class__ is dt.date:
        return dt.datetime(value.year, value.month, value.day)
    return value


def _openpyxl_rows(path: Path, name: str) -> list[tuple[Any, ...]]:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = book[name]
        # read-only openpyxl reads only the area the sheet's <dimension> declares, which some writers
        # get wrong ("A1:C2" over 3 rows and 7 columns lost rows and columns without a word)
        sheet.reset_dimensions()
        return list(sheet.iter_rows(values_only=True))
    finally:
        book.close()


def _chosen(path: Path, sheets: list[tuple[str, bool]], sheet: str | int | None) -> str:
    names = [name for name, _ in sheets]
    if sheet is None and names:
        return str(_default(sheets))
    if isinstance(sheet, int) and 0 <= sheet < len(names):
        return names[sheet]
    if sheet in names:
        return str(sheet)
    hint, hint_zh = _number_as_name(sheet)
    raise InputError(f"{path}: no sheet {sheet!r}; sheets are {', '.join(names) or '(none)'}{hint}",
                     zh=f"{path}：没有工作表{sheet!r}；现有工作表：{zh_list(names) or '（无）'}{hint_zh}")


def _number_as_name(sheet: str | int | None) -> tuple[str, str]:
    """What to say of a sheet asked for by a number written as text: ``--sheet 2`` is the sheet named "2" (the
    command line takes names: docs/input.md), while Python's ``sheet=2`` is the third worksheet. A workbook with
    no sheet of that name said only "no sheet '2'", leaving the user to think positions were counted otherwise."""
    if not (isinstance(sheet, str) and sheet.isascii() and sheet.isdigit()):
        return "", ""
    return (f" ({sheet!r} is read as a sheet's name: --sheet takes names, not positions; in Python an int, "
            f"sheet={int(sheet)}, is a position counted from 0)",
            f"（{sheet!r}按工作表名称读取：--sheet 只接受名称，不接受序号；在 Python 中整数 sheet={int(sheet)} "
            "是从 0 起计的位置）")


def _table(path: Path, title: str, sheet_rows: list[Any], merged: Sequence[Any] = ()) -> pd.DataFrame:
    """The sheet's table: its header found below any title, ``merged`` cells filled down (``_fill_merged_down``)."""
    # the sheet's own row numbers (both readers give the sheet from its row 1), blank rows left out
    numbers = [number for number, r in enumerate(sheet_rows, 1) if has_cells(r)]
    rows = [sheet_rows[number - 1] for number in numbers]
    if not rows:
        raise InputError(f"{path}: sheet {title!r} is empty (no header row)",
                         zh=f"{path}：工作表{title!r}是空的（没有表头行）")
    # a header over two rows (申请编号 merged down A1:A2 beside 办理信息 over B1:C1, 环节 and 时间 under it):
    # the names merged down one column fill the lower row, which then names every column and is the header
    # (else it was taken for a title and the first row of events for the header); nor a blank row is filled
    _fill_merged_down(sheet_rows, merged, header=-1, last=numbers[min(HEAD_ROWS, len(numbers)) - 1] - 1)
    # a title row above the table (a merged cell: "XX市政务数据共享台账") is not the header; found
    # before merged cells below the first rows are filled, which fill no row above it
    start = header_place(rows)
    _fill_merged_down(sheet_rows, merged, header=numbers[start] - 1)
    header, body = rows[start], rows[start + 1:]
    names = dedupe(["" if h is None else str(h).strip() for h in header])
    if not names:
        return pd.DataFrame()
    # cells stay as typed (str, int, float, datetime, ...): validation types them
    frame = pd.DataFrame({
        name: pd.Series([r[i] if i < len(r) else None for r in body], dtype=object) for i, name in enumerate(names)
    })
    frame.attrs[LINES] = LineMap.of(numbers[start + 1:])
    return frame
