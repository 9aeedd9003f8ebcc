"""The notes of a result that concern one case (``CaseExplanation.notes``), in check's words
(``engine.notes``): its events after as_of (not checked) and its exact duplicates, the status of the
documents its findings fall under (a draft, a trial measure), its findings outside a document's
validity (C6), and the calendar years its periods cross that are estimated or unsettled. Without
them "no obligation in this case" of a case whose findings were all set aside as outside validity
reads as a clean case."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .engine.assemble import Outside
from .engine.notes import document_notes, run_notes
from .timeutil import NS_PER_DAY, OFFSET_NS


def case_notes(result: Any, case_id: str, events: pd.DataFrame, rule_ids: set[str], due_days: list[int],
               overdue: bool) -> list[dict[str, str]]:
    """``events``: the case's checked events (the prepared log's rows); ``rule_ids``: the rules of its
    obligations and acts; ``due_days``: their due days; ``overdue``: one is overdue, so its working
    days late run up to as_of and the calendar notes cover the days up to as_of too."""
    profile = result.profile
    if profile is None:
        return []
    notes = _unchecked_notes(result, case_id, events["row"].to_numpy(dtype=np.int64))
    enforce = profile.spec.enforce_validity if result.enforce_validity is None else result.enforce_validity
    outside = _outside_validity(result, profile, events, enforce)
    keys = {getattr(profile.rules_by_id.get(rule_id), "document", None) for rule_id in rule_ids} | set(outside.counts)
    notes.extend(document_notes(profile, outside, enforce, keys))
    if due_days:
        # from the case's first event (its first trigger, for a result kept without its log)
        first, last = int(events["day"].min()) if len(events) else min(due_days), max(due_days)
        if overdue:
            last = max(last, (result.as_of_ns + OFFSET_NS) // NS_PER_DAY)
        notes.extend({"kind": "calendar", "message": text} for text in profile.calendar.coverage_notes(first, last))
    return notes


def _unchecked_notes(result: Any, case_id: str, checked: np.ndarray) -> list[dict[str, str]]:
    """The case's events after as_of, and its exact duplicates (counted once), as check says them of
    the log: without them a case answered after as_of reads as unanswered, with no word why. A case
    has a few rows, so its notes name them (check's, over a whole log, give counts alone)."""
    prep = result.events
    if prep is None or not len(checked):  # nothing checked: explain says so itself
        return []
    rows, after = prep.case_rows(case_id, result.as_of_ns)
    later = rows[after]
    duplicates = np.setdiff1d(rows[~after], checked)  # the first of each set of equal rows is the one checked
    notes = run_notes(len(later), len(duplicates), (result.as_of_ns + OFFSET_NS) // NS_PER_DAY, len(checked))
    for note in notes:
        named = {"after_as_of": later, "duplicates": duplicates}.get(note["kind"])
        if named is not None and len(named):
            note["message"] += ": " + _row_list(result, named)
    return notes


_NAMED_ROWS = 10  # a case's rows named in a note; more are counted


def _row_list(result: Any, rows: np.ndarray) -> str:
    """``row 3 (line 4), row 9 (line 10)``: the rows as explain names its events, with the file when
    the log has several (``row 3 (line 4 of b.csv)``, ``row 3 (sheet row 4 of 2024.xlsx[7月])``, a
    Parquet file's ``row 3 (in b.parquet)``)."""
    from .io.lines import add_lines
    from .io.validate import sources_in, spans_of
    from .report.i18n import place_label

    rows = np.sort(rows)
    shown, more = rows[:_NAMED_ROWS].tolist(), len(rows) - _NAMED_ROWS
    files = result.files or ()
    placed = add_lines([{"row": row} for row in shown], spans_of(files)) if files else [{"row": r} for r in shown]
    named = []
    for item, source in zip(placed, sources_in(files, shown), strict=True):
        place = place_label("en", item.get("line"), source, len(files) > 1)  # as the events are placed
        named.append(f"row {item['row']}" + (f" ({place})" if place else ""))
    return ", ".join(named) + (f" and {more} more" if more > 0 else "")


def _outside_validity(result: Any, profile: Any, events: pd.DataFrame, enforce: bool) -> Outside:
    """The case's findings outside a document's validity: its events checked again on their own
    (rules judge one case at a time, so they find what the whole log's run found of it, set-asides
    counted whether or not they were left out). Nothing without the log (a result kept without it)."""
    from .engine.evaluate import check_frame

    if events.empty or not any(doc.valid_from or doc.valid_to for doc in profile.spec.documents.values()):
        return Outside()
    return check_frame(profile, events, result.as_of_ns, enforce).outside
