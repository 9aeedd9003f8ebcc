"""``result.explain(case_id)`` and ``govdata-policy explain``: why a case has its findings."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import govdata_policy as gp
from govdata_policy.cli.app import app
from govdata_policy.explain import CaseExplanation, UnknownCaseError

# Yongzhou (national calendar). 2024 劳动节: 05-01..05-05 off, make-up Sun 04-28 and Sat 05-11; 端午 06-10.
YONGZHOU = [
    # 18.2: requested Fri 04-26, +10 wd -> due Mon 05-13 (04-28 and 05-11 counted, 05-01..05-05 not)
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
    {
        "case_id": "S182-2",
        "event": "share.requested",
        "time": "2024-04-26 09:00",
        "category": "conditional",
        "provider": "市民政局",
    },
    {
        "case_id": "S182-2",
        "event": "share.provider_reviewed",
        "time": "2024-05-13 17:00",
        "outcome": "approved",
    },
    # 21: raised Mon 06-03, 5 wd -> 06-11 (端午 06-10 off); +10 wd approved 06-05 -> due 06-25; resolved 06-26
    {
        "case_id": "Q21-3",
        "event": "quality.objection_raised",
        "time": "2024-06-03 09:00",
        "provider": "市民政局",
    },
    {
        "case_id": "Q21-3",
        "event": "quality.extension_approved",
        "time": "2024-06-05 15:00",
        "extra_working_days": 10,
    },
    {"case_id": "Q21-3", "event": "quality.objection_resolved", "time": "2024-06-26 17:30"},
    {
        "case_id": "U19-1",
        "event": "conduct.third_party_transfer",
        "time": "2024-06-03 09:00",
        "requester": "市卫健委",
    },
]
# Guangxi: 2023 壮族三月三 04-21..04-23 off (04-23 Sun was a national make-up working day, off in Guangxi).
GUANGXI = [
    {
        "case_id": "G1",
        "event": "share.requested",
        "time": "2023-04-17 09:00",
        "requester": "自治区人社厅",
        "provider": "自治区公安厅",
        "requester_level": "region",
        "provider_level": "region",
    },
    {"case_id": "G1", "event": "share.compliance_reviewed", "time": "2023-04-18 10:00", "outcome": "pass"},
    {"case_id": "G1", "event": "share.provider_reviewed", "time": "2023-04-27 10:00", "outcome": "approved"},
    # 22: 30 calendar days of publicity from 04-01 end on 05-01 (劳动节) -> moved to Mon 05-06 (C3)
    {
        "case_id": "CAT",
        "event": "catalog.offline_requested",
        "time": "2024-03-25 09:00",
        "provider": "自治区林业局",
    },
    {"case_id": "CAT", "event": "catalog.offline_replied", "time": "2024-03-27 10:00", "outcome": "approved"},
    {"case_id": "CAT", "event": "catalog.offline_publicized", "time": "2024-04-01 09:00"},
    {"case_id": "CAT", "event": "catalog.offline_executed", "time": "2024-05-06 10:00"},
]


@pytest.fixture(scope="module")
def yongzhou() -> Any:
    return gp.load_jurisdiction("yongzhou").evaluate(YONGZHOU, as_of="2024-06-30")


@pytest.fixture(scope="module")
def guangxi() -> Any:
    return gp.load_jurisdiction("guangxi").evaluate(GUANGXI, as_of="2024-06-30")


def reasons(item: Any) -> list[tuple[str, str, str]]:
    return [(r.date, r.kind, r.name) for r in item.calendar]


def test_yongzhou_18_2_across_labour_day(yongzhou: Any) -> None:
    explained = yongzhou.explain("S182-1")
    assert isinstance(explained, CaseExplanation) and explained.lang == "en"
    [item] = explained.obligations
    assert (item.rule.rule_id, item.rule.clause) == ("yz-18.2-conditional-reply", "18.2")
    assert (item.trigger.event, item.trigger.row, item.trigger.time) == (
        "share.requested",
        1,
        "2024-04-26T09:00:00+08:00",
    )
    assert (item.period_unit, item.period_days) == ("working_days", 10)
    assert item.due == "2024-05-13T23:59:59+08:00"
    days = reasons(item)
    assert ("2024-04-28", "work") in [(d, k) for d, k, _ in days]
    assert ("2024-05-01", "off", "劳动节") in days
    assert ("2024-05-11", "work") in [(d, k) for d, k, _ in days]
    assert {d for d, k, _ in days if k == "off"} == {"2024-05-01", "2024-05-02", "2024-05-03"}
    assert item.extension_days == 0 and item.extensions == []
    assert (item.status, item.working_days_late) == ("late", 1)
    assert item.finding is not None and item.finding.kind == "late"
    assert "10个工作日内提出意见并反馈" in item.rule.text_zh
    assert (item.rule.responsible_role, item.rule.responsible_party) == ("provider", "市民政局")
    assert item.rule.penalty is not None and item.rule.penalty.clause == "38.8"
    assert item.rule.penalty.consequence == "责令改正" and "答复" in item.rule.penalty.text_zh
    assert explained.acts == []

    text = explained.to_text()
    assert "Period: 10 working days (clause 18.2)" in text
    assert "2024-05-11 Sat  make-up working day" in text and "2024-05-01 Wed  day off: 劳动节" in text
    assert "Penalty: 38.8" in text and "责令改正" in text
    zh = explained.to_text("zh")
    assert "期限：10 个工作日（第十八条第（二）项）" in zh and "[第十八条第（二）项] yz-18.2-conditional-reply" in zh
    assert "罚则：第三十八条第（八）项：" in zh  # the penalty item as its article names it, not 38.8
    assert "2024-05-11（周六）调休上班" in zh and "2024-05-01（周三）休息：劳动节" in zh
    assert "逾期 1 个工作日" in zh


def test_a_met_obligation_names_its_party_and_has_no_finding(yongzhou: Any) -> None:
    [item] = yongzhou.explain("S182-2", lang="zh").obligations
    assert item.status == "met" and item.finding is None
    assert item.rule.responsible_party == "市民政局"
    assert item.fulfilment is not None and item.fulfilment.row == 4


@pytest.mark.parametrize("other", ["share.authorized", "share.paper_demanded"])
def test_a_met_obligation_names_the_party_given_at_its_triggers_instant(other: str) -> None:
    # the provider is named by another event at the minute of the passed review; whether that event sorts
    # after the review (share.authorized) or before it (share.paper_demanded), it names the party, as the
    # engine names it on a finding (explain used to read only the events sorted before the trigger)
    events = [
        {"case_id": "E", "event": "share.requested", "time": "2024-05-06 08:00", "requester_level": "region"},
        {"case_id": "E", "event": "share.compliance_reviewed", "time": "2024-05-06 09:00", "outcome": "pass"},
        {"case_id": "E", "event": other, "time": "2024-05-06 09:00", "provider": "提供部门P"},
        {"case_id": "E", "event": "share.provider_reviewed", "time": "2024-05-07 09:00", "outcome": "approved"},
    ]
    profile = gp.load_jurisdiction("guangxi")
    explained = profile.evaluate(events, as_of="2024-06-30").explain("E")
    met = [o for o in explained.obligations if o.rule.rule_id == "gx-29.3-provider-reply"]
    assert [(o.status, o.rule.responsible_party) for o in met] == [("met", "提供部门P")]
    late = profile.evaluate([*events[:3], {**events[3], "time": "2024-05-20 09:00"}], as_of="2024-06-30")
    found = late.violations[late.violations["rule_id"] == "gx-29.3-provider-reply"]
    assert found["responsible_party"].tolist() == ["提供部门P"]


def test_an_approved_extension_and_the_holiday_it_crosses(yongzhou: Any) -> None:
    [item] = yongzhou.explain("Q21-3").obligations
    assert item.base_due == "2024-06-11T23:59:59+08:00"
    assert item.due == "2024-06-25T23:59:59+08:00"
    assert item.extension_days == 10 and item.extension_cap == 15
    assert [(e.row, e.days, e.counted) for e in item.extensions] == [(6, 10, True)]
    assert ("2024-06-10", "off", "端午节") in reasons(item)
    assert (item.status, item.working_days_late) == ("late", 1)
    assert "original due 2024-06-11; 10 working days added, now due 2024-06-25" in yongzhou.explain("Q21-3").to_text()


def test_acts_found(yongzhou: Any) -> None:
    explained = yongzhou.explain("U19-1")
    assert explained.obligations == []
    [act] = explained.acts
    assert (act.rule.clause, act.finding.kind) == ("19", "prohibited")
    assert [e.event for e in act.evidence] == ["conduct.third_party_transfer"]
    assert act.rule.penalty is not None and act.rule.penalty.clause == "38.7"
    assert "Acts found:" in explained.to_text()


def test_guangxi_across_sanyuesan_2023(guangxi: Any) -> None:
    explained = guangxi.explain("G1")
    item = next(o for o in explained.obligations if o.rule.rule_id == "gx-29.3-provider-reply")
    assert item.trigger.event == "share.compliance_reviewed"
    assert item.due == "2023-04-26T23:59:59+08:00"
    days = reasons(item)
    assert [(d, k) for d, k, _ in days] == [
        ("2023-04-21", "off"),
        ("2023-04-22", "off"),
        ("2023-04-23", "off"),
    ]
    assert all("壮族三月三" in name for _, _, name in days)
    assert (item.status, item.working_days_late) == ("late", 1)
    assert item.rule.responsible_party == "自治区公安厅"
    assert item.rule.penalty is not None and (item.rule.penalty.clause, item.rule.penalty.consequence) == (
        "47.3",
        "通报批评",
    )
    assert "2023-04-23（周日）休息：壮族三月三" in explained.to_text("zh")


def test_a_premature_act_after_calendar_days_lists_only_the_days_at_the_end(guangxi: Any) -> None:
    [act] = guangxi.explain("CAT").acts
    assert (act.rule.clause, act.finding.kind) == ("22", "premature")
    assert act.finding.due == "2024-05-06T23:59:59+08:00"
    assert [e.event for e in act.evidence] == ["catalog.offline_publicized", "catalog.offline_executed"]
    # 04-01 + 30 days = 05-01 (劳动节): moved over the holiday to Mon 05-06; 清明 and 三月三 do not matter
    assert {d for d, _, _ in reasons(act)} == {"2024-05-01", "2024-05-02", "2024-05-03"}


def test_unknown_case_and_language(yongzhou: Any) -> None:
    with pytest.raises(UnknownCaseError, match="NOPE"):
        yongzhou.explain("NOPE")
    assert issubclass(UnknownCaseError, LookupError)
    with pytest.raises(ValueError, match="language"):
        yongzhou.explain("S182-1", lang="fr")


def test_to_dict_is_plain_data(yongzhou: Any) -> None:
    body = json.loads(json.dumps(yongzhou.explain("Q21-3").to_dict()))
    assert body["case_id"] == "Q21-3" and len(body["events"]) == 3
    assert body["obligations"][0]["calendar"][0] == {
        "date": "2024-06-10",
        "weekday": 0,
        "kind": "off",
        "name": "端午节",
    }


# ---- command line -------------------------------------------------------------------


@pytest.fixture(scope="module")
def log_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("explain") / "yongzhou.csv"
    columns = list(dict.fromkeys(k for e in YONGZHOU for k in e))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(YONGZHOU)
    return path


def invoke(*args: str) -> Any:
    return CliRunner().invoke(app, list(args))


def test_cli_text_and_json(log_file: Path) -> None:
    run = invoke("explain", "S182-1", str(log_file), "-j", "yongzhou", "--as-of", "2024-06-30", "--lang", "en")
    assert run.exit_code == 0, run.output
    assert "2024-05-11 Sat  make-up working day" in run.output
    run = invoke("explain", "S182-1", str(log_file), "-j", "yongzhou", "--as-of", "2024-06-30", "--lang", "zh")
    assert run.exit_code == 0 and "劳动节" in run.output and "期限：10 个工作日" in run.output
    run = invoke("explain", "Q21-3", str(log_file), "-j", "yongzhou", "--as-of", "2024-06-30", "--format", "json")
    assert run.exit_code == 0
    assert json.loads(run.output)["obligations"][0]["extension_days"] == 10


def test_cli_errors_exit_2(log_file: Path) -> None:
    run = invoke("explain", "NOPE", str(log_file), "-j", "yongzhou", "--as-of", "2024-06-30")
    assert run.exit_code == 2
    assert "NOPE" in run.stderr and len(run.stderr.strip().splitlines()) == 1
    assert invoke("explain", "S182-1", str(log_file), "-j", "atlantis").exit_code == 2
    assert invoke("explain", "S182-1", str(log_file)).exit_code == 2  # -j missing
    assert invoke("explain", "S182-1", str(log_file), "-j", "yongzhou", "--lang", "fr").exit_code == 2
    assert invoke("explain", "S182-1", str(log_file.with_name("missing.csv")), "-j", "yongzhou").exit_code == 2
    # in the log, but every event after as_of: said so, not "not in the log"
    early = invoke("explain", "S182-1", str(log_file), "-j", "yongzhou", "--as-of", "2020-01-01")
    assert early.exit_code == 2
    assert "在日志中有 2 个事件，都在 as_of 2020-01-01" in early.stderr and "更晚的 --as-of" in early.stderr
    english = invoke("explain", "S182-1", str(log_file), "-j", "yongzhou", "--as-of", "2020-01-01", "--lang", "en")
    assert "event(s) in the log, all after as_of 2020-01-01" in english.stderr and "later --as-of" in english.stderr


def test_a_result_kept_without_its_log_still_explains() -> None:
    lean = gp.load_jurisdiction("yongzhou").evaluate(YONGZHOU, as_of="2024-06-30", keep_events=False)
    explained = lean.explain("S182-1")
    assert explained.events == []
    [item] = explained.obligations
    assert (item.trigger.event, item.trigger.row) == ("share.requested", 1)
    assert ("2024-05-11", "work") in [(d, k) for d, k, _ in reasons(item)]


def test_a_cases_rejected_rows_are_shown_not_hidden() -> None:
    # the reply (row 2) cannot be read: the request looks unanswered, and explain says why
    events = [
        {"case_id": "R1", "event": "share.requested", "time": "2024-03-05 09:00", "category": "conditional",
         "provider": "市公安局"},
        {"case_id": "R1", "event": "答复", "time": "2024-03-06 09:00", "outcome": "approved"},
        {"case_id": "R2", "event": "share.requsted", "time": "2024-03-05 09:00"},
    ]
    result = gp.load_jurisdiction("yongzhou").evaluate(events, as_of="2024-12-31")
    assert [(r["row"], r["case_id"]) for r in result.rejected_rows] == [(2, "R1"), (3, "R2")]
    explained = result.explain("R1")
    assert [r["row"] for r in explained.rejected] == [2]
    text = explained.to_text("en")
    assert "Rows not checked (rejected when read" in text and "event: unknown event '答复'" in text
    # a case all of whose rows were rejected is in the log: explained, not "unknown"
    only = result.explain("R2")
    assert not only.events and "did you mean 'share.requested'" in only.rejected[0]["reason"]


def test_cli_explains_in_chinese_by_default_as_check_reports(log_file: Path) -> None:
    run = invoke("explain", "S182-1", str(log_file), "-j", "yongzhou", "--as-of", "2024-06-30")
    assert run.exit_code == 0 and "期限：10 个工作日" in run.output


def test_events_say_the_line_or_sheet_row_to_go_to(tmp_path: Path) -> None:
    # a title line above the header: data row 2 is the file's line 4 (title, header, row 1 above it)
    rows = ["case_id,event,time,category,provider", "A,share.requested,2024-06-03 09:00,conditional,市公安局",
            "B,share.requested,2024-06-03 09:00,conditional,市公安局",
            "B,share.provider_reviewed,2024-06-20 10:00,,"]
    path = tmp_path / "log.csv"
    path.write_text("永州市政务数据共享台账\n" + "\n".join(rows) + "\n", encoding="utf-8")
    profile = gp.load_jurisdiction("yongzhou")
    explained = profile.evaluate(path, as_of="2024-12-31").explain("B", lang="zh")
    assert [(e.row, e.line, e.source) for e in explained.events] == [(2, 4, str(path)), (3, 5, str(path))]
    text = explained.to_text()
    assert "（第 2 行，文件第 4 行）" in text
    assert "触发：share.requested（共享申请提交）于 2024-06-03 09:00，第 2 行，文件第 4 行" in text
    assert explained.to_dict()["events"][0]["line"] == 4
    # a workbook: the sheet's own row; a frame: no line, the row alone
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for line in rows:
        sheet.append(line.split(","))
    book.save(tmp_path / "log.xlsx")
    in_sheet = profile.evaluate(tmp_path / "log.xlsx", as_of="2024-12-31").explain("B", lang="en")
    assert "(row 2, sheet row 3)" in in_sheet.to_text()
    records = [dict(zip(rows[0].split(","), line.split(","), strict=True)) for line in rows[1:]]
    plain = profile.evaluate(records, as_of="2024-12-31").explain("B", lang="en")
    assert [e.line for e in plain.events] == [None, None] and "(row 2)" in plain.to_text()


def test_cli_text_shows_the_logs_control_characters_not_obeys_them(tmp_path: Path) -> None:
    """A party or reason holding ESC and BEL reached the terminal whole: ``\\x1b]8;;URL\\x07`` made a
    hyperlink, ``\\x1b[2J`` cleared the screen. The text shows ``\\x1b`` and ``\\x07``; the JSON keeps the
    value as it is."""
    party = "\x1b[2J\x1b]8;;http://x.example\x07市局\x1b]8;;\x07"
    log = tmp_path / "log.csv"
    log.write_text("case_id,event,time,category,provider\n"
                   f"C1,share.requested,2024-06-03 09:00,conditional,\"{party}\"\n", encoding="utf-8")
    run = invoke("explain", "C1", str(log), "-j", "yongzhou", "--as-of", "2024-12-31", "--lang", "en")
    assert run.exit_code == 0, run.output
    assert "\x1b" not in run.stdout and "\x07" not in run.stdout
    assert "\\x1b[2J\\x1b]8;;http://x.example\\x07市局" in run.stdout
    as_json = invoke("explain", "C1", str(log), "-j", "yongzhou", "--as-of", "2024-12-31", "--format", "json")
    assert party in as_json.stdout or json.dumps(party, ensure_ascii=False)[1:-1] in as_json.stdout


def test_a_met_obligation_of_a_fixed_body_the_rule_names_is_that_bodys() -> None:
    # 30（一） names 自治区大数据发展局 (party: region_authority): explain names it for a met review, as the engine
    # does for a late one, though the request names the city bureau in its column (S) or as its actor (A);
    # 27（二）'s 本级 bureau is still the one the log names
    city = "柳州市大数据发展局"
    request = {"event": "share.requested", "time": "2024-05-06 10:00", "requester": "柳州市人社局",
               "provider": "自治区人社厅", "requester_level": "city", "provider_level": "region"}
    events = [
        {"case_id": "S", **request, "authority": city},
        {"case_id": "S", "event": "share.compliance_reviewed", "time": "2024-05-07 10:00", "outcome": "pass"},
        {"case_id": "A", **request, "actor": city, "actor_role": "authority"},
        {"case_id": "A", "event": "share.compliance_reviewed", "time": "2024-05-07 10:00", "outcome": "pass"},
        {"case_id": "R", "event": "resource.offline_requested", "time": "2024-05-06 10:00",
         "provider": "柳州市市场监管局", "actor": city, "actor_role": "authority", "planned_offline_at": "2024-09-30"},
        {"case_id": "R", "event": "resource.offline_replied", "time": "2024-05-07 10:00", "outcome": "approved"},
    ]
    result = gp.load_jurisdiction("guangxi").evaluate(events, as_of="2024-06-30")

    def met(case: str, rule_id: str) -> list[tuple[str, str | None]]:
        return [(o.status, o.rule.responsible_party) for o in result.explain(case).obligations
                if o.rule.rule_id == rule_id]

    assert met("S", "gx-30.1-initial-review") == [("met", "自治区大数据发展局")]
    assert met("A", "gx-30.1-initial-review") == [("met", "自治区大数据发展局")]
    assert met("R", "gx-27.2-resource-offline-reply") == [("met", city)]


def test_cli_explains_a_log_big_enough_for_several_processes_as_a_small_one(
        log_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """explain checked a log of 200,000 events or more on every core (run_check's default), and such
    a result holds no events: its explanation listed none of the case's events, and a case without
    findings or obligations could not be explained at all ('whether the log has it cannot be told').
    It checks in one process, as check does unless asked."""
    from govdata_policy.engine import parallel

    quiet = tmp_path / "log.csv"  # the log and a case no rule of Yongzhou reads
    quiet.write_text(log_file.read_text(encoding="utf-8") + "Q1,catalog.updated,2024-05-06 09:00" + ","
                     * (len(log_file.read_text(encoding="utf-8").splitlines()[0].split(",")) - 3) + "\n",
                     encoding="utf-8")
    args = ["-j", "yongzhou", "--as-of", "2024-06-30", "--lang", "en"]
    small = [invoke("explain", case, str(quiet), *args) for case in ("S182-1", "Q1")]
    monkeypatch.setattr(parallel, "MIN_ROWS", 1)  # the same log counts as big
    big = [invoke("explain", case, str(quiet), *args) for case in ("S182-1", "Q1")]
    assert [(run.exit_code, run.output) for run in big] == [(run.exit_code, run.output) for run in small]
    assert [run.exit_code for run in big] == [0, 0], big[1].output
    assert "share.requested" in big[0].output and "catalog.updated" in big[1].output
