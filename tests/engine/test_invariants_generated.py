"""Property tests of the batch evaluator over the synthetic generator's logs (hypothesis drives the
seed), with what ``test_invariants`` does not draw: several events of a case at one instant, exact
duplicate rows, rows outside the calendar's span, a later ``as_of``, a deadline's last minute,
and several processes (``--workers``).

A property audit proposed these: each guards an invariant a deliberate mistake in the engine left
unnoticed by every other test (dropping a calendar-rejected row from the counts, subtracting
duplicates from ``accepted``, a worker's rejected rows lost).
"""

from __future__ import annotations

import json
import random
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import govdata_policy as gp
from govdata_policy.engine import parallel
from govdata_policy.io import load_events
from govdata_policy.io.times import parse_time
from govdata_policy.monitor.synthetic import LogGenerator
from govdata_policy.profile import Profile
from govdata_policy.result import Result
from govdata_policy.timeutil import NS_PER_DAY, iso

JURISDICTIONS = ("guangxi", "yongzhou", "xinjiang", "xinzhou")
PROFILES = {name: gp.load_jurisdiction(name) for name in JURISDICTIONS}
AS_OF = "2026-12-31"
FEW = settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
seeds = st.integers(0, 2**32 - 1)
# outside every calendar's span (2004..2035): the rows are refused, not dropped
OFF_CALENDAR = ("2003-12-31 10:00:00", "2036-01-02 10:00:00")


def _key(row: dict[str, Any]) -> str:
    return json.dumps(row, sort_keys=True, ensure_ascii=False, default=str)


def tied_log(profile: Profile, rng: random.Random, n_cases: int) -> list[dict[str, Any]]:
    """The generator's log with about a third of a case's events moved to the instant of the case's
    event before, then up to four exact copies of random rows; every row has every column."""
    rows = [dict(event) for _, event in LogGenerator(profile, rng).log(n_cases)]
    last_time: dict[str, Any] = {}
    for row in rows:
        case = str(row.get("case_id"))
        if case in last_time and rng.random() < 0.35:
            row["time"] = last_time[case]
        last_time[case] = row["time"]
    rows += [dict(rng.choice(rows)) for _ in range(rng.randint(0, 4))]
    columns = sorted({column for row in rows for column in row})
    return [{column: row.get(column) for column in columns} for row in rows]


def drawn(name: str, seed: int, n_cases: int) -> tuple[Profile, random.Random, list[dict[str, Any]]]:
    """The profile, the generator hypothesis seeded, and its tied log of ``n_cases`` cases."""
    profile = PROFILES[name]
    rng = random.Random(seed)
    return profile, rng, tied_log(profile, rng, n_cases)


