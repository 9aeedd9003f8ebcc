"""A header row repeated among the rows: monthly exports joined with ``cat`` (or a sheet pasted
under another) carry each file's header line into the log.

Such a row was refused as "event: unknown event 'event'; time: cannot read 'time' as a time",
which sends the officer looking for a bad event. It is recognised by its cells as written,
before a mapping renames the columns (``申请编号,办理环节,…`` under the export's own header), and
refused with one reason saying what it is (``validate._rejections``), as a totals row is.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from .read import READ_ERROR
from .text import cells_at, string_chunks

# the frame's attrs: the places of its rows repeating its header (read_raw, partitions.read_part)
HEADER_ROWS = "govdata_policy.header_rows"


def repeated_header_rows(frame: pd.DataFrame) -> np.ndarray:
    """The places of the rows whose every filled cell is its column's own header (as the reader
    named it: trimmed), the first column's among them; a short row (its trailing cells blank) counts.

    Candidates are the rows whose first cell is that column's header: one comparison over it
    (about 2 ms for 1M cells of CSV text), nothing more when none is.
    """
    columns = [name for name in frame.columns if name != READ_ERROR]
    if not columns or not len(frame):
        return np.empty(0, dtype=np.int64)
    first = columns[0]
    text = string_chunks(frame[first])
    if text is not None:
        # the cells as written: a joined file's header line is the first one's, byte for byte
        hit = pc.equal(text, str(first))
        if not pc.any(hit).as_py():
            return np.empty(0, dtype=np.int64)
        places = np.flatnonzero(pc.fill_null(hit, False).to_numpy(zero_copy_only=False))
    else:
        cells = frame[first].to_numpy(dtype=object)
        places = np.flatnonzero([isinstance(v, str) and v.strip() == str(first) for v in cells])
    if not places.size:
        return places
    found = np.ones(places.size, dtype=bool)
    for name in columns[1:]:
        cells = cells_at(frame[name], places.tolist())
        found &= [_blank(v) or (isinstance(v, str) and v.strip() == str(name)) for v in cells]
    return places[found].astype(np.int64)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and value != value) or (
        isinstance(value, str) and not value.strip())


def header_reason(case_text: str | None) -> str:
    """The one reason of a row repeating the header row."""
    return (f"case_id: {case_text!r} begins a repeat of the header row, not an event "
            "(files joined one under another?)")
