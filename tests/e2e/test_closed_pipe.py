"""``check … | head``: a reader that stops early closes the pipe. That is no error of the user's
input: check said "-o None: cannot write: Broken pipe" (there was no -o) and exited 2, the code of
a usage or input error, where the verdict (1, violations found) was known."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("fmt", ["json", "csv", "table"])
def test_a_reader_closing_stdout_early_keeps_the_verdicts_exit_code(tmp_path: Path, fmt: str) -> None:
    log = tmp_path / "log.csv"
    rows = "".join(f"L{i},conduct.leak,2024-05-06 09:00\n" for i in range(3000))  # output far past a pipe's buffer
    log.write_text("case_id,event,time\n" + rows, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "COLUMNS": "120"}
    run = subprocess.Popen([sys.executable, "-m", "govdata_policy.cli.app", "check", str(log), "-j", "yongzhou",
                            "--as-of", "2024-06-30", "--format", fmt, "--lang", "en"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    assert run.stdout is not None and run.stderr is not None
    assert run.stdout.read(10)  # the reader takes a little and goes away, as `head` does
    run.stdout.close()
    stderr = run.stderr.read().decode()
    assert run.wait(timeout=300) == 1, stderr
    assert "error" not in stderr and "Traceback" not in stderr and "Exception" not in stderr


def test_standard_output_that_cannot_be_written_is_named_as_such(tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    log.write_text("case_id,event,time\nL1,conduct.leak,2024-05-06 09:00\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    with open("/dev/full", "wb") as full:  # a full disk behind standard output
        done = subprocess.run([sys.executable, "-m", "govdata_policy.cli.app", "check", str(log), "-j", "yongzhou",
                               "--as-of", "2024-06-30", "--format", "json", "--lang", "en"],
                              stdout=full, stderr=subprocess.PIPE, text=True, env=env, timeout=300)
    assert done.returncode == 2
    assert done.stderr.strip() == "error: standard output: cannot write: No space left on device"  # not "-o None"
