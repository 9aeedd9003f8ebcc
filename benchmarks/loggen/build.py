"""Generation: whole columns of events, one process at a time, all its cases at once."""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from govdata_policy.vocabulary import (
    BOOL_ATTRIBUTES,
    INT_ATTRIBUTES,
    TIME_ATTRIBUTES,
    allowed_values,
)

from .plan import Process, Step, build_plan, rule_timing
from .settings import (
    AGENCIES,
    BAD_ACT_RATE,
    CASE_PREFIX,
    CITIES,
    DAY_NS,
    DUPLICATE_SHARE,
    FLAG_BLANK,
    FLAG_TRUE,
    LATE_SHARE,
    MISSING_SHARE,
    NS,
    OFFSET_NS,
    PROCESS_CODE,
    REQUIRED_ABSENT,
    RESOURCES,
    ROLE_OF_PARTY_ATTRIBUTE,
    SEED,
    TEXTS,
    UNRULED_STEP_RATE,
)
from .times import delay_days, office_time, start_days, to_working_day
from .values import Pools, condition_mask, id_numbers, tested_conditions, value_choices


@dataclass
class Columns:
    """The log being built, one entry per row (codes for text, ns for times)."""

    text: dict[str, list[np.ndarray]] = field(default_factory=dict)
    times: dict[str, list[np.ndarray]] = field(default_factory=dict)
    pieces: int = 0
    lengths: list[int] = field(default_factory=list)

    def add(self, n: int, text: dict[str, np.ndarray], times: dict[str, np.ndarray]) -> None:
        for name in set(self.text) | set(text):
            self.text.setdefault(name, [np.zeros(m, np.int32) for m in self.lengths]).append(
                text.get(name, np.zeros(n, np.int32)))
        for name in set(self.times) | set(times):
            self.times.setdefault(name, [np.full(m, -1, np.int64) for m in self.lengths]).append(
                times.get(name, np.full(n, -1, np.int64)))
        self.lengths.append(n)


