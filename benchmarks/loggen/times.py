"""When a generated case starts and how long its steps take: days and times of day."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np

from .settings import EPOCH, FIRST_START, INSIDE_VALIDITY, LAST_START, LATE_SHARE, OFF_HOURS, PREMATURE_SHARE


def day_number(value: dt.date) -> int:
    return (value - EPOCH).days


def start_days(rng: np.random.Generator, profile: Any, n: int) -> np.ndarray:
    lo, hi = day_number(FIRST_START), day_number(LAST_START)
    days = rng.integers(lo, hi + 1, size=n)
    windows = [(d.valid_from, d.valid_to) for d in profile.spec.documents.values()
               if d.valid_from and d.valid_to and (d.valid_to - d.valid_from).days < 4 * 365]
    if windows:
        start, end = max(day_number(windows[0][0]), lo), min(day_number(windows[0][1]), hi)
        inside = rng.random(n) < INSIDE_VALIDITY
        days[inside] = rng.integers(start, end + 1, size=int(inside.sum()))
    return days


def office_time(rng: np.random.Generator, n: int) -> np.ndarray:
    """Seconds after local midnight: office hours, a few at any hour."""
    seconds = rng.integers(8 * 3600 + 1800, 18 * 3600, size=n)
    anytime = rng.random(n) < OFF_HOURS
    seconds[anytime] = rng.integers(0, 86_400, size=int(anytime.sum()))
    return seconds


def to_working_day(calendar: Any, days: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Most work happens on working days: move most off days to the next working day."""
    move = ~calendar.is_work(days) & (rng.random(len(days)) > OFF_HOURS * 2)
    days = days.copy()
    if move.any():
        days[move] = calendar.cd_add(days[move], 0)
    return days


def delay_days(rng: np.random.Generator, kind: str, unit: str, days: np.ndarray) -> np.ndarray:
    """Calendar days between a step and the step it follows, for a period of ``days`` in ``unit``."""
    n = len(days)
    if kind == "deadline" and unit != "none":
        on_time = rng.integers(0, days + 1)
        late = rng.integers(np.ceil(days * 7 / 5).astype(np.int64) + 2, 3 * days + 12)
        return np.where(rng.random(n) < LATE_SHARE, late, on_time)
    if kind == "deadline":  # C4: no period, done within days or weeks
        return rng.integers(0, 30, size=n)
    if kind == "waiting":
        span = days * 7 // 5 if unit == "working_days" else days
        after = rng.integers(span + 2, span + 20)
        early = rng.integers(0, np.maximum(span, 1))
        return np.where(rng.random(n) < PREMATURE_SHARE, early, after)
    return rng.integers(0, 6, size=n)  # no rule on the gap (the date itself is set elsewhere)
