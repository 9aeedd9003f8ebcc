"""A rule's ``party:`` (docs/rules-format.md, parties): the monitor names the party the batch names.

Guangxi's 29（二）（四） and 30（一）（三） give their duties to 自治区大数据发展局 by name (``party:
region_authority``, a fixed body), while the ``authority`` column names the 本级大数据主管部门 that
21（二） and 27（二） make answer. A city request's log naming its city bureau, in the column or as an
actor acting as authority, leaves the region's reviews the region's, in the batch and the monitor alike;
a variant whose entry reads a column keeps the role's lookup (column, actor, fixed name) in both.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from monitor_helpers import KEY_FIELDS, multiset, run_monitor

import govdata_policy as gp

CITY = "柳州市大数据发展局"
REGION = "自治区大数据发展局"
AS_OF = "2024-06-30"


def _request(case: str, **more: Any) -> dict[str, Any]:
    return {"case_id": case, "event": "share.requested", "time": "2024-05-06 10:00", "requester": "柳州市人社局",
            "provider": "自治区人社厅", "requester_level": "city", "provider_level": "region", **more}


LOG = [
    # the auditor's log: the city bureau named on the request; reviewed late, never final-reviewed
    _request("S30", authority=CITY),
    {"case_id": "S30", "event": "share.compliance_reviewed", "time": "2024-05-10 10:00", "outcome": "pass"},
    {"case_id": "S30", "event": "share.provider_reviewed", "time": "2024-05-13 10:00", "outcome": "approved"},
    # no column: the city bureau shows itself only as the actor of the late review and the late final review
    _request("S30-A"),
    {"case_id": "S30-A", "event": "share.compliance_reviewed", "time": "2024-05-10 10:00", "outcome": "pass",
     "actor": CITY, "actor_role": "authority"},
    {"case_id": "S30-A", "event": "share.provider_reviewed", "time": "2024-05-13 10:00", "outcome": "approved"},
    {"case_id": "S30-A", "event": "share.final_reviewed", "time": "2024-05-20 10:00", "actor": CITY,
     "actor_role": "authority"},
    # the 本级 duty of the same log: the city bureau the column names answers
    {"case_id": "RES", "event": "resource.offline_requested", "time": "2024-05-06 10:00",
     "provider": "柳州市市场监管局", "authority": CITY, "planned_offline_at": "2024-09-30"},
    {"case_id": "RES", "event": "resource.offline_replied", "time": "2024-05-13 10:00", "outcome": "approved"},
]
REVIEWS = {"gx-30.1-initial-review", "gx-30.3-final-review"}


@pytest.fixture(scope="module")
def read_from_column(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """Guangxi with the region bureau's entry reading the ``authority`` column, as a role's entry does."""
    file = Path(tmp_path_factory.mktemp("party")) / "gx-column.yaml"
    file.write_text(f"name: gx-column\nextends: guangxi\nparties:\n  region_authority: {{attribute: authority, "
                    f"name_zh: {REGION}}}\n", encoding="utf-8")
    return gp.load_jurisdiction(file)


def _parties(violations: list[dict[str, Any]]) -> dict[tuple[str, str], Any]:
    return {(v["case_id"], v["rule_id"]): v["responsible_party"] for v in violations
            if v["rule_id"] in {*REVIEWS, "gx-27.2-resource-offline-reply"}}


def _both(profile: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    batch = profile.evaluate(LOG, as_of=AS_OF).to_dict()["violations"]
    streamed, _ = run_monitor(profile, sorted(LOG, key=lambda event: event["time"]), AS_OF)  # in time order
    assert multiset(streamed, KEY_FIELDS) == multiset(batch, KEY_FIELDS)
    return batch, streamed


def test_the_region_bureau_answers_for_its_reviews_in_batch_and_monitor() -> None:
    batch, streamed = _both(gp.load_jurisdiction("guangxi"))
    expected = {
        ("S30", "gx-30.1-initial-review"): REGION, ("S30", "gx-30.3-final-review"): REGION,
        ("S30-A", "gx-30.1-initial-review"): REGION, ("S30-A", "gx-30.3-final-review"): REGION,
        ("RES", "gx-27.2-resource-offline-reply"): CITY,
    }
    assert _parties(batch) == expected
    assert _parties(streamed) == expected


def test_an_entry_reading_a_column_keeps_the_roles_lookup_in_batch_and_monitor(read_from_column: Any) -> None:
    batch, streamed = _both(read_from_column)
    expected = {
        ("S30", "gx-30.1-initial-review"): CITY, ("S30", "gx-30.3-final-review"): CITY,  # the column
        ("S30-A", "gx-30.1-initial-review"): CITY, ("S30-A", "gx-30.3-final-review"): CITY,  # the late actor
        ("RES", "gx-27.2-resource-offline-reply"): CITY,
    }
    assert _parties(batch) == expected
    assert _parties(streamed) == expected
