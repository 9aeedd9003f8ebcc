"""The column/value mapping of CONTRACT.md §1: an export's own headers and words to ours.

```yaml
columns: {申请编号: case_id, 环节: event, 办理时间: time, 共享类型: category}
values:
  event: {提交申请: share.requested, 提供部门答复: share.provider_reviewed}
  category: {无条件共享: unconditional, 有条件共享: conditional, 不予共享: not_shared}
  outcome:
    同意: approved
    通过: {share.compliance_reviewed: pass, "*": approved}   # by event, "*" otherwise
```

The by-event form is our extension: one export word such as 通过 means
``pass`` on a compliance review and ``approved`` on a provider's review. So is
an event word that says the outcome too, under ``event``:
``审核驳回: {event: share.provider_reviewed, outcome: refused}``.
Several headers may map to one column (exports that name the time
differently per month); the first non-empty one wins, in mapping order.
``join: {time: [办理日期, 办理时间]}`` makes one time of a date and a time of day
exported in two columns (io.joined_time).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import yaml
from pydantic import BaseModel, ConfigDict, PrivateAttr, ValidationError, field_validator, model_validator

from .. import yaml_guard
from ..vocabulary import BOOL_ATTRIBUTES, EVENTS, KNOWN_ATTRIBUTES, REQUIRED_COLUMNS, allowed_values, did_you_mean
from .columns import close_column, contract_name
from .draft import (  # noqa: F401  (the drafting lived here first; callers import it from here)
    ANY_EVENT,
    BOOL_WORDS_FALSE,
    BOOL_WORDS_TRUE,
    draft,
    draft_mapping,
    guess_event,
)
from .joined_time import JOINED, join_columns, join_problem
from .read import InputError
from .text import text_array, text_series

# What a drafted TODO line of a header maps to, for the officer to replace
TODO_COLUMN = "COLUMN"
# What a drafted TODO line of a word maps to ("    审核通过: ?   # TODO: ..."): YAML reads a bare ? as a
# complex-key mark, so such a line uncommented and not filled in is no YAML at all
TODO_VALUE = "?"
_TODO_VALUE_LINE = re.compile(r"^\s*(?P<word>[^#\s].*?):\s*\?\s*(#.*)?$")


def _as_text(value: Any) -> str:
    # YAML makes `true`, `1` and dates into non-strings; an export's words are text
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).strip()


class ColumnMapping(BaseModel):
    """``columns``: export header -> contract column; ``values``: column -> export word -> ours."""

    model_config = ConfigDict(extra="forbid")

    columns: dict[str, str] = {}
    values: dict[str, dict[str, str | dict[str, str]]] = {}
    # contract time column -> (the date's header, the time of day's header): one time of two columns
    join: dict[str, tuple[str, str]] = {}
    # the file it was read from, as given (``load_mapping``): a word it lacks is told to go there (``mapping_name``)
    _origin: str | None = PrivateAttr(default=None)

    @field_validator("join", mode="before")
    @classmethod
    def _join_pairs(cls, raw: Any) -> Any:
        if not isinstance(raw, dict):
            return {} if raw is None else raw
        out: dict[str, tuple[str, str]] = {}
        for target, headers in raw.items():
            problem = join_problem(_as_text(target), headers)
            if problem:
                raise ValueError(f"{_as_text(target)}: {problem}")
            out[_as_text(target)] = (_as_text(headers[0]), _as_text(headers[1]))
        return out

    @field_validator("columns", mode="before")
    @classmethod
    def _columns_text(cls, raw: Any) -> Any:
        if not isinstance(raw, dict):
            return {} if raw is None else raw
        bad = next((k for k, v in raw.items() if v is None), None)
        if bad is not None:
            raise ValueError(f"{_as_text(bad)!r} maps to nothing; write a column name or delete the line")
        return {_as_text(k): _as_text(v) for k, v in raw.items()}

    @field_validator("values", mode="before")
    @classmethod
    def _values_text(cls, raw: Any) -> Any:
        if not isinstance(raw, dict):
            return {} if raw is None else raw
        out: dict[str, Any] = {}
        for column, table in raw.items():
            table = {} if table is None else table  # a heading with only TODO comments under it
            if not isinstance(table, dict):
                raise ValueError(f"{column}: expected a table of export word -> value")
            entries: dict[str, Any] = {}
            for k, v in table.items():
                if v is None:
                    raise ValueError(f"{column}.{_as_text(k)} maps to nothing; write a value or delete it")
                entries[_as_text(k)] = (
                    {_as_text(e): _as_text(t) for e, t in v.items()} if isinstance(v, dict) else _as_text(v)
                )
            out[_as_text(column)] = entries
        return out

    @model_validator(mode="after")
    def _targets_exist(self) -> ColumnMapping:
        # a target may be a column of the export's own (it passes through as text), but not
        # a misspelt contract column: ``catgory`` would leave the rules testing category quiet
        for header, target in self.columns.items():
            # the placeholder of a TODO line of ``mapping init``, uncommented but not filled in: several
            # such headers would run together as one column named COLUMN
            if target == TODO_COLUMN:
                raise ValueError(f"columns.{header}: replace {TODO_COLUMN} with a column name, "
                                 "or put the '#' back to keep the header as it is")
            meant = close_column(target)
            if meant is not None:
                raise ValueError(f"columns.{header}: {target!r} is not a column name (did you mean {meant!r}?)")
        joined: dict[str, str] = {}
        for target, headers in self.join.items():
            for header in headers:
                # renamed and joined both, or joined twice, the header's one column would be two
                if header in self.columns:
                    raise ValueError(f"join.{target}: {header} is under columns too ({header}: "
                                     f"{self.columns[header]}); a header is joined or renamed, not both")
                if header in joined:
                    raise ValueError(f"join.{target}: {header} is joined into {joined[header]} too")
                joined[header] = target
        for column in self.values:
            meant = close_column(self.columns.get(column, column))
            if meant is not None and column not in self.columns:
                raise ValueError(f"values.{column}: {column!r} is not a column name (did you mean {meant!r}?)")
        for column, table in self.values.items():
            target_column = self.columns.get(column, column)
            for word, target in table.items():
                if target_column == "event" and isinstance(target, dict):
                    _check_event_sets(f"values.{column}.{word}", target)
                    continue
                pairs = target.items() if isinstance(target, dict) else [(None, target)]
                for event, value in pairs:
                    where = f"values.{column}.{word}" + (f".{event}" if event else "")
                    if event not in (None, ANY_EVENT) and event not in EVENTS:
                        raise ValueError(f"{where}: {event!r} is not an event name")
                    problem = _target_problem(target_column, value, event)
                    if problem:
                        raise ValueError(f"{where}: {problem}")
        return self


def _check_event_sets(where: str, sets: dict[str, str]) -> None:
    """An event word that says the outcome too (审核驳回: {event: share.provider_reviewed, outcome: refused}):
    the event, and the values it gives the row's other columns."""
    if "event" not in sets:
        raise ValueError(f"{where}: a table here gives the event and what the word also says, "
                         "e.g. {event: share.provider_reviewed, outcome: refused}; 'event' is missing")
    event = sets["event"]
    if event not in EVENTS:
        raise ValueError(f"{where}.event: {event!r} is not an event name{did_you_mean(event, EVENTS)}")
    for column, value in sets.items():
        if column == "event":
            continue
        meant = close_column(column)
        if column in REQUIRED_COLUMNS or column not in KNOWN_ATTRIBUTES:
            hint = f" (did you mean {meant!r}?)" if meant else ""
            raise ValueError(f"{where}.{column}: an event word can set an optional column of the contract "
                             f"(outcome, category, …), not {column!r}{hint}")
        problem = _target_problem(column, value, event)
        if problem:
            raise ValueError(f"{where}.{column}: {problem}")


