"""One log checked on several cores of this machine (issue 5; ``check --workers``).

Cases are independent (no rule looks across cases), so after the log is read and
validated it is split into contiguous ranges of case ids, one per process, and each
range goes through the very same ``check_frame`` as a single-process run. The ranges
are in case-id order, and findings are ordered by case id first, so the tables of the
ranges put one after the other are the single-process tables, row for row; the JSON
text of each range's violations is written where they were found and joined as is.

The other processes are forked from this one: they share the validated log and the
profile (with its calendar) without copying or pickling them, and send back their
findings pickled (made into tables only when someone reads them: ``check --format
json`` never does) and their JSON text. Forking needs Linux; elsewhere, and for logs
under ``MIN_ROWS`` events, the check runs in one process. ``explain`` needs the
prepared log, which stays in the workers: a parallel result has ``events=None``. It keeps
the log's files (``Result.files``, read here before the fork), so the reports say where each
finding's evidence lies and ``explain`` gives each row it names its line, as for one process.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import sys
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..json_text import Unsupported, join_tables, table_json
from ..result import Deferred, Result
from .assemble import concat_parts
from .evaluate import PartCounts, check_frame

# below this many events the processes cost more than they save (fork, pickles: ~0.1 s)
MIN_ROWS = 200_000
_SAMPLE = 20_000  # case ids sampled to place the range boundaries
CHILD_PEAKS_KB: list[int] = []  # the workers' peak resident memory, for benchmarks/run.py


def can_fork() -> bool:
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def worker_count(requested: int | None, rows: int) -> int:
    """``requested`` processes (at least 1; None: every core), one for a log under ``MIN_ROWS`` events.

    Not the default of ``evaluate`` nor of ``check``: on the 2-core benchmark VM two processes
    were slower than one (1M events: 3.2-3.7 s against 3.0 s), the forked process faulting in
    again the pages it shares with this one (300k page faults against 107k). Where page faults
    are cheap and cores many, ask for it: ``check --workers N``.
    """
    if not can_fork() or rows < MIN_ROWS:
        return 1
    return max(1, os.cpu_count() or 1) if requested is None else max(1, requested)


def case_ranges(case_id: np.ndarray, parts: int) -> np.ndarray:
    """Each row's range number: contiguous ranges of case-id order, about equal in rows.

    Boundaries are quantiles of a fixed-seed sample, so the split is the same on every run;
    a case falls whole in one range (equal ids compare equal).
    """
    n = len(case_id)
    if parts <= 1 or n == 0:
        return np.zeros(n, dtype=np.int64)
    sample = np.sort(case_id[np.random.default_rng(0).integers(0, n, min(n, _SAMPLE))])
    bounds = pd.unique(sample[(np.arange(1, parts) * len(sample)) // parts])
    return np.searchsorted(np.asarray(bounds, dtype=object), case_id, side="right")


@dataclass
class _Part:
    """What one range found (its tables as DataFrames, or their pickles from another process)."""

    violations: Any
    count: int
    obligations: Any  # None when not asked for
    json: bytes | None  # the violations' JSON text at the asked indent, None if not asked / not possible
    counts: PartCounts


def _check_part(profile: Any, frame: pd.DataFrame, mine: np.ndarray, as_of_ns: int, enforce: bool,
                obligations: bool, json_indent: int | None, pickled: bool) -> _Part:
    checked = check_frame(profile, frame.loc[mine], as_of_ns, enforce, forget=not obligations)
    owed = checked.obligations() if obligations else None
    text = None
    if json_indent is not None:
        try:
            text = b"".join(table_json(checked.violations, json_indent, 1))
        except Unsupported:
            text = None
    pack = (lambda value: pickle.dumps(value, protocol=5)) if pickled else (lambda value: value)
    return _Part(violations=pack(checked.violations), count=len(checked.violations),
                 obligations=None if owed is None else pack(owed), json=text, counts=PartCounts.of(checked))


def _peak_kb() -> int:
    try:
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        return 0


def _child(conn: Any, job: tuple[Any, ...]) -> None:
    try:
        message = ("ok", _check_part(*job, pickled=True), _peak_kb())
    except BaseException as exc:  # sent back and raised in the parent, as a single process would
        message = ("error", exc, 0)
    try:
        conn.send_bytes(pickle.dumps(message, protocol=5))
    except Exception as exc:  # an exception that does not pickle: its text then
        conn.send_bytes(pickle.dumps(("error", RuntimeError(f"{type(exc).__name__}: {exc}"), 0)))
    conn.close()


def check_parallel(profile: Any, frame: pd.DataFrame, as_of_ns: int, enforce: bool, workers: int,
                   obligations: bool, json_indent: int | None) -> list[_Part]:
    """``check_frame`` on ``workers`` ranges of cases, all but the first in forked processes."""
    ranges = case_ranges(frame["case_id"].to_numpy(dtype=object), workers)
    context = multiprocessing.get_context("fork")
    children = []
    for number in range(1, workers):
        receive, send = context.Pipe(duplex=False)
        # forked: the child has the log and the profile already; each process takes its own rows
        job = (profile, frame, ranges == number, as_of_ns, enforce, obligations, json_indent)
        process = context.Process(target=_child, args=(send, job), daemon=True)
        process.start()
        send.close()
        children.append((process, receive))
    mine = _check_part(profile, frame, ranges == 0, as_of_ns, enforce, obligations, json_indent, pickled=False)
    parts, error = [mine], None
    for process, receive in children:
        try:
            status, value, peak = pickle.loads(receive.recv_bytes())
        except EOFError:
            status, value, peak = "error", RuntimeError(f"a worker process ended with code {process.exitcode}"), 0
        process.join()
        CHILD_PEAKS_KB.append(peak)
        if status == "error":
            error = error or value
        else:
            parts.append(value)
    if error is not None:
        raise error
    return parts


def _frames(parts: list[_Part], name: str) -> pd.DataFrame:
    values = [getattr(p, name) for p in parts]
    frames = [value if isinstance(value, pd.DataFrame) else pickle.loads(value) for value in values]
    found = [f for f in frames if len(f)]
    if len(found) <= 1:
        return (found or frames)[0]
    return concat_parts(found)  # ranges in case order: already the single-process order


def parallel_result(profile: Any, parts: list[_Part], rejected: list[dict[str, Any]], rows_read: int,
                    as_of_ns: int, enforce: bool, obligations: bool, json_indent: int | None,
                    spans: Any = None, files: tuple[tuple[int, str, Any], ...] = ()) -> Result:
    """The ranges' findings as one result. ``files``: the log's files as validation left them (``Result.files``,
    read in this process before the fork): the reports' evidence locations and ``explain``'s lines need them,
    and were blank for a log checked on several cores."""
    from ..distributed import merge_notes
    from ..io.lines import add_lines

    rejected = sorted([*rejected, *(r for p in parts for r in p.counts.rejected)], key=lambda item: item["row"])
    rejected = add_lines(rejected, spans)  # each file's lines (validation's map): the single run's
    rendered = {}
    if json_indent is not None and all(p.json is not None for p in parts):
        rendered[("violations", json_indent)] = join_tables([p.json for p in parts], json_indent, 1)

    def owed() -> pd.DataFrame:
        raise RuntimeError("obligations were not asked for when this log was checked on several cores")

    return Result(
        jurisdiction=profile.name,
        as_of_ns=as_of_ns,
        rows={"read": rows_read, "accepted": rows_read - len(rejected), "rejected": len(rejected)},
        violations=Deferred(lambda: _frames(parts, "violations"), sum(p.count for p in parts)),
        obligations=(lambda: _frames(parts, "obligations")) if obligations else owed,
        rejected_rows=rejected,
        notes=merge_notes(profile, [p.counts for p in parts], as_of_ns, enforce),
        profile=profile,
        events=None,
        files=files,
        rendered=rendered,
        enforce_validity=enforce,
        case_count=sum(p.counts.cases for p in parts),  # the reports' total: quiet cases have no finding to count
    )
