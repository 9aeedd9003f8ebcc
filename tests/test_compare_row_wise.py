"""`compare --log` asked pandas for each merged row's first duty and whether its verdicts (and due dates)
differ row by row (``bfill(axis=1)``, ``nunique(axis=1)``: a Series built per row, 200 s on a 1M-event
log). The column-by-column forms give the same answers on any mix of values and gaps; and the "N wd late"
wording, a Python call per obligation (1.5M on that log), is a column operation."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from govdata_policy.compare import differing_records, first_present, not_all_equal
from govdata_policy.compare_verdicts import late_text

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


def row_wise_records(names: list[str], differ: pd.DataFrame, duties: list[set[str]],
                     outside: list[pd.DataFrame | None]) -> list[dict[str, object]]:
    """The records as compare_log made them before, a record of the frame each and a dict lookup per profile."""
    hidden = [{} if frame is None else frame.set_index(["case_id", "key"])["verdict"].to_dict() for frame in outside]
    records = []
    for record in differ.to_dict(orient="records"):
        reasons = []
        for n, keys, left in zip(names, duties, hidden, strict=True):
            verdict = record.get(f"verdict::{n}")
            left_out = left.get((record["case_id"], record["key"]))
            if not pd.isna(verdict):
                reasons.append(f"{verdict} under {n} ({record[f'detail::{n}']}, clause {record[f'clause::{n}']})")
            elif left_out is not None:
                reasons.append(f"not reported under {n}: {left_out}, its event outside the document's validity (C6)")
            elif record["key"] in keys:
                reasons.append(f"no finding under {n}")
            else:
                reasons.append(f"no such duty under {n}")
        records.append({"case_id": record["case_id"], "duty": record["duty"],
                        "verdicts": {n: None if pd.isna(record.get(f"verdict::{n}")) else record[f"verdict::{n}"]
                                     for n in names},
                        "reason": "; ".join(reasons)})
    return records


@st.composite
def differing_cases(draw: st.DrawFn) -> tuple[list[str], pd.DataFrame, list[set[str]], list[pd.DataFrame | None]]:
    names = [f"p{i}" for i in range(draw(st.integers(1, 3)))]
    keys = ["deadline → a", "deadline → b", "act c"]
    pairs = draw(st.lists(st.tuples(st.sampled_from(["C-1", "C-2", "C-3"]), st.sampled_from(keys)), unique=True,
                          max_size=9))
    columns: dict[str, list[object]] = {"case_id": [c for c, _ in pairs], "key": [k for _, k in pairs],
                                        "duty": [k.upper() for _, k in pairs]}
    verdict = st.one_of(st.none(), st.sampled_from(["met", "late", "missing", "premature"]))
    for name in names:
        columns[f"verdict::{name}"] = [draw(verdict) for _ in pairs]
        # a detail or clause may be missing in a row whose verdict is there: written as the old loop wrote it
        columns[f"detail::{name}"] = [draw(st.one_of(st.none(), st.sampled_from(["5 wd, due 2025-03-10", "—"])))
                                      for _ in pairs]
        columns[f"clause::{name}"] = [draw(st.sampled_from(["18.2", "5.3.2", None])) for _ in pairs]
    differ = pd.DataFrame(columns, dtype=object).set_axis(pd.RangeIndex(len(pairs)) * 2 + 1)  # not 0..n-1
    duties = [set(draw(st.lists(st.sampled_from(keys), unique=True))) for _ in names]
    outside: list[pd.DataFrame | None] = []
    for _ in names:
        left = draw(st.one_of(st.none(), st.lists(st.sampled_from(pairs), unique=True) if pairs else st.just([])))
        outside.append(None if left is None else pd.DataFrame(
            {"case_id": [c for c, _ in left], "key": [k for _, k in left],
             "verdict": [draw(st.sampled_from(["late", "overdue"])) for _ in left]},
            columns=["case_id", "key", "verdict"], dtype=object))
    return names, differ, duties, outside


@settings(max_examples=300, deadline=None)
@given(differing_cases())
def test_differing_records_are_the_row_wise_records(case: tuple) -> None:
    names, differ, duties, outside = case
    assert differing_records(names, differ, duties, outside) == row_wise_records(names, differ, duties, outside)
