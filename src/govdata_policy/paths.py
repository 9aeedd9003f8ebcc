"""Where the bundled data lives: ``rules/`` and ``jurisdictions/``.

In a source checkout (and an editable install) they sit at the repository root;
a wheel carries them inside the package as ``_data/``. ``GOVDATA_POLICY_DATA``
points elsewhere (a drafter's own tree of rules and profiles).
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path


@cache
def data_root() -> Path:
    override = os.environ.get("GOVDATA_POLICY_DATA")
    if override:
        return Path(override)
    here = Path(__file__).resolve().parent
    for candidate in (here / "_data", here.parents[1]):
        if (candidate / "jurisdictions").is_dir() and (candidate / "rules").is_dir():
            return candidate
    raise FileNotFoundError(
        "govdata-policy cannot find its rules/ and jurisdictions/ data; "
        "set GOVDATA_POLICY_DATA to the folder holding them"
    )


def rules_dir() -> Path:
    return data_root() / "rules"


def jurisdictions_dir() -> Path:
    return data_root() / "jurisdictions"


def profile_names(folder: Path | None = None) -> tuple[str, ...]:
    """The profiles a folder holds (default: the bundled ``jurisdictions/``), by name: the engine
    knows no jurisdiction by name, only what the data folder has."""
    return tuple(sorted(path.stem for path in (folder or jurisdictions_dir()).glob("*.yaml")))
