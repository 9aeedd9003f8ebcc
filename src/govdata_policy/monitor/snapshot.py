"""A monitor's state as bytes and back: ``Monitor.snapshot``, ``Monitor.restore`` and pickling a monitor.

A snapshot is a pickle of a dict: the state's attributes (``STATE``), the
options the monitor was made with, and a digest of the profile it ran under,
which a restore checks (open obligations were counted under that profile).
"""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .core import Monitor

SNAPSHOT_FORMAT = 3  # 2: cases kept as contexts (state.py), obligations as lists; 3: totals as flat keys
# the monitor's attributes that make up its state (the rest is rebuilt from the profile and options)
STATE = ("_now", "_cases", "pending", "heap", "stale", "unsettled", "n_obligations", "_pushed", "_counts",
         "_first_day")


def snapshot(monitor: Monitor) -> bytes:
    state = {name: getattr(monitor, name) for name in STATE}
    state.update(
        format=SNAPSHOT_FORMAT, profile=monitor.profile.name, digest=monitor._compiled.digest,
        options=monitor._options, rejected=list(monitor._rejected), outside=dict(monitor.reporter.outside),
    )
    return pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL)


# what a snapshot holds besides STATE
_KEYS = ("format", "profile", "digest", "options", "rejected", "outside")


def restore(cls: type[Monitor], profile: Any, data: bytes) -> Monitor:
    try:
        state = pickle.loads(data)
    except Exception as exc:  # a truncated or foreign pickle fails in any of a dozen ways, all saying the same
        raise ValueError(f"not a monitor snapshot: it cannot be read ({type(exc).__name__}: {exc})") from exc
    if not isinstance(state, dict):
        raise ValueError(f"not a monitor snapshot: it holds {type(state).__name__}, not a monitor's state")
    if state.get("format") != SNAPSHOT_FORMAT:
        raise ValueError(f"not a monitor snapshot of format {SNAPSHOT_FORMAT} (this one says format "
                         f"{state.get('format')!r}): take a new snapshot with this version")
    missing = [key for key in (*_KEYS, *STATE) if key not in state]
    if missing:
        raise ValueError(f"not a monitor snapshot: it lacks {', '.join(missing)}")
    monitor = cls(profile, **state["options"])
    if state["digest"] != monitor._compiled.digest:
        # name both when they differ: "('yongzhou' or its rules ... changed since)" said of a snapshot restored
        # against xinzhou blamed a change to yongzhou, and never named the profile that was given
        taken, given = state["profile"], profile.name
        which = (f"{taken!r}, not {given!r}" if taken != given else
                 f"{taken!r} as it was before its rules, parties, documents, penalties or calendar changed")
        raise ValueError(f"snapshot was taken with a different profile: {which} (its open obligations were "
                         "counted under that one); restore it with the profile it was taken with")
    for name in STATE:
        setattr(monitor, name, state[name])
    monitor._alias()
    monitor.set_now(monitor._now)
    monitor._rejected.extend(state["rejected"])
    monitor.reporter.outside.update(state["outside"])
    return monitor


def reduce(monitor: Monitor) -> tuple[Any, ...]:
    """What ``pickle`` stores for a monitor: how to load its profile again, and its snapshot.

    A built-in profile is stored by its name (``yongzhou``), so the pickle loads where the library is
    installed at another path; a profile from the user's own file keeps that file's path. Either way the
    restore checks the profile's digest, refusing one that changed since."""
    file = Path(monitor.profile.file)
    built_in = _built_in_file(file.stem)
    if built_in.is_file() and built_in.resolve() == file.resolve():
        return (unpickle_built_in, (file.stem, monitor.snapshot()))
    return (unpickle, (str(file), monitor.snapshot()))


def _built_in_file(name: str) -> Path:
    from .. import paths

    return paths.jurisdictions_dir() / f"{name}.yaml"


def unpickle_built_in(name: str, data: bytes) -> Monitor:
    # by the bundled file, not the bare name: a folder called "yongzhou" where the process runs is not it
    return unpickle(str(_built_in_file(name)), data)


def unpickle(profile_file: str, data: bytes) -> Monitor:
    from ..profile import load_jurisdiction
    from .core import Monitor

    return Monitor.restore(load_jurisdiction(profile_file), data)
