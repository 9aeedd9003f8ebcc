"""`compare --log` asked pandas for each merged row's first duty and whether its verdicts (and due dates)
differ row by row (``bfill(axis=1)``, ``nunique(axis=1)``: a Series built per row, 200 s on a 1M-event
log). The column-by-column forms give the same answers on any mix of values and gaps; and the "N wd late"
wording, a Python call per obligation (1.5M on that log), is a column operation."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from govdata_policy.compare import first_present, late_text, not_all_equal

WORDS = st.sampled_from(["met", "late", "overdue", "pending", "missing", "none", "—", "", "late, 2 wd late"])


@st.composite
def frames(draw: st.DrawFn, gaps: bool) -> pd.DataFrame:
    width = draw(st.integers(1, 4))
    height = draw(st.integers(0, 30))
    cell = st.one_of(WORDS, st.none()) if gaps else WORDS
    rows = draw(st.lists(st.lists(cell, min_size=width, max_size=width), min_size=height, max_size=height))
    frame = pd.DataFrame(rows, columns=[f"verdict::p{i}" for i in range(width)], dtype=object)
    if draw(st.booleans()):
        frame = frame.astype("str") if not gaps else frame.astype(pd.StringDtype(na_value=float("nan")))
    return frame.set_axis(pd.RangeIndex(height) * draw(st.integers(1, 3)))


@settings(max_examples=300, deadline=None)
@given(frames(gaps=True))
def test_first_present_is_the_row_wise_backfill(frame: pd.DataFrame) -> None:
    expected = frame.bfill(axis=1).iloc[:, 0]
    got = first_present(frame)
    assert list(got.index) == list(expected.index)
    assert [None if pd.isna(v) else v for v in got] == [None if pd.isna(v) else v for v in expected]


@settings(max_examples=300, deadline=None)
@given(frames(gaps=False))
def test_not_all_equal_is_the_row_wise_count(frame: pd.DataFrame) -> None:
    expected = frame.nunique(axis=1) > 1
    got = not_all_equal(frame)
    assert list(got.index) == list(expected.index)
    assert got.tolist() == expected.tolist()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), st.integers(0, 10_000)), max_size=30))
def test_late_text_is_the_per_value_wording(days: list[int | None]) -> None:
    column = pd.Series(days, dtype="Int64")
    expected = column.map(lambda v: "" if pd.isna(v) else f", {int(v)} wd late")
    assert late_text(column).tolist() == expected.tolist()
