"""Rows swallowed by a quote never closed, told apart from a quoted value over several lines.

A quote opened and never closed (or a stray one, closed only by a later row's quoted value) reads
the rows after it into one value: they would be neither accepted nor rejected, so the log is refused
(``csv_read``). What gives them away is a line of the value holding a row's worth of delimiters. But a
legitimate value may hold such a line too: an address "地址：\\n南宁市,青秀区,民族大道,100号" in a
four-column log, a tab-delimited note "\\n\\t\\t\\t". Those refused a compliance officer's whole export.

A swallowed row is a row of this log, so it holds a time where the log's rows hold theirs; an address
or a list of names holds text that is no time there. The time columns are found without the column
mapping (applied after the read, so a 时间/事件 header is not yet ``time``/``event``): from the rows around
the value, and from a header naming a time. A line of blank fields is no row (a blank row is left out of
a log anyway). Where no time column can be found the reader cannot tell, and refuses as it always did.

A row missing its time is a row too (validation would reject it; swallowed, it vanished, or its holder
was rejected for the cells the swallowing emptied). A line blank where the times stand counts when the
value runs to the end of the file without its quote closing there (no value does so legitimately), or
when it holds, column for column, what a row around holds (an event, a department, a case): a
tab-delimited note "签收\\t\\t\\t" does neither. A row whose time cannot be read (昨天, 待定) is a row too:
text where the times stand counts when the line shares such a cell; an address or a list of names shares none.

Only values holding a line break are looked at (rare, and found by the readers' existing passes), and
of those only the lines with a row's worth of delimiters: a clean file costs nothing more.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path

from .read import InputError
from .time_pattern import TIME_PATTERN

# rows each side of a suspect value whose cells say which columns hold a time
NEAR = 3
# every textual form io.times reads ("2025-03-10 09:00", "2025/3/10", "2025年3月10日 9时", "20250310093000")
_TIME_TEXT = re.compile(TIME_PATTERN)
# and the numbers it reads as times: an Excel serial day (45726.375), seconds or milliseconds since 1970
_TIME_NUMBER = re.compile(r"^(?:\d{5}(?:\.\d+)?|\d{10}|\d{13})$")
# a header naming a time, in the contract's words or an export's own (办理时间, 申请日期, event_time)
_TIME_NAME = re.compile(r"time|date|时间|日期|时刻", re.IGNORECASE)


def time_like(value: object) -> bool:
    """Whether a cell's text is a time as a log writes one."""
    if not isinstance(value, str):
        return False
    text = value.strip()
    return bool(text) and bool(_TIME_TEXT.match(text) or _TIME_NUMBER.match(text))


def time_columns(names: Sequence[str], around: Sequence[Sequence[object]]) -> set[int]:
    """The positions of the columns holding the log's times: those whose header names a time, and
    those where a row around the suspect value holds one (a cell over several lines is no evidence)."""
    found = {j for j, name in enumerate(names) if _TIME_NAME.search(name)}
    for row in around:
        found.update(j for j, cell in enumerate(row) if not (isinstance(cell, str) and "\n" in cell)
                     and time_like(cell))
    return found


def _row_shaped(line: str, delimiter: str, width: int) -> list[str] | None:
    """The line's fields when it could be a row: a row's worth of delimiters and a field not blank."""
    if line.count(delimiter) < width - 1:
        return None
    fields = line.split(delimiter)  # quotes inside a swallowed text were taken by the open one
    return fields if any(field.strip() for field in fields) else None


def swallowed_row(fields: list[str], times: set[int], around: Sequence[Sequence[object]], to_end: bool) -> bool:
    """Whether a row-shaped line of a value is a row of this log read into it: a time where the rows
    hold theirs; text there that is no time, and the line sharing a cell with the rows around; blank
    there, and the value running to the end of the file (``to_end``) or the line sharing a cell. With no
    time column to go by, every row-shaped line counts."""
    if not times:
        return True
    cells = [fields[j].strip() for j in times if j < len(fields)]
    if any(time_like(cell) for cell in cells):
        return True
    # text where a row holds its time: an address's 100号, a list's last name, which share no cell with the
    # rows; or a row's time that cannot be read (昨天, 待定), which holds its event, its case…; blank there,
    # a value running to the end of the file unclosed holds rows too
    return (to_end and not any(cells)) or shares_a_cell(fields, around)


def shares_a_cell(fields: list[str], around: Sequence[Sequence[object]]) -> bool:
    """Whether a line holds in some column what a row around holds there (a cell not blank, nor over
    several lines: the value looked at is one of them)."""
    return any(j < len(row) and isinstance(cell := row[j], str) and "\n" not in cell
               and field.strip() and field.strip() == cell.strip()
               for row in around for j, field in enumerate(fields))


def refuse_swallowed_value(path: Path, row: int, name: str, value: str, delimiter: str,
                           names: Sequence[str], around: Callable[[], Sequence[Sequence[object]]],
                           to_end: bool = False) -> None:
    """An InputError when ``value`` (row ``row``'s cell in column ``name``) holds lines that look like
    rows of this log; ``around`` gives the rows near it, as read (its own included), fetched only for
    a value with a row-shaped line; ``to_end``: the value runs to the end of the file and its quote
    does not close there (a quote never closed)."""
    lines = value.rstrip("\n").split("\n")[1:]
    shaped = [fields for line in lines if (fields := _row_shaped(line, delimiter, len(names))) is not None]
    if not shaped:
        return
    near = around()
    times = time_columns(names, near)
    rows_inside = sum(1 for fields in shaped if swallowed_row(fields, times, near, to_end))
    if rows_inside:
        raise InputError(
            f"{path}: row {row}: a quote in column {name} is never closed, so {len(lines)} line(s) after "
            f"it, {rows_inside} of them like whole rows, were read into that one value; close the quote "
            "(or double it: \"\") and read the file again",
            zh=f"{path}：第 {row} 行：{name}列中的引号没有闭合，其后的 {len(lines)} 行"
            f"（其中 {rows_inside} 行像完整的行）都被读进了这一个值；请闭合引号（或写成两个引号 \"\"）后重新读取",
        )
