"""``python -m govdata_policy`` and ``python -m govdata_policy.cli.app`` run the command line, as the
console script does: a check run that way must not pass silently (exit 0, nothing printed) where the
script would have found violations (exit 1)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LOG = "case_id,event,time\nL1,conduct.leak,2024-05-06 09:00\n"


@pytest.mark.parametrize("module", ["govdata_policy", "govdata_policy.cli.app"])
def test_running_the_package_as_a_module_runs_check(tmp_path: Path, module: str) -> None:
    log = tmp_path / "log.csv"
    log.write_text(LOG, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run([sys.executable, "-m", module, "check", str(log), "-j", "yongzhou", "--as-of", "2024-06-30",
                           "--format", "json"], capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 1, done.stderr  # a leak is prohibited: violations found
    assert '"rule_id": "yz-39-no-leak"' in done.stdout
