"""Keyword arguments of the Python API checked where they come in, each error naming the keyword and the value.

A platform reads its settings from a config file as text and passes them on. Python takes any
non-empty string for true, so ``enforce_validity="no"`` enforced validity and hid the findings the
caller asked for: a compliance check must not give another verdict than the one asked for. A yes/no
keyword therefore takes ``True`` or ``False`` only (numpy's bool too), as the rule files take yes/no
values unquoted only (``rules.conditions``); text is refused, not read, since "no", "false", "0" and
"否" would each need a reading of their own. A number of days, cases or processes is an ``int``, not a
``bool`` (``max_ahead_days=True`` was a one-day guard) nor None where None means nothing (a bare TypeError
about ``<`` came from deep inside).
"""

from __future__ import annotations

import os
from typing import Any


class KeywordError(TypeError, ValueError):
    """A keyword's value of the wrong type: a TypeError, and a ValueError as a platform catching bad settings
    (and ``max_ahead_days="92"``, refused as a ValueError before this module) expects."""


# what a config file's text usually holds where a yes/no was meant: said in the error, which suggests the bool
_TEXT_HINT = "; text is not read as yes/no: convert it first (True or False)"


def flag(keyword: str, value: Any, *, accepted: str = "True or False") -> bool:
    """``value`` as a bool; a TypeError naming ``keyword`` when it is not one (``accepted``: what the error says
    is taken)."""
    if isinstance(value, bool):
        return value
    kind = type(value)
    if kind.__module__ == "numpy" and kind.__name__ in ("bool_", "bool"):  # a frame's .any() (numpy not imported)
        return bool(value)
    hint = _TEXT_HINT if isinstance(value, str | bytes) else ""
    raise KeywordError(f"{keyword}: expected {accepted}, got {value!r} ({kind.__name__}){hint}")


def flag_or_none(keyword: str, value: Any) -> bool | None:
    """``flag``, None allowed (the profile's own setting, for ``enforce_validity``)."""
    return None if value is None else flag(keyword, value, accepted="True, False or None")


def whole(keyword: str, value: Any, *, minimum: int = 0, unit: str = "", or_none: bool = False) -> int:
    """``value`` as an int of at least ``minimum``: a TypeError for another type (a bool, whose True was 1, a
    float, text, None), a ValueError below ``minimum``, each naming ``keyword`` and the value (``or_none``: the
    error says None is taken too, as ``whole_or_none`` takes it)."""
    accepted = f"a whole number{' of ' + unit if unit else ''}, {minimum} or more{', or None' if or_none else ''}"
    number = integer(keyword, value, accepted=accepted)
    if number < minimum:
        raise ValueError(f"{keyword}: expected {accepted}, got {value!r}")
    return number


def integer(keyword: str, value: Any, *, unit: str = "", accepted: str = "") -> int:
    """``value`` as an int of any sign (``whole`` without its bound, for a count whose range its callee checks):
    a TypeError naming ``keyword`` for a bool (True was 1), a float, text or None. Cheap: a type test or two."""
    if isinstance(value, bool) or not _is_int(value):
        accepted = accepted or f"a whole number{' of ' + unit if unit else ''}"
        raise KeywordError(f"{keyword}: expected {accepted}, got {value!r} ({type(value).__name__})")
    return int(value)


def whole_or_none(keyword: str, value: Any, *, minimum: int = 0, unit: str = "") -> int | None:
    """``whole``, None allowed (no limit, or the default's own choice)."""
    return None if value is None else whole(keyword, value, minimum=minimum, unit=unit, or_none=True)


def _is_int(value: Any) -> bool:
    """An int, or one of numpy's integers (read from a frame or an array), without importing numpy."""
    if isinstance(value, int):
        return True
    kind = type(value)
    return kind.__module__ == "numpy" and "int" in kind.__name__ and hasattr(value, "__index__")


def sheet_choice(value: Any) -> str | int | None:
    """A workbook's sheet as the API takes it: its name, its 0-based position among the worksheets, ``"*"``
    (every sheet with the log) or None (the first visible one). ``True`` was position 1, the second sheet."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool) or not _is_int(value):
        raise KeywordError(f"sheet: expected a sheet's name (str), its 0-based position (int), '*' or None, "
                           f"got {value!r} ({type(value).__name__})")
    return int(value)


def callback(keyword: str, value: Any) -> Any:
    """A function to call, or None (``progress="yes"`` failed at the first stage with "'str' object is not
    callable", after the log was read)."""
    if value is not None and not callable(value):
        raise KeywordError(f"{keyword}: expected a function or None, got {value!r} ({type(value).__name__})")
    return value


def loaded_profile(value: Any) -> Any:
    """A loaded profile, where a name or path was given instead (``Monitor.restore("yongzhou", data)`` failed
    with "cannot create weak reference to 'str' object" from the compiled rules' cache)."""
    if isinstance(value, str | os.PathLike):
        raise KeywordError(f"profile: expected a loaded profile (govdata_policy.load_jurisdiction({str(value)!r})), "
                           f"got the {type(value).__name__} {str(value)!r}")
    return value
