"""The partitions of a log for the Dask path (``distributed``): how to read each one (a Parquet
row-group range, a byte range of a big CSV cut at the end of a row, a whole small file, a piece
of a frame), and reading it with the library's own readers, so each row is read exactly as
``profile.evaluate`` reads it."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from .csv_head import header_record, read_head
from .csv_read import read_csv_file
from .csv_split import row_bounds
from .lines import Joined, LineEnds
from .read import (
    LINES,
    OTHER_SHEETS,
    InputError,
    _clean_columns,
    contract_frame,
    expand_paths,
    read_file,
    take_lines,
)
from .typed import arrow_frame, records_frame

CSV_BLOCKSIZE = 128 * 2**20  # bytes of CSV per partition (about 600k events of a typical export)
PARQUET_ROWS = 1 << 20  # rows per partition, in whole row groups
DATAFRAME_SOURCE = "<dataframe>"  # as io.read names a frame's rows


@dataclass(frozen=True)
class Part:
    """How to read one input partition: ``kind`` and its arguments; ``source`` as io names it."""

    kind: str  # "file" | "parquet" | "csv" | "frame"
    source: str
    path: str = ""
    start: int = 0
    stop: int = 0
    header: bytes = b""
    row_groups: tuple[int, ...] = ()
    last: bool = True  # a CSV range: the file's last one (where a quote never closed would show)
    sheet: str | None = None  # a workbook's sheet, all its sheets asked for (``sheet="*"``: ``all_sheet_parts``)
    # and on its first sheet read, the workbook and its sheets passed over (``FileColumns.passed_over``)
    passed_over: tuple[str, tuple[str, ...]] | None = None

    @property
    def continues(self) -> bool:
        """Whether the part goes on with the file of the part before it: a CSV range after the file's first, a
        Parquet file's row groups after its first, a piece of a frame (one log). Not told by the path: a file
        given twice is two files of the log, as one process reads it."""
        if self.kind == "csv":
            return self.start > len(self.header)
        if self.kind == "parquet":
            return bool(self.row_groups) and self.row_groups[0] > 0
        return self.kind == "frame"


def log_files(parts: Sequence[Part], spans: Sequence[tuple[int, Any]]) -> tuple[tuple[int, str, Any], ...]:
    """``Result.files`` as one process reads the log, from each part's span of rows and map of lines: the
    parts of one file (a CSV's byte ranges, a Parquet file's row groups, a frame's pieces) one file again,
    its map theirs one after the other (``lines.Joined``). The reports' evidence locations and explain's
    lines come from them; a CSV read whole travels as its lazy map, scanned on the client when first asked
    (a file out of the client's reach gives no line: ``io.lines.row_places``)."""
    grouped: list[tuple[str, int, list[tuple[int, Any]]]] = []  # a file: its name, last row, parts' maps
    start = 0
    for part, (end, lines) in zip(parts, spans, strict=True):
        if not (grouped and part.continues):
            grouped.append((part.source, end, []))
        name, _, pieces = grouped[-1]
        pieces.append((end - start, lines))
        grouped[-1] = (name, end, pieces)
        start = end
    return tuple((end, name, Joined.of(pieces)) for name, end, pieces in grouped)


def read_part(part: Part, frame: pd.DataFrame | None, mapping: Any,
              sheet: Any) -> tuple[pd.DataFrame, Any, int, tuple[str | None, tuple[str, ...]]]:
    """One partition's raw table, read by the library's own reader; with where its rows lie in its
    file (``io.lines``; a CSV range's as in the range), the line ends the range spans (else 0), and
    for a workbook read on its first sheet that sheet and its other sheets holding a log too, not
    read (``io.other_sheets``: a note, as ``io.read_raw`` says them)."""
    from .other_sheets import other_logs
    from .repeated_header import HEADER_ROWS

    if part.kind == "frame":
        raw = _clean_columns(frame if frame is not None else pd.DataFrame())
    elif part.kind == "parquet":
        import pyarrow.parquet as pq

        try:
            # typed as io.read_parquet types the whole file (arrow_frame): whole numbers with a gap stay whole
            # (to_pandas made them float64, an 18-digit id rounded), text kept as bytes is text
            raw = _clean_columns(arrow_frame(pq.ParquetFile(part.path).read_row_groups(list(part.row_groups))))
        except Exception as exc:  # as io.read_file words it
            raise _unreadable(part.source, exc) from exc
    spanned = 0
    if part.kind == "csv":
        raw, spanned = _read_csv_range(part)
    elif part.kind == "file":
        raw = read_file(Path(part.path), part.sheet if part.sheet is not None else sheet)
    lines = take_lines(raw)
    sheet_read, headers = raw.attrs.pop(OTHER_SHEETS, (None, {}))
    try:
        out, repeats = contract_frame(raw, part.source, mapping)  # as io.read_raw reads each file
        sheets = (sheet_read, other_logs(part.source, headers, mapping) if headers else ())
        out.attrs[HEADER_ROWS] = tuple(repeats.tolist())  # validate refuses them as such
        return out, lines, spanned, sheets
    except InputError as exc:
        named = _in_part(exc, part)
        if named is exc:
            # raised as it is: ``raise exc from exc`` made the error its own cause, and a worker process
            # (distributed's error_message walks __cause__ to its end) then looped on it for ever, the check hung
            raise
        raise named from exc


def _in_part(exc: InputError, part: Part) -> InputError:
    """An error naming a row of a CSV part after the first: its rows count from the part's start,
    which the message says (the part does not know how many rows the parts before it hold)."""
    if part.kind != "csv" or part.start <= len(part.header):
        return exc
    where = f"{part.source} (the part from byte {part.start:,}; rows counted from there)"
    where_zh = f"{part.source}（从第 {part.start:,} 字节起的部分；行号从那里数起）"
    return InputError(str(exc).replace(f"{part.source}:", f"{where}:", 1),
                      zh=exc.zh.replace(f"{part.source}：", f"{where_zh}：", 1) if exc.zh else None)


def _unreadable(source: str | Path, exc: Exception) -> InputError:
    detail = " ".join(str(exc).split())[:300]
    return InputError(f"{source}: cannot read: {detail}", zh=f"{source}：无法读取：{detail}")


def _read_csv_range(part: Part) -> tuple[pd.DataFrame, int]:
    """A byte range of a big CSV: the header and those lines, read as the file itself would be;
    and the line ends of the range (the parts after it count their lines on from them).

    The range goes to a temporary file next to the worker's other temporary data, so the
    library's CSV reader (encodings, delimiters, ragged rows) reads it unchanged. Where its
    rows lie is found before that file goes (``io.lines``; the lines of the temporary file,
    whose header is the file's own, are the file's for the first range).
    """
    folder = tempfile.mkdtemp(prefix="govdata-part-")
    try:
        local = Path(folder) / Path(part.path).name
        spanned = LineEnds()  # the range's line ends, counted as it is copied
        with open(part.path, "rb") as source, open(local, "wb") as target:
            target.write(part.header)
            source.seek(part.start)
            remaining = part.stop - part.start
            while remaining > 0:
                chunk = source.read(min(remaining, 1 << 24))
                if not chunk:
                    break
                target.write(chunk)
                spanned.feed(chunk)
                remaining -= len(chunk)
        try:
            # a range ends where row_bounds found the quotes closed: only the last can hold an open one
            raw = read_csv_file(local, last_row_may_swallow=part.last)
        except InputError as exc:
            named = InputError(str(exc).replace(str(local), part.source),
                               zh=exc.zh.replace(str(local), part.source) if exc.zh else None)
            raise _in_part(named, part) from exc
        lines = take_lines(raw)
        if lines is not None:
            raw.attrs[LINES] = lines.resolved()
        return raw, spanned.count
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _csv_parts(path: Path, blocksize: int) -> list[Part]:
    size = path.stat().st_size
    if size <= blocksize:
        return [Part("file", str(path), str(path))]
    _, encoding, text = read_head(path)
    if encoding.startswith("utf-16"):  # two bytes a character (a mark or not): a line break is not one byte to cut at
        return [Part("file", str(path), str(path))]
    header_line, delimiter, _, spans = header_record(text)
    with path.open("rb") as handle:
        # the header (every line of it), with a title above it if there is one: each part is read as the file
        header = b"".join(handle.readline() for _ in range(header_line + spans))
        start = handle.tell()
    if b"\r" in header.replace(b"\r\n", b"\n").rstrip(b"\r"):  # lines ended by CR alone (old Mac exports):
        # readline, which ends lines at LF, took the whole file (or a row with the title) for the header
        return [Part("file", str(path), str(path))]
    bounds = row_bounds(path, start, blocksize, delimiter)  # at the ends of rows, not inside a quoted value
    if bounds is None or start >= size:
        return [Part("file", str(path), str(path))]
    parts = [Part("csv", str(path), str(path), a, b, header, last=b == bounds[-1])
             for a, b in zip(bounds, bounds[1:], strict=False) if b > a]
    return parts or [Part("file", str(path), str(path))]  # a file with rows is never no part


def _parquet_parts(path: Path, rows: int) -> list[Part]:
    import pyarrow.parquet as pq

    try:
        meta = pq.ParquetFile(path).metadata
    except Exception as exc:  # as io.read_file words it: the file named
        raise _unreadable(path, exc) from exc
    parts: list[Part] = []
    groups: list[int] = []
    count = 0
    for i in range(meta.num_row_groups):
        groups.append(i)
        count += meta.row_group(i).num_rows
        if count >= rows:
            parts.append(Part("parquet", str(path), str(path), row_groups=tuple(groups)))
            groups, count = [], 0
    if groups or not parts:
        parts.append(Part("parquet", str(path), str(path), row_groups=tuple(groups)))
    return parts


def _files(source: Any) -> list[Path]:
    if isinstance(source, str | Path):
        return expand_paths(source)
    return [path for item in source for path in expand_paths(item)]


def is_dask_collection(obj: Any) -> bool:
    """A dask DataFrame (or other collection)? Never imports dask: a process that made one has."""
    dask = sys.modules.get("dask")
    return dask is not None and bool(dask.is_dask_collection(obj))


def _frame_parts(frame: pd.DataFrame, source: str, npartitions: int | None) -> list[tuple[Part, Any]]:
    """An in-memory log cut into row ranges, one a partition (a core each unless told)."""
    count = max(1, min(npartitions or os.cpu_count() or 1, max(len(frame), 1)))
    bounds = np.linspace(0, len(frame), count + 1).astype(int)
    return [(Part("frame", source), frame.iloc[a:b]) for a, b in zip(bounds[:-1], bounds[1:], strict=True)]


def input_parts(events: Any, blocksize: int = CSV_BLOCKSIZE, parquet_rows: int = PARQUET_ROWS,
                npartitions: int | None = None) -> list[tuple[Part, Any]]:
    """The partitions of a log: (how to read it, a dask/pandas frame or None)."""
    if is_dask_collection(events):
        return [(Part("frame", DATAFRAME_SOURCE), piece) for piece in events.to_delayed()]
    if isinstance(events, pa.Table | pa.RecordBatch):  # as one process reads it (io.read): typed as Parquet's
        return _frame_parts(arrow_frame(events), "<arrow>", npartitions)
    if isinstance(events, Iterator):  # a generator is read once: keep what it gives (paths or records)
        events = list(events)
    if isinstance(events, pd.DataFrame) or (
        isinstance(events, Iterable) and not isinstance(events, str | Path | Mapping)
        and not _all_paths(events)
    ):
        frame = events if isinstance(events, pd.DataFrame) else records_frame(list(events))
        return _frame_parts(frame, DATAFRAME_SOURCE if isinstance(events, pd.DataFrame) else "<records>", npartitions)
    parts: list[tuple[Part, Any]] = []
    for path in _files(events):
        suffix = path.suffix.lower()
        if suffix == ".parquet":
            parts.extend((p, None) for p in _parquet_parts(path, parquet_rows))
        elif suffix in (".csv", ".txt"):
            parts.extend((p, None) for p in _csv_parts(path, blocksize))
        else:  # JSON Lines, Excel...: one partition per file (read_file names a wrong suffix)
            parts.append((Part("file", str(path), str(path)), None))
    return parts


def all_sheet_parts(parts: list[tuple[Part, Any]], mapping: Any) -> list[tuple[Part, Any]]:
    """``sheet="*"``: each workbook's part made one part per sheet holding the log, as ``io.read_raw``
    reads them (``io.all_sheets``: chosen by their header rows, read on the client; each sheet read on a
    worker, named ``2024.xlsx[6月]``); the other parts as they are."""
    from .all_sheets import sheet_plan
    from .read import SPREADSHEET_SUFFIXES

    out: list[tuple[Part, Any]] = []
    for part, frame in parts:
        if part.kind != "file" or Path(part.path).suffix.lower() not in SPREADSHEET_SUFFIXES:
            out.append((part, frame))
            continue
        out.extend((Part("file", source, part.path, sheet=name, passed_over=passed_over), None)
                   for name, source, passed_over in sheet_plan(Path(part.path), part.source, mapping))
    return out


def _all_paths(items: Any) -> bool:
    items = list(items) if not isinstance(items, list | tuple) else items  # a set, a dict's keys...
    return bool(items) and all(isinstance(item, str | Path) for item in items)
