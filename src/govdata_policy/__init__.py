"""govdata-policy: Chinese government data-sharing rules as cited, executable data.

    import govdata_policy as gp
    profile = gp.load_jurisdiction("xinjiang")
    result = profile.evaluate(events, as_of="2024-06-30")
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["load_jurisdiction", "__version__"]

if TYPE_CHECKING:
    from .profile import Profile


def load_jurisdiction(name_or_path: Any) -> Profile:
    """A built-in jurisdiction (guangxi, yongzhou, xinjiang, xinzhou) or a profile file."""
    from .profile import load_jurisdiction as _load

    return _load(name_or_path)
