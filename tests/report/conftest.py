"""Fixtures for the report tests: a small Yongzhou log with every kind of finding, checked once."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

import govdata_policy as gp

AS_OF = "2024-06-30"
COLUMNS = (
    "case_id",
    "event",
    "time",
    "category",
    "requester",
    "provider",
    "outcome",
    "extra_working_days",
    "actor",
    "actor_role",
    "share_category",
    "reason",
    "legal_basis",
)

# Yongzhou, national calendar: 2024 劳动节 05-01..05-05 off, make-up Sun 04-28 and Sat 05-11; 端午 06-10.
EVENTS: list[dict[str, str]] = [
    # 18.2 conditional request: due 2024-05-13, answered 05-14 -> late by 1
    {
        "case_id": "S182-1",
        "event": "share.requested",
        "time": "2024-04-26 09:00",
        "category": "conditional",
        "requester": "市人力资源和社会保障局",
        "provider": "市民政局",
    },
    {
        "case_id": "S182-1",
        "event": "share.provider_reviewed",
        "time": "2024-05-14 10:00",
        "outcome": "approved",
    },
    # answered on the due day -> met
    {
        "case_id": "S182-2",
        "event": "share.requested",
        "time": "2024-04-26 09:00",
        "category": "conditional",
        "requester": "市税务局",
        "provider": "市民政局",
    },
    {
        "case_id": "S182-2",
        "event": "share.provider_reviewed",
        "time": "2024-05-13 17:00",
        "outcome": "approved",
    },
    # never answered -> overdue at as_of
    {
        "case_id": "S182-3",
        "event": "share.requested",
        "time": "2024-05-06 09:00",
        "category": "conditional",
        "requester": "市税务局",
        "provider": "市公安局",
    },
    # requested near as_of -> pending
    {
        "case_id": "S182-4",
        "event": "share.requested",
        "time": "2024-06-27 09:00",
        "category": "conditional",
        "requester": "市教育局",
        "provider": "市公安局",
    },
    # 21: objection with a 10-wd extension: due 06-25, resolved 06-26 -> late by 1
    {
        "case_id": "Q21-3",
        "event": "quality.objection_raised",
        "time": "2024-06-03 09:00",
        "requester": "市税务局",
        "provider": "市民政局",
    },
    {
        "case_id": "Q21-3",
        "event": "quality.extension_approved",
        "time": "2024-06-05 15:00",
        "extra_working_days": "10",
    },
    {"case_id": "Q21-3", "event": "quality.objection_resolved", "time": "2024-06-26 17:30"},
    # 19: a prohibited act
    {
        "case_id": "U19-1",
        "event": "conduct.third_party_transfer",
        "time": "2024-06-03 09:00",
        "requester": "市卫健委",
        "actor": "市卫健委",
        "actor_role": "requester",
    },
    # 17: a conditional catalog entry without conditions -> invalid
    {
        "case_id": "C17-1",
        "event": "catalog.published",
        "time": "2024-03-04 10:00",
        "provider": "市自然资源和规划局",
        "share_category": "conditional",
        "reason": "涉及不动产登记信息",
        "legal_basis": "不动产登记暂行条例",
    },
    # a case id and a party made to break naive HTML
    {
        "case_id": "X</script><b>&\"'",
        "event": "conduct.third_party_transfer",
        "time": "2024-06-04 09:00",
        "requester": "<img src=x onerror=alert(1)>",
        "actor_role": "requester",
    },
    # two rows that cannot be read
    {"case_id": "BAD-1", "event": "share.unknown", "time": "2024-06-03 09:00"},
    {"case_id": "BAD-2", "event": "share.requested", "time": "2024-13-01 09:00"},
]


def write_log(path: Path, events: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(COLUMNS))
        writer.writeheader()
        for event in events:
            writer.writerow({c: event.get(c, "") for c in COLUMNS})
    return path


@pytest.fixture(scope="session")
def log_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_log(tmp_path_factory.mktemp("logs") / "yongzhou.csv", EVENTS)


@pytest.fixture(scope="session")
def result(log_path: Path) -> Any:
    return gp.load_jurisdiction("yongzhou").evaluate(log_path, as_of=AS_OF)


@pytest.fixture(scope="session")
def expected(result: Any) -> dict[str, Any]:
    """The JSON result every report is compared with."""
    import json

    return json.loads(result.to_json())
