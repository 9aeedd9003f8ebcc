"""``check --format csv``'s column-wise formula guard says what ``Series.str.startswith`` says of each cell,
and its column-wise writer writes what ``DataFrame.to_csv`` writes, but for a cell holding a carriage return,
which it quotes (``to_csv`` left it bare and a reader ended the row there).

The guard's per-cell ``str.startswith`` cost ~1.3 s of ``check --format csv --obligations`` on a 1M-event
log (the time texts and evidence lists of ~350k obligations), pandas' writer ~5 s; Arrow does both on
whole columns.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govdata_policy.cli import csv_text
from govdata_policy.cli.csv_text import FORMULA_STARTS, formula_risky, frame_csv

_TEXT = st.text(alphabet=st.sampled_from(["=", "+", "-", "@", "\t", "\r", "a", "长", ",", '"', "\n", " ", "'"]),
                max_size=5)
_MISSING = st.sampled_from([None, float("nan"), pd.NA])
_CELLS: dict[str, Any] = {
    "text": st.one_of(_TEXT, _MISSING),
    "lists": st.one_of(st.lists(st.integers(0, 10**6), max_size=3), st.none()),
    "ints": st.integers(-5, 5),
    "mixed": st.one_of(_TEXT, st.integers(0, 3), st.lists(st.integers(0, 3), max_size=2), st.none(),
                       st.binary(max_size=2), st.booleans()),
}


def _plain(values: pd.Series) -> np.ndarray | None:
    try:
        return values.str.startswith(FORMULA_STARTS, na=False).astype(bool).to_numpy()
    except AttributeError:  # spreadsheet_csv's test: a column .str refuses holds no text
        return None


def _series(cells: list[Any], kind: str, dtype: str) -> pd.Series:
    if kind == "text" and dtype != "object":
        return pd.Series([None if c is pd.NA or c is None or c != c else c for c in cells], dtype=dtype)
    out = np.empty(len(cells), dtype=object)
    out[:] = cells
    return pd.Series(out, dtype=object)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(sorted(_CELLS)).flatmap(
    lambda kind: st.tuples(st.just(kind), st.lists(_CELLS[kind], max_size=12),
                           st.sampled_from(["object", "str", "string"]))))
def test_formula_risky_is_startswith(drawn: tuple[str, list[Any], str]) -> None:
    kind, cells, dtype = drawn
    values = _series(cells, kind, dtype)
    try:
        plain = _plain(values)
    except Exception as exc:  # the plain form fails on this column: so must the fast one
        try:
            formula_risky(values)
        except type(exc):
            return
        raise AssertionError("the fast guard took a column the plain one refused") from exc
    fast = formula_risky(values)
    if plain is None or not plain.any():  # no cell changed either way (a list column: all False, or refused)
        assert fast is None or not fast.any()
    else:
        assert fast is not None and fast.tolist() == plain.tolist()


_WRITTEN = st.text(alphabet=st.sampled_from(["a", "长", ",", '"', "\n", "\r", "\t", " ", "'", "=", "\x00", "é"]),
                   max_size=4)
_COLUMNS: dict[str, Any] = {
    "str": (st.one_of(_WRITTEN, st.none()), "str"),
    "object": (st.one_of(_WRITTEN, _MISSING), object),
    "lists": (st.one_of(st.lists(st.integers(-3, 10**12), max_size=3), st.none()), object),
    "Int64": (st.one_of(st.integers(-(2**62), 2**62), st.none()), "Int64"),
    "int64": (st.integers(-(2**62), 2**62), "int64"),
    "mixed": (st.one_of(_WRITTEN, st.integers(0, 3), st.lists(st.integers(0, 3), max_size=2), st.none(),
                        st.floats(allow_nan=True), st.booleans(), st.binary(max_size=2)), object),
    "float": (st.one_of(st.floats(allow_nan=True, allow_infinity=False), st.none()), "float64"),
}


def _column(cells: list[Any], dtype: Any) -> pd.Series:
    if dtype is object:
        out = np.empty(len(cells), dtype=object)
        out[:] = cells
        return pd.Series(out, dtype=object)
    return pd.Series(cells, dtype=dtype)


@st.composite
def _frames(draw: Any) -> pd.DataFrame:
    rows = draw(st.integers(0, 8))
    kinds = draw(st.lists(st.sampled_from(sorted(_COLUMNS)), min_size=1, max_size=4))
    return pd.DataFrame({
        f"{kind}_{i}" if i else f'"{kind}, 名"': _column(draw(st.lists(_COLUMNS[kind][0], min_size=rows,
                                                                       max_size=rows)), _COLUMNS[kind][1])
        for i, kind in enumerate(kinds)
    })


@settings(max_examples=400, deadline=None)
@given(_frames(), st.sampled_from([1, 3, csv_text.CHUNK_ROWS]))
def test_frame_csv_is_to_csv(frame: pd.DataFrame, chunk: int) -> None:
    plain = csv_text.CHUNK_ROWS
    csv_text.CHUNK_ROWS = chunk  # the rows made into text a few at a time, as a big table's are
    try:
        assert frame_csv(frame) == csv_text.to_csv(frame)
    finally:
        csv_text.CHUNK_ROWS = plain


@settings(max_examples=300, deadline=None)
@given(_frames())
def test_to_csv_is_pandas_but_for_a_carriage_return(frame: pd.DataFrame) -> None:
    """The same text as pandas where no cell holds a CR; where one does, the same cells, each row read back whole."""
    ours, theirs = csv_text.to_csv(frame), frame.to_csv(index=False)
    if "\r" not in theirs:
        assert ours == theirs
    read = list(csv.reader(io.StringIO(ours, newline="")))
    assert len(read) == len(frame) + 1
    assert read == list(csv.reader(io.StringIO(frame.to_csv(index=False, lineterminator="\r\n"), newline="")))


def test_frame_csv_of_findings_is_to_csv(monkeypatch: pytest.MonkeyPatch) -> None:
    """The tables check writes (text, times as ISO text, Int64 days late, evidence lists), by Arrow:
    ``to_csv`` is asked for the header alone."""
    import govdata_policy as gp
    from govdata_policy.result import display_frame

    log = Path(__file__).resolve().parents[2] / "examples" / "yongzhou.csv"
    result = gp.load_jurisdiction("yongzhou").evaluate(log, as_of="2026-12-31")
    plain = pd.DataFrame.to_csv

    def header_only(frame: pd.DataFrame, *args: Any, **kwargs: Any) -> Any:
        assert len(frame) == 0, "the table was written by pandas"
        return plain(frame, *args, **kwargs)

    for table in (result.violations, result.obligations):
        shown = display_frame(table)
        expected = shown.to_csv(index=False)
        with monkeypatch.context() as patch:
            patch.setattr(pd.DataFrame, "to_csv", header_only)
            assert len(shown) and frame_csv(shown) == expected
