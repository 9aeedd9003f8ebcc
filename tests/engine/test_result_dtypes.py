"""A platform stores ``result.violations`` and ``result.obligations`` in a database: each column's
type must not depend on what a run found. A text column in which no finding had a value (no
mitigation flagged, a profile without a mitigation clause, one case whose party is unnamed) was
objects holding None, where a run with one value, and an empty result, made it pandas' text type."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import govdata_policy as gp

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
AS_OF = "2025-12-31"


def _types(frame: pd.DataFrame) -> list[tuple[str, str]]:
    return [(name, str(dtype)) for name, dtype in frame.dtypes.items()]


@pytest.mark.parametrize("name", ["guangxi", "yongzhou", "xinjiang", "xinzhou"])
def test_column_types_do_not_depend_on_the_findings(name: str) -> None:
    profile = gp.load_jurisdiction(name)
    log = pd.read_csv(EXAMPLES / f"{name}.csv", dtype=str, keep_default_na=False)
    empty = profile.evaluate(log.iloc[:0], as_of=AS_OF)
    runs = [profile.evaluate(log, as_of=AS_OF)]
    runs += [profile.evaluate(log[log["case_id"] == case], as_of=AS_OF) for case in log["case_id"].unique()[:12]]
    for run in runs:
        for table in ("violations", "obligations"):
            assert _types(getattr(run, table)) == _types(getattr(empty, table)), (name, table)
    assert str(empty.violations["mitigation"].dtype) == str(empty.violations["rule_id"].dtype)  # text


def test_an_unflagged_mitigation_is_missing_text() -> None:
    profile = gp.load_jurisdiction("yongzhou")  # no mitigation clause
    log = pd.read_csv(EXAMPLES / "yongzhou.csv", dtype=str, keep_default_na=False)
    result = profile.evaluate(log, as_of=AS_OF)
    assert len(result.violations) and result.violations["mitigation"].isna().all()
    assert all(record["mitigation"] is None for record in result.to_dict()["violations"])
