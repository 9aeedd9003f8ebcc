"""Memory let go of between stages (issue 5) changes no finding.

``evaluate(obligations=False)`` drops the rules' caches before the findings are
assembled and gives freed memory back (``govdata_policy.memory``); whatever is asked
for afterwards is made again from the log and must be what a run that kept
everything gives.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import govdata_policy as gp
from govdata_policy.memory import give_back_memory

AS_OF = "2026-12-31"
generate = sys.modules["bench_generate"]  # benchmarks/generate.py, loaded by tests/conftest.py


@pytest.fixture(scope="module", params=("guangxi", "xinjiang"))
def log(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Path]:
    profile = gp.load_jurisdiction(request.param)
    return profile, generate.small_csv(profile, 3000, tmp_path_factory.mktemp(request.param) / "log.csv")


def test_findings_the_same_when_caches_are_let_go_of(log: tuple[Any, Path]) -> None:
    profile, path = log
    kept = profile.evaluate(path, as_of=AS_OF)
    lean = profile.evaluate(path, as_of=AS_OF, obligations=False)
    assert len(kept.violations) > 0
    pd.testing.assert_frame_equal(lean.violations, kept.violations)
    assert b"".join(lean.json_bytes(indent=2, obligations=False)) == b"".join(
        kept.json_bytes(indent=2, obligations=False))
    # not asked for, but still to be had: made again from the log
    pd.testing.assert_frame_equal(lean.obligations, kept.obligations)
    assert lean.rejected_rows == kept.rejected_rows and lean.notes == kept.notes


def test_caches_made_again_are_the_same(log: tuple[Any, Path]) -> None:
    profile, path = log
    prep = profile.evaluate(path, as_of=AS_OF).events
    attribute = "category" if "category" in prep.columns else prep.columns[-1]
    before = (prep.latest(attribute).copy(), prep.time_ties, prep.known(attribute).copy())
    prep.forget_caches()
    give_back_memory()
    assert not prep._latest and "time_ties" not in prep.__dict__
    np.testing.assert_array_equal(prep.latest(attribute), before[0])
    for again, first in zip(prep.time_ties, before[1], strict=True):
        np.testing.assert_array_equal(again, first)
    pd.testing.assert_series_equal(prep.known(attribute), before[2])
