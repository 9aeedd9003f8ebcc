"""Which row of an export is its header, and its column names: plain Python, no pandas, so the
command line can plan a CSV's read (``io.csv_head``) while pandas is still being imported."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..vocabulary import REQUIRED_COLUMNS

# a workbook's header is looked for among its first non-blank rows (excel._table, other_sheets._header)
HEAD_ROWS = 10


def has_cells(row: Any) -> bool:
    """Whether a row of cells holds anything (a cell not None and not "")."""
    return any(v is not None and v != "" for v in row)


def header_place(rows: list[Any]) -> int:
    """Which of a sheet's non-blank rows is its header: ``header_row`` over the first HEAD_ROWS of them,
    by the cells each fills; the first when none fills two."""
    head = rows[:HEAD_ROWS]
    return header_row([sum(v is not None and v != "" for v in row) for row in head],
                      [names_log_columns(row) for row in head]) or 0


def names_log_columns(cells: Iterable[Any]) -> bool:
    """Whether a row names the log's required columns (case_id, event, time) among its cells."""
    return set(REQUIRED_COLUMNS) <= {str(cell).strip() for cell in cells if cell is not None}


def header_row(filled: list[int], named: list[bool] | None = None) -> int | None:
    """Which of a table's first rows is its header, from how many cells each fills: the first that
    fills more than one, and at least 4/5 as many as the rows after it usually do (their median: a
    ragged row or a sparse one does not move it). An export's title above the table
    ("永州市政务数据共享台账", maybe with "导出时间：2025-12-31" in a cell of its own) fills fewer than
    the table's rows; a header with a blank name or two still counts. None: no row fills two cells.

    ``named``: whether each row names the log's required columns (``names_log_columns``); the first
    that does is the header whatever it fills: a header naming case_id, event, time and leaving the
    columns after them blank was taken for a title, and the first data row for the header."""
    if named and any(named):
        return named.index(True)
    for number, count in enumerate(filled):
        after = sorted(filled[number + 1:])
        usual = after[len(after) // 2] if after else 0
        if count > 1 and count * 5 >= usual * 4:
            return number
    return None


def dedupe(names: list[str]) -> list[str]:
    """Unique, non-empty column names: blank headers get a place name, repeats a suffix."""
    seen: dict[str, int] = {}
    out = []
    for i, name in enumerate(names):
        name = name or f"unnamed_{i + 1}"
        if name in seen:
            seen[name] += 1
            name = f"{name} ({seen[name] + 1})"  # not pandas' "note.1": an export may name a column so
        seen.setdefault(name, 0)
        out.append(name)
    return out
