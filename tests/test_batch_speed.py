"""Speed work of issue 5 changes no output: each fast path against the straightforward one.

Result.to_json writes tables column-wise; its text must be json.dumps's, byte for byte.
Times are formatted from per-day tables; they must be strftime's. The canonical order
sorts by time first; it must be the full lexsort's.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from govdata_policy.engine.frame import _time_order
from govdata_policy.engine.messages import local_text
from govdata_policy.json_text import join_tables, table_json
from govdata_policy.result import Result, display_frame
from govdata_policy.timeutil import LOCAL_TZ


def _times(values: list[int | None]) -> pd.Series:
    return pd.to_datetime(pd.Series(values, dtype="Int64"), unit="ns", utc=True).dt.tz_convert(LOCAL_TZ)


def _frame(n: int) -> pd.DataFrame:
    rng = np.random.default_rng(7)
    base = 1_700_000_000 * 10**9
    stamps = [None if i % 5 == 0 else base + int(x) * 10**9 + 123 for i, x in enumerate(rng.integers(0, 10**8, n))]
    return pd.DataFrame({
        "rule_id": [f"r-{i % 3}" for i in range(n)],
        "clause": pd.Series([str(i % 4) for i in range(n)], dtype="str"),
        "case_id": [f"案件\"{i}\"\\\n" for i in range(n)],
        "due": _times(stamps),
        "working_days_late": pd.array([None if i % 2 else i for i in range(n)], dtype="Int64"),
        "plain_int": np.arange(n, dtype=np.int64),
        "flag": pd.array([None if i % 3 == 0 else bool(i % 2) for i in range(n)], dtype="boolean"),
        "ratio": [0.5 * i if i % 4 else np.nan for i in range(n)],
        "evidence_rows": [[i] if i % 2 else [i, i + 7] for i in range(n)],
        "mixed": [None, 1, "1", True, np.int64(3), 2.5, [1, "a"], {"k": [1, 2]}][: min(n, 8)] + [None] * max(n - 8, 0),
        "empty_lists": [[] for _ in range(n)],
        "mitigation": [None] * n,
    })


@pytest.mark.parametrize("indent", [None, 2, 4])
@pytest.mark.parametrize("rows", [0, 1, 9, 200])
def test_same_text_as_json_dumps(indent: int | None, rows: int) -> None:
    frame = _frame(rows)
    result = Result("yongzhou", 1_719_763_199 * 10**9, {"read": rows, "accepted": rows, "rejected": 0},
                    frame, frame.iloc[: rows // 2], rejected_rows=[{"row": 3, "source": "a.csv", "reason": "x"}],
                    notes=[{"kind": "draft", "message": "征求意见稿"}])
    for obligations in (True, False):
        expected = json.dumps(result.to_dict(obligations=obligations), ensure_ascii=False, indent=indent,
                              default=str)
        assert result.to_json(indent=indent, obligations=obligations) == expected


def test_an_empty_result_and_odd_columns_fall_back() -> None:
    empty = pd.DataFrame({"rule_id": pd.Series(dtype=object)})
    odd = pd.DataFrame([[1, 2]], columns=[0, 1])  # names that are not text: json.dumps decides
    for frame in (empty, odd):
        result = Result("guangxi", 0, {"read": 0, "accepted": 0, "rejected": 0}, frame, frame)
        assert result.to_json(indent=2) == json.dumps(result.to_dict(), ensure_ascii=False, indent=2, default=str)


def test_local_text_matches_strftime() -> None:
    rng = np.random.default_rng(3)
    ns = [None, *(int(v) for v in rng.integers(-10**17, 4 * 10**18, 500))]
    values = _times(ns)
    for style, fmt in (("date", "%Y-%m-%d"), ("minute", "%Y-%m-%d %H:%M"), ("iso", "%Y-%m-%dT%H:%M:%S+08:00")):
        fast = local_text(values, style)
        slow = values.dt.strftime(fmt).astype(object).where(values.notna(), None).to_numpy(dtype=object)
        assert fast is not None and list(fast) == list(slow)
    # a zone database entry has no single offset: the caller falls back to strftime
    assert local_text(values.dt.tz_convert("Asia/Shanghai"), "iso") is None


def test_display_frame_writes_iso_times() -> None:
    frame = pd.DataFrame({"due": _times([None, 1_715_961_599 * 10**9]), "n": pd.array([1, None], dtype="Int64")})
    shown = display_frame(frame)
    assert shown["due"].tolist() == [None, "2024-05-17T23:59:59+08:00"]
    assert shown["n"].dtype == "Int64"


def test_time_order_is_the_full_lexsort() -> None:
    rng = np.random.default_rng(1)
    for n in (0, 1, 5, 1000, 20_000):
        for span in (3, 50, 10**12):
            t = rng.integers(0, span, n)
            c, e = rng.integers(0, 7, n), rng.integers(0, 4, n)
            h = rng.integers(0, 3, n).astype(np.uint64)
            assert (_time_order(t, c, e) == np.lexsort((e, c, t))).all()
            assert (_time_order(t, c, e, h) == np.lexsort((h, e, c, t))).all()


@pytest.mark.parametrize("indent", [None, 2, 4])
def test_tables_joined_from_parts_are_the_whole(indent: int | None) -> None:
    """engine.parallel: the text of consecutive row ranges, joined, is the whole table's text."""
    frame = _frame(30)
    whole = b"".join(table_json(frame, indent, 1))

    def text(part: pd.DataFrame) -> bytes:
        return b"".join(table_json(part, indent, 1))

    parts = [text(frame.iloc[:11]), text(frame.iloc[:0]), text(frame.iloc[11:12]), text(frame.iloc[12:])]
    assert b"".join(join_tables(parts, indent, 1)) == whole
    assert b"".join(join_tables([text(frame.iloc[:0])] * 2, indent, 1)) == b"[]"


