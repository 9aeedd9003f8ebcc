"""The command line's early start on a large CSV or Parquet log: Arrow reads it in a thread of its own while the
main thread is still importing pandas and the engine and loading the profile.

Issue 5: `check` spends most of a second importing before it can read a log, and Arrow's reader
lets go of Python's lock while it parses; started at once, the read of a 1M-event CSV (0.4-0.5 s)
is mostly done when the check asks for it. The read is the one the check would make first
(a CSV: ``csv_head.plan_csv`` and ``arrow_read``, same options; Parquet: ``parquet_table``), and
it is used only when the check then reads the same file, unchanged, with the same plan
(``prefetched``); otherwise it is dropped
and the file read as always, so what a check finds never depends on it. Any failure here is
silent for the same reason: the check's own read meets it again and says why.

Only the command line starts one (``check`` with a single CSV or Parquet log, one process); a
library caller reads as before.
"""

from __future__ import annotations

import os
import stat
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .csv_head import CSV_SUFFIXES, CsvPlan, arrow_read, plan_csv
from .parquet_table import parquet_table

# below this a read takes a few milliseconds: not worth a thread
MIN_BYTES = 4 << 20
PARQUET_SUFFIX = ".parquet"


@dataclass
class _Reading:
    path: Path
    identity: tuple[int, ...] | None = None  # the file's when the read began
    plan: CsvPlan | None = None
    table: Any = None  # pyarrow.Table, once read
    done: threading.Event = field(default_factory=threading.Event)


_reading: _Reading | None = None


def _identity(path: Path) -> tuple[int, ...] | None:
    try:
        found = os.stat(path)
    except OSError:
        return None
    if not stat.S_ISREG(found.st_mode):  # a pipe or a device is read once, by the check
        return None
    # ctime too: an edit of the same size whose mtime is put back (touch -r, os.utime, cp -p) moves it
    return found.st_dev, found.st_ino, found.st_size, found.st_mtime_ns, found.st_ctime_ns


def start_reading(path: Path, min_bytes: int = MIN_BYTES) -> bool:
    """Begin reading ``path`` in a thread if it is a regular CSV or Parquet file of ``min_bytes`` or
    more (whether one was begun). A reading begun before and not taken is dropped."""
    global _reading
    _reading = None
    if path.suffix.lower() not in (*CSV_SUFFIXES, PARQUET_SUFFIX):
        return False
    identity = _identity(path)
    if identity is None or identity[2] < min_bytes:
        return False
    reading = _Reading(path, identity=identity)
    threading.Thread(target=_read, args=(reading,), name="govdata-policy read", daemon=True).start()
    _reading = reading
    return True


def _read(reading: _Reading) -> None:
    try:
        if reading.path.suffix.lower() == PARQUET_SUFFIX:
            reading.table = parquet_table(reading.path)
            return
        plan = plan_csv(reading.path)
        if plan.head.strip():
            reading.plan = plan
            reading.table = arrow_read(reading.path, plan, newlines_in_values=False)
    except Exception:  # noqa: BLE001 - the check's own read meets the same failure and reports it
        reading.table = None
    finally:
        reading.done.set()


def drop() -> None:
    """Forget an early read not taken: the command ended before its check read the log (a bad -j or
    -o, an unreadable mapping). Left behind, its table stayed in memory, and a library caller's later
    read of the file in the same process (a platform calling the command line's main) took it."""
    global _reading
    _reading = None


def prefetched(path: Path, plan: CsvPlan | None = None) -> Any:
    """The table read early for ``path`` if it is that file, unchanged since, read with ``plan``
    (a CSV's; None for Parquet), waiting for the read to end; else None. Either way the early read
    is used up."""
    global _reading
    reading, _reading = _reading, None
    if reading is None:
        return None
    identity = _identity(path)
    if identity is None or identity != reading.identity:
        return None  # another file: the early read is dropped unwaited (its thread ends on its own)
    reading.done.wait()
    if reading.plan != plan or _identity(path) != identity:
        return None  # changed while it was read
    return reading.table
