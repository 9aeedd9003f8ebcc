"""Calendar notes cover every day a result was counted on: an overdue finding counts its working
days late up to as_of, so a year it runs into that is not settled is noted (issue 2: "any result
that depends on a year that is not published ... comes with a note")."""

from __future__ import annotations

from typing import Any

import pytest

import govdata_policy as gp
from govdata_policy.distributed import evaluate_dask

# Yongzhou 18.2: a conditional request, 10 working days for the authority and provider to answer
REQUEST = {"case_id": "A", "event": "share.requested", "time": "2026-03-02 10:00", "category": "conditional",
           "provider": "市公安局", "requester": "市民政局"}
# answered on 2026-03-06, inside the 10 working days (due 2026-03-16)
ANSWER = {"case_id": "A", "event": "share.provider_reviewed", "time": "2026-03-06 10:00", "outcome": "approved"}
NOT_PUBLISHED_2027 = "calendar 2027: national schedule not yet published"


def _calendar_notes(result: Any) -> list[str]:
    return [note["message"] for note in result.notes if note["kind"] == "calendar"]


def test_an_overdue_count_into_an_unpublished_year_is_noted() -> None:
    result = gp.load_jurisdiction("yongzhou").evaluate([REQUEST], as_of="2027-06-30")
    [overdue] = result.violations.itertuples()
    assert overdue.kind == "overdue" and overdue.working_days_late > 250  # counted through 2027
    assert any(text.startswith(NOT_PUBLISHED_2027) for text in _calendar_notes(result))


def test_no_count_reaching_as_of_no_note_of_its_year() -> None:
    # the same request answered in time: nothing is counted beyond March 2026 (+60 days)
    result = gp.load_jurisdiction("yongzhou").evaluate([REQUEST, ANSWER], as_of="2027-06-30")
    assert not any(kind == "overdue" for kind in result.violations["kind"])
    assert _calendar_notes(result) == []


def test_xinjiang_regional_days_a_count_ran_over_are_noted() -> None:
    # a 2023 request left unanswered: the days late to 2024-08-01 skip 2024's 肉孜节 and 古尔邦节,
    # whose dates the regional calendar holds at below-high confidence
    request = {"case_id": "A", "event": "share.requested", "time": "2023-09-04 10:00",
               "category": "unconditional", "provider": "P", "requester": "R", "scenario": "s"}
    result = gp.load_jurisdiction("xinjiang").evaluate([request], as_of="2024-08-01")
    assert "overdue" in set(result.violations["kind"])
    assert any(text.startswith("calendar 2024") and "Xinjiang" in text for text in _calendar_notes(result))


@pytest.mark.parametrize("events", [[REQUEST], [REQUEST, ANSWER]])
def test_parts_note_what_one_run_notes(events: list[dict[str, str]]) -> None:
    profile = gp.load_jurisdiction("yongzhou")
    single = profile.evaluate(events, as_of="2027-06-30")
    in_parts = evaluate_dask(profile, events, as_of="2027-06-30", npartitions=2)
    assert in_parts.notes == single.notes
