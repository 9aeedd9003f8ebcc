"""Pydantic's errors about a file's keys, in a drafter's words.

A misspelt required key gives pydantic two errors, ``authority_zh: Field required`` and ``authorty_zh:
Extra inputs are not permitted``; a loader showing the first only said the field was missing from a
file that has it, misspelt. Here the pair is one error on the key written, naming the key meant, and a
key no model has is said with the fields of its entry (a misspelt optional key pairs with nothing).
"""

from __future__ import annotations

import types
import typing
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel

from .vocabulary import closest


def _fields_at(model: type[BaseModel], loc: Sequence[Any]) -> list[str] | None:
    """The field names of the entry ``loc`` points into (its last step being a key of it), or None when
    the path cannot be followed (a union of kinds, a plain mapping)."""
    current: Any = model
    steps = list(loc[:-1])
    while True:
        origin = typing.get_origin(current)
        if origin is typing.Annotated:
            current = typing.get_args(current)[0]
            continue
        if origin in (typing.Union, types.UnionType):  # X | None: the model part; a rule's kinds: by its tag
            models = [a for a in typing.get_args(current) if a is not type(None)]
            if len(models) > 1 and steps:  # pydantic names the kind in the path: rules.0.deadline.fulfill
                models = [m for m in models if steps[0] in typing.get_args(_kind(m))]
                steps = steps[1:]
            if len(models) != 1:
                return None
            current = models[0]
            continue
        if not steps:
            break
        step = steps.pop(0)
        if origin in (dict, list):  # a key or index: the value's type
            current = typing.get_args(current)[-1]
        elif isinstance(current, type) and issubclass(current, BaseModel) and step in current.model_fields:
            current = current.model_fields[step].annotation
        else:
            return None
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return None


def _kind(model: Any) -> Any:
    fields = getattr(model, "model_fields", {})
    return fields["kind"].annotation if "kind" in fields else None


def worded(errors: list[dict[str, Any]], model: type[BaseModel] | None = None) -> list[dict[str, Any]]:
    """``errors`` (pydantic's ``exc.errors()``) with each misspelt key said once, on the key written:
    ``{"loc": (..., "authorty_zh"), "msg": "not a field (did you mean 'authority_zh'?)"}``, in the place of
    the "Field required" it caused. Other errors pass unchanged."""
    missing = {tuple(e["loc"]): e for e in errors if e["type"] == "missing"}
    out: list[dict[str, Any]] = []
    taken: set[tuple[Any, ...]] = set()
    for error in errors:
        loc = tuple(error["loc"])
        if error["type"] != "extra_forbidden" or not loc or not isinstance(loc[-1], str):
            out.append(error)
            continue
        prefix = loc[:-1]
        meant = closest(loc[-1], [m[-1] for m in missing if m[:-1] == prefix and isinstance(m[-1], str)])
        if meant is not None:
            taken.add((*prefix, meant))
            message = f"not a field (did you mean {meant!r}? it is required)"
        else:
            fields = _fields_at(model, loc) if model is not None else None
            guess = closest(loc[-1], fields) if fields else None
            message = (f"not a field (did you mean {guess!r}?)" if guess
                       else "not a field" + (f"; the fields: {', '.join(fields)}" if fields else ""))
        out.append({**error, "msg": message, "type": "misspelt_key"})
    return [e for e in out if not (e["type"] == "missing" and tuple(e["loc"]) in taken)]
