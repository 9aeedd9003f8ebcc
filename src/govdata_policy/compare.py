"""Side-by-side comparison of profiles: their rules by process, and a log replayed under each.

Rules of different profiles are aligned by what they govern, not by id: a
deadline by the act owed (its fulfilment event) and the scenario its trigger
names (category, levels, scope…); any other rule by its act and conditions.
So Yongzhou's 18.2 (request -> provider reply, 10 wd) and Xinjiang's 21.2
(compliance review -> provider reply, 5 wd) sit on one row, each cell saying
from what its period runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .rules.model import TOPICS

# attributes that name which process a deadline belongs to (the row); other conditions
# (emergency, dedicated, outcome…) are variants within it and are shown in the cell
SCENARIO_ATTRIBUTES = (
    "category", "share_category", "open_category", "requester_level", "provider_level", "scope", "kind",
)
TOPIC_ORDER = (*TOPICS, "penalties", "responsibility")


def _condition_text(conditions: dict[str, Any], only: tuple[str, ...] | None = None) -> str:
    from .docs_gen import _cond

    parts = [f"{k}={_cond(v)}" for k, v in sorted(conditions.items()) if only is None or k in only]
    return ", ".join(parts)


def row_key(rule: Any) -> tuple[str, str]:
    """(topic, description of what the rule governs) — equal across profiles for the same duty."""
    if rule.kind == "deadline":
        scenario = _condition_text({**rule.trigger.when, **rule.trigger.case_when}, SCENARIO_ATTRIBUTES)
        return rule.topic, f"deadline → {rule.fulfil.event}" + (f" [{scenario}]" if scenario else "")
    match = rule.act
    conditions = {k: v for k, v in {**match.when, **match.case_when}.items() if k != "actor_role"}
    text = _condition_text(conditions)
    return rule.topic, f"{rule.kind}: {match.event}" + (f" [{text}]" if text else "")


def cell_text(rule: Any, penalty: str | None = None) -> str:
    """What a profile says on a row, without the clause (used to decide whether profiles differ):
    the duty, who owes it, and ``penalty`` (its item and consequence) when the profiles compared
    share a penalty article, i.e. are variants of one jurisdiction (across jurisdictions the
    items are numbered differently and would make every row differ)."""
    return f"{_duty_text(rule)}; {rule.obligor_role}" + (f"; {penalty}" if penalty else "")


def _duty_text(rule: Any) -> str:
    from .cli.rules_cmd import period_text

    if rule.kind == "deadline":
        conditions = {**rule.trigger.when, **rule.trigger.case_when}
        extra = _condition_text({k: v for k, v in conditions.items() if k not in SCENARIO_ATTRIBUTES})
        source = rule.trigger.event + (f" ({extra})" if extra else "")
        # what counts as fulfilment (a reading may narrow it: an agent's review no longer counts)
        done = _condition_text({**rule.fulfil.when, **rule.fulfil.case_when})
        return f"{period_text(rule)} from {source}" + (f", done by {rule.fulfil.event} ({done})" if done else "")
    if rule.kind in ("waiting", "lead_time", "retention"):
        return f"{rule.kind} {period_text(rule)}"
    if rule.kind == "precondition":
        return f"needs {rule.requires.event} → {rule.finding}"
    if rule.kind == "required":
        return "requires " + ", ".join(
            f"{k}: {v}" for k, v in rule.require.model_dump(exclude_none=True).items())
    return "prohibited"


def _penalty_text(profile: Any, rule: Any) -> str:
    if rule.penalty is None:
        return "no penalty"
    return f"penalty {rule.penalty}: {profile.spec.penalties.consequence_of(rule.penalty)}"


@dataclass
class Row:
    topic: str
    key: str
    cells: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)  # profile -> [(text, clause, id)]

    def text(self, profile: str) -> str:
        return "; ".join(f"{t} ({c})" for t, c, _ in self.cells.get(profile, []))

    @property
    def differs(self) -> bool:
        texts = {tuple(sorted(t for t, _, _ in cell)) for cell in self.cells.values()}
        return len(texts) > 1

    def only_in(self, names: list[str]) -> list[str]:
        return [n for n in names if n in self.cells] if len(self.cells) < len(names) else []


def compare_rules(profiles: list[Any]) -> tuple[list[str], list[Row]]:
    names = [p.name if [q.name for q in profiles].count(p.name) == 1 else str(p.file) for p in profiles]
    one_article = len({(p.spec.penalties.article, p.spec.penalties.text_zh) for p in profiles}) == 1
    rows: dict[tuple[str, str], Row] = {}
    for name, profile in zip(names, profiles, strict=True):
        for rule in profile.rules:
            topic, key = row_key(rule)
            row = rows.setdefault((topic, key), Row(topic, key))
            penalty = _penalty_text(profile, rule) if one_article else None
            row.cells.setdefault(name, []).append((cell_text(rule, penalty), rule.clause, rule.id))
        penalties = profile.spec.penalties
        rows.setdefault(("penalties", "penalty article"), Row("penalties", "penalty article")).cells[name] = [
            (penalties.consequence, penalties.article, "")]
        for principle in profile.spec.responsibility:
            row = rows.setdefault(("responsibility", "responsibility principles"),
                                  Row("responsibility", "responsibility principles"))
            row.cells.setdefault(name, []).append((principle.text_zh[:40], principle.clause, ""))
    ordered = sorted(rows.values(), key=lambda r: (TOPIC_ORDER.index(r.topic), r.key))
    return names, ordered


def rules_table_json(names: list[str], rows: list[Row]) -> dict[str, Any]:
    return {
        "profiles": names,
        "rows": [
            {"topic": r.topic, "key": r.key, "differs": r.differs, "present_in": sorted(r.cells),
             "cells": {n: [{"text": t, "clause": c, "rule_id": i} for t, c, i in r.cells.get(n, [])] for n in names}}
            for r in rows
        ],
    }


def rules_markdown(names: list[str], rows: list[Row]) -> str:
    lines = ["| process | rule | " + " | ".join(names) + " |", "|---|---|" + "---|" * len(names)]
    for row in rows:
        mark = " **≠**" if row.differs else ""
        cells = [row.text(n) or "—" for n in names]
        if row.differs:
            cells = [f"**{c}**" if c != "—" else c for c in cells]
        lines.append(f"| {row.topic} | {row.key}{mark} | " + " | ".join(c.replace("|", "/") for c in cells) + " |")
    return "\n".join(lines) + "\n"


# -- what-if: one log under several profiles ------------------------------------------------------

def _verdicts(profile: Any, result: Any) -> pd.DataFrame:
    """One row per (case, governed duty): the verdict and what it rests on."""
    keys = {rule.id: row_key(rule)[1] for rule in profile.rules}
    from .cli.rules_cmd import period_text

    periods = {rule.id: period_text(rule) for rule in profile.rules}
    owed = result.obligations
    parts = []
    if len(owed):
        parts.append(pd.DataFrame({
            "case_id": owed["case_id"], "key": owed["rule_id"].map(keys),
            "verdict": owed["status"].where(~owed["status"].isin(["pending"]), "pending"),
            "detail": owed["rule_id"].map(periods) + ", due " + owed["due"].dt.strftime("%Y-%m-%d").fillna("—")
            + owed["working_days_late"].map(lambda v: "" if pd.isna(v) else f", {int(v)} wd late"),
            "clause": owed["clause"],
        }))
    acts = result.violations[~result.violations["kind"].isin(["late", "overdue", "missing"])]
    if len(acts):
        parts.append(pd.DataFrame({
            "case_id": acts["case_id"], "key": acts["rule_id"].map(keys), "verdict": acts["kind"],
            "detail": acts["kind"], "clause": acts["clause"],
        }))
    if not parts:
        return pd.DataFrame(columns=["case_id", "key", "verdict", "detail", "clause"])
    frame = pd.concat(parts, ignore_index=True)
    # several obligations of one duty in a case: keep the worst
    rank = {"met": 0, "pending": 1, "late": 2, "missing": 3, "overdue": 4}
    frame["_r"] = frame["verdict"].map(lambda v: rank.get(v, 5))
    frame = frame.sort_values("_r").drop_duplicates(["case_id", "key"], keep="last").drop(columns="_r")
    return frame


def compare_log(names: list[str], profiles: list[Any], results: list[Any]) -> dict[str, Any]:
    counts = {}
    for name, result in zip(names, results, strict=True):
        grouped = result.violations.groupby(["clause", "kind"]).size() if len(result.violations) else {}
        counts[name] = {f"{c} {k}": int(n) for (c, k), n in dict(grouped).items()}
    merged: pd.DataFrame | None = None
    for name, profile, result in zip(names, profiles, results, strict=True):
        verdicts = _verdicts(profile, result).rename(
            columns={"verdict": f"verdict::{name}", "detail": f"detail::{name}", "clause": f"clause::{name}"})
        merged = verdicts if merged is None else merged.merge(verdicts, on=["case_id", "key"], how="outer")
    differing: list[dict[str, Any]] = []
    moved: list[dict[str, Any]] = []
    if merged is not None and len(merged):
        verdict_columns = [f"verdict::{n}" for n in names]
        filled = merged[verdict_columns].fillna("none")
        mask = filled.nunique(axis=1) > 1
        # late or overdue under every profile, by other counts: a drafter's shorter period moves the
        # due date (a case met under both whatever its due date is not listed)
        details = merged[[f"detail::{n}" for n in names]].fillna("—")
        behind = merged[verdict_columns[0]].isin(["late", "overdue"])
        same_but_moved = ~mask & behind & merged[verdict_columns].notna().all(axis=1) & (details.nunique(axis=1) > 1)
        for record in merged[same_but_moved].sort_values(["case_id", "key"]).to_dict(orient="records"):
            moved.append({"case_id": record["case_id"], "duty": record["key"],
                          "verdict": record[verdict_columns[0]],
                          "details": {n: record[f"detail::{n}"] for n in names},
                          "reason": "; ".join(f"{record[f'detail::{n}']} under {n}" for n in names)})
        for record in merged[mask].sort_values(["case_id", "key"]).to_dict(orient="records"):
            reasons = []
            for n in names:
                verdict = record.get(f"verdict::{n}")
                if pd.isna(verdict):
                    reasons.append(f"no such duty under {n}")
                else:
                    reasons.append(f"{verdict} under {n} ({record[f'detail::{n}']}, clause {record[f'clause::{n}']})")
            differing.append({"case_id": record["case_id"], "duty": record["key"],
                              "verdicts": {n: (None if pd.isna(record.get(f"verdict::{n}")) else
                                               record[f"verdict::{n}"]) for n in names},
                              "reason": "; ".join(reasons)})
    return {"findings_by_clause_and_kind": counts, "cases_that_differ": differing,
            "cases_with_other_due_dates": moved}
