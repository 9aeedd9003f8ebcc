"""From raw table to EventFrame (docs/design.md): types, vocabulary, times; rejects with reasons.

Every check is a vectorised mask over the whole column. A reason is written
once per DISTINCT offending value and shared by all rows carrying it, so a
log where every row is wrong costs no more Python than one where a few are.
Invariant: rows_read == accepted + rejected, and a rejected row appears once,
its reasons joined by "; ".

The text columns stay in Arrow until the end: each column is taken as codes
into its distinct values (``text.encode``, checks in ``checks``), and its
object column is built once, from one Python str per distinct value; only
``case_id``, mostly distinct, becomes one str per cell. Times are read by
``times.parse_times`` (the common fixed-width form straight from the bytes).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..timeutil import local_days
from ..vocabulary import REQUIRED_COLUMNS
from .checks import (  # noqa: F401  (_show, _suggest, _BOOL_HELP, _INTEGER: the monitor reads them here)
    _BOOL_HELP,
    _INTEGER,
    MAX_SUGGESTIONS,
    Column,
    Problem,
    _show,
    _suggest,
    check_attribute,
    check_event,
    flag,
    flag_values,
)
from .read import READ_ERROR, InputError, RawTable, read_raw
from .text import Coded, text_chunks
from .times import NA_NS, parse_times

# Names the EventFrame itself uses; an input column of that name is kept as "<name>_input".
RESERVED = ("row", "time_ns", "day")


def load_events(
    source: Any, mapping: Any = None, sheet: str | int | None = None
) -> tuple[pd.DataFrame, list[dict[str, Any]], int]:
    """Read, map and validate a log: (EventFrame, rejected rows, rows read)."""
    raw = read_raw(source, mapping=mapping, sheet=sheet)
    events, rejected = validate(raw)
    return events, rejected, raw.rows_read


def validate(raw: RawTable) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    """The EventFrame of the rows that can be read, and the rejected rows with reasons."""
    if isinstance(raw, pd.DataFrame):  # a frame already mapped: number its rows
        raw = read_raw(raw)
    frame = raw.frame
    n = raw.rows_read
    missing = [c for c in REQUIRED_COLUMNS if c not in frame.columns]
    if missing:
        if n == 0 and len(frame.columns) == 0:
            return empty_event_frame(), []
        raise InputError(_missing_message(raw, missing))

    problems: list[Problem] = []
    if READ_ERROR in frame.columns:
        flag_values(problems, frame[READ_ERROR].notna().to_numpy(), frame[READ_ERROR], lambda v: f"csv: {v}")
    case_id = text_chunks(frame["case_id"])
    flag(problems, pc.is_null(case_id), "case_id: missing")
    event = check_event(problems, frame["event"])
    time_ns, time_bad = parse_times(frame["time"])
    flag(problems, (time_ns == NA_NS) & ~time_bad, "time: missing")
    flag_values(problems, time_bad, frame["time"], lambda v: f"time: cannot read {_show(v)} as a time")

    columns: dict[str, Column] = {}
    for name in frame.columns:
        if name in REQUIRED_COLUMNS or name == READ_ERROR:
            continue
        out_name = f"{name}_input" if name in RESERVED else name
        columns[out_name] = check_attribute(problems, name, frame[name], event)

    bad = np.zeros(n, dtype=bool)
    for idx, _, _ in problems:
        bad[idx] = True
    rejected = _rejections(raw, problems, bad)
    keep = None if not bad.any() else ~bad
    time_ns = _take(time_ns, keep)
    data: dict[str, Any] = {
        "row": _take(raw.row, keep),
        "case_id": _object_column(_filter(case_id, keep)),
        "event": _coded_column(*event, keep),
        "time_ns": time_ns,
        "day": local_days(time_ns),
    }
    for name, column in columns.items():
        data[name] = _finish(column, keep)
    return pd.DataFrame(data, copy=False), rejected


def empty_event_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "row": np.empty(0, np.int64),
            "case_id": pd.Series([], dtype=object),
            "event": pd.Series([], dtype=object),
            "time_ns": np.empty(0, np.int64),
            "day": np.empty(0, np.int64),
        }
    )


def _missing_message(raw: RawTable, missing: list[str]) -> str:
    sources = list(dict.fromkeys(raw.source.tolist()))
    where = f"{', '.join(sources[:3])}{' …' if len(sources) > 3 else ''}: " if sources else ""
    found = ", ".join(str(c) for c in raw.frame.columns if c != READ_ERROR) or "(none)"
    plural = "s" if len(missing) > 1 else ""
    return (
        f"{where}missing required column{plural} {', '.join(missing)}; columns found: {found} "
        "(a mapping file can rename them: govdata-policy mapping init LOG)"
    )


# --- output -------------------------------------------------------------------


def _take(values: np.ndarray, keep: np.ndarray | None) -> np.ndarray:
    return values if keep is None else values[keep]


def _filter(arr: pa.ChunkedArray, keep: np.ndarray | None) -> pa.ChunkedArray:
    return arr if keep is None else arr.filter(pa.array(keep))


def _object_column(arr: pa.ChunkedArray) -> pd.Series:
    """Text as Python str objects, one per cell: for an id column, cheaper than going
    through its distinct values (most are distinct), and the engine hashes them either way."""
    return pd.Series(arr.to_numpy(zero_copy_only=False), dtype=object, copy=False)


def _coded_column(coded: Coded, words: Any, keep: np.ndarray | None) -> pd.Series:
    """A column from its words: one Python str per distinct value, shared by its cells."""
    return pd.Series(np.asarray(words, dtype=object)[_take(coded.codes, keep)], dtype=object, copy=False)


def _finish(column: Column, keep: np.ndarray | None) -> Any:
    kind, values, mask = column
    if kind == "text":
        return _coded_column(values, mask, keep)
    values, mask = _take(values, keep), _take(mask, keep)
    if kind == "boolean":
        return pd.arrays.BooleanArray(values.astype(bool), mask.astype(bool))
    return pd.arrays.IntegerArray(np.where(mask, 0, values).astype(np.int64), mask.astype(bool))


def _rejections(raw: RawTable, problems: list[Problem], bad: np.ndarray) -> list[dict[str, Any]]:
    rows = np.flatnonzero(bad)
    if not rows.size:
        return []
    parts = []
    for idx, reasons, codes in problems:
        # each check's reason placed on the rejected rows it concerns, null elsewhere
        at = np.full(rows.size, -1, dtype=np.int64)
        at[np.searchsorted(rows, idx)] = codes
        parts.append(pa.array(reasons, pa.string()).take(pa.array(at, mask=at < 0)))
    joined = pc.binary_join_element_wise(*parts, "; ", null_handling="skip").to_pylist()
    numbers = raw.row[rows].tolist()
    sources = raw.source[rows].tolist()
    return [
        {"row": r, "source": s, "reason": m} for r, s, m in zip(numbers, sources, joined, strict=True)
    ]
