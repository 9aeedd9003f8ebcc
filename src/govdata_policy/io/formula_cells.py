"""Formula cells with no saved value, and the one pass over a sheet's XML that finds them and error cells.

An .xlsx keeps each formula cell's last value beside its formula (``<c><f>B2</f><v>7</v></c>``),
and calamine and openpyxl read that value. A workbook written by a program that does not calculate
(openpyxl, including a script that loaded an Excel export and saved it again; older Apache POI)
and never opened in Excel holds the formula alone (``<f>B2</f><v></v>``, or no ``<v>``): both readers
gave an empty cell. A required cell was then refused as "missing", which sent the officer looking
for a value that is in the sheet, and an optional one (a reason, a subject id) vanished without a
word. Such a cell is given the text ``#NO_SAVED_VALUE =B2`` (``cell_errors.NO_SAVED_VALUE``), which
validation refuses as it refuses ``#N/A`` (in a column a rule reads, naming the column and the
formula) and a column no rule reads passes through as written.

A formula whose value is the empty text is saved by Excel, LibreOffice and WPS as ``t="str"``
with an empty ``<v>``: that cell is empty, not unsaved. Apache POI since 4.1 writes a new formula
cell with the value 0; a value saved but never calculated cannot be told from a calculated one.
"""

from __future__ import annotations

import html
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .cell_errors import NO_SAVED_VALUE

SCAN_BLOCK = 1 << 22
# an error cell's type attribute in a worksheet's XML: <c r="B2" t="e">; attribute values may be
# single-quoted and '=' spaced; in cell text the quotes would be escaped (&quot;), so text cannot match
_ERROR_CELL = re.compile(rb"""\st\s*=\s*["']e["']""")
# the sheet's root names its prefix, if it uses one (<x:worksheet>): its cells are then <x:c>, <x:f>
_ROOT = re.compile(rb"<(\w+:)?worksheet[\s>]")
_TAG_ENDS = frozenset(b" \t\r\n>/")
_TAIL = 32  # bytes kept from a block for the next: a tag or attribute cut by the boundary is found there
# a cell's reference and type in its start tag (<c r="B2" s="5" t="str">): io.zero_padded reads them too
CELL_REFERENCE = re.compile(rb"""\sr\s*=\s*["']([A-Z]{1,3})([0-9]+)["']""")
CELL_TYPE = re.compile(rb"""\st\s*=\s*["']([A-Za-z]+)["']""")
_FORMULA = re.compile(rb"<(?:\w+:)?f(?:\s[^>]*)?(?:/>|>(.*?)</(?:\w+:)?f>)", re.S)
_VALUE = re.compile(rb"<(?:\w+:)?v(?:\s[^>]*)?(?:/>|>(.*?)</(?:\w+:)?v>)", re.S)
_TEXT_TYPES = (b"str", b"inlineStr")  # a formula's value that is text: saved empty when the text is empty
_SHOWN = 60  # a formula's characters shown in the cell's text, as io.checks shows a value


