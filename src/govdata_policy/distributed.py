"""The same check on a Dask cluster, for logs that outgrow one machine (docs/scaling.md).

    from dask.distributed import Client
    client = Client("tcp://scheduler:8786")
    result = evaluate_dask(profile, "s3-mounted/logs/*.parquet", as_of="2024-06-30")

How the work splits:

1. *read + validate*, one task per input partition (a Parquet row-group range, a
   byte range of a big CSV, a whole small file, or a partition of a dask DataFrame),
   with the library's own reader and validator, so every row is read exactly as
   ``profile.evaluate`` reads it; rejected rows stay where they were found;
2. *number*: each partition's rows are numbered on from the rows of the
   partitions before it, so row numbers (evidence, rejections) are the global
   ones of a single-process run;
3. *shuffle* by ``case_id``: every partition sends each case to the output
   partition its hash picks, so a case lies whole in one partition (cases are
   independent: no rule looks across cases);
4. *evaluate* each output partition with the batch engine (same compilers, same
   assembly); the profile (with its calendar, built once on the client) is sent
   to each worker once and shared by its tasks;
5. *merge* on the client: findings concatenated and put in the single-process
   order, rejected rows sorted by row, counts in the notes summed.

Rows read = accepted + rejected across partitions, as always.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .distributed_client import client_at
from .distributed_pieces import align_pieces
from .engine.assemble import OBLIGATION_FIELDS, VIOLATION_FIELDS, Outside, concat_parts, empty_table
from .engine.context import Context
from .engine.evaluate import PartCounts, check_frame, no_progress, parse_as_of
from .engine.notes import (
    absent_column_notes,
    merge_undated,
    profile_notes,
    run_notes,
    undated_notes,
    unstated_notes,
)
from .io.lines import add_lines
from .io.mapping import mapping_name
from .io.partitions import (
    CSV_BLOCKSIZE,
    PARQUET_ROWS,
    Part,
    all_sheet_parts,
    input_parts,
    log_files,
    read_part,
)
from .io.read import ALL_SHEETS, FileColumns, InputError, RawTable, refuse_sheet, refuse_sheet_without_workbook
from .io.validate import READ_NOTES, validate
from .result import Result
from .timeutil import NS_PER_DAY, OFFSET_NS

# --- the tasks ----------------------------------------------------------------------------------


@dataclass
class _Validated:
    events: pd.DataFrame  # EventFrame, rows numbered from 1 within the partition
    rejected: list[dict[str, Any]]
    rows_read: int
    lines: Any = None  # where its rows lie in its file (io.lines), lines counted within a CSV range
    spanned: int = 0  # a CSV range's line ends: the next ranges of its file count on from them
    notes: list[dict[str, str]] = field(default_factory=list)  # of reading it: a workbook's other sheets


def _validate_part(part: Part, frame: Any, mapping: Any, sheet: Any) -> _Validated:
    raw, lines, spanned, (sheet_read, other_logs) = read_part(part, frame, mapping, sheet)
    n = len(raw)
    table = RawTable(frame=raw.reset_index(drop=True), row=np.arange(1, n + 1, dtype=np.int64),
                     source=np.full(n, part.source, dtype=object), rows_read=n,
                     files=[FileColumns(part.source, tuple(map(str, raw.columns)), n, sheet,
                                        sheet_read=sheet_read, other_logs=other_logs, passed_over=part.passed_over)],
                     mapping=mapping_name(mapping))
    events, rejected = validate(table)
    notes = list(events.attrs.get(READ_NOTES, ()))
    # the file goes with the rows: after the shuffle, rows the calendar refuses still name it
    events["source"] = pd.Series(np.full(len(events), part.source, dtype=object), index=events.index)
    return _Validated(events, rejected, n, lines, spanned, notes)


def _rows_read(validated: _Validated) -> int:
    return validated.rows_read


def _spanned(validated: _Validated) -> int:
    return validated.spanned


def _read_notes(validated: _Validated) -> list[dict[str, str]]:
    return validated.notes


_Split = tuple[list[pd.DataFrame], list[dict[str, Any]], tuple[int, Any]]


def _split(validated: _Validated, offset: int, line_offset: int, npartitions: int) -> _Split:
    """Global row numbers (and lines: ``line_offset``, the line ends of its file's ranges before
    it), then one piece per output partition by the hash of case_id; with the part's span of
    rows and map of lines, for rows rejected after the shuffle."""
    lines = validated.lines
    if lines is not None and line_offset:
        lines = lines.resolved().shifted(line_offset)
    span = (offset + validated.rows_read, lines)
    rejected = [{**item, "row": int(item["row"]) + offset} for item in validated.rejected]
    rejected = add_lines(rejected, [(offset, None), span])  # its lines found on the worker, where its file is
    events = validated.events.assign(row=validated.events["row"].to_numpy(dtype=np.int64) + offset)
    if len(events) == 0:
        return [events] * npartitions, rejected, span
    target = pd.util.hash_array(events["case_id"].to_numpy(dtype=object)) % np.uint64(npartitions)
    order = np.argsort(target, kind="stable")
    bounds = np.searchsorted(target[order], np.arange(npartitions + 1, dtype=np.uint64))
    pieces = [events.iloc[order[bounds[i]:bounds[i + 1]]] for i in range(npartitions)]
    return pieces, rejected, span


def _offset(*lengths: int) -> int:
    return int(sum(lengths))


def _piece(split: _Split, i: int) -> pd.DataFrame:
    return split[0][i]


def _rejected(split: _Split) -> list[dict[str, Any]]:
    return split[1]


def _span(split: _Split) -> tuple[int, Any]:
    return split[2]


@dataclass
class _Partial:
    """What one output partition found, and the counts the notes need."""

    violations: pd.DataFrame
    obligations: pd.DataFrame
    counts: PartCounts


def _evaluate_part(profile: Any, pieces: Sequence[pd.DataFrame], as_of_ns: int, enforce: bool) -> _Partial:
    """The batch engine on the cases of one partition: the very steps engine.evaluate runs."""
    checked = check_frame(profile, align_pieces(pieces), as_of_ns, enforce)
    return _Partial(violations=checked.violations, obligations=checked.obligations(), counts=PartCounts.of(checked))


# --- merging -------------------------------------------------------------------------------------


@dataclass
class _Span:
    """Stands in for the whole prepared log in the note functions: its size, first and last
    day, the event names it holds and its columns."""

    day: np.ndarray
    size: int
    by_event: dict[str, Any]
    frame: pd.DataFrame

    def __len__(self) -> int:
        return self.size

    @property
    def columns(self) -> pd.Index:
        return self.frame.columns


def _concat(frames: list[pd.DataFrame], fields: Sequence[str]) -> pd.DataFrame:
    """Findings of all partitions in the single-process order: by case, then as each partition had them."""
    found = [f for f in frames if len(f)]
    if not found:
        return frames[0] if frames else empty_table(fields)
    merged = concat_parts(found) if len(found) > 1 else found[0]
    codes, _ = pd.factorize(merged["case_id"], sort=True)
    return merged.take(np.argsort(codes, kind="stable")).reset_index(drop=True)


def merge_notes(profile: Any, partials: Sequence[PartCounts], as_of_ns: int, enforce: bool) -> list[dict[str, str]]:
    """The notes of a single-process run, from the counts each part kept."""
    as_of_day = int((as_of_ns + OFFSET_NS) // NS_PER_DAY)
    notes = run_notes(sum(p.after_as_of for p in partials), sum(p.duplicates for p in partials), as_of_day,
                      sum(p.events for p in partials), sum(p.dated_only for p in partials))
    outside = Outside()
    for p in partials:
        for key, count in p.outside.items():
            outside.counts[key] = outside.counts.get(key, 0) + count
    days = [d for p in partials for d in (p.first_day, p.last_day) if d is not None]
    columns = list(dict.fromkeys(c for p in partials for c in p.columns))
    span = _Span(np.array([min(days), max(days)] if days else [], dtype=np.int64),
                 sum(p.events for p in partials), dict.fromkeys(set().union(*(p.names for p in partials))),
                 pd.DataFrame(columns=columns))
    ctx = Context(prep=span, calendar=profile.calendar, as_of_ns=as_of_ns, as_of_day=as_of_day)  # type: ignore[arg-type]
    notes.extend(profile_notes(profile, ctx, outside, enforce, any(p.overdue for p in partials)))
    notes.extend(absent_column_notes(profile, span))  # type: ignore[arg-type]
    notes.extend(undated_notes(merge_undated([p.undated for p in partials])))
    notes.extend(unstated_notes(merge_undated([p.unstated for p in partials])))
    return notes


def _merge(profile: Any, partials: list[_Partial], rejected: list[dict[str, Any]], rows_read: int,
           as_of_ns: int, enforce: bool, spans: list[tuple[int, Any]],
           read_notes: Sequence[dict[str, str]] = (), files: tuple[tuple[int, str, Any], ...] = ()) -> Result:
    rejected = sorted([*rejected, *(r for p in partials for r in p.counts.rejected)], key=lambda item: item["row"])
    rejected = add_lines(rejected, spans)  # rows rejected after the shuffle (off the calendar): found here
    return Result(
        jurisdiction=profile.name,
        as_of_ns=as_of_ns,
        rows={"read": rows_read, "accepted": rows_read - len(rejected), "rejected": len(rejected)},
        violations=_concat([p.violations for p in partials], VIOLATION_FIELDS),
        obligations=_concat([p.obligations for p in partials], OBLIGATION_FIELDS),
        rejected_rows=rejected,
        # what of the log was read at all first, as a single-process run says it (engine.evaluate)
        notes=[*read_notes, *merge_notes(profile, [p.counts for p in partials], as_of_ns, enforce)],
        profile=profile,
        events=None,  # the log stays on the cluster; explain() needs a single-process run
        files=files,  # where each row lies in its file: the reports' evidence locations, explain's lines
        enforce_validity=enforce,
        case_count=sum(p.counts.cases for p in partials),  # the reports' total: quiet cases have no finding to count
    )


# --- the entry points -----------------------------------------------------------------------------


def evaluate_dask(
    profile: Any,
    events: Any,
    as_of: Any = None,
    *,
    mapping: Any = None,
    sheet: Any = None,
    enforce_validity: bool | None = None,
    npartitions: int | None = None,
    client: Any = None,
    blocksize: int = CSV_BLOCKSIZE,
    parquet_rows: int = PARQUET_ROWS,
    # the stage callback of profile.evaluate: "validate", "rules" (output partitions counted as their
    # checks finish, with a client), "assemble"
    progress: Any = None,
    # False: the result keeps no files (``Result.files``), as profile.evaluate's keeps neither them nor the log
    keep_events: bool = True,
    # profile.evaluate's options that have no meaning here (named, so a mistyped keyword is an error)
    workers: int | None = None,
    obligations: bool = True,
    render_json: int | None = None,
) -> Result:
    """Check a log on Dask; the same ``Result`` as ``profile.evaluate`` (without ``events`` for explain).

    ``events``: a ``dask.dataframe.DataFrame`` (raw columns, as read from an export), a
    file, directory or glob of Parquet / CSV (or any format ``evaluate`` reads), a list
    of them, or a pandas DataFrame / records (split into ``npartitions`` pieces).
    ``client``: a ``dask.distributed.Client``; without one, the current default
    scheduler (a Client made earlier in this process, else local threads).
    ``npartitions``: output partitions of the shuffle (default: as many as input partitions).
    The result keeps the log's files (``Result.files``: each file's last row, name and map of lines, a file cut
    in parts one file again), so the reports say where each finding's evidence lies as for one process.
    """
    import dask
    from dask import delayed

    from .io.mapping import as_mapping
    from .options import callback, flag, flag_or_none, sheet_choice, whole, whole_or_none

    # as profile.evaluate checks them (options.py): the unused ones too, a mistake is one wherever it goes
    enforce_validity = flag_or_none("enforce_validity", enforce_validity)
    for keyword, value in (("keep_events", keep_events), ("obligations", obligations)):
        flag(keyword, value)
    npartitions = whole_or_none("npartitions", npartitions, minimum=1, unit="partitions")
    blocksize = whole("blocksize", blocksize, minimum=1, unit="bytes")
    parquet_rows = whole("parquet_rows", parquet_rows, minimum=1, unit="rows")
    whole_or_none("workers", workers, minimum=1, unit="processes")
    whole_or_none("render_json", render_json, unit="spaces of indent")
    progress, sheet = callback("progress", progress), sheet_choice(sheet)
    column_mapping = as_mapping(mapping)
    parts = input_parts(events, blocksize, parquet_rows, npartitions)
    if not parts:
        raise InputError("no input partitions: the log is empty", zh="日志为空：没有可读取的部分")
    files = list(dict.fromkeys(Path(part.path) for part, _ in parts if part.path))
    if files:
        refuse_sheet_without_workbook(files, sheet)
    else:  # a pandas or Dask DataFrame, or records, split into parts
        refuse_sheet(sheet, "a DataFrame or records")
    if sheet == ALL_SHEETS:  # every sheet holding the log: a part each, as io.read_raw reads them (io.all_sheets)
        parts = all_sheet_parts(parts, column_mapping)
    as_of_ns = parse_as_of(as_of)
    enforce = profile.spec.enforce_validity if enforce_validity is None else enforce_validity
    n_out = max(1, npartitions or len(parts))
    _ = profile.calendar  # built here once; it travels with the profile to every worker
    shared = delayed(profile, pure=True, traverse=False)

    validate_task = delayed(_validate_part, pure=True)
    # keys of this run alone: a fixed name ("govdata-validate-0") was shared by every check on one
    # client, which then handed one check another's rows (two at once) or the error a failed check
    # left on the scheduler (a check after it); every later key is made from these
    run = uuid.uuid4().hex
    validated = [validate_task(part, frame, column_mapping, sheet, dask_key_name=f"govdata-validate-{i}-{run}")
                 for i, (part, frame) in enumerate(parts)]
    lengths = [delayed(_rows_read, pure=True)(v) for v in validated]
    spanned = [delayed(_spanned, pure=True)(v) for v in validated]
    # lines count on through the ranges of one CSV file (the rows through the whole log): the ranges before it
    # in its run of parts, not every range of its path (a file given twice, the second's lines counted on from
    # the first's: line 308 for a row on line 8)
    same_file: list[list[int]] = []
    for i, (part, _) in enumerate(parts):
        same_file.append([*same_file[-1], i - 1] if i and part.kind == "csv" and part.continues else [])
    splits = [
        delayed(_split, pure=True)(v, delayed(_offset, pure=True)(*lengths[:i]),
                                   delayed(_offset, pure=True)(*(spanned[k] for k in same_file[i])), n_out)
        for i, v in enumerate(validated)
    ]
    pieces = [[delayed(_piece, pure=True)(s, j) for s in splits] for j in range(n_out)]
    partials = [delayed(_evaluate_part, pure=True)(shared, pieces[j], as_of_ns, enforce) for j in range(n_out)]
    rejected = [delayed(_rejected, pure=True)(s) for s in splits]
    spans = [delayed(_span, pure=True)(s) for s in splits]
    total = delayed(_offset, pure=True)(*lengths)
    read_notes = [delayed(_read_notes, pure=True)(v) for v in validated]  # in input order
    report = progress or no_progress
    report("validate")  # the parts are read, checked and shuffled on the workers
    if client is not None:
        from dask.distributed import as_completed

        # the partitions' checks counted as they finish (the same keys as the rest: computed once)
        checked = client.compute(partials)
        others = client.compute([rejected, total, spans, read_notes])
        report("rules", 0, len(checked))
        for done, _ in enumerate(as_completed(checked), 1):
            report("rules", done, len(checked))
        got_partials = client.gather(checked)
        got_rejected, rows_read, got_spans, got_notes = client.gather(others)
    else:
        got_partials, got_rejected, rows_read, got_spans, got_notes = dask.compute(partials, rejected, total, spans,
                                                                                   read_notes)
    report("assemble", rows=int(rows_read))
    flat = [item for chunk in got_rejected for item in chunk]
    files = log_files([part for part, _ in parts], got_spans) if keep_events else ()  # kept as one process keeps them
    return _merge(profile, list(got_partials), flat, int(rows_read), as_of_ns, enforce, list(got_spans),
                  [note for notes in got_notes for note in notes], files)


def check_with_dask(
    profile: Any,
    logs: Sequence[Any] | Any,
    as_of: Any = None,
    mapping: Any = None,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    sheet: Any = None,
    enforce_validity: bool | None = None,
    progress: Any = None,
) -> Result:
    """For ``check --engine dask``: a local cluster of ``workers`` processes, or the
    scheduler at ``scheduler`` (``tcp://host:8786``; also ``DASK_SCHEDULER_ADDRESS``)."""
    from dask.distributed import Client, LocalCluster

    address = scheduler or os.environ.get("DASK_SCHEDULER_ADDRESS")
    source: Any = logs[0] if isinstance(logs, list | tuple) and len(logs) == 1 else logs
    if address:
        with client_at(address) as client:
            return evaluate_dask(profile, source, as_of, mapping=mapping, sheet=sheet,
                                 enforce_validity=enforce_validity, client=client, progress=progress)
    count = workers or os.cpu_count() or 1
    with LocalCluster(n_workers=count, threads_per_worker=1, processes=True, dashboard_address=":0",
                      # CRITICAL only: a worker logs an input error it raises (7 lines with a traceback)
                      # before the client re-raises it, which check says in one line (CONTRACT.md §3)
                      silence_logs=50) as cluster, Client(cluster) as client:
        return evaluate_dask(profile, source, as_of, mapping=mapping, sheet=sheet,
                             enforce_validity=enforce_validity, client=client, progress=progress)

