"""One cell's text and one event's keys, as the batch reads a row's (``scalar_validate``'s helpers)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..io.columns import contract_name
from ..io.read import _scalar_text
from ..io.text import CONTAINERS, formula_text
from .scalar_times import _missing


def _text(value: Any) -> str | None:
    """The batch's text of a cell: stripped, Excel's ``="00123"`` its text, blank = missing (io.read.text_array)."""
    if _missing(value):
        return None
    text = formula_text((value if isinstance(value, str) else _scalar_text(value)).strip())
    return text or None


def _contract_keys(event: Mapping[str, Any]) -> tuple[Mapping[str, Any], str | None]:
    """The event's keys as the batch names columns (``io.columns.contract_name``: "Category" is
    category). A field given under two keys keeps the value given; two different values are the
    batch's "given twice" error, here for this event alone: (event, reason or None)."""
    if all(key.__class__ is str and contract_name(key) in (None, key) for key in event):
        return event, None
    out: dict[str, Any] = {}
    first_key: dict[str, str] = {}
    clash = None
    for key, value in event.items():
        text = str(key).strip()
        name = contract_name(text) or text
        if name not in out:
            out[name], first_key[name] = value, text
            continue
        kept, given = _text(out[name]), _text(value)
        if kept is None:
            out[name] = value
        elif given is not None and given != kept and clash is None:
            clash = f"{name}: given twice, as '{first_key[name]}' and '{text}', with different values"
    return out, clash


def given_case_id(event: Any) -> str | None:
    """The case an unreadable event names, as its text (for the rejection); None if it names none."""
    if not isinstance(event, Mapping):
        return None
    given = event.get("case_id")
    return None if isinstance(given, CONTAINERS) else _text(given)  # a list or object is no case id, as parsed
