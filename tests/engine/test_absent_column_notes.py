"""The absent-column note names the rules a missing column silenced, and only those; the blank-date note
counts the events a rule could not judge for a blank date cell."""

from __future__ import annotations

from typing import Any

import govdata_policy as gp

# A Xinjiang conditional request, reviewed and answered late, in an export without `emergency`.
# 21.2 provider reply (emergency not_in [true]) still matches: a missing flag is no emergency.
# 21.2 emergency reply (emergency: true) cannot match: the note names it.
EVENTS = [
    {"case_id": "C1", "event": "share.requested", "time": "2024-04-08 10:00", "category": "conditional",
     "requester": "博州市场监督管理局", "provider": "自治区税务局", "scenario": "信用监管"},
    {"case_id": "C1", "event": "share.compliance_reviewed", "time": "2024-04-09 10:00", "outcome": "pass"},
    {"case_id": "C1", "event": "share.provider_reviewed", "time": "2024-04-30 10:00", "outcome": "approved"},
]


def test_a_rule_a_missing_column_does_not_silence_is_not_named() -> None:
    result = gp.load_jurisdiction("xinjiang").evaluate(EVENTS, as_of="2024-12-31")
    found = set(result.violations["rule_id"])
    assert "xj-21.2-provider-reply" in found  # it matched, and is late
    [note] = [n["message"] for n in result.notes if n["kind"] == "absent_column" and "'emergency'" in n["message"]]
    assert "xj-21.2-emergency-provider-reply" in note
    assert "xj-21.2-provider-reply" not in note
    assert "1 rule(s)" in note


def test_a_rule_counting_from_a_date_the_log_lacks_is_named() -> None:
    # Xinjiang 15: a usage log kept 3 years from its creation; Guangxi 27.1: an offline request
    # 30 working days before the planned date. Without the date column neither can judge its event.
    deleted = {"case_id": "L", "event": "conduct.log_deleted", "time": "2024-05-06 10:00", "actor": "某局"}
    result = gp.load_jurisdiction("xinjiang").evaluate([deleted], as_of="2024-12-31")
    assert len(result.violations) == 0
    assert ("the log has no column 'log_created_at': 1 rule(s) that count from it judged none of their events "
            "(xj-15-log-retention)") in [n["message"] for n in result.notes]
    requested = {"case_id": "R", "event": "resource.offline_requested", "time": "2024-05-06 10:00", "provider": "P"}
    notes = gp.load_jurisdiction("guangxi").evaluate([requested], as_of="2024-12-31").notes
    assert any("'planned_offline_at'" in n["message"] and "gx-27.1-resource-offline-notice" in n["message"]
               for n in notes)


def test_a_date_column_present_or_events_absent_is_no_note() -> None:
    deleted = {"case_id": "L", "event": "conduct.log_deleted", "time": "2024-05-06 10:00", "actor": "某局",
               "log_created_at": "2023-01-02 09:00"}  # deleted after 1 year of 3: prohibited, judged
    result = gp.load_jurisdiction("xinjiang").evaluate([deleted], as_of="2024-12-31")
    assert set(result.violations["rule_id"]) == {"xj-15-log-retention"}
    assert not any(n["kind"] == "absent_column" for n in result.notes)
    other = {"case_id": "S", "event": "share.requested", "time": "2024-05-06 10:00", "category": "unconditional"}
    notes = gp.load_jurisdiction("xinjiang").evaluate([other], as_of="2024-12-31").notes
    assert not any("log_created_at" in n["message"] for n in notes)


# Guangxi 27.1: an offline request at least 30 working days before its planned offline date.
OFFLINE = {"case_id": "R", "event": "resource.offline_requested", "time": "2024-05-06 10:00", "provider": "P"}
NOTICE = "gx-27.1-resource-offline-notice"


def _cases_found(result: Any, rule_id: str) -> list[str]:
    return list(result.violations.loc[result.violations["rule_id"] == rule_id, "case_id"])


