"""Every input shape reads to the same events, with row numbers and sources."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from govdata_policy.io import InputError, load_events, read_raw
from govdata_policy.io.csv_head import detect_encoding

# Three good events; 2024-05-06 09:00 local is 01:00 UTC = 1714957200 s since the epoch.
GOOD_ROWS = [
    {"case_id": "C1", "event": "share.requested", "time": "2024-05-06 09:00:00",
     "provider": "公安厅", "requester": "人社厅", "category": "conditional"},
    {"case_id": "C1", "event": "share.compliance_reviewed", "time": "2024-05-07 10:00:00",
     "provider": "公安厅", "requester": "人社厅", "outcome": "pass"},
    {"case_id": "C2", "event": "share.requested", "time": "2024-05-08 00:00:00",
     "provider": "自然资源厅", "requester": "大数据局", "category": "unconditional"},
]
MAY6_0900_NS = 1_714_957_200 * 10**9


def _check_good(events: pd.DataFrame, rejected: list, rows_read: int) -> None:
    assert rejected == []
    assert rows_read == 3
    assert events["row"].tolist() == [1, 2, 3]
    assert events["case_id"].tolist() == ["C1", "C1", "C2"]
    assert events["event"].tolist() == ["share.requested", "share.compliance_reviewed", "share.requested"]
    assert events["time_ns"].iloc[0] == MAY6_0900_NS
    assert events["provider"].tolist() == ["公安厅", "公安厅", "自然资源厅"]
    assert [None if pd.isna(v) else v for v in events["category"]] == ["conditional", None, "unconditional"]


def test_utf8_csv(write_csv) -> None:
    _check_good(*load_events(write_csv(GOOD_ROWS)))


def test_utf8_bom_csv(write_csv) -> None:
    path = write_csv(GOOD_ROWS, encoding="utf-8-sig")
    assert path.read_bytes()[:3] == b"\xef\xbb\xbf"
    events, rejected, n = load_events(path)
    _check_good(events, rejected, n)
    assert "case_id" in events.columns  # the BOM is not glued to the first header


def test_gbk_csv_without_mapping_reads_chinese_text(write_csv) -> None:
    path = write_csv(GOOD_ROWS, encoding="gbk")
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    _check_good(*load_events(path))


def test_gbk_fixture_through_a_mapping(gbk_csv: Path, tmp_path: Path) -> None:
    raw = gbk_csv.read_bytes()
    assert "申请编号".encode("gbk") in raw  # really GBK bytes on disk
    mapping = tmp_path / "map.yaml"
    mapping.write_text(
        "columns: {申请编号: case_id, 办理环节: event, 办理时间: time, 提供部门: provider,"
        " 共享类型: category, 审核结果: outcome}\n"
        "values:\n"
        "  event: {提交申请: share.requested, 符合性审查: share.compliance_reviewed,"
        " 提供部门审核: share.provider_reviewed, 授权: share.authorized}\n"
        "  category: {有条件共享: conditional, 无条件共享: unconditional}\n"
        "  outcome:\n"
        "    通过: {share.compliance_reviewed: pass, '*': approved}\n"
        "    不同意: refused\n",
        encoding="utf-8",
    )
    events, rejected, n = load_events(gbk_csv, mapping=mapping)
    assert rejected == [] and n == 5
    assert events["event"].tolist()[:3] == [
        "share.requested", "share.compliance_reviewed", "share.provider_reviewed"]
    assert events["outcome"].tolist()[1:3] == ["pass", "refused"]
    assert events["category"].tolist()[0] == "conditional"
    assert events["备注"].tolist()[0] == "首次"  # unmapped headers pass through as text
    assert events["需求部门"].tolist()[0] == "自治区人社厅"


def test_detect_encoding() -> None:
    assert detect_encoding(b"\xef\xbb\xbfa,b") == "utf-8-sig"
    assert detect_encoding("申请编号,b".encode()) == "utf-8"
    assert detect_encoding("申请编号,b".encode("gbk")) == "gb18030"
    # a sample cut inside a UTF-8 character is still UTF-8
    assert detect_encoding("申请".encode()[:-1]) == "utf-8"


def test_gbk_past_the_sniffed_head(tmp_path: Path) -> None:
    # ASCII for the first 64 KiB, GBK afterwards: found when Arrow meets the bytes
    filler = "".join(f"C{i},share.requested,2024-05-06 09:00:00,x\n" for i in range(3000))
    text = "case_id,event,time,provider\n" + filler + "C9,share.requested,2024-05-06 09:00:00,公安厅\n"
    path = tmp_path / "late.csv"
    path.write_bytes(text.encode("gbk"))
    events, rejected, n = load_events(path)
    assert n == 3001 and not rejected
    assert events["provider"].iloc[-1] == "公安厅"


def test_csv_keeps_leading_zeros_and_reads_quoted_newlines(tmp_path: Path) -> None:
    path = tmp_path / "q.csv"
    path.write_text('case_id,event,time,reason\n00123,share.requested,2024-05-06,"line one\nline two"\n',
                    encoding="utf-8")
    events, rejected, _ = load_events(path)
    assert events["case_id"].tolist() == ["00123"]
    assert events["reason"].tolist() == ["line one\nline two"]


def test_tab_separated_txt(tmp_path: Path) -> None:
    path = tmp_path / "log.txt"
    path.write_text("case_id\tevent\ttime\nC1\tshare.requested\t2024-05-06 09:00:00\n", encoding="utf-8")
    events, rejected, n = load_events(path)
    assert (n, len(events), events["time_ns"].iloc[0]) == (1, 1, MAY6_0900_NS)


def test_xlsx_first_and_named_sheet(tmp_path: Path) -> None:
    path = tmp_path / "log.xlsx"
    frame = pd.DataFrame(GOOD_ROWS)
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        pd.DataFrame({"x": [1]}).to_excel(writer, sheet_name="说明", index=False)
        frame.to_excel(writer, sheet_name="日志", index=False)
    _check_good(*load_events(path, sheet="日志"))
    with pytest.raises(InputError, match="no sheet '缺少'.*说明, 日志"):
        read_raw(path, sheet="缺少")
    with pytest.raises(InputError, match="missing required column"):
        load_events(path)  # the first sheet holds no log


def test_a_sheet_asked_of_no_workbook_is_refused(tmp_path: Path, write_csv) -> None:
    """--sheet on a CSV was passed over in silence: the user meant another file and got this one's
    findings. Among files of which one is a workbook, the sheet is that workbook's."""
    csv_path = write_csv(GOOD_ROWS)
    with pytest.raises(InputError, match=r"log\.csv: sheet '日志' asked for, but only a workbook has sheets"):
        read_raw(csv_path, sheet="日志")
    with pytest.raises(InputError, match="sheet 0 asked for.*this log is records"):
        read_raw(GOOD_ROWS, sheet=0)
    book = tmp_path / "book.xlsx"
    pd.DataFrame(GOOD_ROWS).to_excel(book, sheet_name="日志", index=False)
    events, rejected, rows_read = load_events([csv_path, book], sheet="日志")
    assert (rows_read, len(events), rejected) == (6, 6, [])
    _check_good(*load_events((path for path in [book]), sheet="日志"))  # paths from a generator are paths too


