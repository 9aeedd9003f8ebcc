"""From raw table to EventFrame (docs/design.md): types, vocabulary, times; rejects with reasons.

Every check is a vectorised mask over the whole column. A reason is written
once per DISTINCT offending value and shared by all rows carrying it, so a
log where every row is wrong costs no more Python than one where a few are.
Invariant: rows_read == accepted + rejected, and a rejected row appears once,
its reasons joined by "; ".

The text columns stay in Arrow until the end: each column is taken as codes
into its distinct values (``coded.encode``, checks in ``checks``). A text
attribute becomes a pandas Categorical over those codes; ``event`` an object
column built from one Python str per distinct value, and ``case_id`` pandas'
Arrow-backed string column (no Python str per cell). Parquet text comes
dictionary-encoded (``read``) and its codes are taken as they are (``case_id``
is spelled out from its dictionary). Times are read by
``times.parse_times`` (the common fixed-width form straight from the bytes).
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..memory import give_back_memory
from ..timeutil import local_days
from ..vocabulary import REQUIRED_COLUMNS, RESERVED
from .apostrophe import unquote_ids
from .cell_errors import error_rows, excel_error
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
    flag_inexact,
    flag_values,
    infinite_id,
    unreadable_time,
)
from .coded import Coded
from .columns import MAPPING_HINT, missing_columns, reason_order, require_columns
from .draft import blank_id_totals, is_totals_word
from .in_order import InOrder
from .joined_time import said_in_full
from .other_sheets import sheet_notes
from .read import READ_ERROR, InputError, RawTable, read_raw
from .repeated_header import HEADER_ROWS, header_reason
from .text import fold_width, text_chunks
from .times import NA_NS, parse_times

# Names the EventFrame itself uses; an input column of that name is kept as "<name>_input".
# From this many rows on, columns may be checked in CHECK_THREADS parallel threads.
_PARALLEL_ROWS = 1 << 16
_ARROW_SORT_WORDS = 1000  # from this many distinct words on, Arrow sorts them (_sorted_words)
CHECK_THREADS = 1  # threads checking columns side by side in a big log (see _workers)
T = TypeVar("T")
# marks the EventFrame this module made (``attrs``, which pandas carries through slices): the
# engine takes such a frame as validated; a caller's own frame with columns of the same names
# (row, time_ns, day) is an export like any other and is validated
VALIDATED = "govdata_policy.validated"
FILES = "govdata_policy.files"  # attrs: each file of the log, its last row and the map of its lines (file_bounds)
READ_NOTES = "govdata_policy.read_notes"  # attrs: the notes of reading the log (a workbook's other sheets)


def load_events(
    source: Any, mapping: Any = None, sheet: str | int | None = None
) -> tuple[pd.DataFrame, list[dict[str, Any]], int]:
    """Read, map and validate a log: (EventFrame, rejected rows, rows read)."""
    raw = read_raw(source, mapping=mapping, sheet=sheet)
    events, rejected = validate(raw, consume=True)
    give_back_memory()  # the raw text, freed in validation: gone before the rules run
    return events, rejected, raw.rows_read


def validate(raw: RawTable, *, consume: bool = False) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    """The EventFrame of the rows that can be read, and the rejected rows with reasons.

    ``consume``: the raw columns are let go of (``raw.frame`` emptied) once checked, so the
    raw text and the EventFrame made from it are not in memory together (issue 5).
    """
    if isinstance(raw, pd.DataFrame):  # a frame already mapped: number its rows
        raw = read_raw(raw)
    frame = raw.frame
    n = raw.rows_read
    require_columns(raw.files)  # each file: one without the log's columns is named, not lost in the union
    missing = [c for c in REQUIRED_COLUMNS if c not in frame.columns]
    if missing:
        if n == 0 and len(frame.columns) == 0:
            return empty_event_frame(), []
        raise InputError(*_missing_message(raw, missing))

    problems: list[Problem] = []
    if READ_ERROR in frame.columns:
        flag_values(problems, frame[READ_ERROR].notna().to_numpy(), frame[READ_ERROR], str)  # says its reader
    case_id, event, time_ns, columns = _check_columns(frame, n, problems, raw.mapping)
    if READ_ERROR in frame.columns:
        problems = said_in_full(frame[READ_ERROR], _unread_lines_alone(frame[READ_ERROR], problems))
    # a totals row with 合计 under 序号 and no case id: said so when it is refused
    totals = blank_id_totals(frame, np.flatnonzero(pc.is_null(case_id).to_numpy(zero_copy_only=False)),
                             [name for name in frame.columns if name not in REQUIRED_COLUMNS and name != READ_ERROR])
    # a header row repeated among the rows (files joined): refused with one reason saying so
    repeats = np.asarray(frame.attrs.get(HEADER_ROWS, ()), dtype=np.int64)
    if repeats.size:
        flag(problems, np.isin(np.arange(n), repeats), "")  # its reason is header_reason's (_rejections)
    if consume:
        raw.frame = frame = pd.DataFrame(columns=frame.columns)  # a slice would keep the buffers
        give_back_memory()

    bad = np.zeros(n, dtype=bool)
    for idx, _, _ in problems:
        bad[idx] = True
    rejected = _rejections(raw, problems, bad, case_id, totals, set(repeats.tolist()))
    keep = None if not bad.any() else ~bad
    time_ns = _take(time_ns, keep)
    event_codes, event_names = event
    data: dict[str, Any] = {
        "row": _take(raw.row, keep),
        "case_id": _arrow_text_column(case_id, keep),
        # one Python str per distinct event name, shared by its rows
        "event": pd.Series(np.asarray(event_names, dtype=object)[_take(event_codes.codes, keep)], dtype=object,
                           copy=False),
        "time_ns": time_ns,
        "day": local_days(time_ns),
    }
    for name in list(columns):  # each column's codes let go of once its own is made
        kind, values, extra = columns.pop(name)
        data[name] = _categorical(values, extra, keep) if kind == "text" else _finish((kind, values, extra), keep)
    events = pd.DataFrame(data, copy=False)
    events.attrs[VALIDATED] = True
    if raw.files:  # which file each row number came from, for rows rejected later (calendar range)
        events.attrs[FILES] = file_bounds(raw.files)
    notes = sheet_notes(raw.files)
    if notes:  # the check's result carries them (engine.evaluate)
        events.attrs[READ_NOTES] = notes
    return events, rejected


def file_bounds(files: list[Any]) -> tuple[tuple[int, str, Any], ...]:
    """(last row number, file, where its rows lie: ``FileColumns.lines``) of each file of a log,
    rows numbered on across the files."""
    bounds, last = [], 0
    for file in files:
        last += file.rows
        bounds.append((last, file.source, file.lines))
    return tuple(bounds)


def line_spans(frame: pd.DataFrame) -> tuple[tuple[int, Any], ...]:
    """(last row number, map of its lines) of each file of a validated log, for ``io.lines.add_lines``."""
    return spans_of(frame.attrs.get(FILES, ()))


def spans_of(bounds: tuple[tuple[int, str, Any], ...]) -> tuple[tuple[int, Any], ...]:
    """``line_spans`` of a log's ``file_bounds`` (kept apart from the frame: ``Result.files``)."""
    return tuple((end, lines) for end, _, lines in bounds)


