"""The result of checking a log: CONTRACT.md §2."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .json_text import Unsupported, dumps, iso_column, table_json
from .options import flag, whole_or_none
from .timeutil import iso

# A placeholder the skeleton of the document carries where a big table's JSON goes.
_SLOT = "\x00govdata-policy:{}\x00"
# Text is carried as UTF-8 bytes; a lone surrogate (no valid input holds one) survives the trip.
_LONE = "surrogatepass"


def display_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Times as ISO 8601 strings with +08:00; integers stay integers (NA where missing)."""
    out = frame.copy()
    for column in frame.columns:
        values = frame[column]
        if isinstance(values.dtype, pd.DatetimeTZDtype):
            out[column] = iso_column(values)  # issue 5: same text as strftime, per distinct day
    return out


def _jsonable(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Records with ISO +08:00 times, None for missing values, plain ints."""
    if frame.empty:
        return []
    out = display_frame(frame).astype(object)
    return out.where(frame.notna().to_numpy(), None).to_dict(orient="records")


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
    # each input file: (its last row number, its name, where its rows lie: io.lines), for explain()
    files: tuple[tuple[int, str, Any], ...] = field(default=(), repr=False)
    # tables' JSON text already written where they were found (engine.parallel), by (table, indent)
    rendered: dict[tuple[str, int | None], list[bytes]] = field(default_factory=dict, repr=False)
    # were findings outside a document's validity left out (C6)? explain() says so of a case as check
    # said it of the log; None: not recorded, the profile's own setting
    enforce_validity: bool | None = None
    # the cases checked (an event at or before as_of), counted where the log was: a result without its
    # prepared log (Dask) cannot count them from the events, and its findings and obligations miss the
    # quiet cases; None: count them from ``events``
    case_count: int | None = None
    # evaluate(..., unenforced=True): this check's result with the findings outside a document's validity (C6)
    # kept, as enforce_validity=False gives it, made on first use from the same run of the rules; else None
    unenforced: Result | None = field(default=None, repr=False, compare=False)

    @property
    def as_of(self) -> str:
        return iso(self.as_of_ns) or ""

    def to_dict(self, obligations: bool = True) -> dict[str, Any]:
        obligations = flag("obligations", obligations)  # "no" was true: a document of millions of them
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
        """The document of CONTRACT.md §2; obligations are not even formatted unless asked for."""
        # issue 5: one decoding of the joined bytes, not a decoding per piece and a join of str
        return b"".join(self.json_bytes(indent=indent, obligations=obligations)).decode("utf-8", _LONE)

    def json_pieces(self, indent: int | None = None, obligations: bool = True) -> list[str]:
        """``to_json``'s text in pieces, to write one after the other without joining them
        (a million findings make a document of hundreds of MB)."""
        return [str(piece, "utf-8", _LONE) for piece in self.json_bytes(indent, obligations)]

    def json_bytes(self, indent: int | None = None, obligations: bool = True) -> Iterator[bytes | memoryview]:
        """``to_json``'s text in UTF-8, in pieces: for a binary sink, which then need not
        encode again the text that was decoded from Arrow's UTF-8 (~100 MB for 100k findings)."""
        obligations = flag("obligations", obligations)
        indent = whole_or_none("indent", indent, unit="spaces")  # "x" failed deep in table_json; True was 1
        tables = ["violations", "obligations"] if obligations else ["violations"]
        try:
            texts = {name: self.rendered.get((name, indent)) or table_json(getattr(self, name), indent, 1)
                     for name in tables}
        except Unsupported:
            return iter([dumps(self.to_dict(obligations=obligations), indent).encode("utf-8", _LONE)])
        skeleton: dict[str, Any] = {
            "jurisdiction": self.jurisdiction, "as_of": self.as_of, "rows": dict(self.rows),
            **{name: _SLOT.format(name) for name in tables},
            "rejected_rows": list(self.rejected_rows), "notes": list(self.notes),
        }
        rest = json.dumps(skeleton, ensure_ascii=False, indent=indent, default=str)
        parts: list[Iterable[bytes | memoryview]] = []
        for name, table in texts.items():  # each slot's text gives way to its table's pieces
            before, rest = rest.split(json.dumps(_SLOT.format(name), ensure_ascii=False), 1)
            parts.extend([[before.encode("utf-8", _LONE)], table])
        parts.append([rest.encode("utf-8", _LONE)])
        return itertools.chain.from_iterable(parts)  # tables' records joined as they are taken

    def explain(self, case_id: str, lang: str = "en") -> Any:
        from .explain import explain_case

        return explain_case(self, case_id, lang=lang)

    def __repr__(self) -> str:
        return (
            f"<Result {self.jurisdiction} as of {self.as_of}: {len(self.violations)} violations, "
            f"{len(self.obligations)} obligations, rows {self.rows}>"
        )

    @property
    def violation_count(self) -> int:
        """How many violations, without assembling a table that is still to come (see below)."""
        value = self.__dict__["_violations"]
        return value.count if isinstance(value, Deferred) else len(value)

    def __getstate__(self) -> dict[str, Any]:
        # a pickled result carries its tables, not the functions making them
        _ = self.violations, self.obligations, self.unenforced
        return self.__dict__


class Deferred:
    """A table to be made on first use, whose length is already known (engine.parallel)."""

    def __init__(self, make: Callable[[], pd.DataFrame], count: int) -> None:
        self.make, self.count = make, count

    def __call__(self) -> pd.DataFrame:
        return self.make()


# Issue 5: ``violations`` and ``obligations`` may also be given as functions of no arguments
# that make them: a log of millions of events has millions of obligations, which ``check``
# without --obligations never looks at, and findings checked in other processes arrive
# pickled (engine.parallel). A table is made on first access and kept.
def _lazy_table(name: str) -> property:
    key = "_" + name

    def get(self: Result) -> pd.DataFrame:
        value = self.__dict__[key]
        if callable(value):
            value = self.__dict__[key] = value()
        return value

    def set_(self: Result, value: Any) -> None:
        self.__dict__[key] = value

    return property(get, set_)


Result.violations = _lazy_table("violations")  # type: ignore[assignment]
Result.obligations = _lazy_table("obligations")  # type: ignore[assignment]
Result.unenforced = _lazy_table("unenforced")  # type: ignore[assignment]  # a Result, made as a table is
