"""``explain``: what it says beside the days that moved a due date (weekends), the result's notes
that concern the case, and calendar overrides as ``check --overrides`` counts them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import govdata_policy as gp
from govdata_policy.cli.app import app

runner = CliRunner()
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.fixture(scope="module")
def guangxi_example() -> Any:
    return gp.load_jurisdiction("guangxi").evaluate(EXAMPLES / "guangxi.csv", as_of="2025-06-30")


def _initial_review(explained: Any) -> Any:
    [item] = [o for o in explained.obligations if o.rule.clause == "29.2"]
    return item


def test_no_weekend_skipped_is_not_said_to_be_skipped(guangxi_example: Any) -> None:
    # GX-S02: requested Mon 2024-05-06, 2 working days -> Wed 05-08: no holiday, no weekend between
    explained = guangxi_example.explain("GX-S02")
    item = _initial_review(explained)
    assert (item.trigger.time[:10], item.due[:10], item.weekend_days) == ("2024-05-06", "2024-05-08", 0)
    assert "Days that moved the due date: no holiday, make-up working day or weekend in between" in explained.to_text()
    assert "期间影响期限的日子： 期间没有节假日、调休或周末" in explained.to_text("zh")
    assert "只跳过周末" not in explained.to_text("zh") and "only weekends" not in explained.to_text("en")


def test_a_weekend_skipped_is_said(guangxi_example: Any) -> None:
    # GX-C01's 30.3: Fri 2024-09-20 + 2 working days -> Tue 09-24, over Sat 09-21 and Sun 09-22
    [item] = [o for o in guangxi_example.explain("GX-C01").obligations if o.rule.clause == "30.3"]
    assert (item.due[:10], item.weekend_days, item.calendar) == ("2024-09-24", 2, [])
    explained = guangxi_example.explain("GX-C01", lang="zh")
    assert "期间影响期限的日子： 期间没有节假日或调休，只跳过周末" in explained.to_text("zh")
    assert "only weekends were skipped" in explained.to_text("en")


def test_explain_counts_on_the_override_files_check_takes(tmp_path: Path) -> None:
    # Yongzhou 18.2, requested Mon 2025-03-10: due Mon 03-24, answered 03-25 (late 1). An override making
    # Wed 03-12 a day off moves the due day to 03-25: check --overrides finds nothing, and so must explain
    log = tmp_path / "log.csv"
    log.write_text("case_id,event,time,category,provider,outcome\n"
                   "C1,share.requested,2025-03-10 09:00,conditional,市公安局,\n"
                   "C1,share.provider_reviewed,2025-03-25 10:00,,,approved\n", encoding="utf-8")
    extra = tmp_path / "closure.yaml"
    extra.write_text("kind: overrides\nlabel: 市政府通知\nsource: a city notice\n"
                     "off:\n  - {name: 临时停工, dates: [2025-03-12]}\n", encoding="utf-8")
    base = ["explain", "C1", str(log), "-j", "yongzhou", "--as-of", "2025-12-31"]
    plain = runner.invoke(app, [*base, "--format", "json"])
    assert plain.exit_code == 0, plain.output
    assert json.loads(plain.stdout)["obligations"][0]["status"] == "late"
    moved = runner.invoke(app, [*base, "--format", "json", "--overrides", str(extra)])
    assert moved.exit_code == 0, moved.output
    [duty] = json.loads(moved.stdout)["obligations"]
    assert (duty["status"], duty["due"], duty["finding"]) == ("met", "2025-03-25T23:59:59+08:00", None)
    days = [(d["date"], d["kind"], d["name"]) for d in duty["calendar"]]
    assert days == [("2025-03-12", "off", "临时停工 (市政府通知)")]
    text = runner.invoke(app, [*base, "--overrides", str(extra)]).stdout
    assert "2025-03-12（周三）休息：临时停工 (市政府通知)" in text and "逾期" not in text
    checked = runner.invoke(app, ["check", str(log), "-j", "yongzhou", "--as-of", "2025-12-31", "--format", "json",
                                  "--overrides", str(extra)])
    assert checked.exit_code == 0 and json.loads(checked.stdout)["violations"] == []


@pytest.fixture(scope="module")
def xinjiang_example() -> Any:
    return gp.load_jurisdiction("xinjiang").evaluate(EXAMPLES / "xinjiang.csv", as_of="2025-06-30")


def test_findings_set_aside_as_outside_validity_are_said(xinjiang_example: Any) -> None:
    # XJ-25 (2025-02-20, after the trial measure's validity ended 2025-02-16): its 21.1 duty and its
    # duplicate collection are set aside (C6); explain said only "no obligation in this case"
    explained = xinjiang_example.explain("XJ-25", lang="zh")
    assert explained.obligations == [] and explained.acts == []
    assert [n["kind"] for n in explained.notes] == ["trial", "validity"]
    assert all(note in xinjiang_example.notes for note in explained.notes)  # check's own words
    zh = explained.to_text("zh")
    measure = "新疆维吾尔自治区公共数据管理办法（试行）"
    assert f"（有效期）2项结果涉及{measure}有效期（2023-02-17至2025-02-16）以外的事件（C6），未作为违规报告" in zh
    assert zh.index("说明：") < zh.index("（本案无时限义务）")
    en = explained.to_text("en")
    assert (f"(validity) 2 finding(s) under {measure} concern events outside its validity "
            "2023-02-17 .. 2025-02-16 (C6): not reported as violations") in en
    # a case inside the validity has the trial measure's note, not the set-aside
    assert [n["kind"] for n in xinjiang_example.explain("XJ-20").notes] == ["trial"]


def test_with_validity_not_enforced_the_note_says_reported_anyway(tmp_path: Path) -> None:
    base = ["explain", "XJ-25", str(EXAMPLES / "xinjiang.csv"), "-j", "xinjiang", "--as-of", "2025-06-30"]
    plain = json.loads(runner.invoke(app, [*base, "--format", "json"]).stdout)
    [validity] = [n for n in plain["notes"] if n["kind"] == "validity"]
    assert validity["message"].endswith("(C6): not reported as violations")
    kept = json.loads(runner.invoke(app, [*base, "--format", "json", "--ignore-validity"]).stdout)
    [validity] = [n for n in kept["notes"] if n["kind"] == "validity"]
    assert validity["message"].endswith("(C6): reported anyway (validity not enforced)")
    assert [o["rule"]["clause"] for o in kept["obligations"]] == ["21.1"]
    text = runner.invoke(app, [*base, "--ignore-validity"]).stdout
    assert "仍予报告（未按有效期排除）" in text


def test_a_draft_documents_status_is_said(guangxi_example: Any) -> None:
    explained = guangxi_example.explain("GX-S02")
    [draft] = explained.notes
    assert draft["kind"] == "draft" and "广西政务数据调度管理办法（征求意见稿）" in draft["message"]
    assert draft in guangxi_example.notes
    assert "（征求意见稿）广西政务数据调度管理办法（征求意见稿）为征求意见稿" in explained.to_text("zh")
    assert "(draft) 广西政务数据调度管理办法（征求意见稿） is a consultation draft" in explained.to_text("en")
    assert explained.to_dict()["notes"] == [draft]


def test_a_due_date_in_a_year_not_yet_published_is_said_to_be_estimated() -> None:
    # Yongzhou 18.2 requested Mon 2026-12-28: 10 working days end in January 2027, whose national
    # schedule is not published (check's note: deadlines estimated)
    events = [{"case_id": "E1", "event": "share.requested", "time": "2026-12-28 09:00", "category": "conditional",
               "provider": "市民政局"},
              {"case_id": "E0", "event": "share.requested", "time": "2024-03-04 09:00", "category": "conditional",
               "provider": "市民政局"},
              {"case_id": "E0", "event": "share.provider_reviewed", "time": "2024-03-08 09:00", "outcome": "approved"}]
    result = gp.load_jurisdiction("yongzhou").evaluate(events, as_of="2027-02-26")
    explained = result.explain("E1")
    assert explained.notes == [{"kind": "calendar", "message": (
        "calendar 2027: national schedule not yet published; make-up working days unknown, deadlines estimated")}]
    assert explained.notes[0] in result.notes
    assert "（工作日历）2027年日历：国务院放假安排尚未公布，调休上班日未知，期限为估算" in explained.to_text("zh")
    assert result.explain("E0").notes == []  # answered in 2024, a published year
    # unanswered, its working days late run up to as_of in 2027: that year's note concerns it too
    late = gp.load_jurisdiction("yongzhou").evaluate(events[1:2], as_of="2027-02-26").explain("E0")
    assert [n["message"][:13] for n in late.notes] == ["calendar 2027"]


def test_a_cases_events_after_as_of_and_duplicates_are_noted() -> None:
    # the authorization at 10:30 is after as_of 10:15: explain showed the case without it, and no word why
    # (check says it of the log); the request given twice is counted once
    log = [{"case_id": "YZ-01", "event": "share.requested", "time": "2025-03-03 09:00", "category": "unconditional",
            "requester": "市市场监督管理局", "provider": "市公安局"},
           {"case_id": "YZ-01", "event": "share.provider_reviewed", "time": "2025-03-04 10:00", "outcome": "approved"},
           {"case_id": "YZ-01", "event": "share.authorized", "time": "2025-03-04 10:30"},
           {"case_id": "YZ-02", "event": "share.authorized", "time": "2025-03-05 10:30"}]
    result = gp.load_jurisdiction("yongzhou").evaluate([*log, log[0]], as_of="2025-03-04T10:15")
    notes = result.explain("YZ-01").notes
    assert [(n["kind"], n["message"]) for n in notes] == [
        ("after_as_of", "1 event(s) after as_of 2025-03-04 were not considered: row 3"),
        ("duplicates", "1 exact duplicate row(s) counted once: row 5")]  # the first of the two is checked
    assert "1个事件晚于检查截止日2025-03-04，未纳入检查：第 3 行" in result.explain("YZ-01").to_text("zh")
    # a case with neither has no such note (the log's other case after as_of is not this one's)
    assert gp.load_jurisdiction("yongzhou").evaluate(log[:2], as_of="2025-03-04T10:15").explain("YZ-01").notes == []



def test_a_quiet_case_of_a_result_without_its_events_is_not_called_absent_from_the_log() -> None:
    """A Dask or several-process result holds no prepared log (``events`` None). A case with findings is
    still explained from them; one without any was said to be "not in the log", which such a result
    cannot know (the case may be in the log and simply compliant)."""
    import pandas as pd

    log = pd.DataFrame({"case_id": ["Q1", "L1"], "event": ["share.authorized", "conduct.leak"],
                        "time": ["2024-05-06 09:00", "2024-05-06 10:00"]})
    result = gp.load_jurisdiction("yongzhou").evaluate(log, as_of="2024-05-06")
    with pytest.raises(LookupError) as absent:
        result.explain("NOPE")
    assert "is not in the log" in str(absent.value)
    result.events = None  # as engine.parallel and the Dask engine return it
    assert result.explain("L1").acts  # its finding: explained as before
    for case_id in ("Q1", "NOPE"):
        with pytest.raises(LookupError) as unknown:
            result.explain(case_id)
        assert "holds no events" in str(unknown.value) and "not in the log" not in str(unknown.value)
        assert "不含事件" in unknown.value.zh


def test_an_extension_names_the_line_to_go_to_as_the_events_do(tmp_path: Path) -> None:
    # the approval is data row 2, the file's line 3 (line 2 is the objection itself): "第 2 行" alone sent the
    # officer to the wrong line of the export
    log = tmp_path / "log.csv"
    log.write_text("case_id,event,time,provider,extra_working_days\n"
                   "Q,quality.objection_raised,2025-07-07 10:00,市卫生健康委员会,\n"
                   "Q,quality.extension_approved,2025-07-10 09:00,,5\n"
                   "Q,quality.objection_resolved,2025-07-18 10:00,,\n", encoding="utf-8")
    explained = gp.load_jurisdiction("yongzhou").evaluate(log, as_of="2025-12-31").explain("Q")
    [extension] = explained.obligations[0].extensions
    assert (extension.row, extension.line, extension.source) == (2, 3, str(log))
    assert "批准延长 5 个工作日（第 2 行，文件第 3 行）" in explained.to_text("zh")
    assert "5 extra working days approved 2025-07-10 09:00 (row 2, line 3)" in explained.to_text("en")
    assert explained.to_dict()["obligations"][0]["extensions"][0]["line"] == 3


def test_an_acts_period_and_the_weekends_that_moved_its_end_are_said() -> None:
    # Guangxi 22: 30 calendar days of publicity from Thu 2024-04-18 end on Sat 05-18, moved over the weekend to
    # Mon 05-20 (C3); executed 05-20: premature. No holiday moved it, so nothing was said and 05-20 read as wrong
    log = [{"case_id": "K", "event": "catalog.offline_requested", "time": "2024-04-09 09:00", "provider": "某局"},
           {"case_id": "K", "event": "catalog.offline_replied", "time": "2024-04-10 15:00", "outcome": "approved"},
           {"case_id": "K", "event": "catalog.offline_publicized", "time": "2024-04-18 09:00"},
           {"case_id": "K", "event": "catalog.offline_executed", "time": "2024-05-20 15:00"},
           # 27.1: planned Mon 2025-07-21; the 30 working days strictly before it are 06-09..07-18 (no holiday):
           # due Sun 06-08, requested Tue 06-10: 2 working days late
           {"case_id": "L", "event": "resource.offline_requested", "time": "2025-06-10 10:00",
            "planned_offline_at": "2025-07-21"}]
    result = gp.load_jurisdiction("guangxi").evaluate(log, as_of="2025-12-31")
    [act] = [a for a in result.explain("K").acts if a.rule.clause == "22"]
    assert (act.finding.kind, act.finding.due[:10], act.calendar) == ("premature", "2024-05-20", [])
    assert (act.period_unit, act.period_days, act.weekend_days) == ("calendar_days", 30, 2)
    zh, en = result.explain("K").to_text("zh"), result.explain("K").to_text("en")
    assert "期限：30 天（自然日，末日逢休息日顺延至下一工作日）（第二十二条）" in zh
    assert "期限届满：2024-05-20（当日 23:59:59 前）\n      期间影响期限的日子： 期间没有节假日或调休，只跳过周末" in zh
    assert "Period: 30 calendar days" in en and "only weekends were skipped" in en
    [lead] = [a for a in result.explain("L").acts if a.rule.clause == "27.1"]
    assert (lead.finding.due[:10], lead.finding.working_days_late, lead.calendar) == ("2025-06-08", 2, [])
    assert (lead.period_unit, lead.period_days, lead.date_attribute, lead.weekend_days) == (
        "working_days", 30, "planned_offline_at", 12)
    zh, en = result.explain("L").to_text("zh"), result.explain("L").to_text("en")
    assert "期限：planned_offline_at 所载日期（2025-07-21）前至少 30 个工作日（第二十七条第（一）项）" in zh
    assert "Period: at least 30 working days before the date in planned_offline_at (2025-07-21) (clause 27.1)" in en
    assert "期间没有节假日或调休，只跳过周末" in zh


def test_the_verdict_is_said_last_and_a_case_without_findings_says_why() -> None:
    # a request answered the next day (Yongzhou: no period for an unconditional one) said "no obligation" and
    # nothing of findings: no word that its acts had been checked and nothing found
    log = [{"case_id": "OK", "event": "share.requested", "time": "2025-03-03 09:00", "category": "unconditional",
            "provider": "市公安局"},
           {"case_id": "OK", "event": "share.provider_reviewed", "time": "2025-03-04 10:00", "outcome": "approved"},
           {"case_id": "MET", "event": "share.requested", "time": "2025-03-03 09:00", "category": "conditional",
            "provider": "市公安局"},
           {"case_id": "MET", "event": "share.provider_reviewed", "time": "2025-03-05 10:00", "outcome": "approved"},
           {"case_id": "BAD", "event": "conduct.third_party_transfer", "time": "2025-03-03 09:00",
            "requester": "市卫健委"},
           {"case_id": "OLD", "event": "conduct.leak", "time": "2022-07-08 10:00", "actor": "某县医疗保障局"}]
    result = gp.load_jurisdiction("yongzhou").evaluate(log, as_of="2025-12-31")
    text = result.explain("OK").to_text("zh")
    assert text.endswith("（本案无时限义务）\n\n"
                         "结论：未发现违规（本案事件未触发任何义务，未发现禁止、不符合要求或提前实施的行为）\n")
    assert result.explain("OK").to_text("en").endswith(
        "Conclusion: no finding (the case's events trigger no obligation, no prohibited, invalid or premature act)\n")
    assert result.explain("MET").to_text("zh").endswith(
        "结论：未发现违规（1 项义务按期完成，未发现禁止、不符合要求或提前实施的行为）\n")
    assert result.explain("BAD").to_text("zh").endswith("结论：1 项违规（禁止行为 1）\n")
    assert result.explain("BAD").to_text("en").endswith("Conclusion: 1 finding(s) (prohibited 1)\n")
    # a finding set aside as outside the document's validity (C6) is not an act found clean
    assert result.explain("OLD").to_text("zh").endswith("结论：未发现违规（有效期以外的结果未作为违规报告，见说明）\n")


def test_a_mitigated_finding_is_counted_in_the_verdict() -> None:
    log = [{"case_id": "G", "event": "conduct.duplicate_collection", "time": "2024-04-09 15:00",
            "actor": "阿克苏地区应急管理局", "good_faith": "true"}]
    explained = gp.load_jurisdiction("xinjiang").evaluate(log, as_of="2025-12-31").explain("G")
    assert explained.to_text("zh").endswith("结论：1 项违规（禁止行为 1；其中 1 项有容错情形）\n")
    assert explained.to_text("en").endswith("Conclusion: 1 finding(s) (prohibited 1; 1 with a mitigation)\n")


def test_explain_names_the_rows_it_did_not_check_with_their_files_and_lines(tmp_path: Path) -> None:
    # check's notes count a whole log's unchecked rows; a case has a few, and the officer looking at one
    # wants to find them: a request given three times in the first file, answered in the second after as_of
    header = "case_id,event,time,category,provider\n"
    request = "K1,share.requested,2025-03-03 09:00,conditional,市公安局\n"
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text(header + request * 3, encoding="utf-8")
    second.write_text(header + "K1,share.provider_reviewed,2025-03-20 09:00,,\n", encoding="utf-8")
    result = gp.load_jurisdiction("yongzhou").evaluate([first, second], as_of="2025-03-10")
    notes = {n["kind"]: n["message"] for n in result.explain("K1").notes}
    # rows 2 and 3 (lines 3 and 4 of a.csv) repeat row 1; row 4 is b.csv's first row, its line 2
    # (each file named as given, as rejected rows name theirs, and as the events are named beside their lines)
    assert notes["duplicates"] == (
        f"2 exact duplicate row(s) counted once: row 2 (line 3 of {first}), row 3 (line 4 of {first})")
    assert notes["after_as_of"].endswith(f"were not considered: row 4 (line 2 of {second})")
    text = result.explain("K1").to_text("zh")
    assert f"只计一次：第 2 行（{first}文件第 3 行）、第 3 行（{first}文件第 4 行）" in text
    assert f"未纳入检查：第 4 行（{second}文件第 2 行）" in text
    assert f"(row 1, line 2 of {first})" in result.explain("K1").to_text("en")  # the request, in a.csv
    # check's own notes over the log keep their counts alone
    assert {n["kind"]: n["message"] for n in result.notes}["duplicates"] == "2 exact duplicate row(s) counted once"


def test_explain_counts_the_unchecked_rows_past_ten() -> None:
    request = {"case_id": "K2", "event": "share.requested", "time": "2025-03-03 09:00", "category": "conditional"}
    result = gp.load_jurisdiction("yongzhou").evaluate([request] * 13, as_of="2025-03-10")
    message = {n["kind"]: n["message"] for n in result.explain("K2").notes}["duplicates"]
    assert message == ("12 exact duplicate row(s) counted once: "
                       + ", ".join(f"row {n}" for n in range(2, 12)) + " and 2 more")
    assert "第 10 行、第 11 行及另外 2 行" in result.explain("K2").to_text("zh")


def test_a_spreadsheets_unchecked_rows_are_said_by_their_sheet_rows_in_chinese() -> None:
    from govdata_policy.details import note_zh

    # explain_notes._row_list writes "sheet row" for a workbook's rows, as rejected rows are placed
    assert note_zh("1 exact duplicate row(s) counted once: row 2 (sheet row 4)") == (
        "1行与他行完全重复，只计一次：第 2 行（表格第 4 行）")
    assert note_zh("1 exact duplicate row(s) counted once: row 2 (sheet row 4 of 2024.xlsx[7月]), row 5 (in b.parquet)"
                   ) == "1行与他行完全重复，只计一次：第 2 行（2024.xlsx[7月]表格第 4 行）、第 5 行（b.parquet）"
