"""Assemble a WorkingCalendar from its layers, once per process per set of files.

Layers apply in order, a later one winning on the same day:
weekdays -> national schedule -> regional file -> override files (in the order given).
So a regional day off turns a national make-up working day into a day off
(Guangxi 2022-04-02, 2023-04-23), and a user's override beats everything.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ..timeutil import day_number
from .bounds import FIRST_DAY, LAST_DAY
from .coverage import build_coverage
from .errors import CalendarFileError
from .files import DayEntry, OverridesFile, RegionalFile, Settles, load_overrides, load_regional
from .national import national_schedule
from .working import WorkingCalendar

_CACHE: dict[tuple[object, ...], WorkingCalendar] = {}
_LOCK = threading.Lock()


def _stamp(path: Path) -> tuple[str, int]:
    # keyed on the file's mtime as well, so an edited override file is re-read
    try:
        resolved = Path(path).resolve(strict=True)
    except FileNotFoundError:
        raise CalendarFileError(f"{path}: file not found", zh=f"{path}：找不到文件") from None
    return str(resolved), resolved.stat().st_mtime_ns


def build_calendar(regional: Path | None = None, overrides: Sequence[Path] = ()) -> WorkingCalendar:
    """The calendar for a regional file (or national only) plus override files, cached."""
    if isinstance(overrides, (str, Path)):
        overrides = [overrides]  # one path given where a list was meant
    key = (_stamp(regional) if regional is not None else None, *(_stamp(p) for p in overrides))
    with _LOCK:
        cached = _CACHE.get(key)
    if cached is not None:
        return cached
    calendar = _build(
        load_regional(Path(regional)) if regional is not None else None,
        [(Path(p), load_overrides(Path(p))) for p in overrides],
    )
    with _LOCK:
        return _CACHE.setdefault(key, calendar)


def clear_cache() -> None:
    """Forget built calendars (tests, long-running processes after editing files in place)."""
    with _LOCK:
        _CACHE.clear()


def _apply(
    mask: np.ndarray,
    named: dict[int, tuple[str, str]],
    entries: Sequence[DayEntry],
    working: bool,
    label: str,
    layer: str,
) -> None:
    for entry in entries:
        for day in entry.days():
            number = day_number(day)
            # a regional day off on a national holiday is both (Guangxi's 2022 notice put 三月三 and
            # 清明 in one block): the national name is kept beside the regional one
            prior, was_working = named.get(number), bool(mask[number - FIRST_DAY])
            both = (prior is not None and not working and not was_working and prior[1] == "national"
                    and not prior[0].startswith("休息日"))  # a swapped day off is no holiday of its own
            mask[number - FIRST_DAY] = working
            named[number] = (f"{prior[0]} / {entry.name} ({label})" if both and prior else f"{entry.name} ({label})",
                             layer)


def _build(regional: RegionalFile | None, overrides: Sequence[tuple[Path, OverridesFile]]) -> WorkingCalendar:
    schedule = national_schedule()
    days = np.arange(FIRST_DAY, LAST_DAY + 1, dtype=np.int64)
    mask = (days + 3) % 7 < 5  # Monday..Friday; 1970-01-01 was a Thursday
    named: dict[int, tuple[str, str]] = {}
    for number, name in schedule.off.items():
        mask[number - FIRST_DAY] = False
        named[number] = (name, "national")
    for number, name in schedule.work.items():
        mask[number - FIRST_DAY] = True
        named[number] = (name, "national")
    parts = ["national"]
    if regional is not None:
        # the fixed yearly days first: one a year's block also lists is refused when the file loads
        fixed = [entry.as_entry(regional.since) for entry in regional.every_year]
        _apply(mask, named, fixed, False, regional.label, "regional")
        for block in regional.years:
            _apply(mask, named, block.off, False, regional.label, "regional")
            _apply(mask, named, block.work, True, regional.label, "regional")
        parts.append(regional.region)
    settles: list[Settles] = []
    for path, file in overrides:
        _apply(mask, named, file.off, False, file.label, "override")
        _apply(mask, named, file.work, True, file.label, "override")
        settles.extend(file.settles)
        parts.append(f"overrides:{path.name}")
    coverage = build_coverage(schedule, regional, settles)
    return WorkingCalendar(" + ".join(parts), mask, named, coverage)