def sheet_members(book: zipfile.ZipFile, sheet_name: str | None) -> list[str]:
    """The zip member of the sheet's XML; every worksheet's when it cannot be told which it is."""
    from .excel import sheet_parts

    part = sheet_parts(book).get(sheet_name) if sheet_name is not None else None
    return [part] if part in book.NameToInfo else [
        n for n in book.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")]


def scan_sheet(path: Path, sheet_name: str | None = None) -> tuple[bool, bool]:
    """(whether the sheet has a cell of type error, whether it has a formula), in one pass over its XML,
    block by block. A byte search comes first for each: a sheet with neither costs the decompression
    (0.2 s for a 100k-row, 15-column sheet), where the error pattern alone took 0.7-1 s more."""
    errors = formulas = False
    with zipfile.ZipFile(path) as book:
        for name in sheet_members(book, sheet_name):
            with book.open(name) as head:
                root = _ROOT.search(head.read(4096))
            tag = b"<" + (root.group(1) or b"" if root else b"") + b"f"
            with book.open(name) as xml:
                tail = b""
                while block := xml.read(SCAN_BLOCK):
                    window = tail + block
                    if not errors and (b'"e"' in window or b"'e'" in window):
                        errors = _ERROR_CELL.search(window) is not None
                    if not formulas:
                        formulas = _has_tag(window, tag)
                    if errors and formulas:
                        return True, True
                    tail = window[-_TAIL:]
    return errors, formulas


def _has_tag(data: bytes, tag: bytes) -> bool:
    """Whether ``data`` holds the start of the element ``tag`` (``<f>``, ``<f t="shared" …/>``, not ``<formula>``)."""
    at = data.find(tag)
    while at != -1:
        end = at + len(tag)
        if end < len(data) and data[end] in _TAG_ENDS:
            return True
        at = data.find(tag, end)
    return False


def unsaved_formulas(path: Path, sheet_name: str) -> list[tuple[int, int, str]]:
    """(row, column, formula) of each formula cell of the sheet with no saved value, from 0; the formula
    as written, ``=B2`` (empty for one sharing another cell's formula: ``<f t="shared" si="0"/>``).
    Only the cells holding a formula are looked at, found by a byte search."""
    found = []
    for cell in _formula_cells(path, sheet_name):
        at = cell.find(b"<v>")
        if at != -1 and cell[at + 3:at + 4] not in (b"<", b""):
            continue  # a value saved, as Excel writes it: the other cells' patterns are not needed
        value = _VALUE.search(cell)
        kind = CELL_TYPE.search(cell[:cell.find(b">")])
        if value is not None and (value.group(1) or (kind is not None and kind.group(1) in _TEXT_TYPES)):
            continue  # a value saved, or the empty text a formula gave
        reference = CELL_REFERENCE.search(cell[:cell.find(b">")])
        if reference is None:  # Excel, LibreOffice, openpyxl and POI name every cell; a cell without cannot be placed
            continue
        letters, number = reference.groups()
        formula = _FORMULA.search(cell)
        text = html.unescape((formula.group(1) or b"").decode("utf-8", "replace")) if formula else ""
        found.append((int(number) - 1, column_index(letters), text))
    return found


def _formula_cells(path: Path, sheet_name: str) -> Iterator[bytes]:
    """The bytes of each cell (``<c …>…</c>``) holding a formula, the XML read block by block."""
    with zipfile.ZipFile(path) as book:
        members = sheet_members(book, sheet_name)
        if len(members) != 1:
            return
        with book.open(members[0]) as head:
            root = _ROOT.search(head.read(4096))
        prefix = root.group(1) or b"" if root else b""
        tag, start, end = b"<" + prefix + b"f", b"<" + prefix + b"c", b"</" + prefix + b"c>"
        with book.open(members[0]) as xml:
            carry = b""
            while block := xml.read(SCAN_BLOCK):
                data = carry + block
                done = 0  # where the data not yet looked at begins
                at = data.find(tag)
                while at != -1:
                    after = at + len(tag)
                    if after >= len(data):
                        break  # cut by the block's end: looked at again with the next block
                    if data[after] not in _TAG_ENDS:
                        at = data.find(tag, after)
                        continue
                    cell_start, cell_end = data.rfind(start, done, at), data.find(end, after)
                    if cell_end == -1:
                        break  # the cell goes on in the next block
                    if cell_start != -1:
                        yield data[cell_start:cell_end + len(end)]
                    done = cell_end + len(end)
                    at = data.find(tag, done)
                # from the last cell's start that may be cut (a formula not yet seen may be in it)
                last = data.rfind(start, done)
                carry = data[last if last != -1 else max(done, len(data) - _TAIL):]


def column_index(letters: bytes) -> int:
    """A column's letters (``AB``) as its 0-based index (27)."""
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number - 1


def mark_unsaved(rows: list[Any], cells: list[tuple[int, int, str]]) -> None:
    """Each unsaved formula cell the reader gave as empty holds ``#NO_SAVED_VALUE =formula`` instead; rows
    and columns the reader left out (calamine's sheet ends at its last cell with a value) are added."""
    for row, column, formula in cells:
        while len(rows) <= row:
            rows.append([])
        cells_of_row = rows[row]
        if len(cells_of_row) <= column:
            cells_of_row.extend([None] * (column + 1 - len(cells_of_row)))
        if cells_of_row[column] is None:
            shown = formula if len(formula) <= _SHOWN else formula[:_SHOWN] + "…"
            cells_of_row[column] = f"{NO_SAVED_VALUE} ={shown}" if shown else NO_SAVED_VALUE
