"""Every sheet of a workbook that holds the log, read as one log: ``sheet="*"`` (``--sheet '*'``).

A workbook of a sheet a month (1月, 2月, …, each with the same header) was checked one sheet a run,
so a case requested in June's sheet and answered in July's was judged in each sheet alone: reported
unanswered in June, and July's reply had no request. Asked for all sheets, each visible sheet whose
header (mapped, as the log's is) names the required columns is read as a file of its own is when
several files are given: its rows numbered on after the sheet before it, each row's ``source`` the
workbook and the sheet (``2024.xlsx[6月]``), ``line`` the sheet's own row. The other visible sheets
(a cover page, a 说明 sheet, a pivot) are passed over and named in a note (``passed_over_sheets``);
hidden sheets are passed over as they are when no sheet is named.

``*`` cannot be a sheet's name: Excel and LibreOffice refuse ``* ? : / \\ [ ]`` in one, so it never
hides a real sheet (and ``[``, ``]`` around the sheet in ``source`` cannot be part of its name either).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from ..vocabulary import REQUIRED_COLUMNS
from .read import ALL_SHEETS, PASSED_OVER, SPREADSHEET_SUFFIXES, InputError, read_file, shown_name

__all__ = ["ALL_SHEETS", "draft_sheets", "log_sheets", "read_all_sheets", "sheet_plan", "sheet_source"]


def sheet_source(workbook: str, sheet: str) -> str:
    """What a sheet's rows are named by (``source``): the workbook as given and the sheet, ``2024.xlsx[6月]``."""
    return f"{workbook}[{sheet}]"


def read_all_sheets(path: Path, mapping: Any) -> list[tuple[pd.DataFrame, str]]:
    """(frame, source) of each sheet of the workbook that holds the log (``log_sheets``), in the
    workbook's order; any other file as itself. The sheets passed over go with the first frame
    (``PASSED_OVER``: the workbook's name and theirs), for ``other_sheets.sheet_notes``."""
    shown = shown_name(path)
    if path.suffix.lower() not in SPREADSHEET_SUFFIXES:
        return [(read_file(path), shown)]
    pieces = []
    for name, source, passed_over in sheet_plan(path, shown, mapping):
        frame = read_file(path, name)
        if passed_over is not None:
            frame.attrs[PASSED_OVER] = passed_over
        pieces.append((frame, source))
    return pieces


def sheet_plan(path: Path, shown: str, mapping: Any) -> list[tuple[str, str, tuple[str, tuple[str, ...]] | None]]:
    """Each sheet of the workbook holding the log (``log_sheets``), as one process reads them
    (``read_all_sheets``) and the Dask engine makes its parts (``partitions.all_sheet_parts``): its name, its
    rows' source (``2024.xlsx[6月]``, ``shown`` the workbook's name) and, on the first, the workbook and the
    visible sheets passed over (``FileColumns.passed_over``, for the note)."""
    logs, passed = log_sheets(path, mapping)
    return [(name, sheet_source(shown, name), (shown, tuple(passed)) if passed and i == 0 else None)
            for i, name in enumerate(logs)]


def log_sheets(path: Path, mapping: Any) -> tuple[list[str], list[str]]:
    """The workbook's visible sheets whose header, mapped (``mapping``: a ColumnMapping or None), names
    every required column, and its other visible sheets. Only the header rows are read (``first_headers``);
    a sheet they leave out is read whole (its header as the reader finds it: merged over two rows, say).
    None holding the log: the first visible sheet is the one, so that its missing columns are said as
    any file's are (a mapping is what is missing), not an empty log."""
    from python_calamine import CalamineWorkbook

    from .excel import _worksheets
    from .other_sheets import first_headers, other_logs

    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception:  # a corrupt workbook: read_file says why, naming the file
        read_file(path)
        raise
    try:
        visible = [name for name, shown in _worksheets(book) if shown]
        headers = first_headers(path, book, visible)
    finally:
        book.close()
    if not visible:
        raise InputError(f"{shown_name(path)}: no visible sheet to read",
                         zh=f"{shown_name(path)}：没有可读取的可见工作表")
    source = shown_name(path)
    logs = set(other_logs(source, headers, mapping))
    for name in visible:
        if name not in logs:  # its first rows did not say: the reader's own header decides (a title, merged names)
            header = _read_header(path, name)
            logs.update(other_logs(source, {name: header}, mapping))
            if name not in logs and _half_joined(source, header, mapping):
                logs.add(name)  # read, so that the mapping's refusal names the sheet: not passed over unsaid
    chosen = [name for name in visible if name in logs] or visible[:1]
    return chosen, [name for name in visible if name not in chosen]


def _half_joined(source: str, header: list[str], mapping: Any) -> bool:
    """Whether a sheet holds the log with only one of the two columns a ``join`` of the mapping makes a time
    of (July's 办理时间 holding whole times, no 办理日期 beside it, as June's has). The mapping refuses it, as
    it refuses such a file; passed over as a sheet "without the log's columns", its events were left out of
    the check unsaid (a reply in it unseen: its request reported overdue)."""
    from .columns import contract_names
    from .mapping import apply_mapping, as_mapping

    mapping = as_mapping(mapping)
    if mapping is None or not any((date in header) != (clock in header) for date, clock in mapping.join.values()):
        return False
    unjoined = mapping.model_copy(update={"join": {}})
    try:  # the log's other required columns, as the mapping names them
        columns = contract_names(apply_mapping(pd.DataFrame(columns=header), unjoined), source).columns
    except ValueError:
        return False
    return all(column in columns for column in REQUIRED_COLUMNS if column != "time")


def _read_header(path: Path, name: str) -> list[str]:
    """The sheet's header as ``read_workbook`` reads it; none for a sheet it cannot read (an empty one)."""
    try:
        return [str(column) for column in read_file(path, name).columns]
    except InputError:
        return []


def draft_sheets(path: Path) -> tuple[list[tuple[str, dict[str, Any]]], list[str]]:
    """``mapping init --sheet '*'``: the draft (``io.draft.draft``) of each visible sheet of the workbook
    that places case_id, event and time (time under ``columns`` or as a ``join``), with its name, and the
    other visible sheets, passed over (a cover page, a 说明 sheet: their cells are no words of the log).
    The log's headers are the mapping's to name, so a sheet is chosen by what its own draft places, not by
    ``log_sheets``, which would find none in an export of Chinese headers and draft the cover page. None
    placing them: the first visible sheet's draft, which says what is missing."""
    from .draft import draft
    from .excel import sheet_names
    from .read import read_raw

    names = sheet_names(path)
    drafts: list[tuple[str, dict[str, Any]]] = []
    for name in names:
        try:
            found = draft(read_raw(path, sheet=name).frame)
        except InputError:  # an empty sheet: no header, nothing to draft
            continue
        # a date and a time of day drafted as a join place time there, not under columns
        if set(REQUIRED_COLUMNS) <= {*found["columns"].values(), *found["join"]}:
            drafts.append((name, found))
    if not drafts and names:
        drafts = [(names[0], draft(read_raw(path, sheet=names[0]).frame))]
    chosen = {name for name, _ in drafts}
    return drafts, [name for name in names if name not in chosen]
