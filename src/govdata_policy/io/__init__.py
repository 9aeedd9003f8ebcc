"""Reading event logs into the engine's EventFrame (docs/design.md, CONTRACT.md §1).

    events, rejected, rows_read = load_events("log.csv", mapping="map.yaml")
"""

from __future__ import annotations

from .mapping import ColumnMapping, apply_mapping, draft_mapping, load_mapping
from .read import InputError, RawTable, read_raw
from .times import parse_time, parse_times
from .validate import load_events, validate

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
