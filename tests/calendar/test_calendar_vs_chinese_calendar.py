"""The national schedule agrees day by day with the independent chinese_calendar package.

``holidays`` (our source) and ``chinese_calendar`` (test-only) are maintained
separately from the State Council notices, so agreement on 8,400 days is a strong
check that the schedule is read and layered correctly.
"""

from __future__ import annotations

import datetime as dt

import chinese_calendar  # test-only dependency (dev extra "chinesecalendar"): fail, never skip
import numpy as np

from govdata_policy.timeutil import day_number

# The one known disagreement, explained in docs/calendar.md: 国务院办公厅关于2006年
# 部分节假日安排的通知 (国办发明电〔2005〕35号, 2005-12-16) moved the weekend of
# 2005-12-31/2006-01-01 to 01-02/03 and says "12月31日（星期六）上班". holidays
# encodes that make-up day; chinese_calendar lacks it (its issue #125, open) and
# has 2005-12-31 as a plain Saturday off. holidays is right, so we follow it.
EXPECTED_DISAGREEMENTS = {dt.date(2005, 12, 31): ("holidays: working", "chinese_calendar: off")}


def test_national_schedule_matches_chinese_calendar_2004_to_2026(national):
    first, last = dt.date(2004, 1, 1), dt.date(2026, 12, 31)
    days = np.arange(day_number(first), day_number(last) + 1, dtype=np.int64)
    ours = national.is_work(days)
    theirs = np.array([chinese_calendar.is_workday(first + dt.timedelta(days=i)) for i in range(days.size)])
    disagree = {first + dt.timedelta(days=int(i)) for i in np.flatnonzero(ours != theirs)}
    unexpected = disagree - set(EXPECTED_DISAGREEMENTS)
    assert not unexpected, f"new disagreements with chinese_calendar: {sorted(unexpected)}"
    vanished = set(EXPECTED_DISAGREEMENTS) - disagree
    assert not vanished, f"expected disagreement gone (update the test and docs): {sorted(vanished)}"
    # and the disagreement is the documented way round
    assert national.is_working_day("2005-12-31")
    assert not chinese_calendar.is_workday(dt.date(2005, 12, 31))
