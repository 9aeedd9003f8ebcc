"""Property tests for the batch evaluator's invariants (hypothesis).

- rows read = accepted + rejected, whatever bad rows are mixed in;
- shuffling the rows never changes the findings;
- adding events of an unrelated case never changes another case's findings.
"""

from __future__ import annotations

import datetime as dt
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import govdata_policy as gp
from govdata_policy.vocabulary import allowed_values

JURISDICTIONS = ("guangxi", "yongzhou", "xinjiang", "xinzhou")
# the fields that identify a finding; evidence_rows are row numbers and move with a shuffle
FINDING_KEYS = ("rule_id", "case_id", "clause", "kind", "due", "occurred_at", "working_days_late",
                "responsible_party", "penalty_clause", "consequence", "message_en")
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _events_of(profile) -> list[str]:
    names: set[str] = set()
    for rule in profile.rules:
        for part in ("trigger", "fulfil", "act", "requires", "since"):
            match = getattr(rule, part, None)
            if match is not None and match.event != "*":
                names.add(match.event)
    return sorted(names)


def _values_of(profile) -> dict[str, list]:
    """Attribute values the rules test, so random logs hit their conditions."""
    values: dict[str, set] = {}
    for rule in profile.rules:
        for part in ("trigger", "fulfil", "act", "requires", "since"):
            match = getattr(rule, part, None)
            if match is None:
                continue
            for conditions in (match.when, match.case_when):
                for attribute, condition in conditions.items():
                    values.setdefault(attribute, set()).update(
                        v for v in condition.values() if not isinstance(v, bool))
    return {k: sorted(v, key=str) for k, v in values.items()}


BOOLEAN = ("emergency", "cross_level", "dedicated", "mounted", "replaced", "classified", "good_faith")


@st.composite
def logs(draw, profile, cases: int = 4):
    events = _events_of(profile)
    values = _values_of(profile)
    rows = []
    for case in range(draw(st.integers(1, cases))):
        t = dt.datetime(2023, 3, 1, 9) + dt.timedelta(days=draw(st.integers(0, 600)))
        for _ in range(draw(st.integers(1, 6))):
            t += dt.timedelta(hours=draw(st.integers(1, 24 * 25)))
            row = {"case_id": f"C{case}", "event": draw(st.sampled_from(events)),
                   "time": t.strftime("%Y-%m-%d %H:%M:%S"), "provider": f"P{case % 2}"}
            for attribute, options in values.items():
                allowed = allowed_values(attribute, row["event"])
                options = [o for o in options if allowed is None or o in allowed]
                if options and draw(st.booleans()):
                    row[attribute] = draw(st.sampled_from(options))
            for attribute in BOOLEAN:
                if draw(st.integers(0, 3)) == 0:
                    row[attribute] = draw(st.sampled_from(["true", "false"]))
            rows.append(row)
    return rows


def _findings(result) -> list[tuple]:
    records = result.to_dict()["violations"]
    return sorted(tuple(str(r.get(k)) for k in FINDING_KEYS) for r in records)


@pytest.mark.parametrize("name", JURISDICTIONS)
def test_shuffling_rows_never_changes_findings(name: str) -> None:
    profile = gp.load_jurisdiction(name)

    @SETTINGS
    @given(logs(profile), st.randoms(use_true_random=False))
    def check(rows, rnd: random.Random) -> None:
        before = profile.evaluate(rows, as_of="2026-06-30")
        shuffled = list(rows)
        rnd.shuffle(shuffled)
        after = profile.evaluate(shuffled, as_of="2026-06-30")
        assert _findings(before) == _findings(after)
        assert len(before.obligations) == len(after.obligations)

    check()


@pytest.mark.parametrize("name", JURISDICTIONS)
def test_unrelated_case_never_changes_findings(name: str) -> None:
    profile = gp.load_jurisdiction(name)

    @SETTINGS
    @given(logs(profile, cases=2), logs(profile, cases=2))
    def check(rows, other) -> None:
        unrelated = [{**row, "case_id": "X-" + row["case_id"]} for row in other]
        alone = profile.evaluate(rows, as_of="2026-06-30")
        together = profile.evaluate(rows + unrelated, as_of="2026-06-30")
        mine = [f for f in _findings(together) if not f[1].startswith("X-")]
        assert _findings(alone) == mine

    check()


BAD_ROWS = [
    {"case_id": "", "event": "share.requested", "time": "2024-05-06 09:00"},
    {"case_id": "B1", "event": "share.teleported", "time": "2024-05-06 09:00"},
    {"case_id": "B2", "event": "share.requested", "time": "not a time"},
    {"case_id": "B3", "event": "share.requested", "time": "2024-05-06 09:00", "emergency": "perhaps"},
    {"case_id": "B4", "event": "share.requested", "time": "2024-05-06 09:00", "category": "sometimes"},
    {"case_id": "B5", "event": "quality.extension_approved", "time": "2024-05-06 09:00",
     "extra_working_days": "ten"},
]


@SETTINGS
@given(logs(gp.load_jurisdiction("yongzhou")), st.lists(st.sampled_from(range(len(BAD_ROWS))), max_size=8),
       st.randoms(use_true_random=False))
def test_rows_read_equal_accepted_plus_rejected(rows, bad_indices, rnd: random.Random) -> None:
    profile = gp.load_jurisdiction("yongzhou")
    mixed = [dict(r) for r in rows] + [dict(BAD_ROWS[i]) for i in bad_indices]
    rnd.shuffle(mixed)
    result = profile.evaluate(mixed, as_of="2026-06-30")
    assert result.rows["read"] == len(mixed)
    assert result.rows["accepted"] + result.rows["rejected"] == result.rows["read"]
    assert result.rows["rejected"] == len(bad_indices)
    rejected_numbers = {r["row"] for r in result.rejected_rows}
    expected = {i + 1 for i, row in enumerate(mixed) if row in [BAD_ROWS[j] for j in bad_indices]}
    assert rejected_numbers == expected
    assert all(r["reason"] for r in result.rejected_rows)
