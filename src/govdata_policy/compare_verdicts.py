"""``compare --log``: each profile's verdict per (case, duty), and the words of the verdicts shown.

Issue 5: the verdicts were worded (the duty, "10 wd from …, due 2025-03-10, 2 wd late", the due date) for every
obligation and finding of the log, about 400,000 a profile on a 1M-event log, and again for a profile's result
with the findings outside validity kept; yet only the cases whose verdicts differ or whose due dates moved are
shown, a few percent of them. ``verdicts`` now keeps what the words are made of (the rule, the due time, the days
late, the clause), and ``described`` words the rows shown, each by the expression that worded every row before:
a row's words depend on that row alone, so they are the same text.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .engine.assemble import TEXT_DTYPE

# per profile, what a verdict rests on; ``act``: a finding of an act (premature, prohibited, invalid), not a duty
VERDICT_COLUMNS = ["case_id", "key", "verdict", "rule_id", "due_at", "late_days", "clause", "act"]
# what ``described`` adds per profile
WORDED_COLUMNS = ["duty", "detail", "due", "late"]
# several obligations of one duty in a case: the worst is kept
RANK = {"met": 0, "pending": 1, "late": 2, "missing": 3, "overdue": 4}


def verdicts(result: Any, keys: dict[str, tuple[str, str]]) -> pd.DataFrame:
    """One row per (case, governed duty): its verdict and what it rests on, unworded (``described`` words it).

    The rows are those the worded frame had, in its order: the same ranks sorted the same way and the same
    (case, key) pairs, so a case's tie between two obligations of one rank keeps the same one."""
    match = {rule_id: key for rule_id, (key, _) in keys.items()}
    owed = result.obligations
    parts = []
    if len(owed):
        parts.append(pd.DataFrame({
            "case_id": owed["case_id"], "key": owed["rule_id"].map(match), "verdict": owed["status"],
            "rule_id": owed["rule_id"], "due_at": owed["due"], "late_days": owed["working_days_late"],
            "clause": owed["clause"], "act": False,
        }))
    acts = result.violations[~result.violations["kind"].isin(["late", "overdue", "missing"])]
    if len(acts):
        parts.append(pd.DataFrame({
            "case_id": acts["case_id"], "key": acts["rule_id"].map(match), "verdict": acts["kind"],
            "rule_id": acts["rule_id"], "due_at": acts["due"],
            "late_days": pd.Series(pd.NA, index=acts.index, dtype="Int64"), "clause": acts["clause"], "act": True,
        }))
    if not parts:
        return pd.DataFrame(columns=VERDICT_COLUMNS)
    frame = pd.concat(parts, ignore_index=True)[VERDICT_COLUMNS]
    frame["_r"] = frame["verdict"].map(RANK).fillna(5).astype("int64")  # int64 as before: the same sort
    frame = frame.sort_values("_r").drop_duplicates(["case_id", "key"], keep="last").drop(columns="_r")
    return frame


def described(frame: pd.DataFrame, name: str, profile: Any, keys: dict[str, tuple[str, str]]) -> pd.DataFrame:
    """``frame`` (rows of the profiles' verdicts merged, ``verdict::NAME`` and the like) with the profile's
    ``duty::NAME``, ``detail::NAME``, ``due::NAME`` and ``late::NAME``: text where it has a verdict, else NaN."""
    from .cli.rules_cmd import period_text

    shown = {rule_id: duty for rule_id, (_, duty) in keys.items()}
    periods = {rule.id: period_text(rule) for rule in profile.rules}
    present = frame[f"verdict::{name}"].notna().to_numpy()
    act = frame[f"act::{name}"].isin([True]).to_numpy()
    words: dict[str, list[pd.Series]] = {column: [] for column in WORDED_COLUMNS}
    owed_at, acts_at = np.flatnonzero(present & ~act), np.flatnonzero(present & act)
    if len(owed_at):
        owed = frame.iloc[owed_at]
        late = late_text(owed[f"late_days::{name}"])
        due = owed[f"due_at::{name}"].dt.strftime("%Y-%m-%d").fillna("—")
        _put(words, owed_at, duty=owed[f"rule_id::{name}"].map(shown), due=due, late=late,
             detail=owed[f"rule_id::{name}"].map(periods) + ", due " + due + late)
    if len(acts_at):
        acts = frame.iloc[acts_at]
        due = acts[f"due_at::{name}"].dt.strftime("%Y-%m-%d")  # a premature act's: the last day it may not come on
        _put(words, acts_at, duty=acts[f"rule_id::{name}"].map(shown), due=due.fillna(""), late="",
             detail=acts[f"verdict::{name}"] + (", due " + due).fillna(""))
    return frame.assign(**{f"{column}::{name}": _whole(parts, frame.index) for column, parts in words.items()})


def late_text(days: pd.Series) -> pd.Series:
    """", N wd late" for each count of working days late, "" where there is none."""
    words = ", " + days.astype("Int64").astype("str") + " wd late"
    return words.where(days.notna(), "")


def _put(words: dict[str, list[pd.Series]], at: np.ndarray, **columns: Any) -> None:
    for column, values in columns.items():
        if isinstance(values, pd.Series):  # text already (Arrow): kept as it is, not made Python str and back
            words[column].append(values.astype(TEXT_DTYPE).set_axis(at))
        else:
            words[column].append(pd.Series([values] * len(at), index=at, dtype=TEXT_DTYPE))


def _whole(parts: list[pd.Series], index: pd.Index) -> pd.Series:
    """The rows worded, at their places among ``index``'s, text (pandas' own type, Arrow-backed: compact, unlike
    a column of Python str objects) where worded, NaN elsewhere."""
    text = pd.concat(parts) if parts else pd.Series([], dtype=TEXT_DTYPE)
    return text.reindex(pd.RangeIndex(len(index))).set_axis(index)
