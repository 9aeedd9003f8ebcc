"""govdata-policy: Chinese government data-sharing rules as cited, executable data.

    import govdata_policy as gp
    profile = gp.load_jurisdiction("xinjiang")
    result = profile.evaluate(events, as_of="2024-06-30")
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
# the types a platform annotates its own code with (``def store(result: gp.Result)``), importable from
# the package without importing pandas until they are used (``__getattr__`` below)
__all__ = ["InputError", "Monitor", "Profile", "RejectedEvent", "Result", "load_jurisdiction", "__version__"]

if TYPE_CHECKING:
    from .io.read import InputError
    from .monitor import Monitor, RejectedEvent
    from .profile import Profile
    from .result import Result

_LAZY = {"InputError": "io.read", "Monitor": "monitor", "Profile": "profile", "RejectedEvent": "monitor",
         "Result": "result"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def load_jurisdiction(name_or_path: Any) -> Profile:
    """A built-in jurisdiction (guangxi, yongzhou, xinjiang, xinzhou) or a profile file."""
    from .profile import load_jurisdiction as _load

    return _load(name_or_path)
