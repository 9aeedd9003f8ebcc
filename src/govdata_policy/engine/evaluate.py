"""Batch evaluation: a whole log against a profile, on event time.

1. read and validate the log (``govdata_policy.io``): rows read = accepted + rejected;
2. put it in canonical order once (``frame.prepare``);
3. run each rule's compiler over whole columns;
4. assemble the contract's tables, drop findings outside a document's validity
   (C6, with a note) and add the notes a reader needs (drafts, calendar coverage).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from ..errors import BilingualError
from ..memory import give_back_memory
from ..result import Result
from ..timeutil import NS_PER_DAY, OFFSET_NS, date_of, end_of_day_ns, local_day_of, to_timestamp
from .acts import compile_precondition, compile_prohibited, compile_required, compile_retention
from .assemble import Outside, assemble_obligations, assemble_violations
from .calendar_rows import dates_outside_calendar, outside_calendar
from .context import Context
from .deadlines import compile_deadline, compile_lead_time, compile_waiting
from .frame import prepare
from .notes import any_overdue, check_notes

ACT_COMPILERS = {
    "waiting": compile_waiting,
    "lead_time": compile_lead_time,
    "precondition": compile_precondition,
    "required": compile_required,
    "prohibited": compile_prohibited,
    "retention": compile_retention,
}
# deadlines near the calendar's end need room for their period: at least this many days, more for a
# profile with longer periods (calendar_margin)
CALENDAR_MARGIN_DAYS = 120


def calendar_margin(profile: Any) -> int:
    """Days at the calendar's end in which no event is accepted, so that every period the profile's
    rules count from an event (extensions included) ends inside the calendar. A variant's 100-wd
    period from an event in September 2035 ran off the end: the batch stopped with an error for
    the whole log, the monitor lost the obligation. N working days never span more than 1.5 N + 30
    calendar days (a year has about 250 working days; the longest break is 9 days)."""
    margin = CALENDAR_MARGIN_DAYS
    for rule in profile.rules:
        period = getattr(rule, "period", None)
        if period is None or period.unit not in ("working_days", "calendar_days"):
            continue
        extension = getattr(rule, "extension", None)
        extra = extension.max_working_days if extension is not None else 0
        working = int(period.days or 0) + extra if period.unit == "working_days" else extra
        calendar = 0 if period.unit == "working_days" else int(period.days or 0)
        margin = max(margin, calendar + working * 3 // 2 + 30)
    return margin


_DATE_TEXT = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$|^(\d{4})(\d{2})(\d{2})$")


def parse_as_of(as_of: Any) -> int:
    """UTC ns of ``as_of``: a date alone (``2025-12-31``, ``2025/12/31``, ``2025年12月31日``, ``20251231``) means
    the end of that local day, a time is read as the log's times are; None means now. A value
    that is neither, or lies outside the calendar, is a ValueError saying so."""
    from ..calendar.bounds import FIRST_DATE, LAST_DATE

    if as_of is None:
        return time.time_ns()
    try:
        day, ns = day_or_time(as_of)
    except (ValueError, TypeError) as exc:
        raise BilingualError(f"as_of: cannot read {as_of!r} as a date or a time (write YYYY-MM-DD)",
                             zh=f"as_of：无法将{as_of!r}识别为日期或时间（请写成 YYYY-MM-DD）") from exc
    if not FIRST_DATE <= day <= LAST_DATE:
        raise BilingualError(f"as_of: {day} is outside the working-day calendar ({FIRST_DATE} .. {LAST_DATE})",
                             zh=f"as_of：{day}在工作日历（{FIRST_DATE}至{LAST_DATE}）之外")
    # a date alone: its last nanosecond, shown as 23:59:59 (timeutil.iso): an event at 23:59:59.5 of the day
    # is within it, not after as_of (as a due day's 23:59:59.5 is not past the due day)
    return int(end_of_day_ns(local_day_of(day))) + _LAST_SECOND_NS if ns is None else ns


_LAST_SECOND_NS = 10**9 - 1  # 23:59:59 to the day's last nanosecond


def day_or_time(as_of: Any) -> tuple[dt.date, int | None]:
    """The local day of ``as_of``, and its instant when it is a time (None for a date alone)."""
    if isinstance(as_of, dt.date) and not isinstance(as_of, dt.datetime):
        return as_of, None
    if isinstance(as_of, int | float | np.number):  # seconds? ns? (pandas reads ns: 1970-01-01)
        raise TypeError("a number is no date")
    if isinstance(as_of, np.datetime64) and np.datetime_data(as_of.dtype)[0] in ("D", "W", "M", "Y"):
        return as_of.astype("datetime64[D]").astype(dt.date), None  # a date, as datetime.date is
    if isinstance(as_of, str):
        found = _DATE_TEXT.match(as_of.strip())
        if found:  # 2025-12-31, 2025/12/31, 2025年12月31日 or 20251231
            return dt.date(*(int(part) for part in found.groups() if part is not None)), None
    # a time: text read as the log's times are (to_timestamp's reader), anything else by its type
    ns = int(to_timestamp(as_of).value)
    return date_of((ns + OFFSET_NS) // NS_PER_DAY), ns


def is_event_frame(events: Any) -> bool:
    """A frame ``io.validate`` made (its mark), not a caller's with columns named row/time_ns/day."""
    from ..io.validate import VALIDATED

    return isinstance(events, pd.DataFrame) and events.attrs.get(VALIDATED) is True


