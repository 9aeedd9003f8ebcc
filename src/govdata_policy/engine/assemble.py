"""From the compilers' positional findings to the contract's violation and obligation tables.

Everything that is constant per rule (clause, penalty, consequence, role) is
written once per rule and broadcast by rule code; everything per finding (case,
party, dates, messages) is computed on whole columns. The canonical order is
found first, so every column is built in it.

Issue 5: text columns are built as Arrow arrays of pandas' text type (what pandas
makes of an object array of str, which it converted to Arrow value by value: 0.2 s
for 100k violations), and messages are joined by Arrow's string kernels.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from ..timeutil import LOCAL_TZ, end_of_day_ns, iso
from .context import Context
from .messages import TEXT, build_messages

VIOLATION_FIELDS = (
    "rule_id", "jurisdiction", "clause", "kind", "case_id", "responsible_role", "responsible_party",
    "due", "occurred_at", "working_days_late", "penalty_clause", "consequence", "message_zh",
    "message_en", "evidence_rows", "mitigation", "layer", "document",
)
OBLIGATION_FIELDS = (
    "rule_id", "clause", "case_id", "obligor_role", "trigger_at", "due", "fulfilled_at", "status",
    "working_days_late", "evidence_rows", "layer",
)
TEXT_DTYPE = pd.Series(["x"]).dtype  # the type pandas gives a column of str


@dataclass
class Outside:
    """Findings left out because their anchor event lies outside the document's validity (C6)."""

    counts: dict[str, int] = field(default_factory=dict)


def _text_column(text: pa.Array) -> Any:
    """An Arrow text array as a column of pandas' text type, also when every value is missing: a
    platform storing the tables needs each column's type fixed, not objects on a run where no finding
    names a party (pandas' own inference) and text on the next."""
    return pd.array(text, dtype=TEXT_DTYPE)


def _objects_column(objects: np.ndarray) -> Any:
    """An object array as a column, through Arrow when its values are all str or None."""
    try:
        return _text_column(pa.array(objects, TEXT))
    except (pa.ArrowException, UnicodeError):  # not all text: pandas decides, as it always did
        return objects


