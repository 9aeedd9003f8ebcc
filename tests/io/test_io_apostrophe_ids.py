"""An id written with a leading apostrophe ('00123), as exporters keep Excel from making it a number,
is the id itself in case_id and subject_id, batch and monitor alike (io/apostrophe.py)."""

from __future__ import annotations

from pathlib import Path

import govdata_policy as gp
from govdata_policy.io import load_events
from govdata_policy.monitor.scalar_validate import EventParser


def test_an_apostrophe_before_an_ids_digits_is_not_part_of_it(tmp_path: Path) -> None:
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text("case_id,event,time,subject_id,reason\n"
                     "'00123,share.requested,2024-05-06 09:00,'11010119900307123X,'00123\n"
                     "'A-12,share.requested,2024-05-06 09:00,'A-1,\n", encoding="gbk")
    second.write_text("case_id,event,time\n00123,share.provider_reviewed,2024-05-07 09:00\n", encoding="gbk")
    events, rejected, rows = load_events([first, second])
    assert rows == 3 and rejected == []
    assert events["case_id"].tolist() == ["00123", "'A-12", "00123"]  # one case; other text as written
    assert events["subject_id"].tolist()[:2] == ["11010119900307123X", "'A-1"]
    assert events["reason"].tolist()[0] == "'00123"  # free text keeps its quote
    parser = EventParser()
    parsed = [parser.parse(event) for event in (
        {"case_id": "'00123", "event": "share.requested", "time": "2024-05-06 09:00",
         "subject_id": "'11010119900307123X", "reason": "'00123"},
        {"case_id": " '00123 ", "event": "share.requested", "time": "2024-05-06 09:00", "subject_id": "'A-1"})]
    assert [(p[0], p[4]) for p in parsed if not isinstance(p, str)] == [
        ("00123", {"subject_id": "11010119900307123X", "reason": "'00123"}), ("00123", {"subject_id": "'A-1"})]


def test_a_quoted_id_number_meets_the_identifier_rule_as_itself() -> None:
    """Xinjiang's xj-13 found '650102198805120022 an invalid identifier: the apostrophe failed the format."""
    events = [{"case_id": "S1", "event": "share.requested", "time": "2024-05-06 09:00",
               "subject_id": "'650102198805120022"}]
    profile = gp.load_jurisdiction("xinjiang")
    result = profile.evaluate(events, as_of="2024-06-30")
    monitor = profile.monitor()
    found = monitor.push(events[0])
    assert not [v for v in result.to_dict()["violations"] if v["rule_id"] == "xj-13-subject-id-format"]
    assert not [f for f in found if f["rule_id"] == "xj-13-subject-id-format"]