class Loaded(NamedTuple):
    """A log read and validated once (``load``) for several profiles to check: ``compare --log``. Reading
    knows no rules; each profile's calendar refuses its own rows in ``check_frame``, which copies, never
    changes, the frame it is given."""

    frame: pd.DataFrame
    rejected: list[dict[str, Any]]
    rows_read: int


def load(events: Any, mapping: Any = None, sheet: Any = None) -> tuple[pd.DataFrame, list[dict[str, Any]], int]:
    if isinstance(events, Loaded):  # a list of its own: evaluate adds the profile's calendar refusals to it
        return events.frame, list(events.rejected), events.rows_read
    if is_event_frame(events):
        return events, [], len(events)
    from ..io import load_events

    return load_events(events, mapping=mapping, sheet=sheet)


def no_progress(stage: str, done: int | None = None, total: int | None = None, rows: int | None = None) -> None:
    """The default progress callback: says nothing (the CLI's bar has the same signature)."""


def run_rules(
    ctx: Context, rules: list[Any], progress: Callable[..., None] = no_progress
) -> tuple[list[tuple[Any, pd.DataFrame]], list[tuple[Any, pd.DataFrame]]]:
    found: list[tuple[Any, pd.DataFrame]] = []
    obligations: list[tuple[Any, pd.DataFrame]] = []
    for done, rule in enumerate(rules, 1):
        if rule.kind == "deadline":
            violations, owed = compile_deadline(ctx, rule)
            obligations.append((rule, owed))
        else:
            violations = ACT_COMPILERS[rule.kind](ctx, rule)
        found.append((rule, violations))
        progress("rules", done, len(rules))
    return found, obligations


@dataclass
class Checked:
    """The engine's work on one validated frame: what evaluate() and each Dask partition share."""

    ctx: Context
    violations: pd.DataFrame
    obligations: Callable[[], pd.DataFrame]
    rejected: list[dict[str, Any]]  # rows the calendar cannot count (the io layer rejected the rest)
    after_as_of: int
    outside: Outside
    found: list[tuple[Any, pd.DataFrame]]  # the rules' findings and obligations as run: assembled again
    owed: list[tuple[Any, pd.DataFrame]]  # with validity not enforced for evaluate(unenforced=True)


