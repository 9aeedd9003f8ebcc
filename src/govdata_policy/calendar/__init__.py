"""The working-day calendar every deadline rule uses (CLAUSES.md C1-C3).

    from govdata_policy.calendar import build_calendar
    cal = build_calendar(regional=Path("jurisdictions/calendars/guangxi.yaml"))
    cal.add_working_days("2023-04-20", 1)      # Timestamp('2023-04-24 23:59:59+0800')
    cal.wd_add(day_numbers, 5)                 # vectorised, on local day numbers

See docs/calendar.md for the data files and the coverage rules.
"""

from __future__ import annotations

from .bounds import FIRST_DATE, LAST_DATE
from .build import build_calendar, clear_cache
from .coverage import YearCoverage
from .errors import CalendarFileError, CalendarRangeError
from .working import WorkingCalendar

__all__ = [
    "FIRST_DATE",
    "LAST_DATE",
    "CalendarFileError",
    "CalendarRangeError",
    "WorkingCalendar",
    "YearCoverage",
    "build_calendar",
    "clear_cache",
]