@pytest.mark.parametrize("indent", [None, 2])
def test_tables_written_in_chunks_are_the_same(indent: int | None) -> None:
    frame = _frame(50)
    whole = b"".join(table_json(frame, indent, 1))
    assert b"".join(table_json(frame, indent, 1, chunk=7)) == whole
    assert whole.decode() == json.dumps(Result("x", 0, {}, frame, frame).to_dict()["violations"], ensure_ascii=False,
                               indent=indent, default=str).replace("\n", "\n" + " " * (indent or 0))


def _awkward(n: int) -> pd.DataFrame:
    """Cells each fast path of json_text must hand over as json.dumps writes them."""
    texts = ["新疆\t\"引号\"", "back\\slash", None, "ctl\x01\x1f", "", "é😀", "plain"]
    lists: list[object] = [[1], [2, 3], [], [np.int64(4)], [True], [2**70], (5, 6), [None], [1.5]]
    return pd.DataFrame({
        "text": pd.Series([texts[i % len(texts)] for i in range(n)], dtype="str"),
        "no_text": pd.Series([None] * n, dtype="str"),
        "objects": pd.Series([texts[i % len(texts)] for i in range(n)], dtype=object),
        "surrogate": pd.Series(["\ud800" if i % 2 else "x" for i in range(n)], dtype=object),
        "old_times": _times([None if i % 3 == 0 else -(10**19) // (i + 1) for i in range(n)]),
        "seconds": _times([None if i % 3 == 0 else 10**18 + i * 10**12 for i in range(n)]).dt.as_unit("s"),
        "ints": pd.array([None if i % 4 == 0 else (-1) ** i * 7 ** (i % 22) for i in range(n)], dtype="Int64"),
        "lists": pd.Series([lists[i % len(lists)] for i in range(n)], dtype=object),
        "int_lists": pd.Series([[i] * (i % 3) for i in range(n)], dtype=object),
        "sliced": pd.Series([f"s{i}\n" for i in range(2 * n)], dtype="str").iloc[n:].reset_index(drop=True),
    })


@pytest.mark.parametrize("indent", [None, 2, 4])
@pytest.mark.parametrize("rows", [0, 1, 5, 40])
def test_awkward_cells_are_json_dumps_text(indent: int | None, rows: int) -> None:
    frame = _awkward(rows)
    result = Result("x", 0, {}, frame, frame.iloc[::-1])
    expected = json.dumps(result.to_dict(), ensure_ascii=False, indent=indent, default=str)
    assert result.to_json(indent=indent) == expected
    utf8 = frame.drop(columns="surrogate")  # not UTF-8: the whole document is json.dumps's
    whole = b"".join(table_json(utf8, indent, 1))
    assert whole.decode() == json.dumps(Result("x", 0, {}, utf8, utf8).to_dict()["violations"], ensure_ascii=False,
                               indent=indent, default=str).replace("\n", "\n" + " " * (indent or 0))
    for chunk in (1, 3):
        assert b"".join(table_json(utf8, indent, 1, chunk=chunk)) == whole


def test_evidence_lists_are_the_plain_ones() -> None:
    from govdata_policy.engine.assemble import _evidence

    rng = np.random.default_rng(5)
    for n in (0, 1, 7, 500):
        first, second = rng.integers(0, 20, n), rng.integers(0, 20, n)
        has_second = rng.integers(0, 2, n).astype(bool)
        triples = list(zip(first.tolist(), second.tolist(), has_second.tolist(), strict=True))
        ordered = [sorted({a, b}) if t else [a] for a, b, t in triples]
        as_is = [[a, b] if t else [a] for a, b, t in triples]
        for flag, expected in ((True, ordered), (False, as_is)):
            made = _evidence(first, second, has_second, ordered=flag)
            assert made.tolist() == expected
            assert all(type(x) is int for cell in made for x in cell)


@pytest.mark.parametrize("values", [
    ["第37条", None, "a\"b\\c\n"], ["x"], [1, "x"], [None, 2.5], ["é", "😀"],
])
def test_text_columns_are_typed_as_pandas_types_objects(values: list[object]) -> None:
    from govdata_policy.engine.assemble import _broadcast, _objects_column, _text_of

    codes = np.array([i % len(values) for i in range(7)], dtype=np.int64)
    objects = np.array([values[c] for c in codes] + [None], dtype=object)[:-1]
    plain = pd.DataFrame({"c": objects})["c"]
    for made in (_broadcast(values, codes), _objects_column(objects), _text_of(pd.Series(objects))):
        pd.testing.assert_series_equal(pd.DataFrame({"c": made})["c"], plain)
    if plain.dtype != object:  # text already: taken by Arrow
        pd.testing.assert_series_equal(pd.DataFrame({"c": _text_of(plain)})["c"], plain)


def test_a_text_column_without_values_is_text_not_objects() -> None:
    """pandas makes objects of an all-None column; a findings table keeps its text type (a platform's
    database column does not change type with the run: tests/engine/test_result_dtypes.py)."""
    from govdata_policy.engine.assemble import TEXT_DTYPE, _broadcast, _objects_column, _text_of

    objects = np.array([None] * 3, dtype=object)
    none = _broadcast([None], np.zeros(3, dtype=np.int64))
    for made in (none, _objects_column(objects), _text_of(pd.Series(objects))):
        column = pd.DataFrame({"c": made})["c"]
        assert column.dtype == TEXT_DTYPE and column.isna().all()