class Generator:
    def __init__(self, profile: Any, seed: int = SEED) -> None:
        self.profile = profile
        self.rng = np.random.default_rng([seed, zlib.crc32(profile.name.encode())])
        self.plan = build_plan(profile)
        self.tested = tested_conditions(profile.rules)
        self.pools = Pools()
        cities = CITIES.get(profile.name, ("市",))
        self.departments = [f"{c}{a}" for c in cities for a in AGENCIES]
        self.calendar = profile.calendar
        parties = profile.spec.parties
        self.fixed_party = {role: p.name_zh for role, p in parties.items() if p.name_zh}

    # one process: all its cases at once, step by step
    def process(self, process: Process, n: int, first_case: int, columns: Columns) -> None:
        rng = self.rng
        steps = process.steps
        present: list[np.ndarray] = []
        day: list[np.ndarray] = []
        tod: list[np.ndarray] = []
        codes: list[dict[str, np.ndarray]] = []
        times: list[dict[str, np.ndarray]] = []
        start = to_working_day(self.calendar, start_days(rng, self.profile, n), rng)
        requester = rng.integers(0, len(self.departments), size=n)
        provider = rng.integers(0, len(self.departments), size=n)
        index = {s.event: i for i, s in enumerate(steps)}
        for k, step in enumerate(steps):
            if k == 0:
                here = np.ones(n, dtype=bool)
                d = start
                t = office_time(rng, n)
            else:
                # by default a step follows the latest earlier step of its case
                latest = np.zeros(n, dtype=np.int64)
                for j in range(k):
                    latest = np.where(present[j], j, latest)
                anchor_day = np.choose(latest, day[:k]) if k > 1 else day[0].copy()
                anchor_tod = np.choose(latest, tod[:k]) if k > 1 else tod[0].copy()
                delay = delay_days(rng, "free", "none", np.zeros(n, np.int64))
                rate = np.full(n, step.rate)
                if step.link.kind == "waiting" and step.link.anchor is not None:
                    a = step.link.anchor
                    has = present[a]
                    anchor_day = np.where(has, day[a], anchor_day)
                    anchor_tod = np.where(has, tod[a], anchor_tod)
                    days = np.full(n, step.link.days, dtype=np.int64)
                    delay = np.where(has, delay_days(rng, "waiting", step.link.unit, days), delay)
                # a deadline the case has triggered makes the step due, timed from its trigger;
                # the tightest applicable deadline decides when it comes
                due = np.zeros(n, dtype=bool)
                against: np.ndarray | None = None
                for rule in sorted(step.gated_by, key=lambda r: -rule_timing(r)[2]):
                    k_t = index.get(rule.trigger.event)
                    if k_t is None or k_t >= k:
                        continue
                    hit = self._triggered(rule, k_t, present, codes)
                    kind, unit, days = rule_timing(rule)
                    anchor_day = np.where(hit, day[k_t], anchor_day)
                    anchor_tod = np.where(hit, tod[k_t], anchor_tod)
                    delay = np.where(hit, delay_days(rng, kind, unit, np.full(n, days, np.int64)), delay)
                    if kind == "due_attribute" and rule.due_attribute in times[k_t]:
                        due_ns = times[k_t][rule.due_attribute]
                        against = np.where(hit, (due_ns + OFFSET_NS) // DAY_NS, -1 if against is None else against)
                    due |= hit
                if step.gated_by:
                    rate = np.where(due, 1 - MISSING_SHARE, min(step.rate, UNRULED_STEP_RATE))
                if step.precondition:
                    met = self._preconditions_met(step, steps, present, codes)
                    rate = np.where(met, rate, rate * BAD_ACT_RATE)
                here = rng.random(n) < rate
                d = anchor_day + delay
                if step.link.kind != "waiting":
                    d = to_working_day(self.calendar, d, rng)
                if against is not None:  # due by a date the trigger carries: mostly before it
                    early = against - rng.integers(0, 10, size=n)
                    late = against + rng.integers(1, 20, size=n)
                    chosen = np.where(rng.random(n) < LATE_SHARE * 2, late, early)
                    d = np.where(against >= 0, np.maximum(chosen, anchor_day), d)
                same_day = d == anchor_day
                t = np.where(same_day, np.minimum(anchor_tod + rng.integers(300, 4 * 3600, size=n), 86_399),
                             office_time(rng, n))
            present.append(here)
            day.append(d)
            tod.append(t)
            step_codes, step_times = self._attributes(step, n, requester, provider, d, t)
            codes.append(step_codes)
            times.append(step_times)
        self._emit(process, n, first_case, present, day, tod, codes, times, columns)

    def _triggered(self, rule: Any, k: int, present: list[np.ndarray],
                   codes: list[dict[str, np.ndarray]]) -> np.ndarray:
        """Cases in which a deadline's trigger happened and matched its conditions."""
        hit = present[k].copy()
        for attribute, cond in rule.trigger.when.items():
            hit &= self._test(cond, attribute, codes[k])
        for attribute, cond in rule.trigger.case_when.items():
            hit &= self._test(cond, attribute, codes[0])
        return hit

    def _preconditions_met(self, step: Step, steps: list[Step], present: list[np.ndarray],
                           codes: list[dict[str, np.ndarray]]) -> np.ndarray:
        met = np.ones(len(present[0]), dtype=bool)
        index = {s.event: i for i, s in enumerate(steps)}
        for rule in step.precondition:
            k = index.get(rule.requires.event)
            if k is None or k >= len(present):
                continue
            ok = present[k].copy()
            for attribute, cond in rule.requires.when.items():
                ok &= self._test(cond, attribute, codes[k])
            met &= ok
        return met

    def _test(self, cond: Any, attribute: str, codes: dict[str, np.ndarray]) -> np.ndarray:
        values = codes.get(attribute)
        if values is None:
            n = len(next(iter(codes.values()))) if codes else 0
            values = np.zeros(n, dtype=np.int32)
        return condition_mask(cond, values, self.pools.words.get(attribute, [None]))

    def _attributes(self, step: Step, n: int, requester: np.ndarray, provider: np.ndarray,
                    d: np.ndarray, t: np.ndarray) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
        rng = self.rng
        pools = self.pools
        text: dict[str, np.ndarray] = {}
        stamps: dict[str, np.ndarray] = {}
        event_ns = d * DAY_NS + t * NS - OFFSET_NS
        for attribute in step.attributes:
            if attribute in TIME_ATTRIBUTES:
                stamps[attribute] = self._time_attribute(attribute, step, event_ns, n)
            elif attribute in BOOL_ATTRIBUTES:
                draw = rng.random(n)
                words = np.where(draw < FLAG_TRUE, 1, np.where(draw < FLAG_TRUE + FLAG_BLANK, 0, 2))
                table = pools.codes(attribute, ["true", "false"])
                text[attribute] = np.where(words == 0, 0, table[np.clip(words - 1, 0, 1)]).astype(np.int32)
            elif attribute in INT_ATTRIBUTES:
                limit = self._maximum(attribute) or 15
                values = rng.integers(1, limit + 1, size=n)
                over = rng.random(n) < 0.05
                values[over] = rng.integers(limit + 1, limit + 10, size=int(over.sum()))
                table = pools.codes(attribute, [str(v) for v in range(0, limit + 11)])
                text[attribute] = table[values]
            elif attribute == "subject_id":
                has = rng.random(n) < 0.3
                ids = id_numbers(rng, int(has.sum()))
                out = np.zeros(n, dtype=np.int32)
                out[has] = pools.codes(attribute, list(ids))
                text[attribute] = out
            elif attribute in ("requester", "provider"):
                pick = requester if attribute == "requester" else provider
                table = pools.codes(attribute, self.departments)
                text[attribute] = table[pick]
            elif attribute == "resource":
                table = pools.codes(attribute, list(RESOURCES))
                text[attribute] = table[rng.integers(0, len(RESOURCES), size=n)]
            elif allowed_values(attribute, step.event) is not None or attribute in ("requester_level",
                                                                                     "provider_level"):
                values, weights = value_choices(step.event, attribute, self.tested)
                table = pools.codes(attribute, values)
                text[attribute] = table[rng.choice(len(values), size=n, p=weights)]
            else:
                words = TEXTS.get(attribute, (f"{attribute}示例",))
                table = pools.codes(attribute, list(words))
                out = table[rng.integers(0, len(words), size=n)]
                absent = rng.random(n) < REQUIRED_ABSENT
                out[absent] = 0
                text[attribute] = out
        # who acted: the role the rules give the step, named after the case's party for it
        role_codes = pools.codes("actor_role", [step.role])
        text["actor_role"] = np.full(n, role_codes[0], dtype=np.int32)
        if step.role in ROLE_OF_PARTY_ATTRIBUTE:
            pick = requester if step.role == "requester" else provider
            text["actor"] = pools.codes("actor", self.departments)[pick]
        elif step.role in self.fixed_party:
            text["actor"] = np.full(n, pools.codes("actor", [self.fixed_party[step.role]])[0], np.int32)
        else:
            text["actor"] = pools.codes("actor", self.departments)[provider]
        return text, stamps

    def _maximum(self, attribute: str) -> int | None:
        for rule in self.profile.rules:
            need = getattr(rule, "require", None)
            if need is not None and need.maximum and attribute in need.maximum:
                return int(need.maximum[attribute])
        return None

    def _time_attribute(self, attribute: str, step: Step, event_ns: np.ndarray, n: int) -> np.ndarray:
        rng = self.rng
        period = 30
        years = 3
        for rule in self.profile.rules:
            if getattr(rule, "date_attribute", None) == attribute and rule.period.days:
                period = int(rule.period.days)
            if getattr(rule, "created_attribute", None) == attribute and rule.period.days:
                years = int(rule.period.days)
        if attribute == "log_created_at":
            old = rng.integers(years * 366 + 5, years * 366 + 900, size=n)
            recent = rng.integers(30, years * 365 - 30, size=n)
            back = np.where(rng.random(n) < 0.12, recent, old)
            return event_ns - back * DAY_NS
        if attribute == "rectify_by":
            return event_ns + rng.integers(10, 45, size=n) * DAY_NS
        # a planned date the act must precede by a period (lead time)
        ahead = rng.integers(int(period * 1.5) + 5, int(period * 1.5) + 60, size=n)
        short = rng.integers(1, max(period, 2), size=n)
        return event_ns + np.where(rng.random(n) < LATE_SHARE, short, ahead) * DAY_NS

    def _emit(self, process: Process, n: int, first_case: int, present: list[np.ndarray], day: list[np.ndarray],
              tod: list[np.ndarray], codes: list[dict[str, np.ndarray]], times: list[dict[str, np.ndarray]],
              columns: Columns) -> None:
        pools = self.pools
        event_table = pools.codes("event", [s.event for s in process.steps])
        prefix = pools.codes("_process", [PROCESS_CODE.get(process.name.split(":")[0], "QT")])[0]
        for k in range(len(process.steps)):
            rows = np.flatnonzero(present[k])
            m = len(rows)
            text = {name: values[rows] for name, values in codes[k].items()}
            text["event"] = np.full(m, event_table[k], dtype=np.int32)
            text["_process"] = np.full(m, prefix, dtype=np.int32)
            stamps = {name: values[rows] for name, values in times[k].items()}
            stamps["time"] = day[k][rows] * DAY_NS + tod[k][rows] * NS - OFFSET_NS
            stamps["_case"] = (first_case + rows).astype(np.int64)
            stamps["_step"] = np.full(m, k, dtype=np.int64)
            columns.add(m, text, stamps)

    # the whole log
    def table(self, rows: int) -> pa.Table:
        """``rows`` events: (case_id, event, time as timestamp, attributes...), sorted by time."""
        rng = self.rng
        weights = np.array([p.weight for p in self.plan])
        mean_steps = sum(p.weight * sum(s.rate for s in p.steps) for p in self.plan)
        n_cases = int(rows / max(mean_steps, 1.0)) + 50
        while True:  # gated steps make the estimate low: grow until there are enough rows
            columns, first = self._cases(n_cases, weights)
            got = sum(columns.lengths)
            if got >= rows:
                break
            n_cases = int(n_cases * rows / max(got, 1) * 1.1) + 50
        case = np.concatenate(columns.times["_case"])
        step = np.concatenate(columns.times["_step"])
        # keep whole cases in a random order until the size is reached; the last one is cut
        case_order = rng.permutation(first)
        rank = np.empty(first, dtype=np.int64)
        rank[case_order] = np.arange(first)
        order = np.lexsort((step, rank[case]))[:rows]
        # exact duplicates (an export run twice over a few rows) take the place of the tail
        k = int(rows * DUPLICATE_SHARE)
        base = order[: rows - k]
        order = np.concatenate([base, base[rng.choice(len(base), size=k, replace=False)]])
        time_ns = np.concatenate(columns.times["time"])[order]
        export = np.argsort(time_ns, kind="stable")  # an export in time order
        order, time_ns = order[export], time_ns[export]
        return self._arrow(columns, order, time_ns, case[order])

    def _cases(self, n_cases: int, weights: np.ndarray) -> tuple[Columns, int]:
        self.pools = Pools()
        per_process = self.rng.multinomial(n_cases, weights)
        columns = Columns()
        first = 0
        for process, count in zip(self.plan, per_process, strict=True):
            if count:
                self.process(process, int(count), first, columns)
                first += int(count)
        return columns, first

    def _arrow(self, columns: Columns, order: np.ndarray, time_ns: np.ndarray, case: np.ndarray) -> pa.Table:
        pools = self.pools
        process = np.concatenate(columns.text["_process"])[order]
        short = CASE_PREFIX.get(self.profile.name, self.profile.name[:2].upper())
        tag = pa.array([f"{short}-{w or ''}-" for w in pools.words["_process"]])
        case_id = pc.binary_join_element_wise(
            pa.DictionaryArray.from_arrays(pa.array(process, pa.int32()), tag).dictionary_decode(),
            pc.utf8_lpad(pc.cast(pa.array(case + 1), pa.string()), 8, "0"), "")
        data: dict[str, pa.Array] = {
            "case_id": case_id,
            "event": pools.array("event", np.concatenate(columns.text["event"])[order]),
            "time": pa.array(time_ns, pa.timestamp("ns", tz="+08:00")),
        }
        first = ("actor_role", "actor", "requester", "provider", "requester_level", "provider_level", "category")
        names = [c for c in first if c in columns.text] + sorted(
            c for c in columns.text if c not in first and not c.startswith("_") and c != "event")
        for name in names:
            data[name] = pools.array(name, np.concatenate(columns.text[name])[order])
        for name in sorted(columns.times):
            if name.startswith("_") or name == "time":
                continue
            values = np.concatenate(columns.times[name])[order]
            data[name] = pa.array(values, pa.timestamp("ns", tz="+08:00"), mask=values == -1)
        return pa.table(data)


