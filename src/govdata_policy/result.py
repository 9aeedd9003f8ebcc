"""The result of checking a log: CONTRACT.md §2."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .timeutil import iso

try:  # the C function json.dumps uses for a str with ensure_ascii=False
    from _json import encode_basestring
except ImportError:  # pragma: no cover - other Python implementations
    from json.encoder import py_encode_basestring as encode_basestring

# A placeholder the skeleton of the document carries where a big table's JSON goes.
_SLOT = "\x00govdata-policy:{}\x00"


def _iso_column(values: pd.Series) -> pd.Series:
    """ISO 8601 text (+08:00) of an aware time column, None where missing."""
    from .engine.messages import local_text

    fast = local_text(values, "iso")  # issue 5: per distinct day, not strftime per row
    if fast is not None:
        return pd.Series(fast, index=values.index, dtype=object)
    text = values.dt.strftime("%Y-%m-%dT%H:%M:%S%z").str.replace(r"(\d\d)(\d\d)$", r"\1:\2", regex=True)
    return text.astype(object).where(values.notna(), None)


def display_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Times as ISO 8601 strings with +08:00; integers stay integers (NA where missing)."""
    out = frame.copy()
    for column in frame.columns:
        values = frame[column]
        if isinstance(values.dtype, pd.DatetimeTZDtype):
            out[column] = _iso_column(values)  # issue 5: same text as strftime, per distinct day
    return out


def _jsonable(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Records with ISO +08:00 times, None for missing values, plain ints."""
    if frame.empty:
        return []
    out = display_frame(frame).astype(object)
    return out.where(frame.notna().to_numpy(), None).to_dict(orient="records")


# --- JSON text of a table, without a Python object per cell ---------------------------------
# Issue 5: ``json.dumps(..., indent=2)`` runs the pure-Python encoder (the C one is used only
# without indent) over every cell of every record: 30+ s for the 100k violations of a 1M-event
# log. Here each column becomes its JSON text at once (per distinct value where it repeats),
# records are joined as strings, and the result is the same text, byte for byte, as
# ``json.dumps(self.to_dict(...), ensure_ascii=False, indent=indent, default=str)``.


class _Unsupported(Exception):
    """A table this writer does not handle; the caller falls back to json.dumps."""


def _dumps(value: Any, indent: int | None) -> str:
    return json.dumps(value, ensure_ascii=False, indent=indent, default=str)


def _native(value: Any) -> Any:
    """As pandas' to_dict(orient="records") hands values over: numpy scalars as Python ones."""
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    return value


def _cells(values: pd.Series, indent: int | None, depth: int) -> list[str]:
    """The JSON text of each cell of a column, as json.dumps writes it ``depth`` levels deep."""
    newline = "\n" + " " * (indent * depth) if indent is not None else None
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        iso_text = _iso_column(values).to_numpy(dtype=object)
        missing = pd.isna(iso_text)
        text = np.empty(len(iso_text), dtype=object)
        text[~missing] = '"' + iso_text[~missing] + '"'  # ISO text needs no escaping
        text[missing] = "null"
        return text.tolist()
    if str(values.dtype) in ("Int64", "Int32", "Int16", "Int8") or (
        pd.api.types.is_integer_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype)
    ):
        missing = values.isna().to_numpy()
        text = values.fillna(0).to_numpy(dtype=np.int64).astype(str).astype(object)
        text[missing] = "null"
        return text.tolist()
    objects = values.astype(object).where(values.notna(), None).to_numpy(dtype=object)
    try:
        codes, uniques = pd.factorize(objects, use_na_sentinel=True)
    except TypeError:  # unhashable cells (lists): evidence rows at once, anything else one by one
        return _int_lists(objects, indent, newline) or [_one(v, indent, newline) for v in objects]
    if len({type(u) for u in uniques}) > 1:  # 1 and True are one key to a hash table
        return [_one(v, indent, newline) for v in objects]
    words = [encode_basestring(u) if type(u) is str else _one(u, indent, newline) for u in uniques]
    return np.array([*words, "null"], dtype=object)[codes].tolist()


def _int_lists(objects: np.ndarray, indent: int | None, newline: str | None) -> list[str] | None:
    """A column whose every cell is a non-empty list of plain ints (evidence rows), or None."""
    if not all(type(v) is list and v for v in objects) or not all(
            type(x) is int for v in objects for x in v):
        return None
    if indent is None:
        return ["[" + ", ".join(map(str, v)) + "]" for v in objects]
    inner = newline + " " * indent
    start, sep, end = "[" + inner, "," + inner, newline + "]"
    return [start + sep.join(map(str, v)) + end for v in objects]


