"""Whole numbers shown zero-padded by a number format of zeros (``00000``): an id as Excel shows it.

An Excel user keeps an id's leading zeros by formatting its cells ``00000`` (or ``000000000`` for a
9-digit code): the cell holds the number 123 and Excel shows ``00123``, as a CSV saved from the sheet
writes it. calamine gives values without their formats, so the case ``00123`` of such a workbook was
the case ``123``, apart from the same case written as text in another file or sheet. The number
format is read from the workbook's parts instead: styles.xml (small) says which cell styles show
numbers with a format of zeros alone; only when one does is the sheet's XML searched for the cells
of those styles (a byte search for ``s="5"``), and each whole number among them becomes its text,
zero-padded to the format's width (``-00123`` for -123, as Excel shows it).

Left as they are: a number with a fraction (Excel would round it: a date's serial shown ``00000``
keeps its time of day), one of 1e15 and more (Excel keeps 15 significant digits: an 18-digit id
stored as a number has lost its last digits, and validation says so), and formats with anything
but zeros (``"GX"00000``, ``000-000``). .xls, .xlsb and .ods: their formats are not read.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from .formula_cells import CELL_REFERENCE, CELL_TYPE, SCAN_BLOCK, column_index, sheet_members

_ZEROS = re.compile(r"0{2,}")  # 0 alone is the built-in integer format: it pads nothing
_CELL_START = re.compile(rb"<(?:\w+:)?c\s")  # a cell's start tag (<c r="A2" s="5">), not a row's
_SPACE = b" \t\r\n"
_WHOLE_NUMBER_LIMIT = 10**15  # as io.excel's: a number this large is no int there


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]  # by local name: a Strict OOXML workbook has another namespace


def padded_styles(book: zipfile.ZipFile) -> dict[int, int]:
    """The cell styles (their index, a cell's ``s``) that show a number with a format of zeros alone,
    and its width; empty when the workbook has none (or no styles.xml to read)."""
    try:
        styles = ElementTree.fromstring(book.read("xl/styles.xml"))
    except (KeyError, ElementTree.ParseError):
        return {}
    widths = {}
    # the workbook's own formats (not those of conditional formats' <dxf>, which may reuse an id)
    for formats in (e for e in styles if _local(e.tag) == "numFmts"):
        for element in formats:
            code = element.get("formatCode") or ""
            if _local(element.tag) == "numFmt" and _ZEROS.fullmatch(code):
                widths[element.get("numFmtId")] = len(code)
    if not widths:
        return {}
    cell_styles = next((e for e in styles if _local(e.tag) == "cellXfs"), None)
    if cell_styles is None:
        return {}
    formats = [xf.get("numFmtId") for xf in cell_styles if _local(xf.tag) == "xf"]
    return {index: widths[number] for index, number in enumerate(formats) if number in widths}


def pad_numbers(path: Path, sheet_name: str, rows: list[Any]) -> None:
    """Each whole number of the sheet in a cell formatted with zeros alone made the text Excel shows
    (``rows``: the sheet's cells from A1, as the reader gave them)."""
    with zipfile.ZipFile(path) as book:
        widths = padded_styles(book)
        if not widths:
            return
        members = sheet_members(book, sheet_name)
        if len(members) != 1:
            return
        for row, column, style in _styled_cells(book, members[0], widths):
            if row < len(rows) and column < len(rows[row]):
                value = rows[row][column]
                if value.__class__ is int and abs(value) < _WHOLE_NUMBER_LIMIT:
                    rows[row][column] = ("-" if value < 0 else "") + str(abs(value)).zfill(widths[style])


def _styled_cells(book: zipfile.ZipFile, member: str, widths: dict[int, int]) -> Iterator[tuple[int, int, int]]:
    """(row, column, style) from 0 of each number cell with one of the styles, the XML read block by block."""
    needles = [(style, quoted) for style in widths
               for quoted in (f's="{style}"'.encode(), f"s='{style}'".encode())]
    with book.open(member) as xml:
        carry = b""
        while block := xml.read(SCAN_BLOCK):
            data = carry + block
            last = data.rfind(b"<")  # the last tag may be cut by the block's end: looked at with the next block
            for style, needle in needles:
                at = data.find(needle)
                while at != -1 and at < last:
                    found = _cell_at(data, at, style)
                    if found is not None:
                        yield found
                    at = data.find(needle, at + len(needle))
            carry = data[last:] if last != -1 else b""


def _cell_at(data: bytes, at: int, style: int) -> tuple[int, int, int] | None:
    """The number cell whose start tag holds the style attribute found at ``at``; None when the
    attribute is another's (a row's style: ``<row r="2" s="5">``) or the cell holds no number."""
    if data[at - 1] not in _SPACE:
        return None  # "cs=", "xs=": no style of a cell
    start = data.rfind(b"<", 0, at)
    if _CELL_START.match(data, start) is None:
        return None
    tag = data[start:data.find(b">", at)]
    kind = CELL_TYPE.search(tag)
    reference = CELL_REFERENCE.search(tag)
    if reference is None or (kind is not None and kind.group(1) != b"n"):
        return None
    letters, number = reference.groups()
    return int(number) - 1, column_index(letters), style
