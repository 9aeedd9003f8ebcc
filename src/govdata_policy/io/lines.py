"""Where a row of a log lies in its own file: ``line``, beside ``row``, of a rejected row.

``row`` numbers the data rows of a log across its files (docs/input.md). An officer looking
for a rejected row opens the file, and the editor counts lines from the top (the title and
the header, blank lines, a value typed over two lines) and the spreadsheet counts its rows:
``line`` is that number. Each reader leaves a map of where its records lie; the maps are
asked only for the rows that need a line (the rejected ones, and the evidence rows of the findings
a workbook or HTML report lists: ``row_places``), so a log without them costs nothing, and a CSV
file is looked at again only then (0.03-0.04 s for 150 MB of LF lines).

A map is mostly arithmetic: the first record's line plus the record's number, with jumps
where blank lines or values over several lines push the records further down.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

LF, CR = 0x0A, 0x0D
_BLOCK = 1 << 20


class Shared:
    """A map of lines is held in a frame's ``attrs``, which pandas deep-copies for every Series or
    frame made from it (issue 5: 150 times in a 1M-event check, 0.6-1.2 ms each, 0.1-0.2 s in
    all). A map describes a file, not the frame: every copy shares the one map (and a lazy map
    scanned once is scanned for all)."""

    def __deepcopy__(self, memo: dict[int, Any]) -> Any:
        return self


@dataclass(frozen=True, eq=False)
class LineMap(Shared):
    """Record ``k`` (0-based) of a file lies on line ``first + k + extra``, ``extra`` being the
    ``jump`` of the last ``at`` not after ``k`` (0 before the first)."""

    first: int
    at: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    jump: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))

    @classmethod
    def of(cls, lines: Iterable[int]) -> LineMap:
        """The map of records on these lines (1-based, one a record, increasing)."""
        numbers = np.fromiter(lines, dtype=np.int64)
        if not numbers.size:
            return cls(1)
        extra = numbers - numbers[0] - np.arange(numbers.size, dtype=np.int64)
        at = np.flatnonzero(np.diff(extra)) + 1
        return cls(int(numbers[0]), at, extra[at])

    def lines(self, records: np.ndarray) -> np.ndarray:
        records = np.asarray(records, dtype=np.int64)
        place = np.searchsorted(self.at, records, side="right") - 1
        extra = np.where(place >= 0, self.jump[np.maximum(place, 0)] if self.jump.size else 0, 0)
        return self.first + records + extra

    def resolved(self) -> LineMap:
        return self

    def shifted(self, by: int) -> LineMap:
        """The same records ``by`` lines further down (a part of a file cut into byte ranges)."""
        return self if not by else LineMap(self.first + by, self.at, self.jump)


@dataclass(eq=False)
class Lazy(Shared):
    """A map made when first asked: ``make()``, a module-level function with its arguments (so a
    map not yet made travels to another process, a Dask client, as it is)."""

    make: Callable[[], LineMap]
    _map: LineMap | None = None

    def lines(self, records: np.ndarray) -> np.ndarray:
        return self.resolved().lines(records)

    def resolved(self) -> LineMap:
        """The map, the file scanned now if it was not before (before a temporary file goes)."""
        if self._map is None:
            self._map = self.make()
        return self._map


@dataclass(frozen=True, eq=False)
class KeptLines(Shared):
    """The map of a file some of whose records were left out (blank rows, ``csv_read``): record ``k``
    of those kept is record ``kept[k]`` of the file."""

    inner: Any  # a LineMap or a Lazy one
    kept: np.ndarray

    def lines(self, records: np.ndarray) -> np.ndarray:
        return self.inner.lines(self.kept[np.asarray(records, dtype=np.int64)])

    def resolved(self) -> KeptLines:
        return KeptLines(self.inner.resolved(), self.kept)

    def shifted(self, by: int) -> KeptLines:
        return KeptLines(self.inner.shifted(by), self.kept)


@dataclass(frozen=True, eq=False)
class Joined(Shared):
    """The map of a file read in parts (Dask's byte ranges of one big CSV): the parts are to the file what a
    log's files are to the log, so a record is placed as ``row_places`` places a row, in the part it falls in
    and on the line that part's map gives (each counting on from the line ends of the parts before it:
    ``shifted``); 0 in a part without a map."""

    ends: tuple[int, ...]  # each part's last record in the file, counted from 1 (``row_places``' span ends)
    maps: tuple[Any, ...]

    @classmethod
    def of(cls, parts: list[tuple[int, Any]]) -> Any:
        """One map for a file from (records, map) of its parts in file order: the part's own map when it is
        alone, None when no part has one (Parquet, a frame)."""
        if len(parts) == 1 or all(found is None for _, found in parts):
            return parts[0][1] if parts else None
        ends = np.cumsum([records for records, _ in parts], dtype=np.int64)
        return cls(tuple(int(end) for end in ends), tuple(found for _, found in parts))

    def lines(self, records: np.ndarray) -> np.ndarray:
        return row_places(np.asarray(records, dtype=np.int64) + 1, zip(self.ends, self.maps, strict=True))[1]

    def resolved(self) -> Joined:
        return Joined(self.ends, tuple(None if found is None else found.resolved() for found in self.maps))


def csv_lines(path: Path, skip: int, records: int, multiline: bool, encoding: str, delimiter: str) -> Lazy:
    """The map of a CSV file, made when first asked. ``skip``: the physical lines above the first
    record (title lines, the header); ``records``: how many the reader read; ``multiline``: values
    hold line breaks, so records are found by Python's csv module; ``encoding`` as the reader read it."""
    return Lazy(functools.partial(_scan_csv, path, skip, records, multiline, encoding, delimiter))