@dataclass
class PartCounts:
    """What the notes and row counts of a log checked in parts need from each part
    (a Dask partition, a process of engine.parallel): merged by ``distributed.merge_notes``."""

    rejected: list[dict[str, Any]]
    events: int
    names: set[str]  # event names present
    columns: list[str]  # columns of the prepared log
    after_as_of: int
    duplicates: int
    outside: dict[str, int]
    dated_only: int  # Prepared.dated_only_before_timed
    first_day: int | None
    last_day: int | None
    overdue: bool  # any_overdue(the part's violations)
    undated: dict[str, tuple[str, int]]  # Context.undated
    unstated: dict[str, tuple[str, int]]  # Context.unstated
    cases: int  # cases with an event at or before as_of: whole in one part, so the parts' add up (reports' total)

    @classmethod
    def of(cls, checked: Checked) -> PartCounts:
        prep = checked.ctx.prep
        return cls(
            rejected=checked.rejected, events=len(prep), names=set(prep.by_event), columns=list(prep.columns),
            after_as_of=checked.after_as_of, duplicates=int(prep.duplicates), outside=dict(checked.outside.counts),
            dated_only=prep.dated_only_before_timed(),
            first_day=int(prep.day.min()) if len(prep) else None, last_day=int(prep.day.max()) if len(prep) else None,
            overdue=any_overdue(checked.violations), undated=dict(checked.ctx.undated),
            unstated=dict(checked.ctx.unstated),
            cases=len(np.unique(prep.case_codes)),
        )


def check_frame(
    profile: Any, frame: pd.DataFrame, as_of_ns: int, enforce: bool, progress: Callable[..., None] = no_progress,
    forget: bool = False,
) -> Checked:
    """Calendar checks, canonical order, every rule, assembled findings: one validated EventFrame.

    ``forget``: the rules' caches are let go of before the findings are assembled (less
    memory at the peak; obligations assembled later make what they need again)."""
    frame, out_of_range = outside_calendar(frame, calendar_margin(profile))
    frame, off_calendar_dates = dates_outside_calendar(frame, profile)
    future = frame["time_ns"].to_numpy(dtype=np.int64) > as_of_ns
    # issue 5: no filtered copy of the log; prepare takes the columns rules read, in its order, when read
    prep = prepare(frame.drop(columns=["source"], errors="ignore"), keep=~future)
    del frame
    as_of_day = (as_of_ns + OFFSET_NS) // NS_PER_DAY
    ctx = Context(prep=prep, calendar=profile.calendar, as_of_ns=as_of_ns, as_of_day=int(as_of_day))
    found, owed = run_rules(ctx, profile.rules, progress)
    if forget:
        ctx.prep.forget_caches(case_blocks=False)
        give_back_memory()
    outside = Outside()
    progress("assemble")
    violations = assemble_violations(ctx, profile, found, outside, enforce)
    return Checked(
        ctx=ctx,
        violations=violations,
        # assembled on first access: `check` without --obligations never needs them
        obligations=functools.partial(assemble_obligations, ctx, profile, owed, Outside(), enforce),
        rejected=[*out_of_range, *off_calendar_dates],
        after_as_of=int(future.sum()),
        outside=outside,
        found=found,
        owed=owed,
    )


