"""The national schedule (国务院办公厅 notices) as encoded by ``holidays.China``.

``holidays`` gives days off by name and ``weekend_workdays`` (调休上班), but
the make-up days have no name; we name each after the day off it was swapped
with, which ``holidays`` writes into that day's name ("休息日（由 2025-01-26 调休）").
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache

import holidays

from ..timeutil import day_number
from .bounds import FIRST_DATE, FIRST_YEAR, LAST_DATE, LAST_YEAR

MAKEUP_NAME = "调休上班"
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class NationalSchedule:
    off: dict[int, str]  # day number -> name, days off (weekend holidays included)
    work: dict[int, str]  # day number -> name, weekend make-up working days
    published: frozenset[int]  # years whose make-up days are known (the notice is out)
    source: str


@cache
def national_schedule() -> NationalSchedule:
    # one year either side: a make-up day can belong to the next year's notice
    # (2005-12-31 was worked for 元旦 2006)
    table = holidays.China(years=range(FIRST_YEAR - 1, LAST_YEAR + 2), language="zh_CN")
    swapped: dict[str, dt.date] = {}
    for day, name in table.items():
        for found in _ISO.findall(name):
            swapped[found] = day
    off = {day_number(d): str(name) for d, name in table.items() if FIRST_DATE <= d <= LAST_DATE}
    work: dict[int, str] = {}
    for d in sorted(table.weekend_workdays):
        if FIRST_DATE <= d <= LAST_DATE:
            partner = swapped.get(d.isoformat())
            work[day_number(d)] = f"{MAKEUP_NAME}（与 {partner} 调换）" if partner else MAKEUP_NAME
    # a year with no make-up day at all is one whose notice holidays does not have
    # yet: the statutory days are then its estimate, not the State Council's schedule
    published = frozenset(d.year for d in table.weekend_workdays if FIRST_YEAR <= d.year <= LAST_YEAR)
    return NationalSchedule(
        off=off,
        work=work,
        published=published,
        source=f"holidays {holidays.__version__} (holidays.China, State Council notices)",
    )