def sources_of(frame: pd.DataFrame, rows: Any) -> list[str]:
    """The file each row number came from ("" when the frame does not say)."""
    return sources_in(frame.attrs.get(FILES, ()), rows)


def sources_in(bounds: tuple[tuple[int, str, Any], ...], rows: Any) -> list[str]:
    """The file each row number came from, by a log's ``file_bounds`` ("" without them)."""
    if not bounds:
        return [""] * len(rows)
    ends = np.array([end for end, _, _ in bounds])
    names = [name for _, name, _ in bounds]
    return [names[min(int(i), len(names) - 1)] for i in np.searchsorted(ends, np.asarray(rows), side="left")]


def _check_columns(
    frame: pd.DataFrame, n: int, problems: list[Problem], mapping: str | None = None
) -> tuple[pa.ChunkedArray, tuple[Coded, list[str | None]], np.ndarray, dict[str, Column]]:
    """Every column checked, its problems added in the contract's order (case_id, event, time, then
    ``columns.reason_order``, not the log's column order): (case_id, event, time_ns, the others).

    issue 5: the columns can be checked side by side in ``_workers(n)`` threads (one
    unless ``CHECK_THREADS`` asks for more, see ``_workers``): most of a check is Arrow's
    hashing and numpy's passes over bytes, which let go of the GIL. Each check keeps its
    own problems, joined in column order after, so the reasons do not depend on the threads.
    """
    values = {name: frame[name] for name in frame.columns}  # pandas' lookups stay in this thread
    attributes = [name for name in frame.columns if name not in REQUIRED_COLUMNS and name != READ_ERROR]
    workers = _workers(n)
    with ThreadPoolExecutor(workers) if workers > 1 else InOrder() as pool:
        # submitted first, so started first: the category check waits for it in its own thread
        event_check = pool.submit(_checked, check_event, values["event"], mapping)
        id_check = pool.submit(_checked, _check_ids, values["case_id"])
        time_check = pool.submit(_checked, _check_time, values["time"])
        attribute_checks = {
            name: pool.submit(_checked, _check_attribute, name, values[name], event_check) for name in attributes
        }
    ordered = sorted(attribute_checks, key=reason_order)  # not the log's column order: a stream has none
    for check in (id_check, event_check, time_check, *(attribute_checks[name] for name in ordered)):
        problems.extend(check.result()[1])
    columns = {
        (f"{name}_input" if name in RESERVED else name): check.result()[0] for name, check in attribute_checks.items()
    }
    return id_check.result()[0], event_check.result()[0], time_check.result()[0][0], columns


