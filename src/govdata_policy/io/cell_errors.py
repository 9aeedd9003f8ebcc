"""Excel's error values (``#N/A``, ``#REF!``), and LibreOffice's (``Err:502``): a cell whose formula
failed holds no value. Nor does an .xlsx formula cell whose value was never saved (io.formula_cells).

A workbook exported to CSV writes an error cell as its text, and openpyxl hands an .xlsx error
cell over as that text too (io.excel). Read as data, ``#N/A`` became a subject id that fails its
check digit (a false violation) and ``#REF!`` a party of that name. A row with one in a column
the rules read is refused, naming the column and the error, in every format, by the batch and
by the monitor alike (docs/input.md). A column no rule reads (an unknown extra column: a
VLOOKUP helper) passes through as it is: refusing its rows would drop events the rules need.

The check runs on a column's DISTINCT values (``coded.encode``), and on ``case_id`` (Arrow
text, mostly distinct) as a ``starts_with`` pass for each way an error begins (``#``, ``Err:``),
which finds nothing in a clean log.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..vocabulary import KNOWN_ATTRIBUTES, PARTY_COLUMNS, REQUIRED_COLUMNS
from .coded import Coded

# Excel's error values, as it writes them (and as a CSV of the sheet holds them); LibreOffice
# writes the classic seven the same way. Matched whatever their case: Excel upper-cases one typed.
EXCEL_ERRORS = frozenset({
    "#N/A", "#VALUE!", "#REF!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!",  # every version
    "#SPILL!", "#CALC!", "#GETTING_DATA", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!",  # 365's
    "#UNKNOWN!", "#EXTERNAL!", "#PYTHON!",
})
# LibreOffice Calc shows most of its errors by number (Err:502 invalid argument, Err:504 error in a
# parameter list, Err:522 circular reference; the rest as Excel's words), and a CSV saved as shown
# holds that text. Only as it writes it: "err:502" typed into a cell is text to Calc too.
_LIBREOFFICE_ERROR = re.compile(r"Err:5[0-9][0-9]")
# a formula cell of an .xlsx with no value saved (a workbook written by openpyxl and never opened in Excel):
# io.formula_cells writes this mark and the formula in it (``#NO_SAVED_VALUE =B2``); refused as an error
# value is, its '#' found by the same prefilters, so a log without one pays nothing more
NO_SAVED_VALUE = "#NO_SAVED_VALUE"
# how an error value begins: the prefilters' starts_with passes
ERROR_STARTS = ("#", "Err:")
# the columns a rule or a profile's parties read; any other column passes through unread
READ_COLUMNS = frozenset((*REQUIRED_COLUMNS, *KNOWN_ATTRIBUTES, *PARTY_COLUMNS))


def is_excel_error(text: Any) -> bool:
    """Whether a (trimmed) cell's text is a spreadsheet's error value: Excel's, or LibreOffice's ``Err:5nn``."""
    if text.__class__ is not str:
        return False
    if text[:1] == "#":
        return text.upper() in EXCEL_ERRORS or text.startswith(NO_SAVED_VALUE)
    return len(text) == 7 and _LIBREOFFICE_ERROR.fullmatch(text) is not None


def excel_error(name: str, text: str) -> str:
    """The reason for a row whose ``name`` cell holds a spreadsheet's error value, or a formula with no
    saved value (``NO_SAVED_VALUE``)."""
    if text.startswith(NO_SAVED_VALUE):
        formula = text[len(NO_SAVED_VALUE):].strip()
        return (f"{name}: a formula with no saved value{f' ({formula})' if formula else ''}: the workbook was "
                "never calculated (open and save it in Excel or WPS)")
    maker = "an Excel" if text[:1] == "#" else "a LibreOffice"
    return f"{name}: {text!r} is {maker} error value (the cell's formula failed), not a value"


def flag_error_words(problems: list[Any], name: str, coded: Coded) -> tuple[Coded, list[bool]]:
    """Rows whose word is an Excel error value flagged (``excel_error``), one reason per distinct
    word: (the column with those words as missing, so no other check speaks of them; which words
    were errors). The column itself when it has none, or no rule reads it (READ_COLUMNS)."""
    if name not in READ_COLUMNS:
        return coded, []
    # a kernel pass over the words for each way an error begins: none in a clean log
    places = sorted({place for start in ERROR_STARTS for place in coded.starting_with(start).tolist()})
    if not places:
        return coded, []
    errors = [False] * len(coded.words)
    for place in places:
        errors[place] = is_excel_error(coded.words[place])
    if not any(errors):
        return coded, errors
    from .checks import flag_words  # checks imports this module

    words = coded.words.copy()
    flag_words(problems, coded, words, errors, lambda word: excel_error(name, word))
    words[np.flatnonzero(errors)] = None
    return Coded(coded.codes, words), errors


def error_rows(text: pa.ChunkedArray) -> np.ndarray | None:
    """The places of the cells of (trimmed) text holding an error value; None when no cell starts
    as one does (a kernel pass for each start: about 10 ms each for 1M case ids)."""
    hit = pc.or_(*(pc.starts_with(text, start) for start in ERROR_STARTS))
    if not pc.any(hit).as_py():
        return None
    places = np.flatnonzero(pc.fill_null(hit, False).to_numpy(zero_copy_only=False))
    found = np.fromiter((is_excel_error(v) for v in text.take(pa.array(places)).to_pylist()), bool, len(places))
    return places[found] if found.any() else None
