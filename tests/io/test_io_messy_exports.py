"""What exports do that the contract does not: headers in other case, a column given twice,
misspelt mapping targets, full-width characters, impossible offsets, nested JSON values,
a workbook whose log is not on its first sheet. Each either reads as meant or is refused
with a reason; the streaming monitor reads each event as the batch reads its row."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import govdata_policy as gp
from govdata_policy.engine.evaluate import parse_as_of
from govdata_policy.io import InputError, load_events
from govdata_policy.io.mapping import ColumnMapping

# Yongzhou 18.1: a provider refusing an unconditional request is prohibited.
REFUSED = [
    {"case_id": "C1", "event": "share.requested", "time": "2025-03-10 09:00", "category": "unconditional",
     "provider": "市公安局"},
    {"case_id": "C1", "event": "share.provider_reviewed", "time": "2025-03-11 15:00", "outcome": "refused"},
]


def _csv(path: Path, header: str, *rows: str) -> Path:
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def _rejections(events: list[dict[str, object]]) -> tuple[list[str], list[str]]:
    """The reasons of the batch and of the monitor for the same events."""
    profile = gp.load_jurisdiction("yongzhou")
    batch = [r["reason"] for r in profile.evaluate(events, as_of="2025-12-31").rejected_rows]
    monitor = profile.monitor()
    for event in events:
        monitor.push(event)
    return batch, [r["reason"] for r in monitor.rejected]


def test_headers_in_other_case_are_the_contracts_columns(tmp_path: Path) -> None:
    log = _csv(tmp_path / "log.csv", "Case ID,Event,TIME,Category,Provider,Outcome",
               "C1,share.requested,2025-03-10 09:00,unconditional,市公安局,",
               "C1,share.provider_reviewed,2025-03-11 15:00,,,refused")
    # before, Category and Outcome passed through unread and 18.1 stayed quiet
    result = gp.load_jurisdiction("yongzhou").evaluate(log, as_of="2025-12-31")
    assert [(v.clause, v.kind) for v in result.violations.itertuples()] == [("18.1", "prohibited")]


def test_a_contract_column_given_twice_must_agree(tmp_path: Path) -> None:
    differ = _csv(tmp_path / "differ.csv", "case_id,event,time,outcome,Outcome",
                  "C1,share.provider_reviewed,2025-03-11 15:00,approved,refused")
    with pytest.raises(InputError, match="differ.csv: column outcome is given twice, as 'outcome' and 'Outcome'"):
        load_events(differ)
    same = _csv(tmp_path / "same.csv", "case_id,event,time,outcome,outcome",
                "C1,share.provider_reviewed,2025-03-11 15:00,refused,refused")
    events, rejected, read = load_events(same)
    assert read == 1 and not rejected and events["outcome"].tolist() == ["refused"]


def test_a_misspelt_mapping_target_is_refused_with_the_name_meant() -> None:
    with pytest.raises(ValueError, match="columns.共享属性: 'catgory' is not a column name .did you mean 'category'"):
        ColumnMapping.model_validate({"columns": {"共享属性": "catgory"}})
    with pytest.raises(ValueError, match="values.outcom: 'outcom' is not a column name .did you mean 'outcome'"):
        ColumnMapping.model_validate({"values": {"outcom": {"同意": "approved"}}})
    # a column of the export's own, far from any contract name, passes through
    assert ColumnMapping.model_validate({"columns": {"备注": "remark"}}).columns == {"备注": "remark"}


@pytest.mark.parametrize(("target", "meant"), [
    # two letters swapped, one missing, one added: difflib's ratio misses them in short names (tiem 0.75)
    ("tiem", "time"), ("evnet", "event"), ("evet", "event"), ("times", "time"), ("kidn", "kind"),
    # a name one edit from a column that is another column cut short: case is case_id, not cause less a letter
    ("case", "case_id"),
])
def test_a_short_misspelt_mapping_target_is_refused(target: str, meant: str) -> None:
    with pytest.raises(ValueError, match=f"columns.办理时间: '{target}' is not a column name .did you mean '{meant}'"):
        ColumnMapping.model_validate({"columns": {"办理时间": target}})


# ordinary words as export columns of their own, though a contract column starts with some of them
@pytest.mark.parametrize("target", ["item", "type", "name", "tier", "remark", "note", "extra", "open", "share",
                                    "legal", "planned", "filing", "good", "same"])
def test_an_export_column_two_letters_from_a_contract_name_passes_through(target: str) -> None:
    assert ColumnMapping.model_validate({"columns": {"备注": target}}).columns == {"备注": target}


def test_a_workbook_whose_log_is_on_another_sheet_names_its_sheets(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "说明"
    book.active.append(["本工作簿为导出日志"])
    log = book.create_sheet("日志")
    log.append(["case_id", "event", "time"])
    log.append(["C1", "share.requested", "2025-03-10 09:00"])
    book.save(tmp_path / "export.xlsx")
    other = _csv(tmp_path / "other.csv", "case_id,event,time", "C2,share.requested,2025-03-10 09:00")
    # with another file beside it, the workbook's first sheet no longer vanishes into the union of columns
    with pytest.raises(InputError, match=r"export.xlsx: missing required columns case_id, event, time; .*"
                                         r"another sheet \(日志\): choose it with --sheet"):
        load_events([tmp_path / "export.xlsx", other])
    events, _, read = load_events(tmp_path / "export.xlsx", sheet="日志")
    assert read == 1 and events["case_id"].tolist() == ["C1"]


def test_full_width_forms_read_as_their_ascii() -> None:
    events = [
        {"case_id": "Ｗ３", "event": "share.requested", "time": "２０２４－０３－０５　０９：００",
         "category": "conditional", "provider": "市公安局"},
        # the answer carries the id in half width: the same case, so 18.2 is met, not overdue
        {"case_id": "W3", "event": "share.provider_reviewed", "time": "2024-03-06 10:00", "outcome": "approved"},
        {"case_id": "Q1", "event": "quality.extension_approved", "time": "2024-03-06 10:00",
         "extra_working_days": "１０"},
    ]
    frame, rejected, _ = load_events(events)
    assert not rejected
    assert frame["case_id"].tolist() == ["W3", "W3", "Q1"]
    assert frame["extra_working_days"].tolist()[2] == 10
    result = gp.load_jurisdiction("yongzhou").evaluate(events, as_of="2024-12-31")
    assert "W3" not in set(result.violations["case_id"])
    monitor = gp.load_jurisdiction("yongzhou").monitor()
    for event in events:
        monitor.push(event)
    assert not monitor.rejected


def test_an_offset_beyond_fourteen_hours_is_no_time() -> None:
    events = [{"case_id": f"O{i}", "event": "share.requested", "time": f"2025-05-26T09:00:00{offset}"}
              for i, offset in enumerate(["+25:00", "+99:99", "+08:60", "+14:00", "+0800", "-12:00"])]
    batch, monitor = _rejections(events)
    assert batch == monitor == [
        "time: cannot read '2025-05-26T09:00:00+25:00' as a time",
        "time: cannot read '2025-05-26T09:00:00+99:99' as a time",
        "time: cannot read '2025-05-26T09:00:00+08:60' as a time",
    ]


def test_nested_values_are_kept_as_json_text_or_refused(tmp_path: Path) -> None:
    events = [
        {"case_id": {"id": 1}, "event": "share.requested", "time": "2025-03-10 09:00"},
        {"case_id": "N2", "event": "share.requested", "time": "2025-03-10 09:00", "category": ["conditional"]},
        {"case_id": "N3", "event": "share.requested", "time": ["2025-03-10"]},
        {"case_id": "N4", "event": "share.requested", "time": "2025-03-10 09:00", "attachments": ["a.pdf", "b"]},
    ]
    batch, monitor = _rejections(events)
    assert batch == monitor == [
        "case_id: a JSON object, not one value",
        "category: '[\"conditional\"]' is not allowed on share.* events "
        "(allowed: unconditional, conditional, not_shared)",
        "time: cannot read '[\"2025-03-10\"]' as a time",
    ]
    frame, _, _ = load_events(events)
    assert frame["attachments"].astype(str).tolist() == ['["a.pdf", "b"]']
    lines = tmp_path / "nested.jsonl"
    lines.write_text('{"case_id": "N5", "event": "share.requested", "time": "2025-03-10 09:00", '
                     '"provider": {"name": "市公安局"}}\n', encoding="utf-8")
    frame, rejected, read = load_events(lines)
    assert read == 1 and not rejected and frame["provider"].astype(str).tolist() == ['{"name": "市公安局"}']


def test_rows_the_calendar_refuses_name_their_file(tmp_path: Path) -> None:
    first = _csv(tmp_path / "first.csv", "case_id,event,time", "A,share.requested,2025-03-10 09:00")
    far = _csv(tmp_path / "far.csv", "case_id,event,time", "F,share.requested,2036-03-01 09:00")
    result = gp.load_jurisdiction("yongzhou").evaluate([first, far], as_of="2025-12-31")
    assert [(r["row"], Path(r["source"]).name) for r in result.rejected_rows] == [(2, "far.csv")]


@pytest.mark.parametrize(("text", "local"), [
    ("2025-12-31", "2025-12-31 23:59:59.999999999"),  # a date alone: the end of that day, to its last ns
    ("2025/12/31", "2025-12-31 23:59:59.999999999"),
    ("2025年12月31日", "2025-12-31 23:59:59.999999999"),
    ("20251231", "2025-12-31 23:59:59.999999999"),     # was midnight: a refusal made that day went unseen
    ("2025-12-31 12:00", "2025-12-31 12:00:00"),  # a time: that moment
    ("2025-12-31T04:00:00Z", "2025-12-31 12:00:00"),
])
def test_as_of_reads_dates_and_times_as_the_log_writes_them(text: str, local: str) -> None:
    import pandas as pd

    assert parse_as_of(text) == pd.Timestamp(local, tz="Asia/Shanghai").value


def test_as_of_as_numpy_day_is_a_date() -> None:
    import numpy as np

    assert parse_as_of(np.datetime64("2025-12-31")) == parse_as_of("2025-12-31")


@pytest.mark.parametrize(("text", "reason"), [
    ("2025-13-01", "as_of: cannot read '2025-13-01' as a date or a time"),
    ("yesterday", "as_of: cannot read 'yesterday' as a date or a time"),
    ("1800-01-01", r"as_of: 1800-01-01 is outside the working-day calendar \(2004-01-01 .. 2035-12-31\)"),
])
def test_as_of_that_is_no_date_says_so(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_as_of(text)


@pytest.mark.parametrize("tail", [
    "",                                                  # the last row opens the quote
    "".join(f"R{i},share.requested,2025-03-10 09:00,\n" for i in range(3000)),  # 3000 rows would vanish
    "R1,share.requested,2025-03-10 09:00,x,y,z\n",       # a ragged row too: the Python reader's path
])
def test_a_quote_never_closed_is_refused_not_rows_lost(tmp_path: Path, tail: str) -> None:
    log = tmp_path / "quote.csv"
    log.write_text('case_id,event,time,reason\nA,share.requested,2025-03-10 09:00,"未闭合\n'
                   "B,share.requested,2025-03-10 09:00,\n" + tail, encoding="utf-8")
    with pytest.raises(InputError, match=r"quote.csv: row 1: a quote in column reason is never closed, so \d+ line"):
        load_events(log)


@pytest.mark.parametrize(("delimiter", "note"), [("\t", "\n\t\t\t"), (",", "地址：\n南宁市,青秀区,民族大道,100号"),
                                               (",", 'he said ""a,b,c""\nx,y,z,w')])
def test_the_last_value_quoted_over_lines_with_a_rows_worth_of_delimiters_is_read(
        tmp_path: Path, delimiter: str, note: str) -> None:
    """Its second line holds as many delimiters as a row: it was taken for rows swallowed by a quote
    never closed and the whole log refused, though the quote closes at the end of the file."""
    log = tmp_path / "note.csv"
    quoted = '"' + note + '"'
    log.write_text(delimiter.join(["case_id", "event", "time", "reason"]) + "\n"
                   + delimiter.join(["A", "share.requested", "2025-03-10 09:00", quoted]) + "\r\n", encoding="utf-8")
    events, rejected, read = load_events(log)
    assert read == 1 and not rejected
    shown = note.replace('""', '"').strip()  # trimmed as every value is: white space alone is blank
    assert [None if pd.isna(v) else v for v in events["reason"].tolist()] == [shown or None]


def test_a_quote_never_closed_that_ends_in_doubled_quotes_is_still_refused(tmp_path: Path) -> None:
    log = tmp_path / "quote.csv"
    log.write_text('case_id,event,time,reason\nA,share.requested,2025-03-10 09:00,"未闭合 ""x""\n'
                   'B,share.requested,2025-03-10 09:00,""\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"row 1: a quote in column reason is never closed"):
        load_events(log)


def test_a_quoted_value_over_several_lines_is_one_value(tmp_path: Path) -> None:
    log = tmp_path / "note.csv"
    log.write_text('case_id,event,time,reason\nA,share.requested,2025-03-10 09:00,"第一行\n第二行, 有逗号"\n'
                   "B,share.requested,2025-03-10 09:00,\n", encoding="utf-8")
    events, rejected, read = load_events(log)
    assert read == 2 and not rejected and events["reason"].tolist()[0] == "第一行\n第二行, 有逗号"


@pytest.mark.parametrize(("above", "delimiter"), [
    ("永州市政务数据共享台账,,\n", ","),          # a title in the first cell, the other cells empty
    ("永州市政务数据共享台账\n\n", ","),          # a title and a blank line
    ("导出时间：2025-03-12\n", "\t"),             # a tab-separated export under a line of its own
    ("永州市政务数据共享台账,,导出时间：2025-03-12\n", ","),  # a title and the export's date in cells of their own
    ("单位：永州市数据局,日期：2025-03-12\n", ","),   # two cells side by side: still fewer than a row fills
])
def test_a_title_above_the_csv_header_is_not_the_header(tmp_path: Path, above: str, delimiter: str) -> None:
    rows = ["case_id,event,time", "C1,share.requested,2025-03-10 09:00", "C2,share.requested,2025-03-10 09:00"]
    log = tmp_path / "titled.csv"
    log.write_text(above + "\n".join(r.replace(",", delimiter) for r in rows) + "\n", encoding="utf-8")
    events, rejected, read = load_events(log)
    assert read == 2 and not rejected and events["case_id"].tolist() == ["C1", "C2"]
    assert events["row"].tolist() == [1, 2]  # data rows, numbered from the header as before


def test_excel_unicode_text_utf16_is_read(tmp_path: Path) -> None:
    log = tmp_path / "unicode.txt"  # Excel's "Unicode text": UTF-16 with a BOM, tab-separated
    log.write_bytes("case_id\tevent\ttime\r\n甲1\tshare.requested\t2025-03-10 09:00\r\n".encode("utf-16"))
    events, rejected, read = load_events(log)
    assert read == 1 and not rejected and events["case_id"].tolist() == ["甲1"]


def test_keys_in_other_case_mean_the_same_in_the_batch_and_the_monitor() -> None:
    # two sources: one writes "Category"/"Outcome", the other the contract's names
    events = [
        {"Case ID": "C1", "Event": "share.requested", "TIME": "2025-03-10 09:00", "Category": "unconditional",
         "provider": "市公安局"},
        {"case_id": "C1", "event": "share.provider_reviewed", "time": "2025-03-11 15:00", "outcome": "refused"},
        {"case_id": "C2", "event": "share.requested", "time": "2025-03-12 09:00", "category": "conditional",
         "provider": "市公安局"},
    ]
    profile = gp.load_jurisdiction("yongzhou")
    batch = profile.evaluate(events, as_of="2025-12-31")
    monitor = profile.monitor()
    streamed = [f for event in events for f in monitor.push(event)] + monitor.advance("2025-12-31")
    assert sorted((v.rule_id, v.case_id, v.kind) for v in batch.violations.itertuples()) == sorted(
        (f["rule_id"], f["case_id"], f["kind"]) for f in streamed) == [
        ("yz-18.1-unconditional-not-refused", "C1", "prohibited"), ("yz-18.2-conditional-reply", "C2", "overdue")]


def test_one_field_under_two_keys_with_two_values_is_refused() -> None:
    clash = {"case_id": "C9", "event": "share.requested", "time": "2025-03-10 09:00",
             "category": "conditional", "Category": "unconditional"}
    with pytest.raises(InputError, match=r"column category is given twice, as 'category' and 'Category', "
                                         r"with different values \(row 1\)"):
        load_events([clash])
    monitor = gp.load_jurisdiction("yongzhou").monitor()
    monitor.push(clash)  # the monitor cannot refuse the stream: it refuses the event
    assert monitor.rejected[0]["reason"] == "category: given twice, as 'category' and 'Category', with different values"


@pytest.mark.parametrize("line_break", ["", "\n"])
def test_a_value_longer_than_a_read_block_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   line_break: str) -> None:
    # a document pasted into one cell, longer than Arrow's read block: the whole log was refused ("straddling
    # object straddles two block boundaries"); the blocks are made small here to keep the file small
    from govdata_policy.io import csv_read

    monkeypatch.setattr(csv_read, "CSV_BLOCK", 1024)
    long = "说明" * 3000 + line_break + "x" * 100
    path = tmp_path / "long.csv"
    path.write_text("case_id,event,time,reason\nA,share.requested,2024-05-06 09:00,short\n"
                    f'B,share.requested,2024-05-06 09:00,"{long}"\nC,share.requested,2024-05-06 09:00,\n',
                    encoding="utf-8")
    result = gp.load_jurisdiction("yongzhou").evaluate(path, as_of="2024-12-31")
    assert result.rows == {"read": 3, "accepted": 3, "rejected": 0}
    assert result.events.frame.set_index("case_id")["reason"]["B"] == long


def test_a_header_naming_the_columns_with_blank_names_after_them_is_the_header(tmp_path: Path) -> None:
    # case_id,event,time and two blank names over rows that fill all five: the header filled fewer cells than
    # the rows, was taken for a title, and the first row for the header ("missing required columns case_id,
    # event, time; columns found: A, share.requested, …"), exit 2, every row lost
    rows = "A,share.requested,2024-05-06 09:00,x,y\nB,share.requested,2024-05-06 09:00,x,y\n"
    csv_path = tmp_path / "blank_names.csv"
    csv_path.write_text("case_id,event,time,,\n" + rows, encoding="utf-8")
    book = openpyxl.Workbook()
    book.active.append(["case_id", "event", "time", None, None])
    for line in rows.splitlines():
        book.active.append(line.split(","))
    book.save(tmp_path / "blank_names.xlsx")
    for path in (csv_path, tmp_path / "blank_names.xlsx"):
        result = gp.load_jurisdiction("yongzhou").evaluate(path, as_of="2024-12-31")
        assert result.rows == {"read": 2, "accepted": 2, "rejected": 0}, path


def test_a_file_named_for_another_kind_is_said_to_be_what_it_holds(tmp_path: Path) -> None:
    # a CSV saved as log.xlsx said "cannot read: ZipError: invalid Zip archive: Could not find EOCD", a Parquet file
    # saved as log.csv a codec error: neither named the cause an officer can mend
    text = tmp_path / "log.xlsx"
    text.write_text("case_id,event,time\nA,share.requested,2024-05-06 09:00\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_events(text)
    assert str(caught.value).endswith("(the file holds text (CSV or JSON), not what its name .xlsx says: "
                                      "rename it .csv)")
    assert caught.value.zh.endswith("（文件内容是文本（CSV 或 JSON），与后缀.xlsx不符：请改名为.csv）")
    book = tmp_path / "book.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.append(["case_id", "event", "time"])
    workbook.save(book)
    disguised = tmp_path / "log.csv"
    disguised.write_bytes(book.read_bytes())
    with pytest.raises(InputError, match=r"the file holds a workbook \(\.xlsx\), not what its name \.csv says"):
        load_events(disguised)


def test_a_zip_is_said_to_be_the_workbook_it_is_or_none(tmp_path: Path) -> None:
    # every zip was "a workbook (.xlsx)": a zipped CSV named log.csv was told "rename it .xlsx", which then
    # failed again ('_rels/.rels' not found); an OpenDocument sheet named .csv was told .xlsx too
    import zipfile

    zipped = tmp_path / "log.zip"
    with zipfile.ZipFile(zipped, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("log.csv", "case_id,event,time\n" + "A,share.requested,2024-05-06 09:00\n" * 50)
    for name in ("log.csv", "log.xlsx"):
        disguised = tmp_path / name
        disguised.write_bytes(zipped.read_bytes())
        with pytest.raises(InputError) as caught:
            load_events(disguised)
        assert str(caught.value).endswith("(the file is a zip archive, not a workbook: unzip it and give the log "
                                          "inside)"), caught.value
        assert caught.value.zh.endswith("（文件是 zip 压缩包，不是工作簿：请解压后给出其中的日志文件）")
    sheet = tmp_path / "sheet.csv"
    sheet.write_bytes((Path(__file__).parent / "data" / "typed.ods").read_bytes())
    with pytest.raises(InputError, match=r"the file holds a workbook \(\.ods\), not what its name \.csv says: "
                                         r"rename it \.ods\)"):
        load_events(sheet)
    broken = tmp_path / "broken.xlsx"  # a workbook cut short: no zip to look into, and no word added, as before
    broken.write_bytes(sheet.read_bytes()[:3000])
    with pytest.raises(InputError) as caught:
        load_events(broken)
    assert "zip archive, not a workbook" not in str(caught.value)


def test_a_file_that_is_no_text_is_said_to_be_no_log(tmp_path: Path) -> None:
    # a PDF or an image named .csv said only "cannot read: 'gb18030' codec can't decode byte 0x80 in position
    # 74: illegal multibyte sequence", and named .jsonl "not UTF-8 text …; save the export as UTF-8": a NUL was
    # the only sign of no text, and a PDF's head has none
    pdf = (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Length 300 /Filter /FlateDecode >>\nstream\n"
           + bytes(range(128, 256)) * 30)
    image = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(128, 256)) * 30
    said = {pdf: "(the file is a PDF document, not an export of the log: export the log itself as CSV, Excel or "
                 "JSON)",
            image: "(the file holds no text, nor a workbook or Parquet: it is no log export; an image, an archive "
                   "or a document?)"}
    for data, end in said.items():
        for name in ("log.csv", "log.jsonl", "log.json"):
            path = tmp_path / name
            path.write_bytes(data)
            with pytest.raises(InputError) as caught:
                load_events(path)
            assert str(caught.value).endswith(end), caught.value
            assert "save the export as UTF-8" not in str(caught.value) and caught.value.zh.endswith("）")
    # UTF-16 text (a NUL beside each letter) is text: named .xlsx it is told to be renamed, as UTF-8 text is
    text = tmp_path / "log.xlsx"
    text.write_bytes("case_id,event,time\r\nA,share.requested,2024-05-06 09:00\r\n".encode("utf-16-le"))
    with pytest.raises(InputError, match=r"\(the file holds text \(CSV or JSON\), not what its name \.xlsx says: "
                                         r"rename it \.csv\)$"):
        load_events(text)
    gbk = tmp_path / "gbk.jsonl"  # text in another encoding keeps its own advice
    gbk.write_bytes('{"case_id": "甲"}\n'.encode("gbk"))
    with pytest.raises(InputError, match="JSON is UTF-8: save the export as UTF-8$"):
        load_events(gbk)
