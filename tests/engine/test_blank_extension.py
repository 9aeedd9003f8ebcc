"""An extension granted without its days (quality.extension_approved with extra_working_days blank, or an
export without that column) counts as no extension: the due date stays the first one, and a resolution
within the days actually granted is reported late. That reading is kept (the log says no number), but it
is said: a ``blank_extension`` note counts such grants rule by rule, an ``absent_column`` note names the
rules when the column is missing, in the batch, on several processes and in the monitor alike."""

from __future__ import annotations

from pathlib import Path

import pytest

import govdata_policy as gp
from govdata_policy.details import NOTE_KINDS_ZH, note_zh
from govdata_policy.engine import parallel

RULE = "yz-21-quality-verification"
# Yongzhou 21: an objection raised Mon 2024-07-15 is verified within 5 working days: due Mon 07-22 (no
# holiday in the week). An extension approved on 07-17 (before that day) adds its working days; its days
# blank, it adds none, so a resolution on Thu 07-25 is 3 working days late.
RAISED = {"case_id": "Q1", "event": "quality.objection_raised", "time": "2024-07-15 09:00",
          "requester": "市公安局", "provider": "市卫生健康委员会"}
GRANTED = {**RAISED, "event": "quality.extension_approved", "time": "2024-07-17 09:00"}
RESOLVED = {**RAISED, "event": "quality.objection_resolved", "time": "2024-07-25 09:00"}
BLANK_ONE = (f"1 extension(s) of {RULE} have no 'extra_working_days': counted as 0 working days "
             "(due dates may be later than shown)")
ABSENT = (f"the log has no column 'extra_working_days': 1 rule(s) counted each extension granted as 0 working "
          f"days ({RULE})")


def _late(result: gp.Result) -> list[tuple[str, str]]:
    found = result.violations
    return [(c, str(d.date())) for c, d, r in zip(found["case_id"], found["due"], found["rule_id"], strict=True)
            if r == RULE]


def _kinds(notes: list[dict[str, str]], kind: str) -> list[str]:
    return [n["message"] for n in notes if n["kind"] == kind]


def test_a_grant_with_its_days_blank_is_counted_as_none_and_said() -> None:
    profile = gp.load_jurisdiction("yongzhou")
    result = profile.evaluate([RAISED, {**GRANTED, "extra_working_days": ""}, RESOLVED], as_of="2024-12-31")
    assert _late(result) == [("Q1", "2024-07-22")]  # the first due day: no days were granted
    assert _kinds(result.notes, "blank_extension") == [BLANK_ONE]
    assert _kinds(result.notes, "absent_column") == []


def test_a_log_without_the_days_column_names_the_rule() -> None:
    result = gp.load_jurisdiction("yongzhou").evaluate([RAISED, GRANTED, RESOLVED], as_of="2024-12-31")
    assert _late(result) == [("Q1", "2024-07-22")]
    assert _kinds(result.notes, "absent_column") == [ABSENT]
    assert _kinds(result.notes, "blank_extension") == []  # the column's own note says it once


def test_a_grant_with_its_days_is_no_note() -> None:
    # 3 days granted on 07-17: due 07-22 + 3 working days = Thu 07-25, the resolution is on time
    result = gp.load_jurisdiction("yongzhou").evaluate(
        [RAISED, {**GRANTED, "extra_working_days": 3}, RESOLVED], as_of="2024-12-31")
    assert _late(result) == []
    assert _kinds(result.notes, "blank_extension") == [] and _kinds(result.notes, "absent_column") == []


def test_every_blank_grant_is_counted_in_the_monitor_as_in_the_batch() -> None:
    # three cases: Q1 blank, Q2 without the field, Q3 with its days; and a blank grant in Q4 with no objection
    # (counted too: the note is about the log's grants, whatever obligation they meet)
    events = []
    for case, extra in (("Q1", ""), ("Q2", None), ("Q3", 2), ("Q4", "")):
        granted = {**GRANTED, "case_id": case} | ({} if extra is None else {"extra_working_days": extra})
        events += ([] if case == "Q4" else [{**RAISED, "case_id": case}]) + [granted]
    profile = gp.load_jurisdiction("yongzhou")
    three = BLANK_ONE.replace("1 extension(s)", "3 extension(s)")
    assert _kinds(profile.evaluate(events, as_of="2024-12-31").notes, "blank_extension") == [three]
    monitor = profile.monitor()
    for event in events:
        monitor.push(event)
    assert _kinds(monitor.notes(), "blank_extension") == [three]
    restored = gp.monitor.Monitor.restore(profile, monitor.snapshot())  # the count survives a snapshot
    restored.push({**GRANTED, "case_id": "Q5"})
    assert _kinds(restored.notes(), "blank_extension") == [three.replace("3 extension(s)", "4 extension(s)")]


def test_counted_across_processes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "MIN_ROWS", 0)  # a small log on two processes all the same
    rows = ["case_id,event,time,extra_working_days"]
    for i in range(60):
        rows += [f"Q{i:03},quality.objection_raised,2024-07-15 09:00,",
                 f"Q{i:03},quality.extension_approved,2024-07-17 09:00,{'' if i % 3 else 2}"]
    path = tmp_path / "quality.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    profile = gp.load_jurisdiction("yongzhou")
    one = profile.evaluate(path, as_of="2024-12-31")
    assert _kinds(one.notes, "blank_extension") == [BLANK_ONE.replace("1 extension(s)", "40 extension(s)")]
    many = profile.evaluate(path, as_of="2024-12-31", workers=2)
    assert many.events is None  # (checked on two processes: such a result keeps no events)
    assert many.notes == one.notes


def test_both_notes_are_said_in_chinese() -> None:
    assert NOTE_KINDS_ZH["blank_extension"] == "延期天数为空"
    assert note_zh(BLANK_ONE) == f"规则{RULE}的1次延期“extra_working_days”为空：按0个工作日计算（实际期限可能更晚）"
    assert note_zh(ABSENT) == f"日志中没有“extra_working_days”列：1条规则将每次批准的延期按0个工作日计算（{RULE}）"
