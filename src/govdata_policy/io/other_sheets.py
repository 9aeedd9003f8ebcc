"""A workbook's other sheets that hold a log too: one sheet a month, each with the log's columns.

The first visible sheet is read when none is named (docs/input.md); a workbook with a log on each
of several sheets was then checked on its first alone, without a word ("rows read 1", looked
complete). The check says so in a note (``sheet_notes``) naming the sheets with the required
columns that were not read. Only their header rows are read, while the workbook is open for the
sheet read: an .xlsx or .xlsm sheet's XML is parsed up to its first rows and no further (calamine
and openpyxl load a whole sheet first: 3 s for a 100k-row one); the other formats through
calamine, whose .xls and .ods readers hold every sheet once the workbook is open (an .xlsb sheet
is loaded whole).
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pandas as pd

from ..vocabulary import REQUIRED_COLUMNS
from .read import HEAD_ROWS, FileColumns, dedupe, has_cells, header_place

SHARED_STRING, INLINE_STRING = "s", "inlineStr"


def first_headers(path: Path, book: Any, names: list[str]) -> dict[str, list[str]]:
    """Each named sheet's header row (``book``: the workbook open in calamine), its other rows unread;
    empty when a sheet's start cannot be read (the sheet read is what matters)."""
    from .excel import OPENPYXL_SUFFIXES

    try:
        first_rows = _xlsx_first_rows(path, names) if path.suffix.lower() in OPENPYXL_SUFFIXES else {
            # blank rows do not count among the header's: enough rows for a few of them
            name: book.get_sheet_by_name(name).to_python(skip_empty_area=False, nrows=HEAD_ROWS * 5)
            for name in names}
    except Exception:
        return {}
    return {name: _header(rows) for name, rows in first_rows.items()}


def other_logs(source: str, headers: dict[str, list[str]], mapping: Any) -> tuple[str, ...]:
    """The sheets whose header (``headers``, from ``first_headers``), mapped as the log's is, has
    every required column."""
    from .columns import contract_names
    from .mapping import apply_mapping

    found = []
    for name, header in headers.items():
        empty = pd.DataFrame(columns=header)
        try:
            columns = contract_names(apply_mapping(empty, mapping) if mapping else empty, source).columns
        except ValueError:  # a header the mapping cannot take: no log we could read
            continue
        if header and all(column in columns for column in REQUIRED_COLUMNS):
            found.append(name)
    return tuple(found)


def sheet_notes(files: list[FileColumns]) -> list[dict[str, str]]:
    """A note for each workbook read on its first sheet while other sheets hold a log too, and for
    each workbook all of whose sheets were asked for (``sheet="*"``) with sheets passed over, which
    lack the log's columns (io.all_sheets): what of the workbook was not read is said, not silent."""
    notes = [
        {"kind": "other_sheets", "message": (
            f"{file.source}: sheet {file.sheet_read!r} was read; {len(file.other_logs)} other sheet(s) also have "
            f"the log's columns ({', '.join(REQUIRED_COLUMNS)}) and were not read "
            f"({', '.join(file.other_logs)}): check them with --sheet, or all as one log with --sheet '*'")}
        for file in files if file.other_logs
    ]
    return notes + [
        {"kind": "passed_over_sheets", "message": (
            f"{file.passed_over[0]}: {len(file.passed_over[1])} sheet(s) without the log's columns "
            f"({', '.join(REQUIRED_COLUMNS)}) were passed over ({', '.join(file.passed_over[1])})")}
        for file in files if file.passed_over
    ]


def _header(rows: list[list[Any]]) -> list[str]:
    """The header as excel._table finds it: among the first non-blank rows, below any title."""
    rows = [row for row in rows if has_cells(row)][:HEAD_ROWS]
    if not rows:
        return []
    header = rows[header_place(rows)]
    return dedupe(["" if v is None else str(v).strip() for v in header])


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]  # by local name: a Strict OOXML workbook has another namespace


def _xlsx_first_rows(path: Path, names: list[str]) -> dict[str, list[list[Any]]]:
    """Each sheet's first non-blank rows, its XML parsed that far; shared strings looked up after,
    their file parsed only up to the last one those rows use."""
    from .excel import sheet_parts

    with zipfile.ZipFile(path) as book:
        parts = sheet_parts(book)
        rows = {name: _first_rows(book, parts[name]) for name in names if parts.get(name) in book.NameToInfo}
        wanted = {int(v) for sheet in rows.values() for row in sheet for kind, v in row if kind == SHARED_STRING}
        strings = _shared_strings(book, max(wanted)) if wanted else []
    return {name: [[_value(kind, v, strings) for kind, v in row] for row in sheet] for name, sheet in rows.items()}


def _first_rows(book: zipfile.ZipFile, part: str) -> list[list[tuple[str, str | None]]]:
    """(type, text) of each cell of a sheet's first non-blank rows, in column order."""
    rows: list[list[tuple[str, str | None]]] = []
    with book.open(part) as xml:
        for _, element in ElementTree.iterparse(xml, events=("end",)):
            if _local(element.tag) != "row":
                continue
            cells: dict[int, tuple[str, str | None]] = {}
            for position, cell in enumerate(c for c in element if _local(c.tag) == "c"):
                kind = cell.get("t") or "n"
                if kind == INLINE_STRING:
                    text = "".join(t.text or "" for t in cell.iter() if _local(t.tag) == "t")
                else:
                    text = next((v.text for v in cell if _local(v.tag) == "v"), None)
                cells[_column(cell.get("r"), position)] = (kind, text)
            element.clear()
            if any(text not in (None, "") for _, text in cells.values()):
                rows.append([cells.get(i, ("n", None)) for i in range(max(cells) + 1)])
                if len(rows) >= HEAD_ROWS:
                    break
    return rows


def _column(reference: str | None, position: int) -> int:
    """A cell's 0-based column from its reference ("AB12"), or its place in the row when it has none."""
    letters = "".join(ch for ch in reference or "" if ch.isalpha())
    if not letters:
        return position
    number = 0
    for ch in letters.upper():
        number = number * 26 + ord(ch) - ord("A") + 1
    return number - 1


def _shared_strings(book: zipfile.ZipFile, last: int) -> list[str]:
    strings: list[str] = []
    if "xl/sharedStrings.xml" not in book.NameToInfo:
        return strings
    with book.open("xl/sharedStrings.xml") as xml:
        for _, element in ElementTree.iterparse(xml, events=("end",)):
            if _local(element.tag) != "si":
                continue
            # the text runs (<t>, or <r><t>), not a phonetic reading's (<rPh><t>)
            runs = [child for child in element if _local(child.tag) in ("t", "r")]
            strings.append("".join(
                (t.text or "") for run in runs for t in ([run] if _local(run.tag) == "t" else run)
                if _local(t.tag) == "t"))
            element.clear()
            if len(strings) > last:
                break
    return strings


def _value(kind: str, text: str | None, strings: list[str]) -> Any:
    if text is None:
        return None
    if kind == SHARED_STRING:
        index = int(text)
        return strings[index] if index < len(strings) else None
    return text  # a header's name as text; a number's or a date's never names a required column
