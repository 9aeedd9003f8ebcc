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


@pytest.fixture(autouse=True)
def _earlier_threads_left_out(monkeypatch: pytest.MonkeyPatch) -> None:
    """Threads an earlier test of the session left running are not this test's: dask's threaded scheduler keeps
    its pool (two threads) for the process once any test has computed with dask, and after tests/engine the two
    tests below saw them and failed (in the default order e2e runs first). The threads a test starts are seen."""
    import threading

    earlier = {thread for thread in threading.enumerate() if thread is not threading.current_thread()}
    every = threading.enumerate
    monkeypatch.setattr(threading, "enumerate", lambda: [thread for thread in every() if thread not in earlier])


class _Exited(Exception):
    """Stands for ``os._exit`` in-process: the code it was called with."""


def _run_app(monkeypatch: pytest.MonkeyPatch, code: object, then: object = None) -> int | None:
    """``app.run`` over a ``main`` that prints and exits with ``code``: the code ``os._exit`` got (None when
    the SystemExit went up as Python's own exit)."""
    from govdata_policy.cli import app as app_module

    def main() -> None:
        sys.stdout.write("the whole document\n")  # buffered: run must flush it before leaving
        raise SystemExit(code)

    def leave(status: int) -> None:
        raise _Exited(status)

    monkeypatch.setattr(app_module, "main", main)
    monkeypatch.setattr(app_module.os, "_exit", leave)
    try:
        app_module.run()
    except _Exited as exited:
        return int(exited.args[0])
    except SystemExit as stop:
        assert stop.code == code
        return None
    raise AssertionError("run returned")


def test_the_console_script_leaves_at_once_with_its_output_flushed(monkeypatch: pytest.MonkeyPatch,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """After a 1M-event check Python's exit spent 0.2-0.3 s freeing objects: the script leaves by
    os._exit, with the verb's exit code and everything written."""
    monkeypatch.delitem(sys.modules, "dask", raising=False)
    monkeypatch.delitem(sys.modules, "distributed", raising=False)
    assert _run_app(monkeypatch, 1) == 1
    assert capsys.readouterr().out == "the whole document\n"
    assert _run_app(monkeypatch, 0) == 0


def test_python_exits_as_usual_when_something_still_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    """A thread still running, Dask loaded (its client closes at exit) or a code that is not a number: the
    SystemExit goes on to Python's own exit, which waits, closes and prints as it does."""
    import threading

    monkeypatch.delitem(sys.modules, "dask", raising=False)
    monkeypatch.delitem(sys.modules, "distributed", raising=False)
    assert _run_app(monkeypatch, "a message") is None
    release = threading.Event()
    worker = threading.Thread(target=release.wait)
    worker.start()
    try:
        assert _run_app(monkeypatch, 1) is None
    finally:
        release.set()
        worker.join()
    assert _run_app(monkeypatch, 1) == 1  # the thread done: at once again
    monkeypatch.setitem(sys.modules, "dask", object())
    assert _run_app(monkeypatch, 1) is None


def test_a_subprocess_check_by_the_console_entry_writes_all_of_its_json(tmp_path: Path) -> None:
    """Through ``python -m govdata_policy`` (run, os._exit): the JSON document complete on stdout and in -o."""
    import json

    log = tmp_path / "log.csv"
    rows = "".join(f"C{i},share.requested,2024-05-0{1 + i % 9} 09:00\n" for i in range(2000))
    log.write_text("case_id,event,time,category\n" + rows.replace("\n", ",conditional\n"), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    command = [sys.executable, "-m", "govdata_policy", "check", str(log), "-j", "yongzhou", "--as-of", "2024-06-30",
               "--format", "json"]
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 1, done.stderr
    assert len(json.loads(done.stdout)["violations"]) == 2000  # every request unanswered by June
    written = tmp_path / "out.json"
    again = subprocess.run([*command, "-o", str(written)], capture_output=True, text=True, env=env, timeout=300)
    assert again.returncode == 1 and json.loads(written.read_text(encoding="utf-8")) == json.loads(done.stdout)


@pytest.mark.skipif(sys.platform == "win32", reason="closes a descriptor before the command starts")
def test_a_command_run_with_standard_output_closed_keeps_its_exit_code() -> None:
    """``govdata-policy … >&-`` (a cron job, a service): Python starts with sys.stdout None. The exit's flush
    called None.flush(): a traceback on stderr, and exit 1 for a command that succeeded."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run([sys.executable, "-m", "govdata_policy", "deadline", "-j", "yongzhou", "--start",
                           "2025-03-10", "--working-days", "10"], stderr=subprocess.PIPE, text=True, env=env,
                          timeout=300, preexec_fn=lambda: os.close(1))
    assert (done.returncode, done.stderr) == (0, "")
