"""Reading event logs into the engine's EventFrame (docs/design.md, CONTRACT.md §1).

    events, rejected, rows_read = load_events("log.csv", mapping="map.yaml")

The names below are imported when first asked for: importing a module of this package
(``io.prefetch``, which the command line starts before pandas is loaded) does not load
pandas through this file.
"""

from __future__ import annotations

import sys
from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .mapping import ColumnMapping, apply_mapping, draft_mapping, load_mapping
    from .read import InputError, RawTable, read_raw
    from .times import parse_time, parse_times
    from .validate import load_events, validate

_WHERE = {
    "ColumnMapping": "mapping", "apply_mapping": "mapping", "draft_mapping": "mapping", "load_mapping": "mapping",
    "InputError": "read", "RawTable": "read", "read_raw": "read",
    "parse_time": "times", "parse_times": "times",
    "load_events": "validate", "validate": "validate",
}

__all__ = [
    "ColumnMapping",
    "InputError",
    "RawTable",
    "apply_mapping",
    "draft_mapping",
    "load_events",
    "load_mapping",
    "parse_time",
    "parse_times",
    "read_raw",
    "validate",
]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{_WHERE[name]}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_WHERE})


class _Package(ModuleType):
    """Keeps ``io.validate`` the function: importing the submodule ``io/validate.py`` sets the
    package's attribute of that name to the module, over the function (an eager import of the
    function, as this file made before, came after and won)."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _WHERE and isinstance(value, ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
