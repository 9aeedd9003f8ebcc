"""Where a finding's evidence lies in the files the officer holds, for the workbook and the HTML report.

``evidence_rows`` number the data rows across the whole log (docs/input.md, "Row numbers"): with several
files, every sheet of a workbook read as one log, a title line above the header or a value over two
lines, row 34 is not where the officer looks. ``explain`` names the place of each row it shows
(``Result.files``: each file's last row and map of lines, ``io.lines``); the reports say it in the same
words (``i18n.place_label``): ``b.csv文件第 2 行``, ``lines 10, 11``, ``sheet row 3 of 2024.xlsx[7月]``,
``in b.parquet`` (a file without lines named when the log has several), nothing for a frame.

Only the rows the listed findings name are looked up, each distinct row once and each file's map once
(``io.lines.row_places``): a 1M-event log gives some 80,000 findings and 160,000 evidence rows; a CSV
file's map is one numpy pass over its bytes (a quoted value over several lines: Python's csv module).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import chain
from typing import Any

import numpy as np

from ..io.lines import row_places
from .i18n import place_label, place_words

_RUNS = {"zh": "；", "en": "; "}  # between the evidence of different files; a file's own lines take "、" / ", "


def _rows_of(value: Any) -> Sequence[int]:
    """A finding's evidence rows (a list in the frame; NaN or None where there are none)."""
    return value if isinstance(value, (list, tuple, np.ndarray)) else ()


def evidence_places(result: Any, evidence: Iterable[Any], lang: str) -> list[str | None]:
    """Each finding's evidence rows as places in their files (None without any: no rows, or a log whose
    files are not known, as a result checked on Dask). Rows in one file are said together, in their order."""
    groups = [_rows_of(value) for value in evidence]
    files = getattr(result, "files", ()) or ()
    if not files:
        return [None] * len(groups)
    counts = np.fromiter((len(rows) for rows in groups), dtype=np.int64, count=len(groups))
    flat = np.fromiter(chain.from_iterable(groups), dtype=np.int64, count=int(counts.sum()))
    distinct, back = np.unique(flat, return_inverse=True)
    place, lines = row_places(distinct, ((end, found) for end, _, found in files))
    words = _Words(lang, [name for _, name, _ in files])
    where, line = place[back].tolist(), lines[back].tolist()
    out: list[str | None] = []
    start = 0
    for count in counts.tolist():
        end = start + count
        if count and where[start] == where[end - 1] and (count < 3 or len(set(where[start:end])) == 1):
            out.append(words.said(where[start], line[start:end]))  # one file: nearly every finding
        else:
            out.append(_runs(words, where[start:end], line[start:end]))
        start = end
    return out


def row_place_texts(result: Any, rows: Iterable[int], lang: str) -> list[str]:
    """Each row's place alone ("文件第 14 行", "line 3 of b.csv"; "" where none is known), as explain says it."""
    return [text or "" for text in evidence_places(result, ([row] for row in rows), lang)]


class _Words:
    """``i18n.place_label``'s words for each file of the log, made once per file (issue 5: said for each of
    80,000 findings, its look at the source's name took 2 s)."""

    def __init__(self, lang: str, names: list[str]) -> None:
        self.lang, self.names = lang, names
        self.named = len(names) > 1  # as explain: a line is its own file's, so the file is named
        self.join = "、" if lang == "zh" else ", "
        self._words: dict[tuple[int, bool], tuple[str, str]] = {}

    def said(self, file: int, lines: list[int]) -> str | None:
        """Rows of one file: "b.csv文件第 2、3 行", "line 10"; the file alone where it has no lines."""
        source = self.names[file] if file >= 0 else None
        numbers = [number for number in lines if number]  # 0: the file has no lines (Parquet)
        if not numbers:
            return None if _placeholder(source) else (place_label(self.lang, None, source, self.named) or None)
        key = (file, len(numbers) > 1)
        if key not in self._words:
            self._words[key] = place_words(self.lang, source, self.named, key[1])
        before, after = self._words[key]
        return before + self.join.join(map(str, numbers)) + after


def _runs(words: _Words, where: list[int], lines: list[int]) -> str | None:
    """One finding's rows in several files: taken in runs of one file, each said on its own."""
    parts: list[str] = []
    i = 0
    while i < len(where):
        j = i
        while j < len(where) and where[j] == where[i]:
            j += 1
        text = words.said(where[i], lines[i:j])
        if text:
            parts.append(text)
        i = j
    return _RUNS[words.lang].join(parts) or None


def _placeholder(source: str | None) -> bool:
    """A source that names no file (``<dataframe>``, ``<records>``, ``<arrow>``): nothing to point to."""
    return not source or (source.startswith("<") and source.endswith(">") and source != "<stdin>")
