"""Monitor == batch: push a log in time order, advance(as_of), compare with evaluate(log, as_of).

Logs come from each jurisdiction's own rules (govdata_policy.monitor.synthetic):
every process its rules use, the attribute values their conditions test,
gaps of 0-40 days across holidays and make-up days, 2022-2026, several cases,
exact duplicates and rejected rows. Times strictly increase within a case:
the batch breaks same-time ties in a case canonically while a monitor sees
arrival order, so such ties are outside the equality guarantee (docs/monitor.md).
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from monitor_helpers import JURISDICTIONS, KEY_FIELDS, multiset, random_log, run_monitor

import govdata_policy as gp

# Yongzhou with 18.2 answered by the authority's rejection at 初审 too (also_fulfilled_by): the generator draws the
# further answering events from the rule, as it does fulfil events
ANSWERS = Path(__file__).resolve().parents[1] / "cases" / "yongzhou" / "yongzhou-initial-rejection-answers.yaml"


def _compare(profile, events, as_of):
    batch = profile.evaluate([dict(e) for e in events], as_of=as_of).to_dict()
    found, monitor = run_monitor(profile, events, as_of)
    # the contract's promise, on the fields it names
    assert multiset(found, KEY_FIELDS) == multiset(batch["violations"], KEY_FIELDS)
    # and the whole record: messages, evidence rows (push numbers = row numbers), mitigation, layer
    assert multiset(found) == multiset(batch["violations"])
    # rejected rows: same numbers, same reasons
    assert [(r["row"], r["reason"]) for r in monitor.rejected] == [
        (r["row"], r["reason"]) for r in batch["rejected_rows"]]
    stats = monitor.stats()
    assert stats["accepted"] + stats["rejected"] + stats["duplicates"] == len(events)
    # acts a rule could not judge for a blank date: the same counts, except where the batch's log has no
    # such column at all (its note is absent_column; a stream has no columns, every such event is blank)
    absent = [n["message"].split("'")[1] for n in batch["notes"] if n["kind"] == "absent_column"]
    assert [n for n in monitor.notes() if n["kind"] == "blank_date" and n["message"].split("'")[1] not in absent] == [
        n for n in batch["notes"] if n["kind"] == "blank_date"]
    return found, monitor


@pytest.mark.parametrize("jurisdiction", JURISDICTIONS)
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1), n_cases=st.integers(1, 60))
def test_monitor_agrees_with_batch(profiles, jurisdiction, seed, n_cases):
    # one seed drives the whole log: hypothesis reports it, and shrinks the number of cases
    profile = profiles[jurisdiction]
    events, as_of = random_log(profile, random.Random(seed), n_cases)
    if events:
        _compare(profile, events, as_of)


@pytest.mark.parametrize("jurisdiction", JURISDICTIONS)
def test_monitor_agrees_on_a_large_log(profiles, jurisdiction):
    """One bigger fixed log per jurisdiction, so every rule kind it has is exercised."""
    profile = profiles[jurisdiction]
    events, as_of = random_log(profile, random.Random(2024), 150, whole=True)  # no cut: every case in
    found, _ = _compare(profile, events, as_of)
    assert {v["kind"] for v in found} >= {"late", "overdue", "prohibited"}


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), n_cases=st.integers(1, 60))
def test_monitor_agrees_with_batch_when_a_deadline_has_further_answering_events(seed, n_cases):
    profile = gp.load_jurisdiction(ANSWERS)
    events, as_of = random_log(profile, random.Random(seed), n_cases)
    if events:
        _compare(profile, events, as_of)


def test_the_generated_log_answers_a_request_by_a_rejection_at_initial_review():
    """The fixed larger log exercises also_fulfilled_by: some 18.2 request is answered by share.compliance_reviewed
    (outcome reject), so the comparison above is not only of fulfil events."""
    profile = gp.load_jurisdiction(ANSWERS)
    events, as_of = random_log(profile, random.Random(2024), 150, whole=True)
    _compare(profile, events, as_of)
    obligations = profile.evaluate([dict(e) for e in events], as_of=as_of).obligations
    answered = obligations[obligations["rule_id"].eq("yz-18.2-conditional-reply") & obligations["fulfilled_at"].notna()]
    pairs = {(events[int(rows[0]) - 1]["event"], events[int(rows[1]) - 1]["event"])  # rows count from 1
             for rows in answered["evidence_rows"]}
    assert ("share.requested", "share.compliance_reviewed") in pairs