def test_xlsx_real_datetimes_and_serial_numbers(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["case_id", "event", "time", "extra_working_days"])
    # a datetime cell (naive = local), a serial number (45418.375 = 2024-05-06 09:00), a text cell
    sheet.append(["C1", "share.requested", pd.Timestamp("2024-05-06 09:00").to_pydatetime(), 3])
    sheet.append(["C1", "share.compliance_reviewed", 45418.375, None])
    sheet.append([1001, "share.requested", "2024/5/6 9:00", "2"])
    path = tmp_path / "cells.xlsx"
    book.save(path)
    events, rejected, n = load_events(path)
    assert not rejected and n == 3
    assert events["time_ns"].tolist() == [MAY6_0900_NS] * 3
    assert events["case_id"].tolist() == ["C1", "C1", "1001"]
    assert events["extra_working_days"].tolist() == [3, pd.NA, 2]


def test_xlsx_title_row_above_the_table_is_skipped(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["南宁市政务数据共享申请台账（2024年5月）"])
    sheet.append([])
    sheet.append(["case_id", "event", "time"])
    sheet.append(["C1", "share.requested", "2024-05-06 09:00:00"])
    path = tmp_path / "titled.xlsx"
    book.save(path)
    events, rejected, n = load_events(path)
    assert (n, rejected, events["time_ns"].tolist()) == (1, [], [MAY6_0900_NS])
    # a title in two cells (the export's date beside it) fills fewer cells than the table's rows
    sheet.insert_rows(1)
    sheet["A1"], sheet["C1"] = "南宁市政务数据共享申请台账", "导出时间：2024-06-01"
    book.save(path)
    events, rejected, n = load_events(path)
    assert (n, rejected, events["time_ns"].tolist()) == (1, [], [MAY6_0900_NS])


