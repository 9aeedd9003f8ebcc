"""Compilers for the rules that count time: deadline, waiting, lead_time.

Each works on whole arrays: select the trigger and act positions once, join
each trigger to its first fulfilment in the same case (``context.asof_join``, a binary search), and
count working days by indexing the calendar's precomputed arrays.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..rules.model import DeadlineRule, LeadTimeRule, Period, WaitingRule
from ..timeutil import local_days
from .context import Context, acts_with_time, answers_of, asof_join, int_or_na, violations, words

STATUSES = ("pending", "met", "late", "overdue", "missing")
PENDING, MET, LATE, OVERDUE, MISSING = range(len(STATUSES))  # codes into STATUSES


def period_end(ctx: Context, start_days: np.ndarray, period: Period, extra: np.ndarray | int = 0) -> np.ndarray:
    """Last day of a period counted from the start days (C1-C3); only for unit != none."""
    if period.unit == "working_days":
        return ctx.calendar.wd_add(start_days, np.asarray(extra) + int(period.days or 0))
    if period.unit == "calendar_days":
        end = ctx.calendar.cd_add(start_days, int(period.days or 0))
        # an approved extension counts in working days on top of the calendar-day period
        return ctx.calendar.wd_add(end, np.asarray(extra)) if np.any(extra) else end
    raise ValueError(f"a {period.unit} period has no day arithmetic here")


def _extensions(ctx: Context, rule: DeadlineRule, triggers: np.ndarray, base_due: np.ndarray) -> np.ndarray:
    """Extra working days approved after each trigger and no later than its original due day."""
    extension = rule.extension
    extra = np.zeros(len(triggers), dtype=np.int64)
    if extension is None:
        return extra
    prep = ctx.prep
    grants = prep.select(extension.event)
    if len(grants) == 0:
        return extra
    # a negative or unreadable grant extends nothing (the `required` rule reports values over the maximum)
    amounts = pd.to_numeric(prep.at(extension.attribute, grants), errors="coerce")
    blank = int(amounts.isna().sum())
    if blank and extension.attribute in prep.columns:
        # an extension granted without its days counts as none: the due date may be early, so say so (a log
        # without the column at all has its own note, absent_column); counted over every grant in the log,
        # as the monitor counts them pushed, whatever obligation they meet
        ctx.unstated[rule.id] = (extension.attribute, blank)
    if len(triggers) == 0:
        return extra
    amounts = amounts.fillna(0).clip(lower=0)
    left = pd.DataFrame({"case": prep.case_codes[triggers], "t": prep.time_ns[triggers],
                         "due": base_due, "i": np.arange(len(triggers))})
    right = pd.DataFrame({"case": prep.case_codes[grants], "gt": prep.time_ns[grants],
                          "gday": prep.day[grants], "amount": amounts.to_numpy(dtype=np.int64)})
    pairs = left.merge(right, on="case")
    pairs = pairs[(pairs["gt"] >= pairs["t"]) & (pairs["gday"] <= pairs["due"])]
    totals = pairs.groupby("i")["amount"].sum()
    extra[totals.index.to_numpy()] = np.minimum(totals.to_numpy(), extension.max_working_days)
    return extra


def compile_deadline(ctx: Context, rule: DeadlineRule) -> tuple[pd.DataFrame, pd.DataFrame]:
    prep = ctx.prep
    triggers = prep.select(rule.trigger)
    fulfilments = prep.select(rule.fulfil)
    for also in rule.also_fulfilled_by:
        # any of the matches answers: their positions as one ascending set, so the first of them at or after
        # the trigger answers, under the same tie rules as a single fulfil event (answers_of)
        fulfilments = np.union1d(fulfilments, prep.select(also))
    fulfil_pos = answers_of(prep, triggers, fulfilments)
    fulfilled = fulfil_pos >= 0
    start_days = prep.day[triggers]

    if rule.due_attribute is not None:
        attr = pd.to_numeric(prep.at(rule.due_attribute, triggers), errors="coerce")
        has_due = attr.notna().to_numpy()
        due_day = np.where(has_due, local_days(attr.fillna(0).to_numpy(dtype=np.int64)), 0)
    elif rule.period is not None and rule.period.unit != "none":
        has_due = np.ones(len(triggers), dtype=bool)
        base_due = period_end(ctx, start_days, rule.period)
        due_day = period_end(ctx, start_days, rule.period, _extensions(ctx, rule, triggers, base_due))
    else:  # C4: presence only
        has_due = np.zeros(len(triggers), dtype=bool)
        due_day = np.zeros(len(triggers), dtype=np.int64)

    fulfil_day = np.where(fulfilled, prep.day[np.maximum(fulfil_pos, 0)], 0)
    late = fulfilled & has_due & (fulfil_day > due_day)
    # by day, as late is: the due day is over when as_of is on a later day (a fulfilment at 23:59:59.5 of
    # the due day is on time, so an as_of then is not yet overdue)
    overdue = ~fulfilled & has_due & (ctx.as_of_day > due_day)
    missing = ~fulfilled & ~has_due
    status = np.full(len(triggers), PENDING, dtype=np.int8)
    status[fulfilled] = MET
    status[late] = LATE
    status[overdue] = OVERDUE
    status[missing] = MISSING

    wd_late = np.zeros(len(triggers), dtype=np.int64)
    if late.any():
        wd_late[late] = ctx.calendar.wd_between(due_day[late], fulfil_day[late])
    if overdue.any():
        wd_late[overdue] = ctx.calendar.wd_between(due_day[overdue], np.full(overdue.sum(), ctx.as_of_day))
    counted = late | overdue

    obligations = pd.DataFrame({
        "pos": triggers,
        "due_day": int_or_na(due_day, has_due),
        "fulfil_pos": int_or_na(fulfil_pos, fulfilled),
        "status": words(STATUSES, status),
        "wd_late": int_or_na(wd_late, counted),
    })
    found = late | overdue | missing
    kind = np.where(late, LATE, np.where(overdue, OVERDUE, MISSING))[found]
    occurred = prep.time_ns[np.maximum(fulfil_pos, 0)]
    found_violations = violations(
        words(STATUSES, kind),
        triggers[found],
        due_day=int_or_na(due_day[found], has_due[found]),
        occurred_ns=int_or_na(occurred[found], fulfilled[found]),
        wd_late=int_or_na(wd_late[found], counted[found]),
        ev_b=int_or_na(fulfil_pos[found], fulfilled[found]),
    )
    return found_violations, obligations


def compile_waiting(ctx: Context, rule: WaitingRule) -> pd.DataFrame:
    """An act on or before the last day of the period after its latest trigger is premature."""
    prep = ctx.prep
    acts = prep.select(rule.act)
    started = asof_join(prep, acts, prep.select(rule.trigger), "backward")
    has_trigger = started >= 0
    last_day = period_end(ctx, prep.day[np.maximum(started, 0)], rule.period) if len(acts) else acts
    premature = has_trigger & (prep.day[acts] <= last_day)
    if rule.require_trigger:
        premature |= ~has_trigger
    return violations(
        "premature",
        acts[premature],
        due_day=int_or_na(np.asarray(last_day)[premature], has_trigger[premature]),
        occurred_ns=pd.array(prep.time_ns[acts[premature]], dtype="Int64"),
        ev_b=int_or_na(started[premature], has_trigger[premature]),
    )


def compile_lead_time(ctx: Context, rule: LeadTimeRule) -> pd.DataFrame:
    """An act must come at least (or at most) N working days before a date it carries."""
    prep = ctx.prep
    acts, target_ns = acts_with_time(ctx, rule.id, prep.select(rule.act), rule.date_attribute)
    target_day = local_days(target_ns)
    act_day = prep.day[acts]
    n = int(rule.period.days or 0)
    latest = ctx.calendar.wd_sub_latest(target_day, n)
    if rule.mode == "at_least":
        bad = act_day > latest
        kind = "late"
        late_by = ctx.calendar.wd_between(latest[bad], act_day[bad]) if bad.any() else np.empty(0, np.int64)
        return violations(
            kind, acts[bad], due_day=pd.array(latest[bad], dtype="Int64"),
            occurred_ns=pd.array(prep.time_ns[acts[bad]], dtype="Int64"),
            wd_late=pd.array(late_by, dtype="Int64"),
        )
    # at_most: the act may not come more than N working days ahead; its due is the last day it may
    # not come on (as a waiting period's): the latest day with N+1 working days after it before the date
    between = ctx.calendar.wd_between(act_day, target_day - 1)
    bad = between > n
    too_early = ctx.calendar.wd_sub_latest(target_day[bad], n + 1) if bad.any() else np.empty(0, np.int64)
    return violations(
        "premature", acts[bad], due_day=pd.array(too_early, dtype="Int64"),
        occurred_ns=pd.array(prep.time_ns[acts[bad]], dtype="Int64"),
    )
