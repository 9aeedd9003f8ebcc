"""The national schedule (国务院办公厅 notices) as encoded by ``holidays.China``.

``holidays`` gives days off by name and ``weekend_workdays`` (调休上班), but
the make-up days have no name; we name each after the day off it was swapped
with, which ``holidays`` writes into that day's name ("休息日（由 2025-01-26 调休）").

Issue 5: importing ``holidays`` and computing 2003–2036 takes about 0.2 s, a tenth
of a whole ``check`` on a million events. The schedule is therefore kept in a small
JSON file in the user's cache folder (see ``cache_dir``), keyed on the installed
``holidays`` files: upgrading the package makes a new key, a damaged or unwritable
cache is simply not used.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.util
import json
import os
import re
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..timeutil import day_number
from .bounds import FIRST_DATE, FIRST_YEAR, LAST_DATE, LAST_YEAR

MAKEUP_NAME = "调休上班"
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")
_FORMAT = 1  # bump when the cached content or its meaning changes


@dataclass(frozen=True)
class NationalSchedule:
    off: dict[int, str]  # day number -> name, days off (weekend holidays included)
    work: dict[int, str]  # day number -> name, weekend make-up working days
    published: frozenset[int]  # years whose make-up days are known (the notice is out)
    source: str


@cache
def national_schedule() -> NationalSchedule:
    path = _cache_file()
    schedule = _read_cached(path) if path is not None else None
    if schedule is None:
        schedule = compute_national_schedule()
        if path is not None:
            _write_cached(path, schedule)
    return schedule


def compute_national_schedule() -> NationalSchedule:
    """The schedule straight from ``holidays.China`` (no cache)."""
    import holidays

    # one year either side: a make-up day can belong to the next year's notice
    # (2005-12-31 was worked for 元旦 2006)
    table = holidays.China(years=range(FIRST_YEAR - 1, LAST_YEAR + 2), language="zh_CN")
    swapped: dict[str, dt.date] = {}
    for day, name in table.items():
        for found in _ISO.findall(name):
            swapped[found] = day
    off = {day_number(d): str(name) for d, name in table.items() if FIRST_DATE <= d <= LAST_DATE}
    work: dict[int, str] = {}
    for d in sorted(table.weekend_workdays):
        if FIRST_DATE <= d <= LAST_DATE:
            partner = swapped.get(d.isoformat())
            work[day_number(d)] = f"{MAKEUP_NAME}（与 {partner} 调换）" if partner else MAKEUP_NAME
    # a year with no make-up day at all is one whose notice holidays does not have
    # yet: the statutory days are then its estimate, not the State Council's schedule
    published = frozenset(d.year for d in table.weekend_workdays if FIRST_YEAR <= d.year <= LAST_YEAR)
    return NationalSchedule(
        off=off,
        work=work,
        published=published,
        source=f"holidays {holidays.__version__} (holidays.China, State Council notices)",
    )


def cache_dir() -> Path | None:
    """``GOVDATA_POLICY_CACHE`` (empty: no cache), else ``$XDG_CACHE_HOME`` or ``~/.cache``, /govdata-policy."""
    chosen = os.environ.get("GOVDATA_POLICY_CACHE")
    if chosen is not None:
        return Path(chosen) if chosen.strip() else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "govdata-policy"


def _cache_file() -> Path | None:
    folder = cache_dir()
    spec = importlib.util.find_spec("holidays")  # finds the files without importing the package
    if folder is None or spec is None or not spec.submodule_search_locations:
        return None
    package = Path(next(iter(spec.submodule_search_locations)))
    key = [str(_FORMAT), str(FIRST_YEAR), str(LAST_YEAR), str(package)]
    for part in ("version.py", "countries/china.py", "groups/chinese.py"):
        try:
            stat = (package / part).stat()
        except OSError:
            continue
        key.append(f"{part}:{stat.st_size}:{stat.st_mtime_ns}")
    digest = hashlib.sha256("\n".join(key).encode()).hexdigest()[:16]
    return folder / f"national-{digest}.json"


def _read_cached(path: Path) -> NationalSchedule | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return NationalSchedule(
            off={int(day): str(name) for day, name in data["off"].items()},
            work={int(day): str(name) for day, name in data["work"].items()},
            published=frozenset(int(year) for year in data["published"]),
            source=str(data["source"]),
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None  # absent or damaged: computed afresh and written again


def _write_cached(path: Path, schedule: NationalSchedule) -> None:
    body = json.dumps({
        "off": schedule.off, "work": schedule.work, "published": sorted(schedule.published),
        "source": schedule.source,
    }, ensure_ascii=False)
    temporary: Path | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # written beside and renamed: a reader never sees half a file
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, delete=False,
                                         suffix=".tmp") as handle:
            temporary = Path(handle.name)
            handle.write(body)
        os.replace(temporary, path)
    except OSError:
        # a read-only or full disk is no reason to fail a check; the next run computes it again
        if temporary is not None:
            temporary.unlink(missing_ok=True)