def _copy(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [dict(row) for row in rows]


def _content_by_row(rows: list[dict[str, Any]]) -> dict[int, str]:
    """Row number -> the row as validation reads it (so '是' and True are one value)."""
    frame, _, _ = load_events(_copy(rows))
    columns = sorted(c for c in frame.columns if c != "row")
    return {int(record["row"]): _key({c: (None if pd.isna(record[c]) else record[c]) for c in columns})
            for record in frame.to_dict("records")}


def _findings(result: Result, rows: list[dict[str, Any]]) -> list[tuple]:
    """Each finding's fields with its evidence as row contents: row numbers move with a shuffle."""
    content = _content_by_row(rows)
    found = []
    for violation in result.to_dict()["violations"]:
        fields = tuple((k, str(v)) for k, v in sorted(violation.items()) if k not in ("evidence_rows", "note"))
        found.append((fields, tuple(sorted(content[r] for r in violation["evidence_rows"]))))
    return sorted(found)


@pytest.mark.parametrize("name", JURISDICTIONS)
@FEW
@given(seed=seeds, n_cases=st.integers(1, 25))
def test_shuffling_rows_with_ties_and_duplicates_never_changes_findings(name: str, seed: int, n_cases: int) -> None:
    profile, rng, rows = drawn(name, seed, n_cases)
    shuffled = rng.sample(rows, len(rows))
    before = profile.evaluate(_copy(rows), as_of=AS_OF)
    after = profile.evaluate(_copy(shuffled), as_of=AS_OF)
    assert before.rows == after.rows
    assert _findings(before, rows) == _findings(after, shuffled)
    assert sorted((_key(rows[r["row"] - 1]), r["reason"]) for r in before.rejected_rows) == sorted(
        (_key(shuffled[r["row"] - 1]), r["reason"]) for r in after.rejected_rows)
    # of exact duplicates the first row stands for all: evidence names the lowest row number
    content = _content_by_row(rows)
    first: dict[str, int] = {}
    for row_number in sorted(content):
        first.setdefault(content[row_number], row_number)
    for violation in before.to_dict()["violations"]:
        assert all(first[content[r]] == r for r in violation["evidence_rows"])


@pytest.mark.parametrize("name", JURISDICTIONS)
@FEW
@given(seed=seeds, n_cases=st.integers(1, 20), off=st.lists(st.sampled_from(OFF_CALENDAR), max_size=4))
def test_every_row_counted_with_duplicates_and_rows_off_the_calendar(
    name: str, seed: int, n_cases: int, off: list[str]
) -> None:
    profile, rng, rows = drawn(name, seed, n_cases)
    for when in off:
        rows.insert(rng.randint(0, len(rows)), {**rng.choice(rows), "time": when})
    result = profile.evaluate(_copy(rows), as_of=AS_OF)
    _, refused_on_reading, read = load_events(_copy(rows))
    off_rows = {i for i, row in enumerate(rows, 1) if row["time"] in OFF_CALENDAR}
    assert result.rows["read"] == read == len(rows)
    assert result.rows["accepted"] + result.rows["rejected"] == len(rows)
    assert result.rows["rejected"] == len(result.rejected_rows)
    # refused: what reading refused, and each row the calendar cannot count from, nothing else
    assert {r["row"] for r in result.rejected_rows} == {r["row"] for r in refused_on_reading} | off_rows


def _finding_key(violation: dict[str, Any]) -> tuple:
    return (violation["rule_id"], violation["case_id"], tuple(violation["evidence_rows"]), violation["kind"],
            violation["due"])


@pytest.mark.parametrize("name", JURISDICTIONS)
@FEW
@given(seed=seeds, n_cases=st.integers(1, 25), later_days=st.integers(0, 400))
def test_a_later_as_of_never_takes_a_finding_back(name: str, seed: int, n_cases: int, later_days: int) -> None:
    """Time only adds to a log's findings: a deadline missed stays missed, and later by as many
    working days or more."""
    profile = PROFILES[name]
    rng = random.Random(seed)
    log = LogGenerator(profile, rng).log(n_cases)
    as_of_ns = rng.choice(log)[0] + rng.randint(0, 60) * NS_PER_DAY
    rows = [event for t, event in log if t <= as_of_ns]
    earlier = profile.evaluate(_copy(rows), as_of=iso(as_of_ns)).to_dict()["violations"]
    later = profile.evaluate(_copy(rows), as_of=iso(as_of_ns + later_days * NS_PER_DAY)).to_dict()["violations"]
    later_by_key = {_finding_key(v): v for v in later}
    for violation in earlier:
        assert _finding_key(violation) in later_by_key, violation
        if violation["working_days_late"] is not None:
            assert later_by_key[_finding_key(violation)]["working_days_late"] >= violation["working_days_late"]


def _local(moment: pd.Timestamp) -> str:
    return moment.tz_convert("Asia/Shanghai").strftime("%Y-%m-%dT%H:%M:%S+08:00")


def _status(profile: Profile, rows: list[dict[str, Any]], as_of: str, rule_id: str, trigger_row: int) -> set[str]:
    obligations = profile.evaluate(_copy(rows), as_of=as_of).obligations
    same = (obligations["rule_id"] == rule_id) & (obligations["evidence_rows"].str[0] == trigger_row)
    return set(obligations.loc[same, "status"])


@pytest.mark.parametrize("name", JURISDICTIONS)
@settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck))
@given(seed=seeds, n_cases=st.integers(5, 30))
def test_a_deadline_holds_to_its_last_minute(name: str, seed: int, n_cases: int) -> None:
    """An overdue duty is pending when as_of is its due moment and overdue a minute after; a duty
    done a minute before its due moment is met, a minute after it late."""
    profile = PROFILES[name]
    rng = random.Random(seed)
    rows = [dict(event) for _, event in LogGenerator(profile, rng, invalid_rate=0, duplicate_rate=0).log(n_cases)]
    owed = profile.evaluate(_copy(rows), as_of=AS_OF).obligations
    owed = owed[owed["due"].notna()]
    for record in owed.sample(frac=1, random_state=seed % 1000).head(2).to_dict("records"):
        due: pd.Timestamp = record["due"]
        rule_id, trigger = record["rule_id"], record["evidence_rows"][0]
        trigger_ns = parse_time(rows[trigger - 1]["time"])
        minute = pd.Timedelta(minutes=1)
        if (due - minute).value <= trigger_ns:
            continue  # a due moment set before (or at) the trigger, as a rectify_by may be: no minute before it
        if record["status"] == "overdue":
            cut = [row for row in rows if parse_time(row["time"]) <= due.value]
            # rows after the cut are gone, so the trigger's row number is its place in the cut
            trigger_in_cut = next(i for i, row in enumerate(cut, 1) if row is rows[trigger - 1])
            assert _status(profile, cut, _local(due), rule_id, trigger_in_cut) == {"pending"}, record
            assert _status(profile, cut, _local(due + minute), rule_id, trigger_in_cut) == {"overdue"}, record
        elif record["status"] in ("met", "late") and len(record["evidence_rows"]) == 2:
            done = record["evidence_rows"][1]
            moved = _copy(rows)
            moved[done - 1]["time"] = _local(due - minute)
            assert _status(profile, moved, AS_OF, rule_id, trigger) == {"met"}, record
            # a later copy of the fulfilling event inside the period would meet the duty itself
            case, event = rows[trigger - 1]["case_id"], rows[done - 1]["event"]
            in_period = [i for i, row in enumerate(rows, 1) if i not in (trigger, done) and row["case_id"] == case
                         and row["event"] == event and trigger_ns <= parse_time(row["time"]) <= (due + minute).value]
            if not in_period:
                moved[done - 1]["time"] = _local(due + minute)
                assert _status(profile, moved, AS_OF, rule_id, trigger) == {"late"}, record


