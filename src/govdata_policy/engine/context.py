"""What every rule compiler receives, and the shape of what it returns."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .frame import Prepared

# A compiler returns two frames with these columns (positions refer to Prepared):
VIOLATION_COLUMNS = ("kind", "pos", "due_day", "occurred_ns", "wd_late", "ev_a", "ev_b", "detail")
OBLIGATION_COLUMNS = ("pos", "due_day", "fulfil_pos", "status", "wd_late")


@dataclass
class Context:
    prep: Prepared
    calendar: Any  # govdata_policy.calendar.WorkingCalendar
    as_of_ns: int
    as_of_day: int


def int_or_na(values: np.ndarray, valid: np.ndarray) -> pd.array:
    """Int64 array with NA where ``valid`` is false."""
    out = pd.array(np.where(valid, values, 0).astype(np.int64), dtype="Int64")
    out[~valid] = pd.NA
    return out


def violations(
    kind: str | np.ndarray,
    pos: np.ndarray,
    *,
    due_day: Any = None,
    occurred_ns: Any = None,
    wd_late: Any = None,
    ev_b: Any = None,
    detail: Any = None,
) -> pd.DataFrame:
    n = len(pos)

    def fill(value: Any) -> Any:
        return pd.array([pd.NA] * n, dtype="Int64") if value is None else value

    return pd.DataFrame(
        {
            "kind": kind if not isinstance(kind, str) else np.full(n, kind, dtype=object),
            "pos": np.asarray(pos, dtype=np.int64),
            "due_day": fill(due_day),
            "occurred_ns": fill(occurred_ns),
            "wd_late": fill(wd_late),
            "ev_a": np.asarray(pos, dtype=np.int64),
            "ev_b": fill(ev_b),
            "detail": np.full(n, None, dtype=object) if detail is None else detail,
        }
    )


def no_obligations() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="Int64") for c in OBLIGATION_COLUMNS}).astype({"status": object})


def asof_join(
    prep: Prepared, left: np.ndarray, right: np.ndarray, direction: str
) -> np.ndarray:
    """For each left position, the right position in the same case nearest in time
    (``forward``: first at or after; ``backward``: last at or before); -1 if none."""
    result = np.full(len(left), -1, dtype=np.int64)
    if len(left) == 0 or len(right) == 0:
        return result
    left_frame = pd.DataFrame({"t": prep.time_ns[left], "case": prep.case_codes[left], "i": np.arange(len(left))})
    right_frame = pd.DataFrame({"t": prep.time_ns[right], "case": prep.case_codes[right], "r": right})
    # positions are in canonical order, so time is already ascending on both sides
    merged = pd.merge_asof(left_frame, right_frame, on="t", by="case", direction=direction,
                           allow_exact_matches=True)
    found = merged["r"].notna().to_numpy()
    result[merged["i"].to_numpy()[found]] = merged["r"].to_numpy()[found].astype(np.int64)
    return result


def acts_with_time(prep: Prepared, acts: np.ndarray, attribute: str) -> tuple[np.ndarray, np.ndarray]:
    """The acts that carry a time attribute, and its UTC nanoseconds (lead times, retention)."""
    values = pd.to_numeric(prep.column(attribute).iloc[acts], errors="coerce")
    known = values.notna().to_numpy()
    return acts[known], values[known].to_numpy(dtype=np.int64)
