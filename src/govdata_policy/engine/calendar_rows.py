"""The rows a profile's calendar cannot count, refused with a reason in each profile's own check
(``evaluate.check_frame``): events off it or too near its end for their periods, dates a rule counts working days on
that lie off it. Reading knows no rules; these depend on the profile (``calendar_margin``, its rules)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..timeutil import NS_PER_DAY, OFFSET_NS, date_of


def outside_calendar(frame: pd.DataFrame, margin: int) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    from ..calendar.bounds import FIRST_DAY, LAST_DAY

    days = frame["day"].to_numpy(dtype=np.int64)
    bad = (days < FIRST_DAY) | (days > LAST_DAY - margin)
    if not bad.any():
        return frame, []
    rows = frame.loc[bad, "row"].to_numpy()
    rejected = [
        {"row": int(row), "source": str(source) if source is not None else "", "case_id": case,
         "reason": _off_calendar_reason(int(day), margin)}
        for row, source, case, day in zip(rows, _sources(frame, bad, rows), _cases(frame, bad), days[bad], strict=True)
    ]
    return frame.loc[~bad], rejected


def _off_calendar_reason(day: int, margin: int) -> str:
    from ..calendar.bounds import FIRST_DAY, LAST_DAY

    span = f"{date_of(FIRST_DAY)} .. {date_of(LAST_DAY)}"
    if FIRST_DAY <= day <= LAST_DAY:  # a day the calendar has, refused for the margin: say why
        return (f"time: {date_of(day)} is too near the end of the working-day calendar ({span}): events are "
                f"checked up to {date_of(LAST_DAY - margin)}, so that every period counted from one ends in it")
    return f"time: {date_of(day)} is outside the working-day calendar ({span})"


def _cases(frame: pd.DataFrame, bad: np.ndarray) -> list[Any]:
    if "case_id" not in frame:  # the monitor asks for one event's reason
        return [None] * int(bad.sum())
    return [None if pd.isna(case) else str(case) for case in frame.loc[bad, "case_id"].tolist()]


def _sources(frame: pd.DataFrame, bad: np.ndarray, rows: np.ndarray) -> list[Any]:
    """The file of each rejected row: the frame's own column (a Dask part) or validation's bounds."""
    from ..io.validate import sources_of

    return frame.loc[bad, "source"].tolist() if "source" in frame else sources_of(frame, rows)


def dates_outside_calendar(frame: pd.DataFrame, profile: Any) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    """Rows whose date attribute a rule counts working days on lies off the calendar: rejected.

    (A lead time counts back from ``planned_offline_at``; a deadline may fall due on
    ``rectify_by``.) The streaming monitor refuses the same events with the same reason.
    """
    from ..calendar.bounds import FIRST_DAY, LAST_DAY, SPAN, describe_day
    from .frame import condition_mask

    # (match, attribute, days before it that must be on the calendar, working days an at-least lead time counts back)
    checks = [(r.act, r.date_attribute, 1, int(r.period.days or 0) if r.mode == "at_least" else 0)
              for r in profile.rules if r.kind == "lead_time"]
    checks += [(r.trigger, r.due_attribute, 0, 0) for r in profile.rules if r.kind == "deadline" and r.due_attribute]
    bad = np.zeros(len(frame), dtype=bool)
    reasons = np.full(len(frame), None, dtype=object)
    for match, attribute, before, count_back in checks:
        if attribute not in frame.columns:
            continue
        values = frame[attribute]
        day = (values.fillna(0).to_numpy(dtype=np.int64) + OFFSET_NS) // NS_PER_DAY
        outside = (day - before < FIRST_DAY) | (day > LAST_DAY)
        short = np.zeros(len(day), dtype=bool)
        if count_back:  # on the calendar, but fewer working days before it than the lead time counts back
            short[~outside] = profile.calendar.lacks_working_days_before(day[~outside], count_back)
        # issue 5: the event and its conditions are tested on the rows off the calendar only (a few)
        off = np.flatnonzero(values.notna().to_numpy() & (outside | short) & ~bad)
        mine = frame["event"].iloc[off].to_numpy(dtype=object) == match.event
        for name, condition in match.when.items():
            column = frame[name].iloc[off] if name in frame.columns else pd.Series(pd.NA, index=off, dtype=object)
            mine &= condition_mask(column, condition)
        for i in off[mine]:
            reasons[i] = (f"{attribute}: no day in the working-day calendar ({SPAN}) lies {count_back} working days "
                          f"before {describe_day(int(day[i]))}" if short[i] else
                          f"{attribute}: {describe_day(int(day[i]))} is outside the working-day calendar ({SPAN})")
        bad[off[mine]] = True
    if not bad.any():
        return frame, []
    rows = frame.loc[bad, "row"].to_numpy()
    rejected = [{"row": int(row), "source": str(source) if source is not None else "", "case_id": case,
                 "reason": reason}
                for row, source, case, reason in zip(rows, _sources(frame, bad, rows), _cases(frame, bad),
                                                     reasons[bad], strict=True)]
    return frame.loc[~bad], rejected