def test_jsonl_and_ndjson(tmp_path: Path) -> None:
    for suffix in (".jsonl", ".ndjson"):
        path = tmp_path / f"log{suffix}"
        lines = [json.dumps(r, ensure_ascii=False) for r in GOOD_ROWS]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        _check_good(*load_events(path))


def test_jsonl_keeps_offsets_and_mixed_types(tmp_path: Path) -> None:
    # Arrow's JSON reader would turn these strings into offset-less timestamps
    rows = [
        {"case_id": 7, "event": "share.requested", "time": "2024-05-06T09:00:00+08:00"},
        {"case_id": "C8", "event": "share.requested", "time": "2024-05-06T01:00:00Z"},
        {"case_id": "C9", "event": "share.requested", "time": "2024-05-06 09:00:00"},
    ]
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    events, rejected, _ = load_events(path)
    assert events["time_ns"].tolist() == [MAY6_0900_NS] * 3
    assert events["case_id"].tolist() == ["7", "C8", "C9"]
    path.write_text("\n".join(json.dumps(r) for r in rows[1:]), encoding="utf-8")  # the Arrow path
    events, _, _ = load_events(path)
    assert events["time_ns"].tolist() == [MAY6_0900_NS] * 2


def test_json_array(tmp_path: Path) -> None:
    path = tmp_path / "log.json"
    path.write_text(json.dumps(GOOD_ROWS, ensure_ascii=False), encoding="utf-8")
    _check_good(*load_events(path))


def test_parquet_with_typed_columns(tmp_path: Path) -> None:
    frame = pd.DataFrame(GOOD_ROWS)
    path = tmp_path / "log.parquet"
    frame.to_parquet(path)
    _check_good(*load_events(path))
    typed = frame.assign(time=pd.to_datetime(frame["time"]).dt.tz_localize("Asia/Shanghai"))
    typed.to_parquet(path)
    _check_good(*load_events(path))


def test_parquet_text_kept_as_bytes_is_read_as_text(tmp_path: Path) -> None:
    # Impala and Hive write a string column as BINARY without its UTF8 mark: read as bytes, the case id
    # was "b'C1'", every event unknown and every time unreadable
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pylist(GOOD_ROWS)
    table = table.cast(pa.schema([pa.field(f.name, pa.binary()) for f in table.schema]))
    table = table.append_column("digest", pa.array([b"\xff\x00", None, b"ok"], pa.binary()))
    path = tmp_path / "impala.parquet"
    pq.write_table(table, path)
    assert pq.read_schema(path).field("case_id").type == pa.binary()
    for source in (path, table, table.to_batches()[0]):
        events, rejected, rows_read = load_events(source)
        _check_good(events, rejected, rows_read)
        assert events["case_id"].tolist() == ["C1", "C1", "C2"]
        assert events["provider"].tolist() == ["公安厅", "公安厅", "自然资源厅"]
        assert events["digest"].tolist()[2] == "b'ok'"  # a column of bytes not all UTF-8: left as they are


def test_dataframe_and_records() -> None:
    good_rows = [dict(r) for r in GOOD_ROWS]
    frame = pd.DataFrame(good_rows, index=[10, 20, 30])
    before = frame.copy()
    _check_good(*load_events(frame))
    pd.testing.assert_frame_equal(frame, before)  # the caller's frame is left alone
    _check_good(*load_events(good_rows))
    _check_good(*load_events(iter(good_rows)))
    _check_good(*load_events([frame.iloc[:2], frame.iloc[2:]]))  # several frames number on
    assert read_raw(good_rows).source.tolist() == ["<records>"] * 3
    assert read_raw(frame).source.tolist() == ["<dataframe>"] * 3


def test_several_files_number_rows_on(tmp_path: Path, write_csv) -> None:
    first = write_csv(GOOD_ROWS[:2], name="2024-05.csv")
    second = tmp_path / "2024-06.jsonl"
    second.write_text(json.dumps(GOOD_ROWS[2], ensure_ascii=False) + "\n", encoding="utf-8")
    raw = read_raw([first, second])
    assert raw.row.tolist() == [1, 2, 3] and raw.rows_read == 3
    assert raw.source.tolist() == [str(first), str(first), str(second)]
    _check_good(*load_events([first, second]))
    # a bad row in the second file carries its continued number and its file
    bad = dict(GOOD_ROWS[2], time="never")
    second.write_text(json.dumps(bad, ensure_ascii=False) + "\n", encoding="utf-8")
    _, rejected, _ = load_events([first, second])
    assert rejected == [{"row": 3, "source": str(second), "case_id": GOOD_ROWS[2]["case_id"],
                         "reason": "time: cannot read 'never' as a time"}]


