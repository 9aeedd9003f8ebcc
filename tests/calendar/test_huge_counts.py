"""A count of days past what int64 or the calendar holds is refused, never wrapped round.

Before: ``deadline --working-days 9223372036854775807`` printed 2004-01-02T23:59:59+08:00 and
exited 0 (the position cum + n - 1 wrapped to a negative number, clipped to the first working day);
``--working-days 10**30`` said "--start: cannot read '2025-01-03' as a date or time", and
``calendar.add_working_days(start, 10**30)`` raised TypeError "got dtype object".
"""

from __future__ import annotations

import numpy as np
import pytest
from typer.testing import CliRunner

import govdata_policy as gp
from govdata_policy.calendar import CalendarRangeError
from govdata_policy.cli.app import app

HUGE = [2**63 - 1, 2**62, 10**30, 11_688]


@pytest.mark.parametrize("n", HUGE)
@pytest.mark.parametrize("option", ["--working-days", "--calendar-days"])
def test_deadline_with_too_many_days_is_an_error(option: str, n: int) -> None:
    result = CliRunner().invoke(app, ["deadline", "-j", "yongzhou", "--start", "2025-01-03", option, str(n)])
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert "--start" not in result.stderr  # the start is fine
    assert "working-day calendar (2004-01-01 .. 2035-12-31)" in result.stderr


@pytest.mark.parametrize("n", HUGE)
def test_the_api_refuses_them_too(n: int) -> None:
    calendar = gp.load_jurisdiction("yongzhou").calendar
    for add in (calendar.add_working_days, calendar.add_calendar_days):
        with pytest.raises(CalendarRangeError, match="working-day calendar"):
            add("2025-01-03", n)
    day = calendar.wd_add(12_418, 1)  # 2004-01-01 is day 12,418 of 1970
    with pytest.raises(CalendarRangeError, match=r"2025-01-03 \+ 9223372036854775807 working days falls after"):
        calendar.wd_add(np.array([12_418, 20_091]), np.array([1, 2**63 - 1]))
    assert calendar.wd_add(np.array([12_418, 12_418]), np.array([1, 2])).tolist()[0] == day