def _one(value: Any, indent: int | None, newline: str | None) -> str:
    """One cell's JSON text."""
    if value is None or (not isinstance(value, list | dict | tuple) and pd.isna(value)):
        return "null"
    if isinstance(value, list) and all(type(v) is int for v in value):
        # evidence rows: a list of plain ints, written as json.dumps would
        if not value:
            return "[]"
        if indent is None:
            return "[" + ", ".join(map(str, value)) + "]"
        inner = newline + " " * indent
        return "[" + inner + ("," + inner).join(map(str, value)) + newline + "]"
    text = _dumps(_native(value), indent)
    return text.replace("\n", newline) if newline is not None and "\n" in text else text


def _braces(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


def _table_json(frame: pd.DataFrame, indent: int | None, depth: int, chunk: int = 20_000) -> list[str]:
    """A table as a JSON list of records, ``depth`` levels deep in the document, in pieces.

    Rows are formatted ``chunk`` at a time, so the per-cell texts of only one chunk
    are alive at once (a million findings would otherwise hold a string per cell).
    """
    if frame.empty:
        return ["[]"]
    if not frame.columns.is_unique or not all(isinstance(c, str) for c in frame.columns):
        raise _Unsupported
    keys = [_dumps(str(c), None) + ": " for c in frame.columns]
    if indent is None:
        item, open_record, close_record, open_list, close_list = ", ", "{", "}", "[", "]"
        between = ", "
    else:
        pad_list, pad_record, pad_key = (" " * (indent * d) for d in (depth, depth + 1, depth + 2))
        item = ",\n" + pad_key
        open_record, close_record = "{\n" + pad_key, "\n" + pad_record + "}"
        open_list, close_list = "[\n" + pad_record, "\n" + pad_list + "]"
        between = ",\n" + pad_record
    # one format call per record puts the keys and the punctuation around its cells
    fixed = [open_record + keys[0], *(item + key for key in keys[1:])]
    template = "".join(_braces(text) + "{}" for text in fixed) + _braces(close_record)
    pieces = [open_list]
    for start in range(0, len(frame), chunk):
        part = frame.iloc[start:start + chunk]
        columns = [_cells(part[c], indent, depth + 2) for c in part.columns]
        if start:
            pieces.append(between)
        pieces.append(between.join(map(template.format, *columns)))
    pieces.append(close_list)
    return pieces


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
        """The document of CONTRACT.md §2; obligations are not even formatted unless asked for."""
        return "".join(self.json_pieces(indent=indent, obligations=obligations))

    def json_pieces(self, indent: int | None = None, obligations: bool = True) -> list[str]:
        """``to_json``'s text in pieces, to write one after the other without joining them
        (a million findings make a document of hundreds of MB)."""
        tables = {"violations": self.violations}
        if obligations:
            tables["obligations"] = self.obligations
        try:
            texts = {name: _table_json(frame, indent, 1) for name, frame in tables.items()}
        except _Unsupported:
            return [_dumps(self.to_dict(obligations=obligations), indent)]
        skeleton: dict[str, Any] = {
            "jurisdiction": self.jurisdiction, "as_of": self.as_of, "rows": dict(self.rows),
            **{name: _SLOT.format(name) for name in tables},
            "rejected_rows": list(self.rejected_rows), "notes": list(self.notes),
        }
        pieces = [json.dumps(skeleton, ensure_ascii=False, indent=indent, default=str)]
        for name, table in texts.items():  # each slot's text gives way to its table's pieces
            before, after = pieces.pop().split(json.dumps(_SLOT.format(name), ensure_ascii=False), 1)
            pieces.extend([before, *table, after])
        return pieces

    def explain(self, case_id: str, lang: str = "en") -> Any:
        from .explain import explain_case

        return explain_case(self, case_id, lang=lang)

    def __repr__(self) -> str:
        return (
            f"<Result {self.jurisdiction} as of {self.as_of}: {len(self.violations)} violations, "
            f"{len(self.obligations)} obligations, rows {self.rows}>"
        )

    def __getstate__(self) -> dict[str, Any]:
        _ = self.obligations  # a pickled result carries its obligations, not the function making them
        return self.__dict__


# Issue 5: ``obligations`` may also be given as a function of no arguments that assembles
# them: a log of millions of events has millions of obligations, and ``check`` without
# --obligations never looks at them. They are assembled on first access and kept.
def _get_obligations(self: Result) -> pd.DataFrame:
    value = self.__dict__["_obligations"]
    if callable(value):
        value = self.__dict__["_obligations"] = value()
    return value


def _set_obligations(self: Result, value: Any) -> None:
    self.__dict__["_obligations"] = value


Result.obligations = property(_get_obligations, _set_obligations)  # type: ignore[assignment]
