"""From raw table to EventFrame (docs/design.md): types, vocabulary, times; rejects with reasons.

Every check is a vectorised mask over the whole column. A reason is written
once per DISTINCT offending value and shared by all rows carrying it, so a
log where every row is wrong costs no more Python than one where a few are.
Invariant: rows_read == accepted + rejected, and a rejected row appears once,
its reasons joined by "; ".
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..timeutil import local_days
from ..vocabulary import (
    BOOL_ATTRIBUTES,
    CATEGORY_BY_PREFIX,
    ENUM_ATTRIBUTES,
    EVENTS,
    INT_ATTRIBUTES,
    REQUIRED_COLUMNS,
    TIME_ATTRIBUTES,
    allowed_values,
)
from .mapping import BOOL_WORDS_FALSE, BOOL_WORDS_TRUE, guess_event
from .read import READ_ERROR, InputError, RawTable, object_array, read_raw, text_array
from .times import NA_NS, parse_times

# Names the EventFrame itself uses; an input column of that name is kept as "<name>_input".
RESERVED = ("row", "time_ns", "day")
# Past this many distinct unknown event words (a wrong column mapped to event),
# stop looking for suggestions: difflib is slow and the advice would be noise.
MAX_SUGGESTIONS = 500
_SHOWN_CHARS = 60
_INTEGER = r"^[+-]?\d{1,18}$"
_BOOL_HELP = "true/false, 1/0, yes/no, 是/否, Y/N"

# (row indices, distinct reasons, code of each row's reason)
Problem = tuple[np.ndarray, list[str], np.ndarray]


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
        _flag_values(problems, frame[READ_ERROR].notna().to_numpy(), frame[READ_ERROR], lambda v: f"csv: {v}")
    case_id = text_array(frame["case_id"])
    _flag(problems, pc.is_null(case_id), "case_id: missing")
    event = _canonical(text_array(frame["event"]), EVENTS)
    _check_event(problems, event)
    time_ns, time_bad = parse_times(frame["time"])
    _flag(problems, (time_ns == NA_NS) & ~time_bad, "time: missing")
    _flag_values(problems, time_bad, frame["time"], lambda v: f"time: cannot read {_show(v)} as a time")

    columns: dict[str, Any] = {}
    for name in frame.columns:
        if name in REQUIRED_COLUMNS or name == READ_ERROR:
            continue
        out_name = f"{name}_input" if name in RESERVED else name
        columns[out_name] = _attribute(problems, name, frame[name], event)

    bad = np.zeros(n, dtype=bool)
    for idx, _, _ in problems:
        bad[idx] = True
    rejected = _rejections(raw, problems, bad)
    keep = None if not bad.any() else ~bad
    data: dict[str, Any] = {
        "row": _take(raw.row, keep),
        "case_id": pd.Series(object_array(_filter(case_id, keep)), dtype=object),
        "event": pd.Series(object_array(_filter(event, keep)), dtype=object),
        "time_ns": _take(time_ns, keep),
    }
    data["day"] = local_days(data["time_ns"])
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


# --- checks -------------------------------------------------------------------


def _show(value: Any) -> str:
    text = str(value)
    return repr(text if len(text) <= _SHOWN_CHARS else text[:_SHOWN_CHARS] + "…")


def _flag(problems: list[Problem], mask: Any, reason: str) -> None:
    mask = mask.to_numpy(zero_copy_only=False) if isinstance(mask, pa.Array) else mask
    idx = np.flatnonzero(mask)
    if idx.size:
        problems.append((idx, [reason], np.zeros(idx.size, dtype=np.int64)))


def _flag_values(
    problems: list[Problem], mask: np.ndarray, values: Any, describe: Callable[[str], str]
) -> None:
    """One reason per distinct offending value (as text), shared by its rows."""
    idx = np.flatnonzero(mask)
    if not idx.size:
        return
    if isinstance(values, pd.Series):
        words = text_array(values.iloc[idx])
    else:
        words = values.take(pa.array(idx))
    distinct = pc.unique(words)
    reasons = [describe(w) for w in distinct.to_pylist()]
    codes = pc.index_in(words, value_set=distinct).to_numpy(zero_copy_only=False)
    problems.append((idx, reasons, codes))


def _canonical(text: pa.Array, allowed: Any) -> pa.Array:
    """'Share.Requested', 'PASS' -> their lower-case vocabulary form; others unchanged."""
    lower = pc.utf8_lower(text)
    return pc.if_else(pc.fill_null(pc.is_in(lower, value_set=_words(allowed)), False), lower, text)


def _words(values: Any) -> pa.Array:
    # one string type throughout: Arrow kernels do not mix string and large_string
    return pa.array(sorted(values), pa.large_string())


def _check_event(problems: list[Problem], event: pa.Array) -> None:
    _flag(problems, pc.is_null(event), "event: missing")
    known = pc.is_in(event, value_set=_words(EVENTS))
    unknown = pc.and_(pc.is_valid(event), pc.invert(known)).to_numpy(zero_copy_only=False)
    budget = [MAX_SUGGESTIONS]

    def describe(word: str) -> str:
        budget[0] -= 1
        return f"event: unknown event {_show(word)}" + (_suggest(word) if budget[0] >= 0 else "")

    _flag_values(problems, unknown, event, describe)


def _suggest(word: str) -> str:
    guesses = guess_event(word)
    if len(guesses) == 1:
        return f" (it looks like {guesses[0]!r}: map it under values: event: in the mapping file)"
    if guesses:
        return f" (it could be {' or '.join(map(repr, guesses))}: map it in the mapping file)"
    close = difflib.get_close_matches(word.lower(), EVENTS, n=1, cutoff=0.75)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _attribute(problems: list[Problem], name: str, values: pd.Series, event: pa.Array) -> Any:
    """One optional column, checked and typed; returns what _finish turns into the output."""
    if name in TIME_ATTRIBUTES:
        ns, bad = parse_times(values)
        _flag_values(problems, bad, values, lambda v: f"{name}: cannot read {_show(v)} as a time")
        return ("Int64", ns, ns == NA_NS)
    text = text_array(values)
    if name in BOOL_ATTRIBUTES:
        lower = pc.utf8_lower(text)
        is_true = pc.is_in(lower, value_set=_words(BOOL_WORDS_TRUE))
        is_false = pc.is_in(lower, value_set=_words(BOOL_WORDS_FALSE))
        present = pc.is_valid(text).to_numpy(zero_copy_only=False)
        truth = is_true.to_numpy(zero_copy_only=False)
        ok = truth | is_false.to_numpy(zero_copy_only=False)
        _flag_values(problems, present & ~ok, text,
                     lambda v: f"{name}: {_show(v)} is not a yes/no value ({_BOOL_HELP})")
        return ("boolean", truth, ~ok)
    if name in INT_ATTRIBUTES:
        ok = pc.fill_null(pc.match_substring_regex(text, _INTEGER), False).to_numpy(zero_copy_only=False)
        present = pc.is_valid(text).to_numpy(zero_copy_only=False)
        _flag_values(problems, present & ~ok, text, lambda v: f"{name}: {_show(v)} is not an integer")
        # Arrow's cast does not take a leading "+": drop it first ("+3" is 3)
        digits = pc.replace_substring_regex(text, r"^\+", "")
        numbers = pc.cast(pc.if_else(pa.array(ok), digits, "0"), pa.int64()).to_numpy(zero_copy_only=False)
        return ("Int64", numbers, ~ok)
    if name == "category":
        text = _canonical(text, allowed_values("category") or ())
        for prefix, allowed in CATEGORY_BY_PREFIX.items():
            on = pc.fill_null(pc.starts_with(event, prefix), False)
            outside = pc.invert(pc.is_in(text, value_set=_words(allowed)))
            wrong = pc.and_(pc.and_(on, pc.is_valid(text)), outside)
            _flag_values(
                problems, pc.fill_null(wrong, False).to_numpy(zero_copy_only=False), text,
                lambda v, p=prefix, a=allowed: f"category: {_show(v)} is not allowed on {p}* events "
                f"(allowed: {', '.join(a)})",
            )
    elif name in ENUM_ATTRIBUTES:
        allowed = ENUM_ATTRIBUTES[name]
        text = _canonical(text, allowed)
        wrong = pc.and_(pc.is_valid(text), pc.invert(pc.is_in(text, value_set=_words(allowed))))
        _flag_values(problems, wrong.to_numpy(zero_copy_only=False), text,
                     lambda v: f"{name}: {_show(v)} is not allowed (allowed: {', '.join(allowed)})")
    return ("text", text, None)


# --- output -------------------------------------------------------------------


def _take(values: np.ndarray, keep: np.ndarray | None) -> np.ndarray:
    return values if keep is None else values[keep]


def _filter(arr: pa.Array, keep: np.ndarray | None) -> pa.Array:
    return arr if keep is None else arr.filter(pa.array(keep))


def _finish(column: tuple[str, Any, Any], keep: np.ndarray | None) -> Any:
    kind, values, mask = column
    if kind == "text":
        return pd.Series(object_array(_filter(values, keep)), dtype=object)
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
