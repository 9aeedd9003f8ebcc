"""The notes a result carries beside its findings (contract.md §2 ``notes``: ``{kind, message}``):
what was not checked, drafts and trial measures, validity (C6), calendar coverage, columns a rule
needs that the log lacks. One function per kind of source, shared by single, multi-process and
Dask runs and (profile notes) the monitor, so all say the same."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..timeutil import date_of
from .assemble import Outside
from .context import Context
from .frame import Prepared


def run_notes(after_as_of: int, duplicates: int, as_of_day: int, checked: int, dated_only: int = 0
              ) -> list[dict[str, str]]:
    """``checked``: events the rules saw. None is said first: "no violations" of an empty export,
    or of a log whose events all come after as_of, is no finding of compliance. ``dated_only``:
    ``Prepared.dated_only_before_timed``."""
    notes: list[dict[str, str]] = []
    if not checked:
        notes.append({"kind": "no_events", "message": (
            f"no event was checked: the log has no accepted event at or before as_of {date_of(as_of_day)}")})
    if after_as_of:
        notes.append({"kind": "after_as_of", "message": (
            f"{after_as_of} event(s) after as_of {date_of(as_of_day)} were not considered")})
    if duplicates:
        notes.append({"kind": "duplicates", "message": f"{duplicates} exact duplicate row(s) counted once"})
    if dated_only:
        notes.append({"kind": "date_only", "message": (
            f"{dated_only} event(s) at 00:00:00, perhaps a date without its time of day, share the day of a "
            "later event of their case with a time: they count as coming before it (a reply dated the day "
            "of its request is no answer to it, nor does it know the category or level the request gives); give "
            "their times where the export has them")})
    return notes


def profile_notes(profile: Any, ctx: Context, outside: Outside, enforce: bool, overdue: bool = False
                  ) -> list[dict[str, str]]:
    """``overdue``: a finding is overdue, so its working days late are counted up to as_of and the
    calendar notes cover the days up to as_of too (``any_overdue``)."""
    notes = document_notes(profile, outside, enforce)
    prep: Prepared = ctx.prep
    if len(prep):
        # deadlines reach at most a few months past the last event (30 wd + extensions)
        first, last = int(prep.day.min()), int(prep.day.max()) + 60
        if overdue:
            last = max(last, ctx.as_of_day)
        for text in ctx.calendar.coverage_notes(first, last):
            notes.append({"kind": "calendar", "message": text})
    return notes


def document_notes(profile: Any, outside: Outside, enforce: bool, keys: Any = None) -> list[dict[str, str]]:
    """Each document's status (draft, trial) and its findings outside its validity (C6), in the
    profile's order; ``keys``: only these documents (``explain``: those a case's findings fall under)."""
    notes: list[dict[str, str]] = []
    for key, doc in profile.spec.documents.items():
        if keys is not None and key not in keys:
            continue
        if doc.status == "draft":
            notes.append({"kind": "draft", "message": (
                f"{doc.title_zh} is a consultation draft (征求意见稿): findings under it show what the draft "
                "would require, not binding obligations")})
        elif doc.status == "trial":
            notes.append({"kind": "trial", "message": (
                f"{doc.title_zh} is a trial measure (试行), valid {doc.valid_from} .. {doc.valid_to}")})
        count = outside.counts.get(key, 0)
        if count:
            action = "not reported as violations" if enforce else "reported anyway (validity not enforced)"
            notes.append({"kind": "validity", "message": (
                f"{count} finding(s) under {doc.title_zh} concern events outside its validity "
                f"{doc.valid_from or '…'} .. {doc.valid_to or '…'} (C6): {action}")})
    return notes


def any_overdue(violations: pd.DataFrame) -> bool:
    """Is a finding overdue (its working days late counted up to as_of)?"""
    return bool(len(violations)) and bool(violations["kind"].eq("overdue").any())


_NOTHING = pd.Series([None], dtype=object)  # the value of a column the log does not have


def absent_column_notes(profile: Any, prep: Prepared) -> list[dict[str, str]]:
    """Say so when a rule's events are in the log but a column it needs is not: one its conditions
    test, or the date its period counts from (lead time, retention).

    A Guangxi export without ``requester_level`` cannot tell D29 from D30: its
    sharing requests then match neither, and the reader must know why.
    """
    from .frame import condition_holds

    missing: dict[str, list[str]] = {}
    uncounted: dict[str, list[str]] = {}  # a date a rule counts from (lead time, retention)
    unstated: dict[str, list[str]] = {}  # the days an extension grants: each grant counted as none
    for rule in profile.rules:
        counted_from = getattr(rule, "date_attribute", None) or getattr(rule, "created_attribute", None)
        if counted_from and counted_from not in prep.columns and rule.act.event in prep.by_event:
            uncounted.setdefault(counted_from, []).append(rule.id)
        extension = getattr(rule, "extension", None)
        if extension is not None and extension.attribute not in prep.columns and extension.event.event in prep.by_event:
            unstated.setdefault(extension.attribute, []).append(rule.id)
        for match in _matches(rule):
            if match.event == "*" or match.event not in prep.by_event:
                continue
            for attribute, condition in {**match.when, **match.case_when}.items():
                # a test an absent value passes (not_in, absent) still matches: the rule was not silenced
                if attribute not in prep.columns and not condition_holds(_NOTHING, condition)[0]:
                    named = missing.setdefault(attribute, [])
                    if rule.id not in named:  # a rule testing it in two places is one rule
                        named.append(rule.id)
    said = ((missing, "that test it matched no event"), (uncounted, "that count from it judged none of their events"),
            (unstated, "counted each extension granted as 0 working days"))
    return [
        {"kind": "absent_column", "message": (
            f"the log has no column {attribute!r}: {len(ids)} rule(s) {what} ({_some(ids)})")}
        for found, what in said for attribute, ids in sorted(found.items())
    ]


def _matches(rule: Any) -> list[Any]:
    """Every event a rule matches: its trigger or act, and what fulfils, precedes or extends it (a
    fulfilment testing an absent column never comes: every request would be overdue, unexplained)."""
    extension = getattr(rule, "extension", None)
    parts = [getattr(rule, name, None) for name in ("trigger", "act", "fulfil", "requires", "since")]
    parts += getattr(rule, "also_fulfilled_by", [])  # an answer testing an absent column never comes either
    return [m for m in [*parts, extension.event if extension else None] if m is not None]


def undated_notes(undated: dict[str, tuple[str, int]]) -> list[dict[str, str]]:
    """Say so when a rule that counts from a date its event carries (a lead time before
    ``planned_offline_at``, a retention after ``log_created_at``) met events with that cell blank:
    it could not judge them, which is no finding of compliance (``Context.undated``)."""
    return [
        {"kind": "blank_date", "message": (
            f"{count} event(s) of {rule_id} have no {attribute!r}, the date it counts from: not judged")}
        for rule_id, (attribute, count) in sorted(undated.items())
    ]


def unstated_notes(unstated: dict[str, tuple[str, int]]) -> list[dict[str, str]]:
    """Say so when a deadline rule met extensions granted with their days blank (``Context.unstated``): each
    counted as none, so a due date may be earlier than the one granted, and a finding of lateness wrong."""
    return [
        {"kind": "blank_extension", "message": (
            f"{count} extension(s) of {rule_id} have no {attribute!r}: counted as 0 working days (due dates may "
            "be later than shown)")}
        for rule_id, (attribute, count) in sorted(unstated.items())
    ]


def merge_undated(parts: list[dict[str, tuple[str, int]]]) -> dict[str, tuple[str, int]]:
    """The blank counts of a log checked in parts, rule by rule."""
    merged: dict[str, tuple[str, int]] = {}
    for part in parts:
        for rule_id, (attribute, count) in part.items():
            merged[rule_id] = (attribute, merged.get(rule_id, (attribute, 0))[1] + count)
    return merged


def _some(ids: list[str]) -> str:
    named = sorted(set(ids))
    return ", ".join(named[:6]) + (", …" if len(named) > 6 else "")


def check_notes(profile: Any, ctx: Context, after_as_of: int, outside: Outside, enforce: bool,
                violations: pd.DataFrame) -> list[dict[str, str]]:
    """The notes of a check in one process after what reading said (``evaluate``): of its result, and of the
    same run of the rules assembled with validity not enforced (``unenforced``), so both say what one check
    would."""
    prep = ctx.prep
    notes = run_notes(after_as_of, prep.duplicates, ctx.as_of_day, len(prep), prep.dated_only_before_timed())
    notes.extend(profile_notes(profile, ctx, outside, enforce, any_overdue(violations)))
    notes.extend(absent_column_notes(profile, prep))
    notes.extend(undated_notes(ctx.undated))
    notes.extend(unstated_notes(ctx.unstated))
    return notes
