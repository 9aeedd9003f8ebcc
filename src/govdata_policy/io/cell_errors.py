"""Excel's error values (``#N/A``, ``#REF!``): a cell whose formula failed holds no value.

A workbook exported to CSV writes an error cell as its text, and openpyxl hands an .xlsx error
cell over as that text too (io.excel). Read as data, ``#N/A`` became a subject id that fails its
check digit (a false violation) and ``#REF!`` a party of that name. A row with one in a column
the rules read is refused, naming the column and the error, in every format, by the batch and
by the monitor alike (docs/input.md). A column no rule reads (an unknown extra column: a
VLOOKUP helper) passes through as it is: refusing its rows would drop events the rules need.

The check runs on a column's DISTINCT values (``coded.encode``), and on ``case_id`` (Arrow
text, mostly distinct) as one ``starts_with('#')`` pass, which finds nothing in a clean log.
"""

from __future__ import annotations

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
# the columns a rule or a profile's parties read; any other column passes through unread
READ_COLUMNS = frozenset((*REQUIRED_COLUMNS, *KNOWN_ATTRIBUTES, *PARTY_COLUMNS))


def is_excel_error(text: Any) -> bool:
    """Whether a (trimmed) cell's text is an Excel error value."""
    return text.__class__ is str and text[:1] == "#" and text.upper() in EXCEL_ERRORS


def excel_error(name: str, text: str) -> str:
    """The reason for a row whose ``name`` cell holds an Excel error value."""
    return f"{name}: {text!r} is an Excel error value (the cell's formula failed), not a value"


def flag_error_words(problems: list[Any], name: str, coded: Coded) -> tuple[Coded, list[bool]]:
    """Rows whose word is an Excel error value flagged (``excel_error``), one reason per distinct
    word: (the column with those words as missing, so no other check speaks of them; which words
    were errors). The column itself when it has none, or no rule reads it (READ_COLUMNS)."""
    if name not in READ_COLUMNS:
        return coded, []
    places = coded.starting_with("#").tolist()  # one kernel pass over the words: none in a clean log
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
    """The places of the cells of (trimmed) text holding an Excel error value; None when no cell
    starts with '#' (one kernel pass: about 10 ms for 1M case ids)."""
    hit = pc.starts_with(text, "#")
    if not pc.any(hit).as_py():
        return None
    places = np.flatnonzero(pc.fill_null(hit, False).to_numpy(zero_copy_only=False))
    found = np.fromiter((is_excel_error(v) for v in text.take(pa.array(places)).to_pylist()), bool, len(places))
    return places[found] if found.any() else None
