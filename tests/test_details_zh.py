"""An invalid finding's detail in its Chinese message is Chinese (it was the English detail)."""

from __future__ import annotations

from pathlib import Path

import pytest

import govdata_policy as gp
from govdata_policy.details import detail_zh

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(("detail", "zh"), [
    ("missing: reason, legal_basis", "缺少：reason、legal_basis"),
    ("catalog.offline_requested not allowed", "不应办理此环节：目录下线申请（catalog.offline_requested）"),
    ("extra_working_days in all > 15: 20", "extra_working_days合计超过15：20"),
    ("extra_working_days > 15: 16", "extra_working_days超过15：16"),  # it stayed English inside the Chinese
    ("subject_id is not a valid cn_id_or_uscc: 1234", "subject_id不是有效的身份证号码或统一社会信用代码：1234"),
    ("something new", "something new"),  # a detail without a translation stays as written
])
def test_detail_in_chinese(detail: str, zh: str) -> None:
    assert detail_zh(detail) == zh


@pytest.mark.parametrize("name", ["guangxi", "yongzhou", "xinjiang"])
def test_no_english_detail_in_chinese_messages_batch_or_monitor(name: str) -> None:
    profile = gp.load_jurisdiction(name)
    log = ROOT / "examples" / f"{name}.csv"
    result = profile.evaluate(log, as_of="2025-12-31")
    invalid = result.violations[result.violations["kind"] == "invalid"]
    assert len(invalid)
    for message in invalid["message_zh"]:
        assert "missing:" not in message and "not allowed" not in message and "in all >" not in message
    monitor = profile.monitor(max_ahead_days=None)  # the example log has quiet spells of months
    import csv

    with log.open(encoding="utf-8") as handle:
        events = sorted(({k: v for k, v in row.items() if v} for row in csv.DictReader(handle)),
                        key=lambda event: event["time"])  # as a platform streams them: in time order
    found = [finding for event in events for finding in monitor.push(event)]
    found += monitor.advance("2025-12-31")
    streamed = sorted(f["message_zh"] for f in found if f["kind"] == "invalid")
    assert streamed == sorted(invalid["message_zh"])


def test_every_note_a_check_writes_has_its_chinese() -> None:
    """Draft, trial, validity, calendar, events after as_of, duplicates, an absent column: each
    note of these runs is said in Chinese in zh reports (they were English in every zh report)."""
    from govdata_policy.details import NOTE_KINDS_ZH, note_zh

    notes = []
    for name in ("guangxi", "xinjiang"):
        notes += gp.load_jurisdiction(name).evaluate(ROOT / "examples" / f"{name}.csv", as_of="2025-12-31").notes
    row = {"case_id": "A", "event": "share.requested", "time": "2025-03-03 09:00"}  # no category column
    later = {"case_id": "B", "event": "share.requested", "time": "2026-03-03 09:00"}
    dated = {"case_id": "A", "event": "share.provider_reviewed", "time": "2025-03-03"}  # a date, no time
    notes += gp.load_jurisdiction("yongzhou").evaluate([row, row, later, dated], as_of="2025-12-31").notes
    deleted = {"case_id": "L", "event": "conduct.log_deleted", "time": "2024-05-06 10:00"}  # no log_created_at
    notes += gp.load_jurisdiction("xinjiang").evaluate([deleted], as_of="2024-12-31").notes
    blank = {**deleted, "case_id": "M", "log_created_at": ""}  # the column there, the date blank
    dated = {**blank, "case_id": "N", "log_created_at": "2023-01-02"}
    notes += gp.load_jurisdiction("xinjiang").evaluate([blank, dated], as_of="2024-12-31").notes
    kinds = {note["kind"] for note in notes}
    assert {"draft", "trial", "validity", "calendar", "after_as_of", "duplicates", "absent_column",
            "date_only", "blank_date"} <= kinds
    for note in notes:
        assert note["kind"] in NOTE_KINDS_ZH
        assert note_zh(note["message"]) != note["message"], note


def test_calendar_note_says_its_region_and_confidence_in_chinese() -> None:
    from govdata_policy.details import note_zh

    # its regional file names the region in Chinese (label_zh)
    assert gp.load_jurisdiction("xinjiang").calendar is not None
    message = ("calendar 2026: Xinjiang regional days off not settled: 肉孜节 confidence low-medium (source: one "
               "secondary source); deadlines may move")
    assert note_zh(message) == (
        "2026年日历：新疆地方假日尚未确定：肉孜节 可信度中低（来源：one secondary source）；期限可能变动")
    two = message.replace("); deadlines", "); 古尔邦节 confidence low (source: press); deadlines")
    assert note_zh(two).endswith("（来源：one secondary source）；古尔邦节 可信度低（来源：press）；期限可能变动")
    # a region whose file gives no Chinese label is named as its file labels it
    assert note_zh(message.replace("Xinjiang", "Testland")).startswith("2026年日历：Testland地方假日尚未确定")
    missing = ("calendar 2027: no Guangxi regional holiday data for 2027 (the region has its own days off since "
               "2014, 自治区人民政府令第98号); deadlines estimated without them")
    assert gp.load_jurisdiction("guangxi").calendar is not None
    assert note_zh(missing).startswith("2027年日历：缺少广西地方假日数据（该地区自2014起另有假日")


def test_a_note_lists_the_sheets_not_read_as_chinese_lists_them() -> None:
    # the Chinese note kept the English ", " between sheet names inside Chinese text, where 、 is the list mark
    from govdata_policy.details import note_zh

    passed = "b.xlsx: 2 sheet(s) without the log's columns (case_id, event, time) were passed over (封面, 说明)"
    assert note_zh(passed) == "b.xlsx：2个工作表没有日志的列（case_id、event、time），未读取（封面、说明）"
    other = ("b.xlsx: sheet '4月' was read; 2 other sheet(s) also have the log's columns (case_id, event, time) "
             "and were not read (5月, 6月): check them with --sheet, or all as one log with --sheet '*'")
    assert "未读取（5月、6月）" in note_zh(other)
    # one sheet whose own name holds ", " is one name, not two
    one = passed.replace("2 sheet(s)", "1 sheet(s)")
    assert note_zh(one).endswith("未读取（封面, 说明）")


def test_a_note_lists_the_rules_as_chinese_lists_them() -> None:
    # the absent_column notes' rule ids kept the English ", " inside the Chinese text
    from govdata_policy.details import note_zh

    said = "the log has no column 'category': 7 rule(s) that test it matched no event (a-1, a-2, a-3, a-4, a-5, a-6, …)"
    assert note_zh(said) == "日志中没有“category”列：检验该列的7条规则未匹配任何事件（a-1、a-2、a-3、a-4、a-5、a-6、…）"
    said = ("the log has no column 'planned_offline_at': 2 rule(s) that count from it judged none of their events "
            "(b-1, b-2)")
    assert note_zh(said).endswith("未能判断任何事件（b-1、b-2）")
