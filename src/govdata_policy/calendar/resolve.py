"""``-j JURISDICTION`` to a WorkingCalendar, reading only a profile's ``calendar:`` part.

The profile module owns profiles; this reads just enough of one to find its
calendar files, so the calendar verbs work on their own:

1. ``j`` is a path to a profile file (a ``.yaml`` name, or any file there is), or ``jurisdictions/<j>.yaml`` exists:
   its ``calendar: {regional: calendars/x.yaml, overrides: [...]}`` (paths
   relative to the profile file; what a profile's ``calendar:`` does not give,
   it inherits from the profile it ``extends:``, as the profile loader merges);
2. else ``jurisdictions/calendars/<j>.yaml`` exists: that is the regional file;
3. else the jurisdiction is unknown (a profile without a regional file, as Yongzhou's and
   Xinzhou's, counts on the national schedule alone).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import BilingualError, zh_list
from ..paths import jurisdictions_dir, profile_names
from ..vocabulary import closest, did_you_mean
from .build import build_calendar
from .errors import CalendarFileError
from .files import read_yaml
from .working import WorkingCalendar

_NAME = re.compile(r"^[a-z][a-z0-9_-]*$")
_YAML = (".yaml", ".yml")


class UnknownJurisdictionError(BilingualError):
    """Neither a profile file nor a known jurisdiction name."""


def calendar_for_jurisdiction(j: str, overrides: Sequence[Path] = ()) -> WorkingCalendar:
    """The (cached) calendar of a jurisdiction name or profile path, plus extra override files."""
    regional, listed = calendar_files(j)
    return build_calendar(regional, [*listed, *(Path(p) for p in overrides)])


def calendar_files(j: str, _seen: frozenset[Path] = frozenset()) -> tuple[Path | None, list[Path]]:
    """(regional file or None, override files) for a jurisdiction name or profile path."""
    path = Path(j)
    # any existing file is a profile, as the profile loader takes one (profile_layers.resolve_file): a
    # profile without a .yaml suffix was checked by `check` and refused here as an unknown name
    if path.suffix.lower() in _YAML or path.is_file():
        if not path.is_file():
            raise UnknownJurisdictionError(f"profile file not found: {j}", zh=f"{j}：找不到档案文件")
        return _from_profile(path, _seen)
    if not _NAME.match(j):
        raise UnknownJurisdictionError(f"unknown jurisdiction {j!r}: give a name or a profile .yaml file",
                                      zh=f"未知的辖区{j!r}：请给出辖区名或档案文件（.yaml）的路径")
    root = jurisdictions_dir()
    profile = root / f"{j}.yaml"
    if profile.is_file():
        return _from_profile(profile, _seen)
    regional = root / "calendars" / f"{j}.yaml"
    if regional.is_file():
        return regional, []
    known = profile_names(root)
    choices = f"use one of {', '.join(known)} or" if known else "give"
    meant = closest(j, known)
    # the words of the profile loader's own refusal (profile_layers.resolve_file), which check says
    close_zh = f"（是否应为{meant!r}？）" if meant else ""
    choices_zh = f"请用{zh_list(known)}之一，或" if known else "请给出"
    raise UnknownJurisdictionError(f"unknown jurisdiction {j!r}{did_you_mean(j, known)}: {choices} a path to a "
                                   "profile file", zh=f"未知的辖区{j!r}{close_zh}：{choices_zh}档案文件的路径")


def _paths(profile: Path, field: str, value: Any) -> list[Path]:
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not all(isinstance(v, str) and v for v in values):
        raise CalendarFileError(f"{profile}: field {field}: expected a path or a list of paths")
    found = [profile.parent / v for v in values]
    for v, p in zip(values, found, strict=True):
        if not p.is_file():
            raise CalendarFileError(f"{profile}: field {field}: file {v} not found next to the profile")
    return found


def _from_profile(profile: Path, seen: frozenset[Path]) -> tuple[Path | None, list[Path]]:
    """The calendar files of a profile and the profiles it extends, merged as the profile
    loader merges them (``profile.py``): each key a layer gives replaces the one it inherits,
    so a variant's ``calendar: {overrides: [...]}`` keeps its parent's regional file."""
    key = profile.resolve()
    if key in seen:
        raise CalendarFileError(f"{profile}: field extends: profiles extend each other in a cycle")
    raw = read_yaml(profile)
    if not isinstance(raw, dict):
        raise CalendarFileError(f"{profile}: expected a mapping at the top of the file")
    regional_path: Path | None = None
    override_paths: list[Path] = []
    parent = raw.get("extends")
    if parent is not None:
        if not isinstance(parent, str):
            raise CalendarFileError(f"{profile}: field extends: expected a name or a path")
        if Path(parent).suffix.lower() in _YAML:
            parent = str(profile.parent / parent)
        regional_path, override_paths = calendar_files(parent, seen | {key})
    section = raw.get("calendar")
    if section is None:
        return regional_path, override_paths
    if not isinstance(section, dict):
        raise CalendarFileError(f"{profile}: field calendar: expected a mapping with regional / overrides")
    if "regional" in section:  # ``regional: null`` drops the parent's regional days
        regional = section["regional"]
        if regional is not None and not isinstance(regional, str):
            raise CalendarFileError(f"{profile}: field calendar.regional: expected one path")
        regional_path = _paths(profile, "calendar.regional", regional)[0] if regional is not None else None
    if "overrides" in section:
        override_paths = _paths(profile, "calendar.overrides", section["overrides"] or [])
    return regional_path, override_paths
