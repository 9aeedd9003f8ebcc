"""From the compilers' positional findings to the contract's violation and obligation tables.

Everything that is constant per rule (clause, penalty, consequence, role) is
looked up once per rule and broadcast; everything per finding (case, party,
dates, messages) is computed on whole columns.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..timeutil import LOCAL_TZ, end_of_day_ns
from .context import Context
from .messages import build_messages

VIOLATION_FIELDS = (
    "rule_id", "jurisdiction", "clause", "kind", "case_id", "responsible_role", "responsible_party",
    "due", "occurred_at", "working_days_late", "penalty_clause", "consequence", "message_zh",
    "message_en", "evidence_rows", "mitigation", "layer", "document",
)
OBLIGATION_FIELDS = (
    "rule_id", "clause", "case_id", "obligor_role", "trigger_at", "due", "fulfilled_at", "status",
    "working_days_late", "evidence_rows", "layer",
)


@dataclass
class Outside:
    """Findings left out because their anchor event lies outside the document's validity (C6)."""

    counts: dict[str, int] = field(default_factory=dict)


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
    ctx: Context, profile: Any, frame: pd.DataFrame, outside: Outside, enforce: bool
) -> pd.DataFrame:
    if frame.empty:
        return frame
    anchor_day = ctx.prep.day[frame["pos"].to_numpy(dtype=np.int64)]
    keep = np.ones(len(frame), dtype=bool)
    # per distinct rule, not per finding (issue 5: a lambda per row cost seconds on 1M events)
    documents = _per_rule(frame["rule_id"].to_numpy(dtype=object), lambda rule: rule.document, profile)
    for key in pd.unique(documents):  # issue 5: hashing, not sorting, the few document keys
        doc = profile.spec.documents.get(key)
        if doc is None:
            continue
        mine = documents == key
        before, after = anchor_day < _day(doc.valid_from, -(10**9)), anchor_day > _day(doc.valid_to, 10**9)
        out = mine & (before | after)
        if out.any():
            outside.counts[key] = outside.counts.get(key, 0) + int(out.sum())
            if enforce:
                keep &= ~out
    return frame[keep]


def _per_rule(rule_ids: np.ndarray, value: Any, profile: Any) -> np.ndarray:
    """``value(rule)`` for each finding's rule, computed once per distinct rule."""
    codes, uniques = pd.factorize(rule_ids)
    table = np.empty(len(uniques) + 1, dtype=object)
    table[:-1] = [value(profile.rules_by_id[r]) for r in uniques]
    return table[codes]


def _evidence(
    first: np.ndarray, second: np.ndarray, has_second: np.ndarray, ordered: bool
) -> list[list[int]]:
    """Evidence row lists built from plain ints (issue 5: numpy scalars and sets per row were slow).

    ``ordered``: the two rows sorted, one row when both are the same (violations);
    otherwise [trigger, fulfilment] as they are (obligations).
    """
    a = first.tolist()
    b = np.where(has_second, second, first).tolist()
    two = has_second.tolist()
    if ordered:
        return [
            ([x, y] if x < y else [y, x]) if t and x != y else [x] for x, y, t in zip(a, b, two, strict=True)
        ]
    return [[x, y] if t else [x] for x, y, t in zip(a, b, two, strict=True)]


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


def _parties(ctx: Context, profile: Any, roles: np.ndarray, pos: np.ndarray) -> np.ndarray:
    party = np.full(len(pos), None, dtype=object)
    actor_series = ctx.prep.column("actor").iloc[pos]
    actor = actor_series.astype(object).where(actor_series.notna(), None).to_numpy(dtype=object)
    actor_role = ctx.prep.column("actor_role").iloc[pos].reset_index(drop=True)
    for role in np.unique(roles):
        mine = roles == role
        spec = profile.spec.parties.get(role)
        found = np.full(mine.sum(), None, dtype=object)
        if spec is not None and spec.attribute:
            known = ctx.prep.known(spec.attribute).iloc[pos[mine]]
            found = known.astype(object).where(known.notna(), None).to_numpy(dtype=object)
        # the acting department named on the event itself, when it says it acts in this role
        own = actor_role[mine].eq(role).fillna(False).to_numpy(dtype=bool) & pd.notna(actor[mine])
        found = np.where(pd.isna(found) & own, actor[mine], found)
        if spec is not None and spec.name_zh:
            found = np.where(pd.isna(found), spec.name_zh, found)
        party[mine] = found
    return party


def _empty_table(fields: tuple[str, ...]) -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(dtype=object) for name in fields})


def _gather(
    ctx: Context, profile: Any, found: list[tuple[Any, pd.DataFrame]], outside: Outside, enforce: bool
) -> pd.DataFrame | None:
    """All rules' positional findings in one frame, less those outside validity (C6); None if none."""
    frames = [frame.assign(rule_id=rule.id) for rule, frame in found if not frame.empty]
    if not frames:
        return None
    frame = _within_validity(ctx, profile, pd.concat(frames, ignore_index=True), outside, enforce)
    return frame.reset_index(drop=True) if len(frame) else None


