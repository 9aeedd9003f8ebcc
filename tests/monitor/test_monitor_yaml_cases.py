"""Every hand-worked YAML case (tests/cases), streamed through the monitor: the same violations as the
batch found for it (CONTRACT.md §4: pushing a log in time order and advancing to as_of yields the
same findings). The cases are the clause-by-clause examples, so this holds the monitor to each rule."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from monitor_helpers import KEY_FIELDS, multiset

import govdata_policy as gp
from govdata_policy.engine.evaluate import parse_as_of
from govdata_policy.io.times import parse_time
from govdata_policy.yamltests import case_files, case_profile, load_case_file, other_yaml

CASES = Path(__file__).resolve().parents[1] / "cases"


def _all_cases() -> list[Any]:
    found = []
    for path in case_files(CASES):
        if other_yaml(path) is not None:  # a variant profile beside the cases naming it
            continue
        spec = load_case_file(path)
        found.extend(pytest.param(case_profile(path, spec), case, id=f"{path.parent.name}/{path.stem}: {case.name}")
                     for case in spec.cases)
    return found


def _text(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


@pytest.mark.parametrize(("jurisdiction", "case"), _all_cases())
def test_the_monitor_finds_what_the_batch_finds(jurisdiction: str, case: Any) -> None:
    profile = gp.load_jurisdiction(jurisdiction)
    events = [{key: _text(value) for key, value in event.items()} for event in case.events]
    as_of = _text(case.as_of)
    batch = profile.evaluate(events, as_of=as_of).to_dict()["violations"]  # as the JSON has them, as the monitor
    cut = parse_as_of(as_of)
    # in time order, nothing after as_of; events of one instant in the order the case lists them, as a
    # platform pushes them as they happen (a monitor judges ties in arrival order, docs/monitor.md; the
    # batch takes one instant's events as simultaneous: the cases with ties agree either way)
    timed = sorted((parse_time(str(event["time"])), i) for i, event in enumerate(events))
    monitor = profile.monitor(max_ahead_days=None)  # a case's events may lie years apart
    streamed: list[dict[str, Any]] = []
    for ns, i in timed:
        if ns is not None and ns <= cut:
            streamed.extend(monitor.push(events[i]))
    streamed.extend(monitor.advance(as_of))
    assert multiset(streamed, KEY_FIELDS) == multiset(batch, KEY_FIELDS)

