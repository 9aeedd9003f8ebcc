"""Property: rows read = accepted + rejected, and exactly the bad rows are rejected."""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govdata_policy.io import load_events
from govdata_policy.vocabulary import EVENTS

COLUMNS = ("case_id", "event", "time", "category", "emergency", "extra_working_days", "note")
TIMES = st.sampled_from([
    "2024-05-06 09:00:00", "2024-05-06T09:00:00+08:00", "2024-05-06T01:00:00Z", "2024-05-06",
    "2024/5/6 9:00", "2024年5月6日 09:00", "20240506", "45418.375",
])
TEXT = st.text(alphabet="abc公安厅 -_", max_size=8)


@st.composite
def good_row(draw: st.DrawFn) -> dict[str, str]:
    event = draw(st.sampled_from(sorted(EVENTS)))
    category = ""
    if event.startswith("share."):
        category = draw(st.sampled_from(["", "unconditional", "conditional", "not_shared"]))
    elif event.startswith("open."):
        category = draw(st.sampled_from(["", "on_request", "conditional", "not_open"]))
    return {
        "case_id": "C" + draw(st.text(alphabet="0123456789", min_size=1, max_size=4)),
        "event": event,
        "time": draw(TIMES),
        "category": category,
        "emergency": draw(st.sampled_from(["", "是", "否", "true", "0", "Y"])),
        "extra_working_days": draw(st.sampled_from(["", "0", "5", "+2"])),
        "note": draw(TEXT),
    }


# each spoils one field of a good row; several may be combined
SPOILERS = {
    "case_id": lambda r: {**r, "case_id": ""},
    "event": lambda r: {**r, "event": "share.teleported"},
    "time": lambda r: {**r, "time": "2024-02-30 09:00"},
    "no_time": lambda r: {**r, "time": ""},
    "emergency": lambda r: {**r, "emergency": "perhaps"},
    "days": lambda r: {**r, "extra_working_days": "ten"},
    "negative_days": lambda r: {**r, "extra_working_days": "-2"},  # a count of days: no fewer than 0
    "category": lambda r: {**r, "event": "share.requested", "category": "on_request"},
}


@st.composite
def bad_row(draw: st.DrawFn) -> dict[str, str]:
    row = draw(good_row())
    for name in draw(st.lists(st.sampled_from(sorted(SPOILERS)), min_size=1, max_size=3, unique=True)):
        row = SPOILERS[name](row)
    return row


LOGS = st.lists(st.tuples(st.booleans(), st.booleans()).flatmap(
    lambda kind: st.tuples(st.just(kind[0]), bad_row() if kind[0] else good_row())), max_size=30)


def _check(rows: list[tuple[bool, dict[str, str]]], source: object) -> None:
    events, rejected, read = load_events(source)
    assert read == len(rows) == len(events) + len(rejected)
    expected_bad = [i + 1 for i, (is_bad, _) in enumerate(rows) if is_bad]
    assert [r["row"] for r in rejected] == expected_bad
    assert events["row"].tolist() == [i + 1 for i, (is_bad, _) in enumerate(rows) if not is_bad]
    assert all(r["reason"] for r in rejected)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(LOGS)
def test_records_partition(rows: list[tuple[bool, dict[str, str]]]) -> None:
    _check(rows, [r for _, r in rows])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(LOGS, st.sampled_from(["utf-8", "utf-8-sig", "gbk"]))
def test_csv_partition(rows: list[tuple[bool, dict[str, str]]], encoding: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "log.csv"
        with path.open("w", encoding=encoding, newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=COLUMNS)
            writer.writeheader()
            writer.writerows(r for _, r in rows)
        _check(rows, path)
