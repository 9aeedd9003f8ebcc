"""Keyword arguments of the Python API checked where they come in, each error naming the keyword and the value.

A platform reads its settings from a config file as text and passes them on. Python takes any
non-empty string for true, so ``enforce_validity="no"`` enforced validity and hid the findings the
caller asked for: a compliance check must not give another verdict than the one asked for. A yes/no
keyword therefore takes ``True`` or ``False`` only (numpy's bool too), as the rule files take yes/no
values unquoted only (``rules.conditions``); text is refused, not read, since "no", "false", "0" and
"否" would each need a reading of their own.
"""

from __future__ import annotations

from typing import Any

# what a config file's text usually holds where a yes/no was meant: said in the error, which suggests the bool
_TEXT_HINT = "; text is not read as yes/no: convert it first (True or False)"


def flag(keyword: str, value: Any) -> bool:
    """``value`` as a bool; a TypeError naming ``keyword`` when it is not one."""
    if isinstance(value, bool):
        return value
    kind = type(value)
    if kind.__module__ == "numpy" and kind.__name__ in ("bool_", "bool"):  # a frame's .any() (numpy not imported)
        return bool(value)
    hint = _TEXT_HINT if isinstance(value, str | bytes) else ""
    raise TypeError(f"{keyword}: expected True or False, got {value!r} ({kind.__name__}){hint}")


def flag_or_none(keyword: str, value: Any) -> bool | None:
    """``flag``, None allowed (the profile's own setting, for ``enforce_validity``)."""
    if value is None:
        return None
    try:
        return flag(keyword, value)
    except TypeError as exc:
        raise TypeError(str(exc).replace("True or False,", "True, False or None,", 1)) from None