def evaluate(
    profile: Any,
    events: Any,
    as_of: Any = None,
    *,
    mapping: Any = None,
    sheet: Any = None,
    enforce_validity: bool | None = None,
    keep_events: bool = True,
    progress: Callable[..., None] | None = None,
    workers: int | None = 1,
    obligations: bool = True,
    render_json: int | None = None,
    only_case: str | None = None,
    unenforced: bool = False,
) -> Result:
    """Check a log. ``workers``: processes to check it on (None: every core from
    ``engine.parallel.MIN_ROWS`` events; Linux only). ``obligations`` False says they will not
    be asked for: in one process the rules' caches are let go of before the result is
    returned (the obligations can still be had, computed again); with more than one worker
    they are left out, ``render_json`` (an indent) has the workers write the violations'
    JSON text too, and the result has no prepared log for ``explain``.

    ``only_case``: the log is read and validated whole (its rows numbered, its rejected rows found, its
    columns typed as for any check), then the rows of that case alone are checked: ``explain``'s result
    (rules judge one case at a time: ``engine.parallel`` splits a log by case). Its findings, obligations,
    events and notes are the case's; its rows and rejected rows the log's, less other cases' rows refused
    for the calendar.

    ``unenforced``: the result's ``unenforced`` is then the result ``enforce_validity=False`` gives (C6), made on
    first use from the same run of the rules: only the assembly depends on validity (``compare --log`` ran every
    rule twice for it). The log is then checked in one process; not on Dask."""
    from ..io.lines import add_lines
    from ..io.validate import FILES, READ_NOTES, line_spans
    from ..options import callback, flag, flag_or_none, sheet_choice, whole_or_none

    # before the log is read: enforce_validity="no" (a config file's text) was true, hiding C6 findings
    enforce_validity = flag_or_none("enforce_validity", enforce_validity)
    keep_events, obligations = flag("keep_events", keep_events), flag("obligations", obligations)
    unenforced = flag("unenforced", unenforced)
    # workers=0 or "2" ran in one process (or failed in max() on a big log), True as 1; sheet=True read sheet 1
    workers = whole_or_none("workers", workers, minimum=1, unit="processes")
    render_json = whole_or_none("render_json", render_json, unit="spaces of indent")
    progress, sheet = callback("progress", progress), sheet_choice(sheet)
    # before the log is read: a mistyped as_of ("2025-13-01") was said after minutes of reading a big log
    as_of_ns = parse_as_of(as_of)
    report = progress or no_progress
    report("read")
    frame, rejected, rows_read = load(events, mapping, sheet)
    read_notes = list(frame.attrs.get(READ_NOTES, ()))  # said first: what of the log was read at all
    spans = line_spans(frame)  # each file's map of lines, asked for the rejected rows alone
    files = frame.attrs.get(FILES, ()) if keep_events else ()  # and by explain, for a case's events
    if only_case is not None:  # (attrs kept: the calendar's rejected rows are named by their file)
        frame = frame[(frame["case_id"].astype(str) == str(only_case)).to_numpy(dtype=bool)]
    report("rules", 0, len(profile.rules), rows=rows_read)
    enforce = profile.spec.enforce_validity if enforce_validity is None else enforce_validity
    if workers != 1 and not unenforced:
        from . import parallel

        count = parallel.worker_count(workers, len(frame))
        if count > 1:
            parts = parallel.check_parallel(profile, frame, as_of_ns, enforce, count, obligations, render_json)
            del frame
            result = parallel.parallel_result(profile, parts, rejected, rows_read, as_of_ns, enforce, obligations,
                                              render_json, spans, files)
            result.notes[:0] = read_notes
            return result
    checked = check_frame(profile, frame, as_of_ns, enforce, report, forget=not obligations)
    del frame
    ctx = checked.ctx
    if not obligations:  # not asked for: the rules' caches are not needed again
        ctx.prep.forget_caches()
        give_back_memory()
    rejected = add_lines(sorted([*rejected, *checked.rejected], key=lambda item: item["row"]), spans)
    log = {"jurisdiction": profile.name, "as_of_ns": as_of_ns, "rejected_rows": rejected, "profile": profile,
           "rows": {"read": rows_read, "accepted": rows_read - len(rejected), "rejected": len(rejected)},
           "events": ctx.prep if keep_events else None, "files": files}
    result = Result(**log, violations=checked.violations, obligations=checked.obligations, enforce_validity=enforce,
                    notes=read_notes + check_notes(profile, ctx, checked.after_as_of, checked.outside, enforce,
                                                   checked.violations))
    if unenforced:
        result.unenforced = functools.partial(_kept, profile, checked, log, read_notes)  # type: ignore[assignment]
    return result


def _kept(profile: Any, checked: Checked, log: dict[str, Any], read_notes: list[dict[str, str]]) -> Result:
    """``evaluate(enforce_validity=False)``'s result, from ``checked``'s run of the rules (``unenforced``)."""
    ctx, outside = checked.ctx, Outside()
    violations = assemble_violations(ctx, profile, checked.found, outside, False)
    return Result(**{**log, "rows": dict(log["rows"]), "rejected_rows": list(log["rejected_rows"])},
                  violations=violations, enforce_validity=False,
                  obligations=functools.partial(assemble_obligations, ctx, profile, checked.owed, Outside(), False),
                  notes=read_notes + check_notes(profile, ctx, checked.after_as_of, outside, False, violations))