def _target_problem(column: str, value: str, event: str | None) -> str | None:
    if column == "event" and value not in EVENTS:
        return f"{value!r} is not an event name{did_you_mean(value, EVENTS)}"
    # a yes/no column takes only yes/no words: 是: 紧急 was loaded, then every row saying 是 rejected
    if column in BOOL_ATTRIBUTES and value.lower() not in BOOL_WORDS_TRUE | BOOL_WORDS_FALSE:
        return f"{value!r} is not a yes/no value for {column} (write true or false)"
    allowed = allowed_values(column, None if event in (None, ANY_EVENT) else event)
    if allowed is not None and value not in allowed:
        return f"{value!r} is not allowed for {column} (allowed: {', '.join(allowed)})"
    return None


class _Loader(yaml_guard.NoRepeatedKeys, yaml.SafeLoader):
    """Safe loader refusing a key given twice in one table: YAML keeps the last silently, so a
    header or word mapped twice (or a second ``values:``) undid the first with no word said."""


def load_mapping(path: str | Path) -> ColumnMapping:
    """Read a mapping YAML; every error names the file and the field."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise InputError(f"{path}: mapping file not found", zh=f"{path}：找不到映射文件") from exc
    except (OSError, UnicodeError) as exc:
        raise InputError(f"{path}: cannot read mapping: {exc}", zh=f"{path}：无法读取映射文件：{exc}") from exc
    try:
        data = yaml_guard.load(text, _Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        _refuse_todo_value(path, text, mark)
        at = f" (line {mark.line + 1})" if mark is not None else ""
        at_zh = f"（第 {mark.line + 1} 行）" if mark is not None else ""
        problem = getattr(exc, "problem", exc)
        raise InputError(f"{path}: not valid YAML{at}: {problem}",
                         zh=f"{path}：不是有效的 YAML{at_zh}：{problem}") from exc
    mapping = _validated(data, str(path))
    mapping._origin = str(path)
    return mapping


def _refuse_todo_value(path: Path, text: str, mark: Any) -> None:
    """A TODO word line of ``mapping init`` uncommented with its ``?`` left in: PyYAML's own words for it
    ("mapping keys are not allowed here") say nothing an officer can act on, so say what to write."""
    lines = text.splitlines()
    if mark is None or not 0 <= mark.line < len(lines):
        return
    found = _TODO_VALUE_LINE.match(lines[mark.line])
    if found is None:
        return
    # the ? must be what stops the reading: a line misindented besides keeps YAML's own message
    lines[mark.line] = f"{lines[mark.line][:found.end('word')]}: x"
    try:
        yaml_guard.load("\n".join(lines), _Loader)
    except yaml.YAMLError as again:
        still = getattr(again, "problem_mark", None)
        if still is not None and still.line == mark.line:
            return
    word, at = found.group("word").strip(), mark.line + 1
    raise InputError(
        f"{path}: line {at}: {word}: replace {TODO_VALUE} with the value the word means "
        "(the TODO comment names the choices), or put the '#' back to leave the word unmapped",
        zh=f"{path}：第 {at} 行：{word}：请把 {TODO_VALUE} 换成这个词对应的值（TODO 注释列出了可选的值），"
           "或把行首的 '#' 加回去，不映射这个词")


def _validated(data: Any, name: str) -> ColumnMapping:
    if data is None:
        return ColumnMapping()
    if not isinstance(data, dict):
        raise InputError(f"{name}: expected a mapping with 'columns:' and 'values:'",
                         zh=f"{name}：映射文件应由 'columns:' 和 'values:' 两部分组成")
    try:
        return ColumnMapping.model_validate(data)
    except ValidationError as exc:
        parts = []
        for err in exc.errors():
            loc = ".".join(str(p) for p in err["loc"])
            msg = err["msg"].removeprefix("Value error, ")
            parts.append(f"{loc}: {msg}" if loc else msg)
        raise InputError(f"{name}: " + "; ".join(parts), zh=f"{name}：映射文件有误：" + "；".join(parts)) from exc


def as_mapping(mapping: Any) -> ColumnMapping | None:
    """None, a ColumnMapping, a dict or a path to a YAML file."""
    if mapping is None or isinstance(mapping, ColumnMapping):
        return mapping
    if isinstance(mapping, dict):
        return _validated(mapping, "mapping")
    if isinstance(mapping, str | Path):
        return load_mapping(mapping)
    raise InputError(f"mapping: expected a path, a dict or a ColumnMapping, not {type(mapping).__name__}")


def mapping_name(mapping: ColumnMapping | None) -> str | None:
    """The mapping in use, for a rejected row's hint: its file as given, "" for one given in Python (a dict, or a
    ColumnMapping made there), None for none (the hint then says to make one: ``mapping init``)."""
    if mapping is None:
        return None
    return mapping._origin or ""


def apply_mapping(frame: pd.DataFrame, mapping: Any, *, source: str | None = None,
                  date1904: bool = False) -> pd.DataFrame:
    """Rename columns, join a date and a time of day (``join``) and translate values; unmapped columns and
    words pass unchanged. ``source``: the file, named when a join's column is not in it; ``date1904``: a
    workbook counting its serial dates from 1904 (io.excel), as a joined date's serial is read."""
    mapping = as_mapping(mapping)
    if mapping is None:
        return frame
    if mapping.join:
        given = {contract_name(named) or named for named in (mapping.columns.get(c, c) for c in frame.columns)}
        frame = join_columns(frame, mapping.join, given, source, date1904)
    renamed = {**mapping.columns, **{JOINED + target: target for target in mapping.join}}
    # final name -> source columns: a join's first, then mapped headers (in mapping order), then a
    # column that already carries the name
    order = {**{header: i for i, header in enumerate(mapping.columns)}, **{JOINED + t: -1 for t in mapping.join}}
    groups: dict[str, list[str]] = {}
    for column in frame.columns:
        groups.setdefault(renamed.get(column, column), []).append(column)
    out: dict[str, pd.Series] = {}
    for target, sources in groups.items():
        sources.sort(key=lambda c: order.get(c, len(order)))
        out[target] = _coalesce([frame[c] for c in sources])
    result = pd.DataFrame(out, index=frame.index, copy=False)

    tables = {mapping.columns.get(c, c): t for c, t in mapping.values.items()}
    sets = _event_sets(tables.get("event", {}))
    words = text_array(result["event"]) if sets and "event" in result.columns else None
    # event words first: by-event outcome words need the event names
    for column in sorted(tables, key=lambda c: c != "event"):
        if column in result.columns and tables[column]:
            event = text_array(result["event"]) if "event" in result.columns else None
            table = {w: sets[w]["event"] if w in sets else v for w, v in tables[column].items()} \
                if column == "event" else tables[column]
            result[column] = _translate(result[column], table, event)
    if words is not None:
        result = _set_by_event_word(result, words, sets)
    return result


