"""``Monitor.notes()``: the batch's notes for what a monitor has seen (duplicates, drafts, trial
measures, C6 counts, calendar coverage, blank dates), made by the batch's own functions, and the
monitor's own (rules it skips, closed cases evicted). Imported when asked for: the engine (pandas)
is not loaded at a monitor's start."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ..timeutil import NS_PER_DAY, OFFSET_NS
from .state import EvictedFilter

if TYPE_CHECKING:
    from .core import Monitor


def monitor_notes(monitor: Monitor) -> list[dict[str, str]]:
    from ..engine.assemble import Outside
    from ..engine.notes import profile_notes, undated_notes, unstated_notes

    counts = monitor._counts
    notes: list[dict[str, str]] = []
    if counts["duplicates"]:
        notes.append({"kind": "duplicates", "message": f"{counts['duplicates']} exact duplicate row(s) counted once"})
    outside = Outside(counts=dict(monitor.reporter.outside))
    span = [monitor._first_day, (monitor._now + OFFSET_NS) // NS_PER_DAY] if monitor._first_day else []
    notes.extend(profile_notes(monitor.profile, _Seen(span, monitor.profile.calendar), outside,
                               monitor.reporter.enforce))
    notes.extend(undated_notes(counts.get("undated", {})))  # type: ignore[arg-type]
    notes.extend(unstated_notes(counts.get("unstated", {})))  # type: ignore[arg-type]
    for text in monitor._compiled.skipped:
        notes.append({"kind": "monitor", "message": text})
    cases = monitor._cases
    if cases.evictions:
        notes.append({"kind": "monitor", "message": (
            f"{cases.evictions} closed case(s) evicted from the recently-closed cache "
            f"(closed_cache_size={cases.size}); later events of them are judged without "
            "their earlier context and their findings carry a note (a case evicted more than "
            f"{EvictedFilter.CAPACITY:,} evictions before may be forgotten: judged so without the note)")})
    return notes


class _Seen:
    """Just enough of the batch's context for ``profile_notes``: the span of days seen."""

    def __init__(self, span: list[int], calendar: Any) -> None:
        self.calendar = calendar
        self.prep = _Span(span)


class _Span:
    def __init__(self, span: list[int]) -> None:
        self.day = np.array(span, dtype=np.int64)

    def __len__(self) -> int:
        return len(self.day)