def _scan_csv(path: Path, skip: int, records: int, multiline: bool, encoding: str, delimiter: str) -> LineMap:
    if multiline or encoding.startswith("utf-16"):
        return LineMap.of(_csv_record_lines(path, skip, encoding, delimiter))
    if _line_count(path) - skip == records:  # no blank line among the rows: arithmetic
        return LineMap(skip + 1)
    return LineMap.of(_content_lines(path, skip))


def _line_count(path: Path) -> int:
    """The file's lines: its line ends, and one more for text after the last."""
    with path.open("rb") as handle:
        handle.seek(0, 2)
        if not handle.tell():
            return 0
        handle.seek(-1, 2)
        last = handle.read(1)[0]
    return count_line_ends(path) + (last not in (LF, CR))


def _content_lines(path: Path, skip: int) -> list[int]:
    """The 1-based lines after the first ``skip`` that hold any byte, line ends being CR LF, CR or LF
    as Arrow counts them; by blocks of numpy."""
    space = np.zeros(256, dtype=bool)
    space[[LF, CR]] = True
    found: list[np.ndarray] = []
    line = 1  # the line the next byte is on
    filled = False  # the current line has content so far
    after_cr = False  # the byte before was a CR (an LF now ends nothing)
    buffer = bytearray(_BLOCK)
    with path.open("rb") as handle:
        while length := handle.readinto(buffer):
            data = np.frombuffer(buffer, dtype=np.uint8, count=length)
            cr, lf = data == CR, data == LF
            before_cr = np.empty(length, dtype=bool)
            before_cr[0], before_cr[1:] = after_cr, cr[:-1]
            ends = np.flatnonzero(cr | (lf & ~before_cr))
            content = np.cumsum(~space[data], dtype=np.int64)
            # content bytes of each line ending in this block: up to its end, less up to the end before it
            upto = content[ends]
            before = np.concatenate(([0], upto[:-1]))
            has = upto - before > 0
            if ends.size:
                has[0] |= filled
            numbers = line + np.arange(ends.size, dtype=np.int64)
            found.append(numbers[has])
            line += ends.size
            tail = content[-1] - (upto[-1] if ends.size else 0)
            filled = bool(tail > 0) or (filled and not ends.size)
            after_cr = bool(cr[-1])
    if filled:
        found.append(np.array([line], dtype=np.int64))
    numbers = np.concatenate(found) if found else np.empty(0, np.int64)
    return numbers[numbers > skip].tolist()


