"""The monitor's scalar pieces agree with the batch's vectorised ones."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from govdata_policy.calendar.bounds import FIRST_DAY, LAST_DAY
from govdata_policy.engine.formats import FORMAT_CHECKS
from govdata_policy.monitor.basics import DayMath, valid_id_or_uscc

USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALID = ["11010519491231002X", "440524188001010014", "91350100M000100Y43"]


def _with_check(body: str) -> list[str]:
    """Every last character after a 17-character body: exactly the valid ones pass."""
    return [body + last for last in "0123456789X" + USCC_CHARS[10:]]


@settings(max_examples=200, deadline=None)
@given(st.one_of(
    st.text(alphabet=USCC_CHARS + "xIOZ -", min_size=16, max_size=20),
    st.text(alphabet="0123456789", min_size=17, max_size=17).map(_with_check),
    st.text(alphabet=USCC_CHARS, min_size=17, max_size=17).map(_with_check),
    st.sampled_from(VALID).map(lambda v: [v, v.lower(), f" {v} ", v[:-1] + "0", "１" + v[1:]]),
))
def test_identifier_check_matches_the_batch(values):
    values = values if isinstance(values, list) else [values]
    batch = FORMAT_CHECKS["cn_id_or_uscc"](np.array(values, dtype=object))
    assert [valid_id_or_uscc(v) for v in values] == batch.tolist()


@settings(max_examples=300, deadline=None)
@given(day=st.integers(FIRST_DAY, LAST_DAY - 200), n=st.integers(0, 60), m=st.integers(0, 120))
def test_day_arithmetic_matches_the_calendar(profiles, day, n, m):
    calendar = profiles["xinjiang"].calendar  # national schedule plus regional days off
    days = DayMath(calendar)
    assert days.wd_add(day, n) == calendar.wd_add(day, n)
    assert days.cd_add(day, n) == calendar.cd_add(day, n)
    assert days.wd_between(day, day + m) == calendar.wd_between(day, day + m)
    if day > FIRST_DAY + 200:
        assert days.wd_sub_latest(day, n) == calendar.wd_sub_latest(day, n)
