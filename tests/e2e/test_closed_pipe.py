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


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize(("verb", "lang", "said"), [
    (["calendar", "-j", "yongzhou", "--year", "2024"], "en", "error: cannot write the output: No space left on device"),
    (["calendar", "-j", "yongzhou", "--year", "2024"], "zh", "错误：无法写出结果：No space left on device"),
    (["deadline", "-j", "yongzhou", "--start", "2024-05-06", "--working-days", "5"], "en",
     "error: cannot write the output: No space left on device"),
    (["rules", "list", "-j", "xinzhou"], "en", "error: cannot write the output: No space left on device"),
    (["explain", "YZ-01", str(ROOT / "examples" / "yongzhou.csv"), "-j", "yongzhou", "--as-of", "2025-12-31"], "zh",
     "错误：无法写出结果：No space left on device"),
])
def test_every_verb_says_a_full_disk_in_one_line(verb: list[str], lang: str, said: str) -> None:
    # a full disk behind standard output is the user's to fix: exit 2 and one line, as check says it; the
    # verbs without check's own handler printed a traceback and "internal error, a bug" (exit 3)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "COLUMNS": "120"}
    with open("/dev/full", "wb") as full:
        done = subprocess.run([sys.executable, "-m", "govdata_policy.cli.app", *verb, "--lang", lang],
                              stdout=full, stderr=subprocess.PIPE, env=env, timeout=300)
    stderr = done.stderr.decode()
    assert (done.returncode, stderr.strip()) == (2, said)
