"""A progress bar on stderr for long checks, and nothing at all otherwise (issue 5).

The evaluator reports stages through a plain callback; the bar is drawn only when
stderr is a terminal and the log is big (about 100k rows and more), so JSON or
CSV on stdout, a redirected stderr and small logs stay exactly as they were::

    with stage_progress(estimate_rows(paths)) as progress:
        result = profile.evaluate(paths, progress=progress)   # "read", "rules" i/n, "assemble"
        progress("write")
        write(result)

A callback is called as ``progress(stage, done=None, total=None, rows=None)``:
``stage`` names what starts now (``read``, ``validate``, ``rules``, ``assemble``,
``write``); ``done``/``total`` count within the stage (rules 3 of 24); ``rows``,
given once it is known, lets a bar appear for a log whose size was not known
before it was read.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

from ..engine.evaluate import no_progress  # the evaluator's silent callback, for callers of this module

__all__ = ["Progress", "StageBar", "estimate_rows", "is_terminal", "no_progress", "stage_progress"]

Progress = Callable[..., None]

THRESHOLD_ROWS = 100_000
STAGES = ("read", "validate", "rules", "assemble", "write")
LABELS = {
    "read": "reading the log", "validate": "validating rows", "rules": "checking rules",
    "assemble": "assembling findings", "write": "writing the report",
}
# Rough bytes per event of an export, to guess a file's rows before reading it.
BYTES_PER_ROW = {".csv": 180, ".txt": 180, ".jsonl": 400, ".ndjson": 400, ".json": 400, ".parquet": 25,
                 ".xlsx": 60, ".xlsm": 60}


def estimate_rows(sources: Iterable[Any] | Any) -> int | None:
    """A guess of the events in the files (by size), or None when there is nothing to measure."""
    from ..io.read import InputError, expand_paths

    items = [sources] if isinstance(sources, str | Path) else list(sources) if isinstance(sources, Iterable) else []
    total = 0
    for item in items:
        if not isinstance(item, str | Path):
            return None
        try:
            files = expand_paths(item)
        except InputError:
            return None
        for path in files:
            total += path.stat().st_size // BYTES_PER_ROW.get(path.suffix.lower(), 200)
    return total


def is_terminal(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False


class StageBar:
    """The callback behind ``stage_progress``: one bar over all stages, rules counted one by one."""

    def __init__(self, stream: TextIO, rows: int | None, enabled: bool | None, threshold: int) -> None:
        self.stream = stream
        self.allowed = enabled is not False and is_terminal(stream)
        self.wanted = enabled is True or (rows is not None and rows >= threshold)
        self.threshold = threshold
        self.rules = 1  # units of the rules stage, known at its first call
        self.finished = 0  # units of the stages before the current one
        self.stage: str | None = None
        self.bar: Any = None
        self.task: Any = None

    def __call__(self, stage: str, done: int | None = None, total: int | None = None, rows: int | None = None) -> None:
        if rows is not None and rows >= self.threshold:
            self.wanted = True
        if stage == "rules" and total:
            self.rules = int(total)
        changed = stage != self.stage
        if changed:
            if self.stage is not None:
                self.finished += self.rules if self.stage == "rules" else 1
            self.stage = stage
        if not (self.allowed and self.wanted):
            return
        if self.bar is None:
            self._start()
        label = LABELS.get(stage, stage)
        if done is not None and total:
            label += f" {done}/{total}"
        within = done if stage == "rules" and done else 0
        self.bar.update(self.task, description=label, completed=self.finished + within,
                        total=len(STAGES) - 1 + self.rules, refresh=changed)

    def _start(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        console = Console(file=self.stream, force_terminal=True)
        self.bar = Progress(SpinnerColumn(), TextColumn("{task.description:<28}"), BarColumn(),
                            TimeElapsedColumn(), console=console, transient=True)
        self.task = self.bar.add_task(LABELS["read"], total=len(STAGES) - 1 + self.rules)
        self.bar.start()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None


@contextmanager
def stage_progress(
    rows: int | None = None, *, stream: TextIO | None = None, enabled: bool | None = None,
    threshold: int = THRESHOLD_ROWS,
) -> Iterator[Progress]:
    """A stage callback drawing a transient bar on ``stream`` (stderr).

    ``enabled``: None decides by size (``rows`` or a later ``rows=``), True shows it
    for any size, False never; in every case only when the stream is a terminal.
    """
    bar = StageBar(stream if stream is not None else sys.stderr, rows, enabled, threshold)
    try:
        yield bar
    finally:
        bar.close()
