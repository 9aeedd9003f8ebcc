"""The engine's issue-5 fast paths against the straightforward computations they replace.

Each fast path (lazy columns, per-distinct-value conditions, the numpy forward fill,
the binary-search as-of join, radix grouping, Arrow case codes, the identifier matrix,
str columns built from codes, the calendar check on candidate rows) is compared with
the plain pandas way on awkward input: missing values of every kind, Chinese text,
white space, ties on time, duplicates, a single row, an empty log.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal, assert_series_equal

import govdata_policy as gp
from govdata_policy.engine.calendar_rows import dates_outside_calendar
from govdata_policy.engine.context import answers_of, asof_join, words
from govdata_policy.engine.distinct import ColumnCodes
from govdata_policy.engine.formats import FORMAT_CHECKS, _matrix, _upper_ascii
from govdata_policy.engine.frame import (
    _first_seen_codes,
    condition_holds,
    condition_mask,
    group_order,
    prepare,
)
from govdata_policy.rules.model import Condition, EventMatch, Period

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TEXT = ["甲", "乙 ", " ", "", None, np.nan, "conditional", "true", "丙丁"]
FLAGS = [True, False, None]
EVENTS = ["share.requested", "share.replied", "共享.申请"]
CONDITIONS = [
    Condition(equals="甲"), Condition(equals="conditional"), Condition(equals=True), Condition(equals=3),
    Condition.model_validate({"in": ["甲", "丙丁", "true"]}), Condition(not_in=["甲", True]),
    Condition(present=True), Condition(present=False), Condition(absent=True), Condition(absent=False),
]


def _match(event: str, when: dict | None = None, case_when: dict | None = None) -> EventMatch:
    """A match on made-up attributes and values (the vocabulary check would refuse them)."""
    return EventMatch.model_construct(event=event, when=when or {}, case_when=case_when or {})


def _events(rng: np.random.Generator, n: int, cases: int, times: int) -> pd.DataFrame:
    """An EventFrame with ties on time, repeated rows and every kind of missing value."""
    base = 1_700_000_000 * 10**9
    time_ns = base + rng.integers(0, max(times, 1), n) * 86_400 * 10**9
    frame = pd.DataFrame({
        "row": np.arange(1, n + 1, dtype=np.int64),
        "case_id": pd.Series([f"案-{c}" for c in rng.integers(0, max(cases, 1), n)], dtype=object),
        "event": pd.Series([EVENTS[i] for i in rng.integers(0, len(EVENTS), n)], dtype=object),
        "time_ns": time_ns.astype(np.int64),
        "day": (time_ns // (86_400 * 10**9)).astype(np.int64),
        "label": pd.Series([TEXT[i] for i in rng.integers(0, len(TEXT), n)], dtype=object),
        "flag": pd.array([FLAGS[i] for i in rng.integers(0, 3, n)], dtype="boolean"),
        "count": pd.array([None if i == 0 else int(i) for i in rng.integers(0, 5, n)], dtype="Int64"),
        "empty": pd.Series([None] * n, dtype=object),
    })
    if n > 3:  # exact duplicates but for the row number
        frame.iloc[n - 1, 1:] = frame.iloc[0, 1:]
    return frame


def _plain_known(prep, attribute: str) -> pd.Series:
    """A row's own value, else its case's latest at or before its time: events at one instant are
    simultaneous, so a row takes a value from a same-time event sorted after it."""
    column = prep.frame[attribute] if attribute in prep.frame.columns else pd.Series(
        pd.NA, index=prep.frame.index, dtype="object")
    if column.isna().all():
        return column
    taken = []
    for i in range(len(column)):
        if pd.notna(column.iloc[i]):
            taken.append(i)
            continue
        earlier = [j for j in range(len(column)) if prep.case_codes[j] == prep.case_codes[i]
                   and prep.time_ns[j] <= prep.time_ns[i] and pd.notna(column.iloc[j])]
        taken.append(max(earlier) if earlier else -1)  # the last in order: the latest, a tie's last
    return pd.Series(column.array.take(np.array(taken, dtype=np.int64), allow_fill=True), dtype=column.dtype,
                     name=column.name)


def _plain_select(prep, match: EventMatch) -> np.ndarray:
    positions = prep.by_event.get(match.event, np.empty(0, dtype=np.int64))
    for attribute, condition in match.when.items():
        column = prep.frame[attribute] if attribute in prep.frame.columns else pd.Series(
            pd.NA, index=prep.frame.index, dtype="object")
        positions = positions[condition_holds(column.iloc[positions], condition)]
    for attribute, condition in match.case_when.items():
        positions = positions[condition_holds(_plain_known(prep, attribute).iloc[positions], condition)]
    return positions


@SETTINGS
@given(seed=st.integers(0, 10**6), n=st.integers(0, 60), cases=st.integers(1, 8), times=st.integers(1, 6))
def test_prepared_columns_known_and_select_match_the_plain_ones(seed: int, n: int, cases: int, times: int) -> None:
    rng = np.random.default_rng(seed)
    events = _events(rng, n, cases, times)
    keep = rng.random(n) < 0.9
    prep = prepare(events, keep=keep)
    plain = prepare(events.loc[keep].reset_index(drop=True))  # keep= must be the filtered frame's result
    for name in ("case_codes", "time_ns", "day", "rows"):
        assert np.array_equal(getattr(prep, name), getattr(plain, name))
    assert prep.duplicates == plain.duplicates
    assert {k: v.tolist() for k, v in prep.by_event.items()} == {k: v.tolist() for k, v in plain.by_event.items()}
    for attribute in ("label", "flag", "count", "empty", "no_such_column"):
        for i, condition in enumerate(CONDITIONS):
            event = EVENTS[i % len(EVENTS)]
            for match in (_match(event=event, when={attribute: condition}),
                          _match(event=event, case_when={attribute: condition})):
                assert prep.select(match).tolist() == _plain_select(plain, match).tolist()
        assert_series_equal(prep.known(attribute), _plain_known(plain, attribute))
        assert_series_equal(prep.column(attribute), plain.column(attribute))
        positions = rng.integers(-1, max(len(prep), 1), min(len(prep), 7)) if len(prep) else np.empty(0, np.int64)
        expected = plain.column(attribute).reindex(positions)  # position -1: NA (of any kind)
        got = prep.at(attribute, positions)
        assert got.dtype == expected.dtype
        assert got.isna().tolist() == expected.isna().tolist()
        assert got.dropna().tolist() == expected.dropna().tolist()
    assert "frame" not in vars(prep)  # nothing above needed the whole sorted log
    assert_frame_equal(prep.frame, plain.frame)


@SETTINGS
@given(seed=st.integers(0, 10**6), n=st.integers(0, 60), cases=st.integers(1, 8), times=st.integers(1, 6))
def test_latest_at_some_positions_is_latest_over_the_whole_log(seed: int, n: int, cases: int, times: int) -> None:
    """The findings' parties look up ``latest_at`` their positions only (any order, repeats), without the
    whole-log forward fill: the same positions as that fill, and as the plain row-by-row search."""
    rng = np.random.default_rng(seed)
    events = _events(rng, n, cases, times)
    for attribute in ("label", "flag", "count", "empty", "no_such_column"):
        prep, whole = prepare(events), prepare(events)
        positions = rng.integers(0, len(prep), rng.integers(0, 2 * len(prep) + 1)) if len(prep) else np.empty(
            0, np.int64)
        got = prep.latest_at(attribute, positions)
        assert attribute not in prep._latest  # worked out at the positions, not over the whole log
        assert got.tolist() == whole.latest(attribute)[positions].tolist()
        assert prep.latest_at(attribute, positions).tolist() == got.tolist()  # asked again: the same
        plain = _plain_known(whole, attribute)
        values = prep.column(attribute).array.take(got, allow_fill=True)
        assert pd.Series(values).isna().tolist() == plain.iloc[positions].isna().tolist()
        assert pd.Series(values).dropna().tolist() == plain.iloc[positions].dropna().tolist()


@pytest.mark.parametrize("n", [0, 1])
def test_an_empty_and_a_single_row_log(n: int) -> None:
    prep = prepare(_events(np.random.default_rng(1), n, 1, 1))
    assert len(prep) == n
    assert prep.select(_match(event="*", when={"label": Condition(present=True)})).tolist() == (
        [0] if n and pd.notna(prep.frame["label"][0]) and prep.frame["label"][0].strip() else [])
    assert prep.time_ties[0].tolist() == list(range(n))
    assert_series_equal(prep.known("label"), _plain_known(prep, "label"))


@SETTINGS
@given(values=st.lists(st.sampled_from([*TEXT, "甲", 1, 1.0, True, pd.NA]), max_size=30),
       condition=st.sampled_from(CONDITIONS))
def test_a_condition_per_distinct_value_is_the_condition_per_value(values: list, condition: Condition) -> None:
    for dtype in ("object", "str", "string"):
        if dtype != "object" and any(not isinstance(v, str) and pd.notna(v) for v in values):
            continue
        series = pd.Series(values, dtype=dtype)
        assert condition_mask(series, condition).tolist() == condition_holds(series, condition).tolist()


@SETTINGS
@given(seed=st.integers(0, 10**6), n=st.integers(1, 80), asks=st.integers(1, 5), mixed=st.booleans(),
       known_na=st.booleans())
def test_column_codes_coded_on_demand_index_the_values(seed: int, n: int, asks: int, mixed: bool,
                                                       known_na: bool) -> None:
    rng = np.random.default_rng(seed)
    column = _events(rng, n, 3, 3)["label"]
    if mixed:  # 1, 1.0 and True are one key to a hash table, but not one value
        column = pd.Series([[1, 1.0, True, "1", None][i] for i in rng.integers(0, 5, n)], dtype=object)
    codes = ColumnCodes(column, column.isna().to_numpy() if known_na else None)
    for _ in range(asks):
        rows = rng.integers(-1, n, rng.integers(0, n + 1))
        found, table = codes.at(rows)
        expected = column.reindex(rows).to_numpy(dtype=object)
        got = table.to_numpy(dtype=object)[found]
        assert [None if pd.isna(v) else repr(v) for v in got] == [None if pd.isna(v) else repr(v) for v in expected]
        assert pd.isna(table.iloc[-1])


def _plain_asof(prep, left: np.ndarray, right: np.ndarray, direction: str) -> np.ndarray:
    """The merge_asof the binary search replaced."""
    result = np.full(len(left), -1, dtype=np.int64)
    if len(left) == 0 or len(right) == 0:
        return result
    left_frame = pd.DataFrame({"t": prep.time_ns[left], "case": prep.case_codes[left], "i": np.arange(len(left))})
    right_frame = pd.DataFrame({"t": prep.time_ns[right], "case": prep.case_codes[right], "r": right})
    # "after": first strictly after the left's instant, merge_asof forward without exact matches
    merged = pd.merge_asof(left_frame, right_frame, on="t", by="case",
                           direction="forward" if direction == "after" else direction,
                           allow_exact_matches=direction != "after")
    found = merged["r"].notna().to_numpy()
    result[merged["i"].to_numpy()[found]] = merged["r"].to_numpy()[found].astype(np.int64)
    return result


@SETTINGS
@given(seed=st.integers(0, 10**6), n=st.integers(0, 80), times=st.integers(1, 8))
def test_asof_join_is_merge_asof(seed: int, n: int, times: int) -> None:
    rng = np.random.default_rng(seed)
    prep = prepare(_events(rng, n, 4, times))
    for _ in range(3):
        left = np.flatnonzero(rng.random(len(prep)) < 0.5)
        right = np.flatnonzero(rng.random(len(prep)) < 0.4)
        for direction in ("forward", "after", "backward"):
            expected = _plain_asof(prep, left, right, direction)
            assert asof_join(prep, left, right, direction).tolist() == expected.tolist()


def _plain_answers(prep, triggers: np.ndarray, fulfilments: np.ndarray) -> list[int]:
    """The triggers in time order, each taking the first fulfilment of its case at or after its instant,
    unless that one is at its very instant and already answers a trigger of an earlier instant (as finally
    answered): then the first after its instant. As a monitor fed the log in that order settles cycles."""
    def first(case: int, after: int, strictly: bool) -> int:
        found = [f for f in fulfilments if prep.case_codes[f] == case
                 and (prep.time_ns[f] > after if strictly else prep.time_ns[f] >= after)]
        return min(found) if found else -1  # positions ascend with time: the least is the first

    final: dict[int, int] = {}
    for t in sorted(triggers.tolist(), key=lambda p: (prep.time_ns[p], p)):
        answer = first(prep.case_codes[t], prep.time_ns[t], False)
        if answer >= 0 and prep.time_ns[answer] == prep.time_ns[t] and any(
                final[o] == answer and prep.time_ns[o] < prep.time_ns[t] for o in final):
            answer = first(prep.case_codes[t], prep.time_ns[t], True)
        final[t] = answer
    return [final[int(t)] for t in triggers]


@SETTINGS
@given(seed=st.integers(0, 10**6), n=st.integers(0, 60), times=st.integers(1, 5))
def test_an_answer_at_a_later_triggers_instant_stays_with_the_earlier_trigger(seed: int, n: int, times: int) -> None:
    rng = np.random.default_rng(seed)
    prep = prepare(_events(rng, n, 3, times))  # few times: many ties of triggers and answers
    for _ in range(3):
        triggers = np.flatnonzero(rng.random(len(prep)) < 0.5)
        fulfilments = np.flatnonzero(rng.random(len(prep)) < 0.4)
        assert answers_of(prep, triggers, fulfilments).tolist() == _plain_answers(prep, triggers, fulfilments)


@SETTINGS
@given(codes=st.lists(st.integers(0, 200_000), max_size=200))
def test_group_order_is_the_stable_argsort(codes: list[int]) -> None:
    array = np.array(codes, dtype=np.int64)
    assert group_order(array).tolist() == np.argsort(array, kind="stable").tolist()


@pytest.mark.parametrize("values", [
    ["案-1", "案-2", "案-1", "b", "案-2"],
    ["a", b"a", "a"],  # bytes are not text: pandas' codes
    ["a", None, "a", np.nan],
    ["a", "\ud800", "a"],  # no UTF-8 for a lone surrogate
    [1, "1", 1.0],
    [],
])
def test_case_codes_are_pandas_factorize(values: list) -> None:
    series = pd.Series(values, dtype=object)
    assert _first_seen_codes(series).tolist() == pd.factorize(series)[0].tolist()


@pytest.mark.parametrize("names, codes", [
    (("pending", "met", "late"), [0, 1, 2, 2, 0]), (("late",), []), (("申请",), [0]),
])
def test_words_are_typed_as_a_data_frame_types_them(names: tuple, codes: list) -> None:
    codes_array = np.array(codes, dtype=np.int8)
    expected = pd.DataFrame({"w": np.asarray(names, dtype=object)[codes_array]})["w"]
    assert_series_equal(pd.DataFrame({"w": words(names, codes_array)})["w"], expected)


@SETTINGS
@given(values=st.lists(st.one_of(
    st.sampled_from(["11010519491231002X", "91350100M000100Y43", "1101051949123100ﬀ", "１1010519491231002X"]),
    st.text(alphabet="0123456789xXabcMY \t\x1c\u3000ß", min_size=16, max_size=20),
), max_size=20))
def test_identifier_matrix_is_strip_and_upper(values: list[str]) -> None:
    text = pd.Series(values, dtype="string")
    chars, ok = _matrix(text)
    plain_chars, plain_ok = _upper_ascii(np.array(values, dtype=object))
    assert ok.tolist() == plain_ok.tolist()
    assert (chars[ok] == plain_chars[ok]).all()
    assert FORMAT_CHECKS["cn_id_or_uscc"](text).tolist() == FORMAT_CHECKS["cn_id_or_uscc"](
        np.array(values, dtype=object)).tolist()


class _Rule:
    def __init__(self, kind: str, match: EventMatch, attribute: str) -> None:
        self.kind, self.trigger, self.act = kind, match, match
        self.due_attribute = self.date_attribute = attribute
        self.mode, self.period = "at_least", Period(unit="working_days", days=30)  # a lead time's


def test_dates_off_the_calendar_are_rejected_on_the_matching_events_only() -> None:
    from govdata_policy.calendar.bounds import LAST_DAY

    events = _events(np.random.default_rng(3), 40, 5, 5)
    far = (LAST_DAY + 400) * 86_400 * 10**9
    events["rectify_by"] = pd.array([far if i % 3 == 0 else None for i in range(40)], dtype="Int64")
    rule = _Rule("deadline", _match(event=EVENTS[0], when={"label": Condition(equals="甲")}), "rectify_by")
    profile = type("Profile", (), {"rules": [rule, _Rule("lead_time", _match(event=EVENTS[1]), "rectify_by")],
                                   "calendar": gp.load_jurisdiction("yongzhou").calendar})
    kept, rejected = dates_outside_calendar(events, profile)
    wanted = ((events["rectify_by"].notna()) & (
        ((events["event"] == EVENTS[0]) & (events["label"] == "甲")) | (events["event"] == EVENTS[1]))).to_numpy()
    assert [r["row"] for r in rejected] == events.loc[wanted, "row"].tolist()
    assert all("rectify_by" in r["reason"] for r in rejected)
    assert_frame_equal(kept, events.loc[~wanted])


def test_a_date_without_its_time_on_the_day_of_a_timed_event_is_noted() -> None:
    """A reply dated 2025-05-26 (read as 00:00) to a request of 2025-05-26 09:00 comes before it, so
    the request stays unanswered: the verdict stands, as the log says, but the note tells why. A
    date-only event on a day its case has no timed event, or a log of dates only, is no note."""
    import govdata_policy as gp

    profile = gp.load_jurisdiction("yongzhou")
    request = {"case_id": "Q1", "event": "share.requested", "time": "2025-05-26 09:00", "category": "conditional"}
    reply = {"case_id": "Q1", "event": "share.provider_reviewed", "time": "2025-05-26", "outcome": "approved"}
    other_day = {**reply, "case_id": "Q2", "time": "2025-05-27"}
    other_request = {**request, "case_id": "Q2"}
    result = profile.evaluate([request, reply, other_request, other_day], as_of="2025-12-31")
    [note] = [n for n in result.notes if n["kind"] == "date_only"]
    assert note["message"].startswith("1 event(s) at 00:00:00, perhaps a date without its time of day")
    # and such an event does not know what the request says: a refusal of unconditional data dated the
    # request's day is no prohibited act (18.1), which the note says too
    assert "nor does it know the category or level the request gives" in note["message"]
    refusal = {**reply, "case_id": "Q3", "outcome": "refused", "reason": "r", "legal_basis": "l"}
    unconditional = {**request, "case_id": "Q3", "category": "unconditional"}
    quiet = profile.evaluate([unconditional, refusal], as_of="2025-12-31")
    assert "yz-18.1-unconditional-not-refused" not in set(quiet.violations["rule_id"])
    timed = profile.evaluate([unconditional, {**refusal, "time": "2025-05-26 15:00"}], as_of="2025-12-31")
    assert "yz-18.1-unconditional-not-refused" in set(timed.violations["rule_id"])
    assert result.violations.loc[result.violations["case_id"] == "Q1", "kind"].tolist() == ["overdue"]
    dates_only = [{**request, "time": "2025-05-26"}, reply]
    assert not [n for n in profile.evaluate(dates_only, as_of="2025-12-31").notes if n["kind"] == "date_only"]