def concat_parts(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Findings of several parts of a log as one frame, typed as one run types them: text columns
    are text in every part, and any other object column of text is made text; evidence lists stay objects."""
    merged = pd.concat(frames, ignore_index=True)
    for name in [c for c in merged.columns if merged[c].dtype == np.dtype(object) and c not in _OBJECT_FIELDS]:
        merged[name] = _objects_column(merged[name].to_numpy(dtype=object))
    return merged


def _text_of(values: pd.Series) -> Any:
    """A series as a column of the tables (its Arrow text as it is, when it is text already)."""
    if isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow":
        text = pa.array(values.array)
        if isinstance(text, pa.ChunkedArray):
            text = text.combine_chunks()
        return _text_column(text.cast(TEXT))
    return _objects_column(values.to_numpy(dtype=object))


def _broadcast(values: list[Any], codes: np.ndarray) -> Any:
    """``values[codes]`` as a column: a small per-rule table written out once per finding."""
    if all(value is None or type(value) is str for value in values):
        return _text_column(pa.array(values, TEXT).take(pa.array(codes)))
    return np.fromiter(values, dtype=object, count=len(values))[codes]


def _times(ns: pd.Series | np.ndarray) -> pd.Series:
    values = pd.Series(ns, dtype="Int64")
    return pd.to_datetime(values, unit="ns", utc=True).dt.tz_convert(LOCAL_TZ)


def _due_times(days: pd.Series) -> pd.Series:
    values = pd.Series(days, dtype="Int64")
    ends = end_of_day_ns(values.fillna(0).to_numpy(dtype=np.int64))
    ns = pd.Series(ends, index=values.index).astype("Int64")
    ns[values.isna()] = pd.NA
    return _times(ns)


def _day(value: dt.date | None, default: int) -> int:
    return (value - dt.date(1970, 1, 1)).days if value else default


def _within_validity(
    ctx: Context, profile: Any, frame: pd.DataFrame, rules: list[Any], outside: Outside, enforce: bool
) -> pd.DataFrame:
    anchor_day = ctx.prep.day[frame["pos"].to_numpy(dtype=np.int64)]
    code = frame["rule"].to_numpy(dtype=np.int64)
    keep = np.ones(len(frame), dtype=bool)
    # per distinct rule, not per finding (issue 5: a lambda per row cost seconds on 1M events)
    documents = [rule.document for rule in rules]
    for key in dict.fromkeys(documents):  # in the order the findings first name them
        doc = profile.spec.documents.get(key)
        if doc is None:
            continue
        mine = np.isin(code, [i for i, document in enumerate(documents) if document == key])
        before, after = anchor_day < _day(doc.valid_from, -(10**9)), anchor_day > _day(doc.valid_to, 10**9)
        out = mine & (before | after)
        if out.any():
            outside.counts[key] = outside.counts.get(key, 0) + int(out.sum())
            if enforce:
                keep &= ~out
    return frame[keep]


def _evidence(first: np.ndarray, second: np.ndarray, has_second: np.ndarray, ordered: bool) -> np.ndarray:
    """Evidence row lists of plain ints, as an object array.

    ``ordered``: the two rows sorted, one row when both are the same (violations);
    otherwise [trigger, fulfilment] as they are (obligations). Issue 5: the lists of one
    row and of two are made apart, without a test per row (0.12 s for 100k violations),
    and with the cycle collector paused: it would walk every live object again and again
    while hundreds of thousands of lists are made (0.3 s instead of 0.1 s for 430k).
    """
    if ordered:
        two = has_second & (first != second)
        first, second = np.where(two, np.minimum(first, second), first), np.maximum(first, second)
    else:
        two = has_second
    one, pair = np.flatnonzero(~two), np.flatnonzero(two)
    out = np.empty(len(first), dtype=object)
    enabled = gc.isenabled()
    gc.disable()
    try:
        out[one] = np.fromiter([[x] for x in first[one].tolist()], dtype=object, count=len(one))
        out[pair] = np.fromiter(map(list, zip(first[pair].tolist(), second[pair].tolist(), strict=True)),
                                dtype=object, count=len(pair))
    finally:
        if enabled:
            gc.enable()
    return out


def _stable_order(*keys: Any) -> np.ndarray:
    """The order of ``sort_values(keys, kind="stable")``, from sorted codes and one np.lexsort.

    Issue 5: pandas' multi-key sort builds an ordered Categorical per text key; the
    codes of ``factorize(sort=True)`` order the same way, at a third of the cost.
    """
    codes = [
        key if isinstance(key, np.ndarray) and key.dtype.kind in "iu" else pd.factorize(key, sort=True)[0]
        for key in keys
    ]
    return np.lexsort(codes[::-1])


def _rule_rank(rules: list[Any]) -> np.ndarray:
    """Each rule's place among the rules' ids in text order: sorts as the ids do."""
    return pd.factorize(np.array([rule.id for rule in rules], dtype=object), sort=True)[0]


def _parties(ctx: Context, profile: Any, rules: list[Any], code: np.ndarray, pos: np.ndarray) -> np.ndarray:
    """Each finding's party as the case names it at ``pos`` (None where it names none: ``_fixed_names``)."""
    party = np.full(len(pos), None, dtype=object)
    # issue 5: values at the findings' positions only (``prep.at``), not whole sorted columns
    actor_series = ctx.prep.at("actor", pos)
    actor = actor_series.astype(object).where(actor_series.notna(), None).to_numpy(dtype=object)
    actor_role = ctx.prep.at("actor_role", pos)
    # one lookup per (party entry, role): the obligor_role's entry unless a rule names another
    keys = [(rule.party, rule.obligor_role) for rule in rules]
    for key in dict.fromkeys(keys):  # issue 5: per rule code, not a sort of a role per finding
        mine = np.isin(code, [i for i, other in enumerate(keys) if other == key])
        spec, by_actor = profile.spec.party_for(rules[keys.index(key)])
        role = key[1]
        found = np.full(mine.sum(), None, dtype=object)
        if spec is not None and spec.attribute:
            # known(), at the findings only (issue 5: nothing the size of the log is kept or made)
            known = ctx.prep.at(spec.attribute, ctx.prep.latest_at(spec.attribute, pos[mine]))
            found = known.astype(object).where(known.notna(), None).to_numpy(dtype=object)
        if by_actor:
            # the acting department named on the event itself, when it says it acts in this role
            own = actor_role[mine].eq(role).fillna(False).to_numpy(dtype=bool) & pd.notna(actor[mine])
            found = np.where(pd.isna(found) & own, actor[mine], found)
        party[mine] = found
    return party


def _fixed_names(profile: Any, rules: list[Any], code: np.ndarray, party: np.ndarray) -> np.ndarray:
    """The profile's name for each rule's party (its obligor role's, unless it names another) where no
    event named the party."""
    names = np.array([getattr(profile.spec.party_for(rule)[0], "name_zh", None) for rule in rules], dtype=object)
    unnamed = pd.isna(party)
    party[unnamed] = names[code[unnamed]]
    return party


def _late_parties(ctx: Context, profile: Any, rules: list[Any], code: np.ndarray, pos: np.ndarray, kind: np.ndarray,
                  ev_b: pd.Series, has_b: np.ndarray) -> np.ndarray:
    """The responsible parties as the case knew them at each finding's event; a late fulfilment
    whose obligor the trigger did not name takes the party the fulfilment names (a provider that
    shows itself only on its own late answer is still the provider, a city authority replying late
    is named before the profile's fixed name for the role). The monitor does the same."""
    party = _parties(ctx, profile, rules, code, pos)
    later = pd.isna(party) & has_b & (kind == "late")
    if later.any():
        at_fulfilment = ev_b.fillna(0).to_numpy(dtype=np.int64)[later]
        party[later] = _parties(ctx, profile, rules, code[later], at_fulfilment)
    return _fixed_names(profile, rules, code, party)


# the columns of a findings table that are not text: a table without rows has the types of one with
# rows (a platform's res.violations["due"].dt.date works on a clean run too, and pd.concat keeps them)
_TIME_FIELDS = ("due", "occurred_at", "trigger_at", "fulfilled_at")
_OBJECT_FIELDS = ("evidence_rows",)  # lists of row numbers; mitigation is text like the rest


def empty_table(fields: Sequence[str]) -> pd.DataFrame:
    """A findings table without rows, each column of the type it has with rows (text columns are
    text whether or not any row has a value: ``_text_column``)."""
    def dtype(name: str) -> Any:
        if name in _TIME_FIELDS:
            return pd.DatetimeTZDtype("ns", LOCAL_TZ)
        if name == "working_days_late":
            return pd.Int64Dtype()
        return object if name in _OBJECT_FIELDS else TEXT_DTYPE

    return pd.DataFrame({name: pd.Series(dtype=dtype(name)) for name in fields})


def _gather(
    ctx: Context, profile: Any, found: list[tuple[Any, pd.DataFrame]], outside: Outside, enforce: bool
) -> tuple[pd.DataFrame, list[Any]] | None:
    """All rules' positional findings in one frame, each with its rule's code ("rule", an index
    into the list of rules returned with it), less those outside validity (C6); None if none."""
    mine = [(rule, frame) for rule, frame in found if not frame.empty]
    if not mine:
        return None
    rules = [profile.rules_by_id[rule.id] for rule, _ in mine]
    frames = [frame.assign(rule=np.int64(code)) for code, (_, frame) in enumerate(mine)]
    frame = _within_validity(ctx, profile, pd.concat(frames, ignore_index=True), rules, outside, enforce)
    return (frame, rules) if len(frame) else None


def _in_order(frame: pd.DataFrame, pos: np.ndarray, *keys: Any) -> tuple[pd.DataFrame, np.ndarray]:
    """The findings in canonical order: by case, time, then the given keys."""
    order = _stable_order(*keys)
    return frame.take(order).reset_index(drop=True), pos[order]


def assemble_violations(
    ctx: Context, profile: Any, found: list[tuple[Any, pd.DataFrame]], outside: Outside, enforce: bool
) -> pd.DataFrame:
    gathered = _gather(ctx, profile, found, outside, enforce)
    if gathered is None:
        return empty_table(VIOLATION_FIELDS)
    frame, rules = gathered
    pos = frame["pos"].to_numpy(dtype=np.int64)
    case = _text_of(ctx.prep.at("case_id", pos))
    code = frame["rule"].to_numpy(dtype=np.int64)
    order = _stable_order(case, ctx.prep.time_ns[pos], _rule_rank(rules)[code], frame["kind"].array)
    frame, pos, code = frame.take(order).reset_index(drop=True), pos[order], code[order]
    case = case[order]

    def per_rule(value: Any) -> Any:  # issue 5: looked up once per rule, broadcast by code
        return _broadcast([value(rule) for rule in rules], code)

    ev_b = frame["ev_b"]
    has_b = ev_b.notna().to_numpy()
    rows_a = ctx.prep.rows[pos]
    rows_b = ctx.prep.rows[ev_b.fillna(0).to_numpy(dtype=np.int64)]
    due, occurred = _due_times(frame["due_day"]), _times(frame["occurred_ns"])
    late = frame["wd_late"].astype("Int64")
    kind = frame["kind"].to_numpy(dtype=object)
    event = _text_of(ctx.prep.at("event", pos))
    citations = [profile.spec.cite_zh(rule.clause, rule.document) for rule in rules]
    zh, en = build_messages(rules, citations, code, kind, due, occurred, late, frame["detail"].to_numpy(dtype=object),
                            pa.array(event, TEXT), (iso(ctx.as_of_ns) or "")[:10])
    out = pd.DataFrame({
        "rule_id": per_rule(lambda rule: rule.id),
        "jurisdiction": _broadcast([profile.name], np.zeros(len(pos), dtype=np.int64)),
        "clause": per_rule(lambda rule: rule.clause),
        "kind": _text_of(frame["kind"]),
        "case_id": case,
        "responsible_role": per_rule(lambda rule: rule.obligor_role),
        "responsible_party": _objects_column(_late_parties(ctx, profile, rules, code, pos, kind, ev_b, has_b)),
        "due": due,
        "occurred_at": occurred,
        "working_days_late": late,
        "penalty_clause": per_rule(lambda rule: rule.penalty),
        "consequence": per_rule(lambda rule: profile.spec.penalties.consequence_of(rule.penalty)),
        "message_zh": _text_column(zh),
        "message_en": _text_column(en),
        "evidence_rows": _evidence(rows_a, rows_b, has_b, ordered=True),
        "mitigation": _mitigation(ctx, profile, frame, pos),
        "layer": per_rule(lambda rule: profile.rule_layer.get(rule.id)),
        "document": per_rule(lambda rule: rule.document),
    })
    return out


def _mitigation(ctx: Context, profile: Any, frame: pd.DataFrame, pos: np.ndarray) -> Any:
    rule = profile.spec.mitigation
    if rule is None or rule.attribute not in ctx.prep.columns:  # null text, typed as when flagged
        return _broadcast([None], np.zeros(len(frame), dtype=np.int64))
    hit = ctx.prep.at(rule.attribute, pos).fillna(False).to_numpy(dtype=bool)
    ev_b = frame["ev_b"]
    has_b = ev_b.notna().to_numpy()
    if has_b.any():
        second = ctx.prep.at(rule.attribute, ev_b[has_b].to_numpy(dtype=np.int64))
        hit[has_b] |= second.fillna(False).to_numpy(dtype=bool)
    return _broadcast([None, f"{rule.clause}: {rule.text_zh}"], hit.astype(np.int64))


def assemble_obligations(
    ctx: Context, profile: Any, found: list[tuple[Any, pd.DataFrame]], outside: Outside, enforce: bool
) -> pd.DataFrame:
    gathered = _gather(ctx, profile, found, Outside(), enforce)
    if gathered is None:
        return empty_table(OBLIGATION_FIELDS)
    frame, rules = gathered
    pos = frame["pos"].to_numpy(dtype=np.int64)
    case = _text_of(ctx.prep.at("case_id", pos))
    code = frame["rule"].to_numpy(dtype=np.int64)
    order = _stable_order(case, ctx.prep.time_ns[pos], _rule_rank(rules)[code])
    frame, pos, code = frame.take(order).reset_index(drop=True), pos[order], code[order]

    def per_rule(value: Any) -> Any:  # issue 5: looked up once per rule, broadcast by code
        return _broadcast([value(rule) for rule in rules], code)

    fulfil = frame["fulfil_pos"]
    has_f = fulfil.notna().to_numpy()
    fulfil_pos = fulfil.fillna(0).to_numpy(dtype=np.int64)
    fulfilled_ns = pd.Series(ctx.prep.time_ns[fulfil_pos], dtype="Int64").where(has_f)
    rows_a = ctx.prep.rows[pos]
    rows_b = ctx.prep.rows[fulfil_pos]
    return pd.DataFrame({
        "rule_id": per_rule(lambda rule: rule.id),
        "clause": per_rule(lambda rule: rule.clause),
        "case_id": case[order],
        "obligor_role": per_rule(lambda rule: rule.obligor_role),
        "trigger_at": _times(ctx.prep.time_ns[pos]),
        "due": _due_times(frame["due_day"]),
        "fulfilled_at": _times(fulfilled_ns),
        "status": _text_of(frame["status"]),
        "working_days_late": frame["wd_late"].astype("Int64"),
        "evidence_rows": _evidence(rows_a, rows_b, has_f, ordered=False),
        "layer": per_rule(lambda rule: profile.rule_layer.get(rule.id)),
    })