def test_events_with_the_date_blank_are_counted_in_a_note() -> None:
    # the column is there (one request carries it) but two requests leave it blank: those two are
    # not judged; R1's 2024-05-20 is 10 working days ahead, short of 30: late, judged
    events = [{**OFFLINE, "case_id": "R1", "planned_offline_at": "2024-05-20"},
              {**OFFLINE, "case_id": "R2"}, {**OFFLINE, "case_id": "R3", "planned_offline_at": ""}]
    result = gp.load_jurisdiction("guangxi").evaluate(events, as_of="2024-12-31")
    assert _cases_found(result, NOTICE) == ["R1"]
    assert {"kind": "blank_date", "message": (
        "2 event(s) of gx-27.1-resource-offline-notice have no 'planned_offline_at', the date it counts from: "
        "not judged")} in result.notes
    assert not any(n["kind"] == "absent_column" for n in result.notes)  # the column is not absent


def test_no_blank_date_note_when_every_event_has_its_date_or_the_column_is_absent() -> None:
    dated = [{**OFFLINE, "planned_offline_at": "2024-09-30"}]  # far enough ahead: judged, met
    result = gp.load_jurisdiction("guangxi").evaluate(dated, as_of="2024-12-31")
    assert _cases_found(result, NOTICE) == []
    assert not any(n["kind"] == "blank_date" for n in result.notes)
    undated = gp.load_jurisdiction("guangxi").evaluate([OFFLINE], as_of="2024-12-31")
    assert [n["kind"] for n in undated.notes if n["kind"] in ("blank_date", "absent_column")] == ["absent_column"]


def test_retention_counts_its_blank_creation_dates_too() -> None:
    deleted = {"case_id": "L", "event": "conduct.log_deleted", "time": "2024-05-06 10:00", "actor": "某局"}
    events = [{**deleted, "log_created_at": "2023-01-02 09:00"}, {**deleted, "case_id": "L2"}]
    result = gp.load_jurisdiction("xinjiang").evaluate(events, as_of="2024-12-31")
    assert _cases_found(result, "xj-15-log-retention") == ["L"]
    assert [n["message"] for n in result.notes if n["kind"] == "blank_date"] == [
        "1 event(s) of xj-15-log-retention have no 'log_created_at', the date it counts from: not judged"]


# A drafter's deadline whose fulfilment tests a column: without that column no answer ever fulfils it, so
# every request would be reported overdue; the note must say why. It tests `category` twice (its trigger
# and its fulfilment), which is still one rule.
ANSWERED_RULE = """\
jurisdiction: yongzhou
document: main
title: 草案比较
rules:
  - id: draft-18.2-approved-reply
    clause: "18.2"
    document: main
    topic: sharing
    kind: deadline
    title_zh: 有条件共享申请10个工作日内提出意见并反馈
    text_zh: 市政务数据主管部门会同提供部门在10个工作日内提出意见并反馈;
    summary_en: A conditional sharing request is approved within 10 working days.
    obligor_role: provider
    penalty: "38.5"
    trigger: {event: share.requested, case_when: {category: conditional}}
    fulfil: {event: share.provider_reviewed, when: {outcome: approved}, case_when: {category: conditional}}
    period: {days: 10, unit: working_days}
"""


def test_a_fulfilment_testing_an_absent_column_is_named_once_per_rule(tmp_path) -> None:
    (tmp_path / "answered.yaml").write_text(ANSWERED_RULE, encoding="utf-8")
    (tmp_path / "v.yaml").write_text("name: v\nextends: yongzhou\nadd_rules: [answered.yaml]\n", encoding="utf-8")
    profile = gp.load_jurisdiction(tmp_path / "v.yaml")
    events = [{"case_id": "A", "event": "share.requested", "time": "2024-06-03 09:00"},
              {"case_id": "A", "event": "share.provider_reviewed", "time": "2024-06-04 09:00"}]
    notes = [n["message"] for n in profile.evaluate(events, as_of="2024-12-31").notes if n["kind"] == "absent_column"]
    [outcome] = [n for n in notes if "'outcome'" in n]
    assert "draft-18.2-approved-reply" in outcome  # only its fulfilment tests outcome
    [category] = [n for n in notes if "'category'" in n]
    assert "draft-18.2-approved-reply" in category
    # each rule named once: as many rules counted as named (the count was 2 for a rule testing it twice)
    for note in (outcome, category):
        count = int(note.split(": ", 1)[1].split(" ")[0])
        named = note[note.rindex("(") + 1:-1].split(", ")
        assert count == len(named) == len(set(named)), note
