"""Monitor == batch for a deadline answered by further events (``also_fulfilled_by``), on logs drawn for it.

The synthetic logs of test_monitor_differential draw every process of a profile, so a request answered by a
rejection at 初审 is rare in them; here every case is a conditional Yongzhou request followed by any of the events
that may or may not answer it (a rejection or a pass at 初审, the provider's review with or without an outcome, the
request made again), so most examples hold a request the further event answers, or does not.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from monitor_helpers import multiset, run_monitor

import govdata_policy as gp
from govdata_policy.timeutil import iso

ANSWERS = Path(__file__).resolve().parents[1] / "cases" / "yongzhou" / "yongzhou-initial-rejection-answers.yaml"
START_NS = 1_727_229_600 * 10**9  # 2024-09-25 10:00 +08:00: the periods cross 国庆 and its make-up days
STEPS: dict[str, dict[str, Any]] = {
    "request": {"event": "share.requested", "category": "conditional", "provider": "市民政局"},
    "reject": {"event": "share.compliance_reviewed", "outcome": "reject"},
    "pass": {"event": "share.compliance_reviewed", "outcome": "pass"},
    "approved": {"event": "share.provider_reviewed", "outcome": "approved"},
    "refused": {"event": "share.provider_reviewed", "outcome": "refused"},
    "no outcome": {"event": "share.provider_reviewed"},
}
# a case: its request, then (step, minutes after the previous event) pairs; up to 20 working days between events
CASE = st.lists(st.tuples(st.sampled_from(sorted(STEPS)), st.integers(1, 28 * 24 * 60)), max_size=5)


@pytest.fixture(scope="module")
def either(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """18.2 answered by the provider's approval or its refusal, as two matches of one event."""
    path = tmp_path_factory.mktemp("either") / "yz-either.yaml"
    path.write_text("name: yz-either\nextends: yongzhou\nrule_overrides:\n  yz-18.2-conditional-reply:\n"
                    "    fulfil: {event: share.provider_reviewed, when: {outcome: approved}}\n"
                    "    also_fulfilled_by: [{event: share.provider_reviewed, when: {outcome: refused}}]\n",
                    encoding="utf-8")
    return gp.load_jurisdiction(path)


def _log(cases: list[list[tuple[str, int]]], offsets: list[int]) -> list[dict[str, Any]]:
    events = []
    for number, (steps, offset) in enumerate(zip(cases, offsets, strict=True)):
        t = START_NS + offset * 60 * 10**9
        for step, minutes in [("request", 0), *steps]:
            t += minutes * 60 * 10**9  # strictly later within a case: same-instant ties are outside the guarantee
            events.append({"case_id": f"K{number}", "time": iso(t), **STEPS[step]})
    return sorted(events, key=lambda e: e["time"])  # a monitor is pushed in time order


def _agree(profile: Any, events: list[dict[str, Any]], as_of: str) -> None:
    batch = profile.evaluate([dict(e) for e in events], as_of=as_of).to_dict()["violations"]
    streamed, _ = run_monitor(profile, events, as_of)
    assert multiset(streamed) == multiset(batch)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(data=st.data(), n_cases=st.integers(1, 8), as_of=st.sampled_from(["2024-10-10", "2024-10-31", "2024-12-31"]))
def test_monitor_agrees_with_batch_on_requests_answered_by_further_events(either, data, n_cases, as_of) -> None:
    cases = [data.draw(CASE) for _ in range(n_cases)]
    offsets = [data.draw(st.integers(0, 10 * 24 * 60)) for _ in range(n_cases)]
    events = _log(cases, offsets)
    cut = [e for e in events if e["time"][:10] <= as_of]
    if cut:
        _agree(gp.load_jurisdiction(ANSWERS), cut, as_of)
        _agree(either, cut, as_of)
