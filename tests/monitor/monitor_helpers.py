"""Helpers shared by the streaming monitor tests (a uniquely named module, not conftest)."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from typing import Any

from govdata_policy.engine.evaluate import parse_as_of
from govdata_policy.monitor.synthetic import LogGenerator
from govdata_policy.timeutil import NS_PER_DAY, iso

JURISDICTIONS = ("guangxi", "yongzhou", "xinjiang", "xinzhou")
# the fields CONTRACT.md §4 promises agree between monitor and batch
KEY_FIELDS = (
    "rule_id", "case_id", "clause", "kind", "due", "occurred_at", "working_days_late",
    "responsible_party", "penalty_clause",
)
# Xinjiang's measures are valid 2023-02-17 .. 2025-02-16 (C6): most logs fall inside
XINJIANG_WINDOW = (dt.date(2023, 1, 20), dt.date(2025, 3, 15))


def random_log(profile: Any, rng: random.Random, n_cases: int, whole: bool = False) -> tuple[list[dict[str, Any]], str]:
    """A log from the profile's own rules, cut at a random as_of: (events up to as_of, as_of); ``whole``:
    as_of a random 0-60 days after the last event, so every case is in."""
    window = {}
    if profile.name == "xinjiang" and rng.random() < 0.75:
        window = {"first": XINJIANG_WINDOW[0], "last": XINJIANG_WINDOW[1]}
    generator = LogGenerator(profile, rng, **window)
    log = generator.log(n_cases)
    last = max(t for t, _ in log) if whole else rng.choice(log)[0]
    as_of_ns = last + rng.randint(0, 60) * NS_PER_DAY
    as_of = iso(as_of_ns) or ""
    if rng.random() < 0.5:
        as_of = as_of[:10]  # a date alone: the end of that day
    cut = parse_as_of(as_of)
    return [event for t, event in log if t <= cut], as_of


def multiset(violations: list[dict[str, Any]], fields: tuple[str, ...] | None = None) -> Counter:
    if fields is None:
        return Counter(repr(sorted((k, v) for k, v in record.items() if k != "note")) for record in violations)
    return Counter(tuple(record[f] for f in fields) for record in violations)


def run_monitor(profile: Any, events: list[dict[str, Any]], as_of: str, **options: Any) -> tuple[list, Any]:
    # a log replayed to compare with the batch may have quiet spells longer than the guard against a mistyped
    # far-future time allows (docs/monitor.md, "Order"): the comparison is made with the guard off
    options.setdefault("max_ahead_days", None)
    monitor = profile.monitor(**options)
    found: list[dict[str, Any]] = []
    for event in events:
        found.extend(monitor.push(event))
    found.extend(monitor.advance(as_of))
    return found, monitor
