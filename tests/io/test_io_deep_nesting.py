"""A cell nested thousands deep is a rejected row with its reason, not a crash.

Before: a JSON Lines row whose ``reason`` was ``[[[…]]]`` 20,000 deep killed the process in Arrow's
JSON parser (a segmentation fault: no message, no exit code of ours); 1,000 deep in a JSON Lines or
.json file, or in records, ran out of Python's recursion turning the cell into JSON text (exit 3).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import govdata_policy as gp
from govdata_policy.io import load_events

EVENT = '"case_id": "A1", "event": "share.requested", "time": "2025-03-03 09:00"'
OTHER = '{"case_id": "A2", "event": "share.requested", "time": "2025-03-03 09:00"}\n'


def _deep(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize(("depth", "reason"), [
    (20_000, "json: line 2 nests lists or objects more than 100 deep"),
    (500, "reason: a JSON list nested more than 100 deep"),
    (101, "reason: a JSON list nested more than 100 deep"),
])
def test_a_deep_json_line_is_a_rejected_row(tmp_path: Path, depth: int, reason: str) -> None:
    path = tmp_path / "log.jsonl"
    path.write_text(OTHER + "{" + EVENT + f', "reason": {_deep(depth)}}}\n', encoding="utf-8")
    # in a child process: the crash took the interpreter with it
    code = ("import sys; from govdata_policy.io import load_events; "
            "e, r, n = load_events(sys.argv[1]); print(n, len(e), [x['reason'] for x in r])")
    done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-500:]
    assert done.stdout.strip() == f"2 1 [{reason!r}]"


def test_nesting_of_100_is_kept_as_text(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    path.write_text("{" + EVENT + f', "reason": {_deep(100)}}}\n', encoding="utf-8")
    events, rejected, _ = load_events(path)
    assert rejected == [] and events["reason"].iloc[0] == _deep(100)


@pytest.mark.parametrize("suffix", [".json", "records"])
def test_a_deep_item_of_an_array_or_records(tmp_path: Path, suffix: str) -> None:
    deep: list = []
    for _ in range(1_000):
        deep = [deep]
    records = [{"case_id": "A1", "event": "share.requested", "time": "2025-03-03 09:00", "reason": deep}]
    source: object = records
    if suffix == ".json":
        source = tmp_path / "log.json"
        source.write_text("[{" + EVENT + f', "reason": {_deep(900)}}}]', encoding="utf-8")
    result = gp.load_jurisdiction("yongzhou").evaluate(source, as_of="2025-12-31")
    assert result.rows == {"read": 1, "accepted": 0, "rejected": 1}
    assert result.rejected_rows[0]["reason"] == "reason: a JSON list nested more than 100 deep"