def assemble_violations(
    ctx: Context, profile: Any, found: list[tuple[Any, pd.DataFrame]], outside: Outside, enforce: bool
) -> pd.DataFrame:
    frame = _gather(ctx, profile, found, outside, enforce)
    if frame is None:
        return _empty_table(VIOLATION_FIELDS)
    rules = profile.rules_by_id
    rule_ids = frame["rule_id"].to_numpy(dtype=object)
    pos = frame["pos"].to_numpy(dtype=np.int64)
    per_rule = {rid: rules[rid] for rid in np.unique(rule_ids)}
    # issue 5: everything constant per rule is looked up once per distinct rule
    role = _per_rule(rule_ids, lambda rule: rule.obligor_role, profile)
    penalty = _per_rule(rule_ids, lambda rule: rule.penalty, profile)
    items = profile.spec.penalties.items
    consequence = _per_rule(rule_ids, lambda rule: None if rule.penalty is None else (
        items[rule.penalty].consequence if rule.penalty in items and items[rule.penalty].consequence
        else profile.spec.penalties.consequence), profile)
    ev_b = frame["ev_b"]
    has_b = ev_b.notna().to_numpy()
    rows_a = ctx.prep.rows[pos]
    rows_b = ctx.prep.rows[ev_b.fillna(0).to_numpy(dtype=np.int64)]
    evidence = _evidence(rows_a, rows_b, has_b, ordered=True)
    out = pd.DataFrame({
        "rule_id": rule_ids,
        "jurisdiction": profile.name,
        "clause": _per_rule(rule_ids, lambda rule: rule.clause, profile),
        "kind": frame["kind"].to_numpy(dtype=object),
        "case_id": ctx.prep.frame["case_id"].to_numpy(dtype=object)[pos],
        "responsible_role": role,
        "responsible_party": _parties(ctx, profile, role, pos),
        "due": _due_times(frame["due_day"]),
        "occurred_at": _times(frame["occurred_ns"]),
        "working_days_late": frame["wd_late"].astype("Int64"),
        "penalty_clause": penalty,
        "consequence": consequence,
        "evidence_rows": evidence,
        "mitigation": _mitigation(ctx, profile, frame),
        "layer": _per_rule(rule_ids, lambda rule: profile.rule_layer.get(rule.id), profile),
        "document": _per_rule(rule_ids, lambda rule: rule.document, profile),
    })
    event_names = ctx.prep.frame["event"].to_numpy(dtype=object)[pos]
    out["message_zh"], out["message_en"] = build_messages(out, per_rule, frame["detail"], event_names, ctx)
    order = _stable_order(out["case_id"], ctx.prep.time_ns[pos], out["rule_id"], out["kind"])
    return out[list(VIOLATION_FIELDS)].take(order).reset_index(drop=True)


def _mitigation(ctx: Context, profile: Any, frame: pd.DataFrame) -> np.ndarray:
    rule = profile.spec.mitigation
    result = np.full(len(frame), None, dtype=object)
    if rule is None or rule.attribute not in ctx.prep.frame.columns:
        return result
    flag = ctx.prep.column(rule.attribute)
    hit = flag.iloc[frame["pos"].to_numpy(dtype=np.int64)].fillna(False).to_numpy(dtype=bool)
    ev_b = frame["ev_b"]
    has_b = ev_b.notna().to_numpy()
    if has_b.any():
        hit[has_b] |= flag.iloc[ev_b[has_b].to_numpy(dtype=np.int64)].fillna(False).to_numpy(dtype=bool)
    result[hit] = f"{rule.clause}: {rule.text_zh}"
    return result


def assemble_obligations(
    ctx: Context, profile: Any, found: list[tuple[Any, pd.DataFrame]], outside: Outside, enforce: bool
) -> pd.DataFrame:
    frame = _gather(ctx, profile, found, Outside(), enforce)
    if frame is None:
        return _empty_table(OBLIGATION_FIELDS)
    rule_ids = frame["rule_id"].to_numpy(dtype=object)
    pos = frame["pos"].to_numpy(dtype=np.int64)
    fulfil = frame["fulfil_pos"]
    has_f = fulfil.notna().to_numpy()
    fulfil_pos = fulfil.fillna(0).to_numpy(dtype=np.int64)
    fulfilled_ns = pd.Series(ctx.prep.time_ns[fulfil_pos], dtype="Int64").where(has_f)
    rows_a = ctx.prep.rows[pos]
    rows_b = ctx.prep.rows[fulfil_pos]
    out = pd.DataFrame({
        "rule_id": rule_ids,
        "clause": _per_rule(rule_ids, lambda rule: rule.clause, profile),
        "case_id": ctx.prep.frame["case_id"].to_numpy(dtype=object)[pos],
        "obligor_role": _per_rule(rule_ids, lambda rule: rule.obligor_role, profile),
        "trigger_at": _times(ctx.prep.time_ns[pos]),
        "due": _due_times(frame["due_day"]),
        "fulfilled_at": _times(fulfilled_ns),
        "status": frame["status"].to_numpy(dtype=object),
        "working_days_late": frame["wd_late"].astype("Int64"),
        "evidence_rows": _evidence(rows_a, rows_b, has_f, ordered=False),
        "layer": _per_rule(rule_ids, lambda rule: profile.rule_layer.get(rule.id), profile),
    })
    order = _stable_order(out["case_id"], ctx.prep.time_ns[pos], out["rule_id"])
    return out[list(OBLIGATION_FIELDS)].take(order).reset_index(drop=True)