def _csv_record_lines(path: Path, skip: int, encoding: str, delimiter: str) -> list[int]:
    """The line each record starts on, by Python's csv module (values over several lines), as the
    reader's own slow path reads the file."""
    from .csv_read import csv_records, csv_text  # csv_read.py imports this module

    return [line for line, _ in csv_records(csv_text(path, encoding), skip, delimiter)]


class LineEnds:
    """Line ends (CR LF, CR, LF: as Arrow counts them) in bytes given block by block.

    issue 5: counted by numpy over the block's bytes, 0.03-0.04 s for a 150 MB file where
    ``bytearray.count`` (CPython's search loop, not memchr) took 0.12-0.25 s here; the CRs
    are looked at only in a block that has one (``find``, which is memchr).
    """

    def __init__(self) -> None:
        self.count = 0
        self._after_cr = False

    def feed(self, block: bytes | bytearray, length: int | None = None) -> None:
        length = len(block) if length is None else length
        if not length:
            return
        data = np.frombuffer(block, dtype=np.uint8, count=length)
        lf = data == LF
        self.count += int(np.count_nonzero(lf))
        if block.find(b"\r", 0, length) >= 0:  # CR alone ends a line, CR LF once
            cr = data == CR
            self.count += int(np.count_nonzero(cr)) - int(np.count_nonzero(cr[:-1] & lf[1:]))
        if self._after_cr and data[0] == LF:  # a CR LF cut between blocks: its CR was counted alone
            self.count -= 1
        self._after_cr = bool(data[length - 1] == CR)


def count_line_ends(path: Path) -> int:
    """The line ends in a file."""
    ends = LineEnds()
    buffer = bytearray(_BLOCK)
    with path.open("rb") as handle:
        while length := handle.readinto(buffer):
            ends.feed(buffer, length)
    return ends.count


def row_places(rows: Any, spans: Iterable[tuple[int, Any]] | None) -> tuple[np.ndarray, np.ndarray]:
    """(file, line) of each row number, at once: the index of the span the row lies in (-1 past the last)
    and its line in that file, 0 where the file has no lines (Parquet, a frame) or is out of reach.
    ``spans``: (the last row number of a file, its map or None), in order. Each map is asked once, for
    its own rows (the reports' evidence rows: about 160,000 for a 1M-event log's findings)."""
    spans = list(spans or ())
    rows = np.asarray(rows, dtype=np.int64)
    lines = np.zeros(rows.size, dtype=np.int64)
    if not spans:
        return np.full(rows.size, -1, dtype=np.int64), lines
    ends = np.array([end for end, _ in spans], dtype=np.int64)
    place = np.searchsorted(ends, rows, side="left")
    place[place >= len(spans)] = -1
    for i, (_, found) in enumerate(spans):
        mine = np.flatnonzero(place == i)
        if found is None or not mine.size:
            continue
        start = int(ends[i - 1]) if i else 0
        try:
            lines[mine] = found.lines(rows[mine] - start - 1)
        except OSError:  # the file is gone or out of reach (a Dask client apart from its workers)
            continue
    return place, lines


def add_lines(rejected: list[dict[str, Any]], spans: Iterable[tuple[int, Any]] | None) -> list[dict[str, Any]]:
    """Each rejected row with its ``line`` (after ``row``): None where its file has no lines (Parquet, a JSON
    array, a frame). ``spans``: (the last row number of a file, its map or None), in order. A row that has a
    line keeps it."""
    if not rejected:
        return rejected
    found: list[int | None] = [item.get("line") for item in rejected]
    wanted = [j for j, line in enumerate(found) if line is None]
    if wanted and spans:
        _, lines = row_places([int(rejected[j]["row"]) for j in wanted], spans)
        for j, number in zip(wanted, lines.tolist(), strict=True):
            found[j] = int(number) if number else None
    return [{"row": item["row"], "line": line, **{k: v for k, v in item.items() if k not in ("row", "line")}}
            for item, line in zip(rejected, found, strict=True)]