def _workers(rows: int) -> int:
    # A small log is not worth a thread. A big one was, on an idle machine, but on the
    # benchmark's VM the threads' first touches of new memory contend in the kernel: 1M-row
    # CSV validate took 0.86 s (median; 0.6-0.8 s of it system time) with a thread per core
    # against 0.49 s with one. So one thread (this one: InOrder), unless CHECK_THREADS says otherwise.
    return CHECK_THREADS if rows >= _PARALLEL_ROWS else 1


def _checked(check: Callable[..., T], *args: Any) -> tuple[T, list[Problem]]:
    """A check run with problems of its own: (what it returns, its problems)."""
    problems: list[Problem] = []
    return check(problems, *args), problems


def _check_ids(problems: list[Problem], values: Any) -> pa.ChunkedArray:
    """``case_id`` checked: its text, trimmed, full-width forms folded (``Ｗ３`` is ``W3``), in
    Arrow (most ids are distinct: no codes)."""
    case_id = unquote_ids(fold_width(text_chunks(values)))  # '00123 (io.apostrophe) is the case 00123
    flag(problems, pc.is_null(case_id), "case_id: missing")
    errors = error_rows(case_id)  # #N/A: a lookup that failed, no case (io.cell_errors)
    if errors is not None:
        mask = np.zeros(len(case_id), dtype=bool)
        mask[errors] = True
        flag_values(problems, mask, case_id, lambda v: excel_error("case_id", v))
    numbers = flag_inexact(problems, values, case_id)  # an id's digits beyond a float's are gone: not one case
    if numbers is not None:
        flag_values(problems, np.isinf(numbers), case_id, infinite_id)
    return case_id


def _check_time(problems: list[Problem], values: Any) -> tuple[np.ndarray, np.ndarray]:
    time_ns, time_bad = parse_times(values)
    flag(problems, (time_ns == NA_NS) & ~time_bad, "time: missing")
    flag_values(problems, time_bad, values, lambda v: unreadable_time("time", v))
    return time_ns, time_bad


def _check_attribute(
    problems: list[Problem], name: str, values: Any, event_check: Future[tuple[Any, list[Problem]]]
) -> Column:
    return check_attribute(problems, name, values, event_check.result()[0])


def empty_event_frame() -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "row": np.empty(0, np.int64),
            "case_id": pd.Series([], dtype=pd.StringDtype("pyarrow")),
            "event": pd.Series([], dtype=object),
            "time_ns": np.empty(0, np.int64),
            "day": np.empty(0, np.int64),
        }
    )
    frame.attrs[VALIDATED] = True
    return frame


def _missing_message(raw: RawTable, missing: list[str]) -> tuple[str, str]:
    """The message in English and in Chinese (as ``columns.require_columns`` says it of one file)."""
    sources = list(dict.fromkeys(raw.source.tolist()))
    named = f"{', '.join(sources[:3])}{' …' if len(sources) > 3 else ''}" if sources else ""
    english, chinese = missing_columns(named, missing, [str(c) for c in raw.frame.columns if c != READ_ERROR])
    return english + MAPPING_HINT[0], chinese + MAPPING_HINT[1]


# --- output -------------------------------------------------------------------


def _take(values: np.ndarray, keep: np.ndarray | None) -> np.ndarray:
    return values if keep is None else values[keep]


def _arrow_text_column(text: pa.ChunkedArray, keep: np.ndarray | None) -> pd.Series:
    """Text kept in Arrow as pandas' string column: no Python str per cell.

    issue 5: 1M case ids as Python str were 67 MB of new memory, and the engine
    turned them back into Arrow text to number the cases.
    """
    if keep is not None:
        text = text.filter(pa.array(keep))
    return pd.Series(pd.array(text.combine_chunks() if text.num_chunks != 1 else text.chunk(0),
                              dtype=pd.StringDtype("pyarrow")), copy=False)