def test_directory_and_glob(tmp_path: Path, write_csv) -> None:
    write_csv(GOOD_ROWS[:1], name="a.csv")
    write_csv(GOOD_ROWS[1:], name="b.csv")
    (tmp_path / "notes.md").write_text("not a log", encoding="utf-8")
    for source in (tmp_path, str(tmp_path / "*.csv")):
        _check_good(*load_events(source))
        assert read_raw(source).source.tolist()[-1].endswith("b.csv")


def test_files_that_cannot_be_read(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="nope.csv: file not found"):
        read_raw(tmp_path / "nope.csv")
    odd = tmp_path / "log.docx"
    odd.write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="log.docx: unknown file type '.docx'"):
        read_raw(odd)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(InputError, match="broken.xlsx: cannot read"):
        read_raw(broken)
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(b"PAR1 garbage")
    with pytest.raises(InputError, match="broken.parquet: cannot read"):
        read_raw(broken)
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(InputError, match="empty.csv: empty file"):
        read_raw(empty)
    gbk_json = tmp_path / "gbk.jsonl"
    gbk_json.write_bytes('{"case_id": "甲"}\n{oops\n'.encode("gbk"))
    with pytest.raises(InputError, match="gbk.jsonl: not UTF-8 text"):
        read_raw(gbk_json)
    gbk_json.write_bytes('{"case_id": "甲", "event": "share.requested", "time": "2024-05-06"}\n'.encode("gbk"))
    with pytest.raises(InputError, match="gbk.jsonl: not UTF-8 text"):  # valid JSON: Arrow read it, unchecked
        read_raw(gbk_json)
    with pytest.raises(InputError, match="no files match"):
        read_raw(str(tmp_path / "*.parquet.none"))
    with pytest.raises(InputError, match="expected dicts"):
        read_raw([{"a": 1}, 5])


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
def test_utf16_json_with_its_byte_order_mark(tmp_path: Path, encoding: str) -> None:
    # PowerShell's Out-File and > write UTF-16 with its mark: refused as "not UTF-8 text"
    def written(text: str) -> bytes:
        return text.encode(encoding) if encoding == "utf-16" else b"\xfe\xff" + text.encode(encoding)

    lines = tmp_path / "log.jsonl"
    lines.write_bytes(written("".join(json.dumps(row, ensure_ascii=False) + "\r\n" for row in GOOD_ROWS)))
    _check_good(*load_events(lines))
    lines.write_bytes(written(json.dumps(GOOD_ROWS[0], ensure_ascii=False) + "\n\n{oops\n"))
    events, rejected, rows_read = load_events(lines)
    assert rows_read == 2 and rejected[0]["row"] == 2
    assert rejected[0]["reason"].startswith("json: line 3 is not JSON")
    array = tmp_path / "log.json"
    array.write_bytes(written(json.dumps(GOOD_ROWS, ensure_ascii=False)))
    _check_good(*load_events(array))


