"""The result of checking a log: CONTRACT.md §2."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .timeutil import iso


def _jsonable(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Records with ISO +08:00 times, None for missing values, plain ints."""
    if frame.empty:
        return []
    out = pd.DataFrame(index=frame.index)
    for column in frame.columns:
        values = frame[column]
        if isinstance(values.dtype, pd.DatetimeTZDtype):
            text = values.dt.strftime("%Y-%m-%dT%H:%M:%S%z").str.replace(r"(\d\d)(\d\d)$", r"\1:\2", regex=True)
            out[column] = text.astype(object).where(values.notna(), None)
        elif pd.api.types.is_integer_dtype(values.dtype) or str(values.dtype) == "Int64":
            out[column] = values.astype(object).where(values.notna(), None)
        else:
            out[column] = values.astype(object).where(values.notna(), None)
    return out.to_dict(orient="records")


@dataclass
class Result:
    jurisdiction: str
    as_of_ns: int
    rows: dict[str, int]
    violations: pd.DataFrame
    obligations: pd.DataFrame
    rejected_rows: list[dict[str, Any]] = field(default_factory=list)
    notes: list[dict[str, str]] = field(default_factory=list)
    profile: Any = None
    events: Any = None  # the prepared log, kept for explain()

    @property
    def as_of(self) -> str:
        return iso(self.as_of_ns) or ""

    def to_dict(self, obligations: bool = True) -> dict[str, Any]:
        body: dict[str, Any] = {
            "jurisdiction": self.jurisdiction,
            "as_of": self.as_of,
            "rows": dict(self.rows),
            "violations": _jsonable(self.violations),
        }
        if obligations:
            body["obligations"] = _jsonable(self.obligations)
        body["rejected_rows"] = list(self.rejected_rows)
        body["notes"] = list(self.notes)
        return body

    def to_json(self, indent: int | None = None, obligations: bool = True) -> str:
        return json.dumps(self.to_dict(obligations=obligations), ensure_ascii=False, indent=indent, default=str)

    def explain(self, case_id: str, lang: str = "en") -> Any:
        from .explain import explain_case

        return explain_case(self, case_id, lang=lang)

    def __repr__(self) -> str:
        return (
            f"<Result {self.jurisdiction} as of {self.as_of}: {len(self.violations)} violations, "
            f"{len(self.obligations)} obligations, rows {self.rows}>"
        )
