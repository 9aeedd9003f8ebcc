"""The naive per-event loop ``run.py`` times beside the engine: the way most in-house scripts check
a log (pandas ``iterrows``, a dict per case, a due date counted day by day per trigger)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any


def naive_check(path: Path, profile: Any, as_of: dt.date) -> int:
    """What an in-house script does: pandas ``iterrows``, a dict per case, a due date per trigger.

    Covers the deadline rules with a period in working or calendar days and the
    prohibited acts, with conditions on the event and on the case; counts the
    findings. Working days come from the ``holidays`` package (days off only).
    """
    import holidays
    import pandas as pd

    days_off = holidays.China(years=range(2020, 2029))

    def add_working_days(start: dt.date, n: int) -> dt.date:
        day, counted = start, 0
        while counted < n:
            day += dt.timedelta(days=1)
            if day.weekday() < 5 and day not in days_off:
                counted += 1
        return day

    def add_calendar_days(start: dt.date, n: int) -> dt.date:
        day = start + dt.timedelta(days=n)
        while day.weekday() >= 5 or day in days_off:
            day += dt.timedelta(days=1)
        return day

    def test(condition: Any, value: str | None) -> bool:
        value = value or None
        if value in ("是", "否"):
            value = "true" if value == "是" else "false"
        if condition.present is not None:
            return (value is not None) == condition.present
        if condition.absent is not None:
            return (value is None) == condition.absent
        wanted = {("true" if v else "false") if isinstance(v, bool) else str(v) for v in condition.values()}
        hit = value is not None and value in wanted
        return not hit if condition.not_in is not None else hit

    def matches(match: Any, row: dict[str, str], known: dict[str, str]) -> bool:
        if match.event != row["event"]:
            return False
        return all(test(c, row.get(a)) for a, c in match.when.items()) and all(
            test(c, known.get(a)) for a, c in match.case_when.items())

    deadlines = [r for r in profile.rules if r.kind == "deadline" and r.period is not None
                 and r.period.unit in ("working_days", "calendar_days")]
    prohibited = [r for r in profile.rules if r.kind == "prohibited"]
    frame = pd.read_csv(path, dtype=str, keep_default_na=False).sort_values(["time", "case_id"])
    known_by_case: dict[str, dict[str, str]] = {}
    open_by_case: dict[str, list[tuple[Any, dt.date]]] = {}
    found = 0
    for _, series in frame.iterrows():
        row = series.to_dict()
        try:
            when = dt.datetime.strptime(row["time"], "%Y-%m-%d %H:%M:%S").date()
        except ValueError:
            continue
        case = row["case_id"]
        if not case:
            continue
        known = known_by_case.setdefault(case, {})
        known.update({k: v for k, v in row.items() if v})
        waiting = open_by_case.setdefault(case, [])
        for item in list(waiting):
            rule, due = item
            if matches(rule.fulfil, row, known):
                waiting.remove(item)
                found += when > due
        for rule in deadlines:
            if matches(rule.trigger, row, known):
                step = add_working_days if rule.period.unit == "working_days" else add_calendar_days
                waiting.append((rule, step(when, int(rule.period.days))))
        found += sum(matches(rule.act, row, known) for rule in prohibited)
    found += sum(due < as_of for waiting in open_by_case.values() for _, due in waiting)
    return found
