"""One log on several cores (engine.parallel) finds exactly what one process finds (issue 5).

Logs come from the benchmark generator (benchmarks/generate.py): every process of the
profile, late and missing steps, unreadable rows and duplicates.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import govdata_policy as gp
from govdata_policy.cli.app import app
from govdata_policy.engine import parallel

pytestmark = pytest.mark.skipif(not parallel.can_fork(), reason="several processes need fork (Linux)")

AS_OF = "2026-12-31"
JURISDICTIONS = ("guangxi", "yongzhou", "xinjiang", "xinzhou")


generate = sys.modules["bench_generate"]  # benchmarks/generate.py, loaded by tests/conftest.py


@pytest.fixture(autouse=True)
def small_logs_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "MIN_ROWS", 0)  # the test logs are small


@pytest.fixture(scope="module", params=JURISDICTIONS)
def log(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Path]:
    profile = gp.load_jurisdiction(request.param)
    return profile, generate.small_csv(profile, 4000, tmp_path_factory.mktemp(request.param) / "log.csv")


@pytest.mark.parametrize("workers", [2, 3])
def test_same_findings_as_one_process(log: tuple[Any, Path], workers: int) -> None:
    profile, path = log
    one = profile.evaluate(path, as_of=AS_OF)
    many = profile.evaluate(path, as_of=AS_OF, workers=workers, render_json=2)
    assert many.events is None  # the prepared log stays in the workers
    assert many.violation_count == len(one.violations) > 0
    # the JSON text the workers wrote, joined, is the one-process text byte for byte
    assert b"".join(many.json_bytes(indent=2, obligations=False)) == b"".join(
        one.json_bytes(indent=2, obligations=False))
    pd.testing.assert_frame_equal(many.violations, one.violations)
    pd.testing.assert_frame_equal(many.obligations, one.obligations)
    assert many.rejected_rows == one.rejected_rows
    assert many.notes == one.notes
    assert many.rows == one.rows
    # compact JSON (not written by the workers) from the gathered tables
    assert many.to_json(obligations=True) == one.to_json(obligations=True)


def test_obligations_left_out_say_so(log: tuple[Any, Path]) -> None:
    profile, path = log
    many = profile.evaluate(path, as_of=AS_OF, workers=2, obligations=False)
    with pytest.raises(RuntimeError, match="obligations were not asked for"):
        _ = many.obligations


def test_an_error_in_a_worker_is_raised_here(log: tuple[Any, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    profile, path = log
    parent = os.getpid()
    real = parallel.check_frame

    def failing(*args: Any, **kwargs: Any) -> Any:
        if os.getpid() != parent:
            raise ValueError("worker trouble")
        return real(*args, **kwargs)

    monkeypatch.setattr(parallel, "check_frame", failing)
    with pytest.raises(ValueError, match="worker trouble"):
        profile.evaluate(path, as_of=AS_OF, workers=2)


def test_check_command_same_document_with_and_without_workers(log: tuple[Any, Path], tmp_path: Path) -> None:
    profile, path = log
    runner = CliRunner()
    outputs = []
    for workers in ("1", "2"):
        out = tmp_path / f"w{workers}.json"
        done = runner.invoke(app, ["check", str(path), "-j", profile.name, "--as-of", AS_OF, "--format", "json",
                                   "-o", str(out), "--workers", workers])
        assert done.exit_code == 1, done.output  # the generated log has violations
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    assert json.loads(outputs[0])["violations"]


@settings(max_examples=60, deadline=None)
@given(ids=st.lists(st.text(min_size=1, max_size=4), min_size=0, max_size=200), parts=st.integers(1, 5))
def test_case_ranges_keep_cases_whole_and_in_order(ids: list[str], parts: int) -> None:
    case_id = np.array(ids, dtype=object)
    ranges = parallel.case_ranges(case_id, parts)
    assert len(ranges) == len(ids)
    assert ranges.min(initial=0) >= 0 and ranges.max(initial=0) < max(parts, 1)
    by_id: dict[str, set[int]] = {}
    for value, number in zip(ids, ranges.tolist(), strict=True):
        by_id.setdefault(value, set()).add(number)
    assert all(len(numbers) == 1 for numbers in by_id.values())  # a case is never split
    # every id of a lower range sorts before every id of a higher one (the tables concatenate in order)
    ordered = sorted(by_id, key=lambda value: (next(iter(by_id[value])), value))
    assert ordered == sorted(by_id)
    assert np.array_equal(ranges, parallel.case_ranges(case_id, parts))  # the same split every run


def test_worker_count() -> None:
    assert parallel.worker_count(1, 10**7) == 1
    assert parallel.worker_count(3, parallel.MIN_ROWS) == 3
    assert parallel.worker_count(3, parallel.MIN_ROWS - 1) == 1  # a small log: one process
    assert parallel.worker_count(None, parallel.MIN_ROWS) == max(1, os.cpu_count() or 1)


def test_blank_dates_counted_across_processes(tmp_path: Path) -> None:
    """Each process counts the blank dates of its own cases; the note sums them (merge_undated)."""
    rows = ["case_id,event,time,planned_offline_at"]
    rows += [f"R{i:03},resource.offline_requested,2024-05-06 10:00,{'' if i % 3 else '2024-09-30'}" for i in range(90)]
    path = tmp_path / "offline.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    profile = gp.load_jurisdiction("guangxi")
    one = profile.evaluate(path, as_of=AS_OF)
    many = profile.evaluate(path, as_of=AS_OF, workers=2)
    assert "60 event(s) of gx-27.1-resource-offline-notice have no 'planned_offline_at'" in str(one.notes)
    assert many.notes == one.notes


def test_the_reports_count_every_case_of_the_log_from_a_parallel_result_too() -> None:
    # a result checked on several cores has no prepared log: the reports' total counted only the cases with
    # an obligation or a finding (the Yongzhou example's 29 cases were 26), as a Dask result's did
    from govdata_policy.report.summary import summarise

    profile = gp.load_jurisdiction("yongzhou")
    path = Path(__file__).resolve().parents[2] / "examples" / "yongzhou.csv"
    many = profile.evaluate(path, as_of="2025-12-31", workers=2)
    assert many.events is None and many.case_count == 29
    assert summarise(many, "en").cases == summarise(profile.evaluate(path, as_of="2025-12-31"), "en").cases == 29