def _categorical(column: Coded, words: Any, keep: np.ndarray | None) -> pd.Categorical:
    """A text attribute as codes into its distinct words, sorted (so it sorts as the text does).

    issue 5: an object column is 8 bytes a row of new memory; 1-2 here.
    """
    categories, to_category = _sorted_words(list(words))
    narrow = np.int8 if len(categories) < 127 else np.int16 if len(categories) < 32767 else np.int32
    codes = to_category.astype(narrow)[_take(column.codes, keep)]
    dtype = pd.CategoricalDtype(pd.Index(categories, dtype=object))
    return pd.Categorical.from_codes(codes, dtype=dtype, validate=False)


def _sorted_words(words: list[str | None]) -> tuple[list[str], np.ndarray]:
    """The distinct words sorted, and each word's place among them (-1 for None).

    issue 5: many words (an id-like column: 90k distinct values in 1M rows) are sorted by
    Arrow, whose order of UTF-8 bytes is Python's order of code points (that column's
    Categorical: 0.095 s to 0.05 s).
    """
    if len(words) > _ARROW_SORT_WORDS:
        try:
            text = pa.array(words, pa.large_string())
        except (pa.ArrowException, UnicodeEncodeError):  # a lone surrogate has no UTF-8
            text = None
        distinct = -1 if text is None else len(pc.unique(text)) - min(text.null_count, 1)  # unique counts null once
        if text is not None and distinct == len(words) - text.null_count:  # no word twice: a sort gives places
            order = pc.array_sort_indices(text, null_placement="at_end").to_numpy()[: len(words) - text.null_count]
            to_category = np.full(len(words), -1, dtype=np.int64)
            to_category[order] = np.arange(len(order))
            return np.asarray(words, dtype=object)[order].tolist(), to_category
    categories = sorted({word for word in words if word is not None})
    number = {word: i for i, word in enumerate(categories)}
    return categories, np.array([-1 if word is None else number[word] for word in words], dtype=np.int64)


def _finish(column: Column, keep: np.ndarray | None) -> Any:
    kind, values, mask = column
    values, mask = _take(values, keep), _take(mask, keep)
    if kind == "boolean":
        # copies: typed flags may be the caller's own memory (pandas hands out views)
        return pd.arrays.BooleanArray(values.astype(bool), mask.astype(bool))
    # np.where makes the values anew and the mask is the check's own: no further copies
    # (issue 5: 16 MB of new memory a time column on 1M rows)
    return pd.arrays.IntegerArray(np.where(mask, 0, values).astype(np.int64, copy=False), mask.astype(bool, copy=False))


def _unread_lines_alone(read_errors: pd.Series, problems: list[Problem]) -> list[Problem]:
    """A JSON line that could not be read has no columns: its reason is the reader's alone, not
    also "case_id: missing; event: missing; time: missing"."""
    unread = np.flatnonzero(read_errors.str.startswith("json:", na=False).to_numpy(dtype=bool))
    if not unread.size or not problems:  # problems[0] is then the reader's own (flagged first)
        return problems
    first, *rest = problems
    kept = [first]
    for idx, reasons, codes in rest:
        keep = ~np.isin(idx, unread)
        if keep.any():
            kept.append((idx[keep], reasons, codes[keep]))
    return kept


def _rejections(raw: RawTable, problems: list[Problem], bad: np.ndarray, case_id: pa.ChunkedArray,
                totals: dict[int, str] | None = None, repeats: set[int] | None = None) -> list[dict[str, Any]]:
    """Each rejected row: its number, file, case (as far as it could be read, so ``explain``
    can show a case's rows that were not checked) and every reason, in column order."""
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
    cases = case_id.take(pa.array(rows)).to_pylist()
    totals, repeats = totals or {}, repeats or set()
    return [
        # a spreadsheet's totals row ("合计, , , 3件", or 合计 under 序号 and no case id) is refused like any row it
        # cannot read; it says why first
        {"row": r, "source": s, "case_id": c,
         # a repeated header row says that alone: its other reasons ("unknown event '办理环节'") are its words
         "reason": header_reason(c) if i in repeats
         else f"case_id: {c!r} marks a totals row, not an event; {m}" if is_totals_word(c)
         else f"{totals[i]} marks a totals row, not an event; {m}" if i in totals else m}
        for i, r, s, c, m in zip(rows.tolist(), numbers, sources, cases, joined, strict=True)
    ]
