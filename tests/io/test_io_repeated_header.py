"""A header row repeated among the rows (monthly exports joined with ``cat``, a sheet pasted under
another) is refused with one reason saying so, not as an unknown event and an unreadable time."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from govdata_policy.io import load_events
from govdata_policy.reasons_zh import reason_zh


def _repeat(case_text: str) -> str:
    return f"case_id: {case_text!r} begins a repeat of the header row, not an event (files joined one under another?)"


def test_files_joined_with_their_headers(tmp_path: Path) -> None:
    header = "case_id,event,time,provider"
    path = tmp_path / "joined.csv"
    path.write_text("\n".join([header, "A,share.requested,2024-05-06 09:00,市公安局", header,
                               "B,share.requested,2024-05-07 09:00,市民政局",
                               "case_id,event,time",  # a shorter header line (trailing cells blank)
                               "case_id,share.requested,2024-05-08 09:00,"]) + "\n", encoding="utf-8")
    events, rejected, rows = load_events(path)
    assert rows == len(events) + len(rejected) == 5
    assert [(r["row"], r["reason"]) for r in rejected] == [(2, _repeat("case_id")), (4, _repeat("case_id"))]
    assert events["case_id"].tolist() == ["A", "B", "case_id"]  # a case named so, in a row of events, is a case
    assert reason_zh(_repeat("case_id")) == (
        "case_id：'case_id'开头的一行重复了表头行，不是事件（是否把几个文件首尾相接合在了一起？）")


def test_an_exports_chinese_header_repeated_under_a_mapping(tmp_path: Path) -> None:
    header = "申请编号,办理环节,发生时间,提供部门"
    paths = [tmp_path / "joined_1.csv", tmp_path / "joined_2.csv"]  # each file's own header row is no row
    for path, (first, second) in zip(paths, ("AB", "CD"), strict=True):
        path.write_text("\n".join([header, f"{first},提交申请,2024-05-06 09:00,市公安局", header,
                                   f"{second},提交申请,2024-05-07 09:00,市民政局"]) + "\n", encoding="gbk")
    mapping = {"columns": {"申请编号": "case_id", "办理环节": "event", "发生时间": "time", "提供部门": "provider"},
               "values": {"event": {"提交申请": "share.requested"}}}
    events, rejected, rows = load_events(paths, mapping=mapping)
    assert rows == len(events) + len(rejected) == 6
    assert [(r["row"], r["reason"]) for r in rejected] == [(2, _repeat("申请编号")), (5, _repeat("申请编号"))]


def test_a_sheet_pasted_under_another(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    for row in (["申请编号", "办理环节", "发生时间"], ["A", "share.requested", "2024-05-06 09:00"],
                ["申请编号", "办理环节", "发生时间"], ["B", "share.requested", "2024-05-07 09:00"]):
        book.active.append(row)
    book.save(tmp_path / "log.xlsx")
    mapping = {"columns": {"申请编号": "case_id", "办理环节": "event", "发生时间": "time"}}
    events, rejected, rows = load_events(tmp_path / "log.xlsx", mapping=mapping)
    assert events["case_id"].tolist() == ["A", "B"]
    assert [(r["row"], r["reason"]) for r in rejected] == [(2, _repeat("申请编号"))]
