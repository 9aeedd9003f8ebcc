"""An id written with a leading apostrophe ('00123, '110101199003071234): an exporter's way, like
``="00123"`` (io.text.formula_text), to keep Excel from making an id a number. In a workbook the
apostrophe is no part of the cell; in a CSV it arrives literally, and '00123 was a case apart from
the 00123 of another file (or of the same log exported another way), its events split in two.

Only the id columns (``case_id``, ``subject_id``) and only an apostrophe before digits (and an ID
number's final X) are read so: free text may begin with a quote, and an id of other characters
('A-12) is left as written rather than guessed at.
"""

from __future__ import annotations

import re

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .coded import Coded

# RE2 (Arrow) and Python read these alike: ASCII digits (io.validate folds full-width ones first)
QUOTED_ID = r"^'([0-9]+|[0-9]{17}[Xx])$"
_QUOTED = re.compile(QUOTED_ID)


def unquoted_id(text: str) -> str:
    """``'00123`` -> ``00123``; any other text as it is (the monitor's cells)."""
    return text[1:] if text[:1] == "'" and _QUOTED.match(text) else text


def unquote_ids(text: pa.ChunkedArray) -> pa.ChunkedArray:
    """``unquoted_id`` of each cell of (trimmed) text; ``text`` itself when no cell starts with an
    apostrophe, which one kernel pass tells (a few ms for 1M case ids)."""
    if not pc.any(pc.starts_with(text, "'")).as_py():
        return text
    return pc.replace_substring_regex(text, QUOTED_ID, r"\1")


def unquote_coded(coded: Coded) -> Coded:
    """A column's distinct words with ``unquoted_id`` applied (two codes may then share a word,
    as ``Coded`` allows)."""
    if not coded.starting_with("'").size:
        return coded
    words = np.array([unquoted_id(word) if word.__class__ is str else word for word in coded.words], dtype=object)
    return Coded(coded.codes, words)