def test_json_lines_that_are_not_objects_are_rejected_rows_not_fatal(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(
        '{"case_id": "A", "event": "share.requested", "time": "2024-05-06"}\n'
        "{oops\n"                                    # not JSON
        "\n"                                         # blank lines are not rows
        '["A", "share.requested"]\n'                 # JSON, not an object
        '{"case_id": "B", "event": "share.requested", "time": "2024-05-06"}\n',
        encoding="utf-8",
    )
    events, rejected, n = load_events(path)
    assert n == 4 and events["case_id"].tolist() == ["A", "B"]
    assert [(r["row"], r["reason"]) for r in rejected] == [
        (2, "json: line 2 is not JSON: Expecting property name enclosed in double quotes (column 2)"),
        (3, "json: line 4 is an array, not an object (one event per line)"),
    ]
    items = tmp_path / "items.json"
    items.write_text('[{"case_id": "A", "event": "share.requested", "time": "2024-05-06"}, 5]', encoding="utf-8")
    events, rejected, n = load_events(items)
    assert n == 2
    assert [r["reason"] for r in rejected] == ["json: item 2 is a number, not an object (one event per item)"]


def test_ragged_csv_rows_are_padded_or_rejected_not_fatal(tmp_path: Path) -> None:
    path = tmp_path / "ragged.csv"
    path.write_text(
        "case_id,event,time,note\n"
        "A,share.requested,2024-05-06\n"            # trailing empty cell dropped: padded
        "\n"                                         # blank lines are not rows
        "B,share.requested,2024-05-06,x,,\n"        # extra empty fields: harmless
        "C,share.requested,2024-05-06,x,y,z\n"      # text past the header: rejected
        'D,share.requested,2024-05-06,"two\nlines"\n',
        encoding="utf-8",
    )
    events, rejected, n = load_events(path)
    assert n == 4 and events["case_id"].tolist() == ["A", "B", "D"]
    assert [None if pd.isna(v) else v for v in events["note"]] == [None, "x", "two\nlines"]
    assert rejected == [{"row": 3, "source": str(path), "case_id": "C",
                         "reason": "csv: the row has 6 fields where the header has 4 (an unquoted ','?)"}]


def test_header_only_and_empty_inputs(tmp_path: Path) -> None:
    path = tmp_path / "h.csv"
    path.write_text("case_id,event,time\n", encoding="utf-8")
    events, rejected, n = load_events(path)
    assert (len(events), rejected, n) == (0, [], 0)
    events, rejected, n = load_events([])
    assert (len(events), rejected, n) == (0, [], 0)
    assert list(events.columns) == ["row", "case_id", "event", "time_ns", "day"]


def test_duplicate_and_blank_headers_are_kept_apart(tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    path.write_text("case_id,event,time,note,note,\nC1,share.requested,2024-05-06,a,b,c\n", encoding="utf-8")
    raw = read_raw(path)
    assert list(raw.frame.columns) == ["case_id", "event", "time", "note", "note (2)", "unnamed_6"]
    assert np.array_equal(raw.row, [1])


@pytest.mark.parametrize("cut_inside", [1, 6, 30])
def test_a_quoted_value_with_a_line_break_across_a_read_block_stays_one_row(tmp_path: Path, cut_inside: int) -> None:
    """Arrow reads a CSV in 1 MB blocks and, unless told values hold line breaks, cuts a block at any
    line break: a value spanning a cut became two rows, the second one junk of the right width."""
    from govdata_policy.io.csv_read import CSV_BLOCK

    header = "case_id,event,time,reason\n"
    filler = "F{:06d},share.requested,2024-03-05 10:00:00,\n"
    lines, size = [header], len(header)
    while size + len(filler.format(0)) < CSV_BLOCK - 40:
        lines.append(filler.format(len(lines)))
        size += len(lines[-1])
    opening = 'X1,share.requested,2024-03-05 10:00:00,"note:'
    pad = CSV_BLOCK - size - len(opening) - cut_inside  # the line break falls just before the block's end
    lines.append("P1,share.requested,2024-03-05 10:00:00," + "p" * max(pad - 40, 0) + "\n")
    lines.append(opening + '\nsee annex,art 2,para 3,item 4"\n')
    lines += [filler.format(i) for i in range(5)]
    path = tmp_path / "log.csv"
    path.write_text("".join(lines), encoding="utf-8")
    frame = read_raw(path).frame
    assert len(frame) == len(lines) - 1
    assert frame.loc[frame["case_id"] == "X1", "reason"].tolist() == ["note:\nsee annex,art 2,para 3,item 4"]
    assert "see annex" not in set(frame["case_id"])


def test_a_title_holding_a_separator_control_character_costs_no_row(tmp_path: Path) -> None:
    """str.splitlines breaks at \\x1c; Arrow does not: the header was looked for one line too far on,
    and the first data row was read as the header."""
    path = tmp_path / "titled.csv"
    path.write_text("市台账\x1c2024\ncase_id,event,time\nC1,share.requested,2024-03-01 10:00\n"
                    "C2,share.requested,2024-03-02 10:00\n", encoding="utf-8")
    frame = read_raw(path).frame
    assert frame["case_id"].tolist() == ["C1", "C2"]


def test_a_note_beside_the_exports_in_a_folder_is_named_with_a_way_to_leave_it_out(tmp_path: Path) -> None:
    folder = tmp_path / "monthly"
    folder.mkdir()
    (folder / "jan.csv").write_text("case_id,event,time\nA,share.requested,2025-03-10 09:00\n", encoding="utf-8")
    (folder / "说明.txt").write_text("本目录为导出的共享日志, 请勿修改\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_events(folder)
    assert str(caught.value).startswith(f"{folder / '说明.txt'}: missing required columns case_id, event, time")
    assert f"it may be no log at all (a note or a summary beside the exports): leave it out, e.g. give the files " \
           f"as a pattern such as {folder / '*.csv'}" in str(caught.value)
    events, rejected, read = load_events(str(folder / "*.csv"))  # as the message says
    assert read == 1 and not rejected
