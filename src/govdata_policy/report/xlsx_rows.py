"""The workbook's data rows written as XML text, not cell objects.

openpyxl makes a cell object per value and writes it through lxml: about 20 µs a
cell here, so the 82,000 violations of a 1M-event log (1.3M cells) took 45 s of a
60 s report. The rows are plain: text, numbers, times with a number format, blanks.
So openpyxl writes each sheet's header row, its columns, frozen pane and
auto-filter, and the styles; the data rows are made here as the very XML openpyxl
would write for them (inline strings, ``%.16g`` numbers, Excel serial times with
the style openpyxl registered for their number format) and put into the sheet's
XML when the workbook is saved (``save_with_rows``).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import tempfile
import zipfile
from collections.abc import Sequence
from math import isinf, isnan
from pathlib import Path
from typing import IO, Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel

# what an XML text node cannot hold as it is: markup (escaped), a carriage return (a reader would
# make it a line feed), and what XML 1.0 cannot hold at all (surrogates, U+FFFE/U+FFFF: shown as U+FFFD,
# as the C0 controls already are before the value reaches here)
_SPECIAL = re.compile("[&<>\r\ud800-\udfff\ufffe\uffff]")
_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"}
# a text written as it is: none of those, none of the C0 controls clean_text shows as U+FFFD
_NOT_PLAIN = re.compile("[&<>\r\ud800-\udfff\ufffe\uffff\x00-\x08\x0b\x0c\x0e-\x1f]")
EXCEL_MAX_TEXT = 32_767  # characters in one cell, as Excel counts them: UTF-16 code units (LEN("😀") is 2)
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")  # a character of two UTF-16 units (emoji, CJK extension B …)
_ROWS_PER_WRITE = 2_000


def clean_text(value: str) -> str:
    """Text from the log as a cell can hold it: control characters the format cannot hold shown as
    U+FFFD (one made the whole workbook fail), and a value over Excel's 32,767 characters cut with a
    visible ``…`` (the JSON keeps it whole). It is written as text, never a formula (a party named
    ``=HYPERLINK(...)``): every text is an inline string."""
    if ILLEGAL_CHARACTERS_RE.search(value):
        value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
    # Excel counts a character beyond the BMP twice: 20,000 emoji are 40,000 of its characters, a cell it
    # would not open the workbook with (only text of more than half the limit can be too long)
    if len(value) > EXCEL_MAX_TEXT // 2 and len(value) + len(_ASTRAL.findall(value)) > EXCEL_MAX_TEXT:
        value = _first_units(value, EXCEL_MAX_TEXT - 1) + "…"
    return value


def _first_units(value: str, units: int) -> str:
    """The longest start of ``value`` of at most ``units`` UTF-16 code units (no pair cut in two)."""
    counted = 0
    for index, char in enumerate(value):
        counted += 2 if char > "\uffff" else 1
        if counted > units:
            return value[:index]
    return value


def _text(value: str) -> str:
    if _SPECIAL.search(value):
        value = _SPECIAL.sub(lambda found: _ESCAPES.get(found.group(), "\ufffd"), value)
    return value


Styles = tuple[str | None, str | None]  # a column's style index for its numbers, and for its times


def _cell(ref: str, value: Any, styles: Styles) -> str:
    """One cell as openpyxl's writer writes it (cell/_writer.py), or '' for a blank one."""
    if value is None:
        return ""
    if isinstance(value, str):
        value = clean_text(value)
        if value == "":
            return f'<c r="{ref}" t="inlineStr"></c>'
        space = ' xml:space="preserve"' if value != value.strip() else ""
        return f'<c r="{ref}" t="inlineStr"><is><t{space}>{_text(value)}</t></is></c>'
    if isinstance(value, dt.datetime | dt.date):
        styled = f' s="{styles[1]}"' if styles[1] is not None else ""
        return f'<c r="{ref}"{styled} t="n"><v>{to_excel(value):.16g}</v></c>'
    styled = f' s="{styles[0]}"' if styles[0] is not None else ""
    if isinstance(value, bool):
        return f'<c r="{ref}"{styled} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        number = "" if isinstance(value, float) and (isnan(value) or isinf(value)) else f"{value:.16g}"
        return f'<c r="{ref}"{styled} t="n"><v>{number}</v></c>'
    return _cell(ref, str(value), styles)


def _column(letter: str, values: Sequence[Any], styles: Styles, first_row: int) -> list[str]:
    """One column's cells of a block of rows; plain text (no markup, no control character, no blanks
    around it, not too long), the most of a report, written straight, anything else by ``_cell``."""
    return [
        f'<c r="{letter}{number}" t="inlineStr"><is><t>{value}</t></is></c>'
        if value.__class__ is str and value and not value[0].isspace() and not value[-1].isspace()
        and len(value) <= EXCEL_MAX_TEXT // 2 and not _NOT_PLAIN.search(value)  # (longer: clean_text counts)
        else _cell(f"{letter}{number}", value, styles)
        for number, value in enumerate(values, first_row)
    ]


def write_rows(sink: IO[str], columns: Sequence[Sequence[Any]], styles: Sequence[Styles], first_row: int) -> None:
    """The rows of ``columns`` (one list per column) from sheet row ``first_row``, ``styles`` each
    column's style indexes (None: unstyled). A block of rows at a time, a column at a time."""
    letters = [get_column_letter(i + 1) for i in range(len(columns))]
    n = len(columns[0]) if columns else 0
    for start in range(0, n, _ROWS_PER_WRITE):
        stop = min(start + _ROWS_PER_WRITE, n)
        cells = [_column(letter, column[start:stop], style, first_row + start)
                 for letter, column, style in zip(letters, columns, styles, strict=True)]
        sink.write("".join(f'<row r="{first_row + start + k}">{"".join(row)}</row>'
                           for k, row in enumerate(zip(*cells, strict=True))))


class PendingRows:
    """Data rows made while the sheets are written, kept in temporary files until the save."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="govdata-xlsx-"))
        self.by_sheet: dict[int, Path] = {}

    def add(self, sheet_index: int, columns: Sequence[Sequence[Any]], styles: Sequence[Styles],
            first_row: int) -> None:
        path = self.folder / f"rows{sheet_index}.xml"
        with path.open("w", encoding="utf-8") as sink:
            write_rows(sink, columns, styles, first_row)
        self.by_sheet[sheet_index] = path

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def save_with_rows(book: Any, path: Path, pending: PendingRows) -> None:
    """``book`` saved to ``path`` with each sheet's pending rows after its header row."""
    skeleton = io.BytesIO()
    book.save(skeleton)  # header rows, columns, panes, filters, styles: small
    members = {f"xl/worksheets/sheet{index + 1}.xml": rows for index, rows in pending.by_sheet.items()}
    with zipfile.ZipFile(skeleton) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            rows = members.get(info.filename)
            if rows is None:
                target.writestr(info, data)
                continue
            head, tail = data.decode("utf-8").split("</sheetData>", 1)
            if not head.startswith("<?xml"):  # the rows' text is UTF-8 (openpyxl's is ASCII): say so
                head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + head
            with target.open(info.filename, "w", force_zip64=True) as sink:
                sink.write(head.encode("utf-8"))
                with rows.open("rb") as made:
                    shutil.copyfileobj(made, sink, 1 << 20)
                sink.write(("</sheetData>" + tail).encode("utf-8"))
