"""What a spreadsheet round trip does to a log: Excel's text-preserving ``="00123"`` cells, its
date systems, its leftovers. Each cell reads as the text or time it means, or its row is refused
with a reason."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd

import govdata_policy as gp
from govdata_policy.io import load_events
from govdata_policy.io.text import formula_text
from govdata_policy.monitor.scalar_validate import EventParser

HEADER = "case_id,event,time,subject_id,provider,outcome,extra_working_days"


def _csv(path: Path, *rows: str, header: str = HEADER, encoding: str = "utf-8") -> Path:
    path.write_bytes(("\n".join([header, *rows]) + "\n").encode(encoding))
    return path


# --- ="…": Excel's text-preserving form ---------------------------------------------------------


def test_formula_text_takes_only_the_exact_form() -> None:
    assert formula_text('="00123"') == "00123"
    assert formula_text('="say ""yes"""') == 'say "yes"'
    assert formula_text('=" 00123 "') == "00123"
    assert formula_text('=""') == ""
    for literal in ('="a"&"b"', '=A1', '="00123', '=00123"', '"00123"', '="a"b"', '=" "" "x"'):
        assert formula_text(literal) == literal


def test_csv_formula_cells_are_read_as_their_text(tmp_path: Path) -> None:
    # as a platform writes them: the CSV quoting of ="00123" is "=""00123"""
    path = _csv(
        tmp_path / "log.csv",
        '"=""00123""","=""share.requested""","=""2024-05-06 09:30""","=""110101199003071234""",'
        '"=""市公安局""","=""APPROVED""","=""3"""',
        '00124,share.requested,2024-05-06 09:31,,市公安局,,',
        '"=""a""&""b""",share.requested,2024-05-06 09:32,"=""x","=""""",,',
    )
    events, rejected, rows = load_events(path)
    assert rows == 3 and rejected == []
    first = events.iloc[0]
    assert first["case_id"] == "00123"
    assert first["event"] == "share.requested"
    assert first["time_ns"] == pd.Timestamp("2024-05-06 01:30", tz="UTC").value
    assert first["subject_id"] == "110101199003071234"
    assert first["provider"] == "市公安局"
    assert first["outcome"] == "approved"
    assert first["extra_working_days"] == 3
    assert events.iloc[1]["case_id"] == "00124"  # a plain cell as it was
    last = events.iloc[2]
    assert last["case_id"] == '="a"&"b"'  # a formula that is more than one text: left as written
    assert last["subject_id"] == '="x'
    assert pd.isna(last["provider"])  # ="" is Excel's empty text


def test_formula_cells_in_gbk_csv_and_records(tmp_path: Path) -> None:
    path = _csv(tmp_path / "gbk.csv", '"=""00123""",share.requested,"=""2024/5/6 9:30""",,"=""市公安局""",,',
                encoding="gbk")
    events, rejected, _ = load_events(path)
    assert rejected == [] and events["case_id"].tolist() == ["00123"]
    assert events["provider"].tolist() == ["市公安局"]
    records = [{"case_id": '="00123"', "event": "share.requested", "time": '="2024-05-06 09:30"',
                "provider": '="市公安局"'}]
    events, rejected, _ = load_events(records)
    assert rejected == [] and events["case_id"].tolist() == ["00123"]
    assert events["provider"].tolist() == ["市公安局"]


def test_a_formula_time_that_is_no_time_is_refused(tmp_path: Path) -> None:
    path = _csv(tmp_path / "log.csv", '"=""00123""",share.requested,"=""2024-13-01""",,,,')
    _, rejected, rows = load_events(path)
    assert rows == 1 and [r["reason"] for r in rejected] == ["time: cannot read '2024-13-01' as a time"]


def test_mapping_values_match_the_text_of_a_formula_cell(tmp_path: Path) -> None:
    path = _csv(tmp_path / "log.csv", '"=""A1""","=""提交申请""",2024-05-06 09:30', header="编号,环节,时间")
    mapping = {"columns": {"编号": "case_id", "环节": "event", "时间": "time"},
               "values": {"event": {"提交申请": "share.requested"}}}
    events, rejected, _ = load_events(path, mapping=mapping)
    assert rejected == [] and events["event"].tolist() == ["share.requested"]


def test_monitor_reads_formula_cells_as_the_batch_does() -> None:
    events = [
        {"case_id": '="00123"', "event": "share.requested", "time": '="2025-03-10 09:00"',
         "category": "unconditional", "provider": '="市公安局"', "subject_id": '="110101199003071234"'},
        {"case_id": '="00123"', "event": '="share.provider_reviewed"', "time": "2025-03-11 15:00",
         "outcome": '="refused"'},
        {"case_id": "00123", "event": "share.requested", "time": '="2025-13-01"'},
    ]
    profile = gp.load_jurisdiction("yongzhou")
    batch = profile.evaluate(events, as_of="2025-12-31")
    monitor = profile.monitor()
    found = [finding for event in events for finding in monitor.push(event)]
    assert [r["reason"] for r in batch.rejected_rows] == [r["reason"] for r in monitor.rejected] == [
        "time: cannot read '2025-13-01' as a time"]
    assert [v["case_id"] for v in batch.to_dict()["violations"]] == [f["case_id"] for f in found] == ["00123"]
    parsed = EventParser().parse(events[0])
    assert not isinstance(parsed, str)
    assert parsed[0] == "00123" and parsed[4]["provider"] == "市公安局"
    assert parsed[4]["subject_id"] == "110101199003071234"


# --- Excel serial numbers -----------------------------------------------------------------------


def test_a_serial_with_five_decimals_is_the_second_excel_shows(tmp_path: Path) -> None:
    """45413.39583 is 2024-05-01 09:30:00 as Excel shows it; read to the millisecond it was 09:29:59.712,
    and a reply so written came before a request logged at 09:30:00."""
    path = _csv(tmp_path / "log.csv", "A,share.requested,2024-05-01 09:30:00,,,,",
                "A,share.provider_reviewed,45413.39583,,,,", "B,share.requested,45413.395833333,,,,",
                header="case_id,event,time,a,b,c,d")
    events, rejected, _ = load_events(path)
    assert rejected == []
    nine_thirty = pd.Timestamp("2024-05-01 01:30", tz="UTC").value
    assert events["time_ns"].tolist() == [nine_thirty] * 3
    # a workbook's number cell, and one in the 1904 date system (Mac Excel)
    for epoch, serial in ((None, 45413.39583), (openpyxl.utils.datetime.CALENDAR_MAC_1904, 43951.39583)):
        book = openpyxl.Workbook()
        if epoch is not None:
            book.epoch = epoch
        book.active.append(["case_id", "event", "time"])
        book.active.append(["A", "share.requested", serial])
        book.save(tmp_path / "log.xlsx")
        events, rejected, _ = load_events(tmp_path / "log.xlsx")
        assert rejected == [] and events["time_ns"].tolist() == [nine_thirty]
    for serial in ("45413.39583", 45413.39583):  # the monitor reads it as the batch does
        parsed = EventParser().parse({"case_id": "A", "event": "share.requested", "time": serial})
        assert not isinstance(parsed, str) and parsed[2] == nine_thirty
