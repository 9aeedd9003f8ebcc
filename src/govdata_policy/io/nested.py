"""Cells holding a list or an object (JSON, Parquet, records), kept as their JSON text.

A log's cells hold one value each. A JSON Lines export may nest (``"attachments":
["a.pdf"]``, ``"provider": {"name": "…"}``); hashing such a cell failed deep in pandas.
Now it is kept as its JSON text: a pass-through column keeps what it said, an attribute
with allowed values rejects the row with the value shown, so does an event or time ("cannot read '["2024-03-05"]'
as a time"), and a nested case id rejects its row ("case_id: a JSON object, not one
value"), as the streaming monitor does. Columns of text (every CSV column) are not looked at.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from .read import READ_ERROR
from .text import CONTAINERS, NestedTooDeep, json_text

# what pandas.api.types.infer_dtype says of a column of single values
_FLAT = frozenset({
    "string", "empty", "integer", "floating", "mixed-integer-float", "boolean", "datetime", "datetime64",
    "date", "time", "decimal", "bytes", "timedelta", "timedelta64", "period", "interval", "categorical",
})


def nested_as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with every list or object cell as its JSON text, and a reason in ``READ_ERROR``
    for the rows whose case_id is one; the frame itself when it has none."""
    out: pd.DataFrame | None = None
    reasons: np.ndarray | None = None
    for name in frame.columns:
        if name == READ_ERROR:
            continue
        nested = _nested_cells(frame[name])
        if nested is None:
            continue
        if out is None:
            out = frame.copy(deep=False)
        values = frame[name].to_numpy(dtype=object, na_value=None).copy()
        rows = np.flatnonzero(nested)
        kinds = [container_kind(values[i]) for i in rows]
        texts, too_deep = [], {}
        for row in rows:
            try:
                texts.append(json_text(values[row]))
            except NestedTooDeep as exc:  # its row is refused, the cell not walked
                texts.append(None)
                too_deep[row] = f"{name}: {exc}"
        values[nested] = texts
        out[name] = pd.Series(values, index=frame.index, dtype=object)
        if name == "case_id" or too_deep:  # an event or time as JSON text is refused by its own check
            if reasons is None:
                reasons = np.full(len(frame), None, dtype=object)
            for row, kind in zip(rows, kinds, strict=True):
                reason = too_deep.get(row) or (f"{name}: a JSON {kind}, not one value" if name == "case_id" else None)
                if reason:
                    reasons[row] = f"{reasons[row]}; {reason}" if reasons[row] else reason
    if out is None:
        return frame
    if reasons is not None:
        before = out[READ_ERROR].to_numpy(dtype=object) if READ_ERROR in out.columns else None
        merged = reasons if before is None else np.where(pd.isna(before), reasons, before)
        out[READ_ERROR] = pd.Series(merged, index=frame.index, dtype=object)
    return out


def _nested_cells(column: pd.Series) -> np.ndarray | None:
    """Where a column holds lists or objects; None when it holds none (the usual case, told fast)."""
    dtype = column.dtype
    if isinstance(dtype, pd.ArrowDtype):
        arrow_type = dtype.pyarrow_dtype
        nested = pa.types.is_nested(arrow_type)
        return column.notna().to_numpy() if nested and column.notna().any() else None
    if dtype is not np.dtype(object) or pd.api.types.infer_dtype(column, skipna=True) in _FLAT:
        return None
    found = np.fromiter((isinstance(v, CONTAINERS) for v in column.to_numpy()), dtype=bool, count=len(column))
    return found if found.any() else None


def container_kind(value: Any) -> str:
    return "object" if isinstance(value, dict) else "list"
