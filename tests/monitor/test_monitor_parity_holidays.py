"""Monitor == batch, field for field, on short streams packed into holiday weeks.

test_monitor_differential.py draws times anywhere in 2022-2026 with a random second, so two cases rarely
share an instant and few periods start or end on a holiday or a make-up working day. Here every event falls
within a few days of one of three holidays of 2024-2025 (劳动节 with make-up Sun 04-28 and Sat 05-11, 国庆
with make-up Sun 09-29 and Sat 10-12, 春节 2025 with make-up Sun 01-26 and Sat 02-08), at one of a handful of
instants (or on a date alone), so many cases share each instant; each case keeps strictly increasing times
(a tie within a case is outside the guarantee, docs/monitor.md), bar exact duplicates, which are resent at
once or after other cases' events. Optional attributes are left out as the generator leaves them out
(a fifth of the values it would set). The whole record is compared: rule id, case, due, occurred_at, evidence
rows, parties, working days late, penalty, messages, mitigation, layer, document.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from monitor_helpers import JURISDICTIONS, multiset, run_monitor

from govdata_policy.monitor.synthetic import LogGenerator

# the first day of each window: a window is 20 days, the holiday and both make-up days inside it
WINDOWS = (dt.date(2024, 4, 24), dt.date(2024, 9, 26), dt.date(2025, 1, 24))
WINDOW_DAYS = 20
# a few instants of the day, so that many cases share each; None: the date alone (the day's midnight)
CLOCKS = (None, "08:30:00", "09:00:00", "23:59:59")


def holiday_stream(profile: Any, rng: random.Random, n_cases: int) -> tuple[list[dict[str, Any]], str]:
    """Events of ``n_cases`` cases in time order (stable), and an as_of at or after the last of them."""
    generator = LogGenerator(profile, rng)
    window = rng.choice(WINDOWS)
    timed: list[tuple[dt.date, int, dict[str, Any]]] = []
    for number in range(n_cases):
        events = [event for _, event in generator.case(f"H{number}", generator.first_ns)]
        # strictly increasing (day, clock) per case: one draw of distinct slots, sorted
        slots = sorted(rng.sample(range(WINDOW_DAYS * len(CLOCKS)), min(len(events), WINDOW_DAYS * len(CLOCKS))))
        previous: tuple[int, str] | None = None
        slot_iter = iter(slots)
        for event in events:
            if previous is not None and event == previous[1]:  # the generator's exact duplicate: same time
                event["time"] = previous[1]["time"]
                timed.append((window + dt.timedelta(days=previous[0] // len(CLOCKS)), previous[0], event))
                continue
            slot = next(slot_iter, None)
            if slot is None:
                break
            day = window + dt.timedelta(days=slot // len(CLOCKS))
            clock = CLOCKS[slot % len(CLOCKS)]
            event["time"] = day.isoformat() if clock is None else f"{day.isoformat()} {clock}"
            timed.append((day, slot, event))
            previous = (slot, event)
    timed.sort(key=lambda item: item[1])  # slots ascend with time (a date alone is the day's first instant)
    events = [event for _, _, event in timed]
    # some exact duplicates resent later, after other cases' events at the same instant
    for at in range(len(events) - 1, 0, -1):
        if rng.random() < 0.05:
            same = events[at]
            later = at + 1
            while later < len(events) and events[later]["time"] == same["time"]:
                later += 1
            events.insert(later, dict(same))
    last = max((day for day, _, _ in timed), default=window)
    as_of = (last + dt.timedelta(days=rng.randint(0, 30))).isoformat()
    return events, as_of


def _agree(profile: Any, events: list[dict[str, Any]], as_of: str) -> None:
    batch = profile.evaluate([dict(e) for e in events], as_of=as_of).to_dict()
    found, monitor = run_monitor(profile, events, as_of)
    assert multiset(found) == multiset(batch["violations"])
    assert [(r["row"], r["reason"]) for r in monitor.rejected] == [
        (r["row"], r["reason"]) for r in batch["rejected_rows"]]


@pytest.mark.parametrize("jurisdiction", JURISDICTIONS)
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1), n_cases=st.integers(1, 25))
def test_holiday_weeks_with_shared_instants_agree_field_for_field(profiles, jurisdiction, seed, n_cases):
    profile = profiles[jurisdiction]
    events, as_of = holiday_stream(profile, random.Random(seed), n_cases)
    if events:
        _agree(profile, events, as_of)


@pytest.mark.parametrize("jurisdiction", JURISDICTIONS)
def test_fixed_holiday_streams_agree(profiles, jurisdiction):
    """Fixed seeds, so a run without hypothesis's draw still covers every window and both time forms."""
    profile = profiles[jurisdiction]
    for seed in range(12):
        events, as_of = holiday_stream(profile, random.Random(seed), 20)
        _agree(profile, events, as_of)
