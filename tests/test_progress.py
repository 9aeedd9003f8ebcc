"""The progress bar: on a terminal for big logs, never in piped output (issue 5)."""

from __future__ import annotations

import io
import json
from pathlib import Path

from govdata_policy.cli.progress import estimate_rows, no_progress, stage_progress


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _run(progress) -> None:  # noqa: ANN001 - the callback under test
    progress("read")
    progress("validate", rows=250_000)
    for i in range(1, 25):
        progress("rules", i, 24)
    progress("assemble")
    progress("write")


def test_nothing_on_a_stream_that_is_not_a_terminal() -> None:
    stream = io.StringIO()
    for enabled in (None, True):
        with stage_progress(1_000_000, stream=stream, enabled=enabled) as progress:
            _run(progress)
    assert stream.getvalue() == ""


def test_nothing_for_a_small_log_on_a_terminal() -> None:
    stream = FakeTerminal()
    with stage_progress(5_000, stream=stream) as progress:
        progress("read")
        progress("rules", 1, 3, rows=5_000)
        progress("assemble")
    assert stream.getvalue() == ""


def test_a_bar_for_a_big_log_on_a_terminal() -> None:
    stream = FakeTerminal()
    with stage_progress(None, stream=stream) as progress:
        _run(progress)  # the size becomes known at validation
    assert "checking rules" in stream.getvalue()


def test_disabled_stays_silent_on_a_terminal() -> None:
    stream = FakeTerminal()
    with stage_progress(10_000_000, stream=stream, enabled=False) as progress:
        _run(progress)
    assert stream.getvalue() == ""


def test_the_quiet_callback_takes_every_call() -> None:
    _run(no_progress)


def test_estimate_rows(tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    log.write_bytes(b"x" * 180_000)
    assert estimate_rows([log]) == 1000
    assert estimate_rows(log) == 1000
    assert estimate_rows([{"case_id": "A"}]) is None
    assert estimate_rows([tmp_path / "missing.csv"]) is None


def test_check_writes_clean_json_when_piped(tmp_path: Path) -> None:
    """Through the CLI: stderr is not a terminal under the test runner, stdout holds JSON only."""
    from typer.testing import CliRunner

    from govdata_policy.cli.app import app

    log = tmp_path / "log.csv"
    log.write_text(
        "case_id,event,time,category,provider\n"
        "A,share.requested,2024-05-06 09:00,conditional,市公安局\n", encoding="utf-8")
    outcome = CliRunner().invoke(app, ["check", str(log), "-j", "yongzhou", "--as-of", "2024-06-30",
                                       "--format", "json"])
    assert outcome.exit_code in (0, 1), outcome.output
    body = json.loads(outcome.stdout)
    assert body["rows"]["read"] == 1
    assert "checking rules" not in outcome.output
