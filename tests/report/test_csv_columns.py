"""``check --format csv``'s column-wise formula guard says what ``Series.str.startswith`` says of each cell.

The guard's per-cell ``str.startswith`` cost ~1.3 s of ``check --format csv --obligations`` on a 1M-event
log (the time texts and evidence lists of ~350k obligations); Arrow says the same of whole columns.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from govdata_policy.cli.csv_text import FORMULA_STARTS, formula_risky

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