def _event_sets(table: dict[str, Any]) -> dict[str, dict[str, str]]:
    """The event words that give other columns a value too ({event: …, outcome: …})."""
    return {word: target for word, target in table.items() if isinstance(target, dict)}


def _set_by_event_word(frame: pd.DataFrame, words: pa.Array, sets: dict[str, dict[str, str]]) -> pd.DataFrame:
    """Each row whose event word says more than the event (审核驳回) takes the values it says, in the columns
    the row leaves blank: a value the export gives in its own column (translated) is the row's."""
    for word, target in sets.items():
        is_word = pc.fill_null(pc.equal(words, word), False)
        for column, value in target.items():
            if column == "event":
                continue
            current = text_array(frame[column]) if column in frame.columns else pa.nulls(len(frame), pa.large_string())
            filled = pc.if_else(pc.and_(is_word, pc.is_null(current)), value, current)
            frame[column] = text_series(filled, frame.index)
    return frame


def _coalesce(columns: list[pd.Series]) -> pd.Series:
    series = columns[0]
    for other in columns[1:]:
        text = text_array(series)
        series = series.where(pc.is_valid(text).to_numpy(zero_copy_only=False), other)
    return series


def _translate(series: pd.Series, table: dict[str, Any], event: pa.Array | None) -> pd.Series:
    text = text_array(series)
    plain = {k: v for k, v in table.items() if isinstance(v, str)}
    out = text
    if plain:
        keys = pa.array(list(plain), pa.large_string())
        hit = pc.index_in(text, value_set=keys)
        out = pc.coalesce(pa.array(list(plain.values()), pa.large_string()).take(hit), text)
    for word, by_event in table.items():
        if isinstance(by_event, str):
            continue
        is_word = pc.fill_null(pc.equal(text, word), False)
        default = by_event.get(ANY_EVENT)
        if default is not None:
            out = pc.if_else(is_word, default, out)
        for name, value in by_event.items():
            if name != ANY_EVENT and event is not None:
                out = pc.if_else(pc.and_(is_word, pc.fill_null(pc.equal(event, name), False)), value, out)
    return text_series(out, series.index)