@pytest.mark.parametrize("name", JURISDICTIONS)
@FEW
@given(seed=seeds, n_cases=st.integers(1, 25))
def test_the_order_of_columns_never_changes_findings(name: str, seed: int, n_cases: int) -> None:
    profile, rng, rows = drawn(name, seed, n_cases)
    columns = rng.sample(list(rows[0]), len(rows[0]))
    reordered = [{column: row[column] for column in columns} for row in rows]
    assert (profile.evaluate(_copy(rows), as_of=AS_OF).to_dict()["violations"]
            == profile.evaluate(reordered, as_of=AS_OF).to_dict()["violations"])


@pytest.mark.skipif(not parallel.can_fork(), reason="--workers forks (Linux only)")
@pytest.mark.parametrize("name", JURISDICTIONS)
@settings(max_examples=4, deadline=None, suppress_health_check=list(HealthCheck))
@given(seed=seeds, n_cases=st.integers(1, 30), workers=st.integers(2, 3))
def test_workers_find_and_refuse_what_one_process_does(name: str, seed: int, n_cases: int, workers: int) -> None:
    profile, rng, rows = drawn(name, seed, n_cases)
    for when in OFF_CALENDAR:
        rows.insert(rng.randint(0, len(rows)), {**rng.choice(rows), "time": when})
    smallest = parallel.MIN_ROWS
    parallel.MIN_ROWS = 0  # these logs are small; a monkeypatch fixture does not reset between examples
    try:
        one = profile.evaluate(_copy(rows), as_of=AS_OF)
        many = profile.evaluate(_copy(rows), as_of=AS_OF, workers=workers)
    finally:
        parallel.MIN_ROWS = smallest
    assert many.rows == one.rows
    assert many.to_dict()["violations"] == one.to_dict()["violations"]
    assert many.rejected_rows == one.rejected_rows

