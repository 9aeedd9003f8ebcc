"""Text logs in UTF-16 without a byte order mark (PowerShell's Out-File piped on, .NET exporters, bcp -w):
read as UTF-16 where their NUL bytes say so, in every place a text log comes in; refused by name where
the NULs show UTF-16's pattern and the text is not text. Before, a CSV said "columns found: c a s e _ i d"
or failed in GB18030's codec, and JSON was "not UTF-8 text" or "Expecting value"."""

from __future__ import annotations

import codecs
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from govdata_policy.cli.app import app
from govdata_policy.io import InputError, load_events, wide_text
from govdata_policy.io.csv_head import detect_encoding
from govdata_policy.io.spool import content_suffix, spooled
from govdata_policy.io.wide_text import bomless_utf16, nul_byte_order

ORDERS = ["utf-16-le", "utf-16-be"]
CSV = ("case_id,event,time,provider,note\r\n"
       "甲1,share.requested,2024-05-06 09:00,市公安局,\r\n"
       "\r\n"
       "甲1,share.bogus,2024-05-07 09:00,,\r\n"
       '甲2,share.requested,2024-05-08 09:00,市民政局,"备注：\r\n补充,,,,"\r\n')
ROWS = [{"case_id": "甲1", "event": "share.requested", "time": "2024-05-06 09:00", "provider": "市公安局"},
        {"case_id": "甲1", "event": "share.bogus", "time": "2024-05-07 09:00"},
        {"case_id": "甲2", "event": "share.requested", "time": "2024-05-08 09:00", "provider": "市民政局"}]


def _check(events, rejected, rows_read, line: int | None = 4) -> None:
    assert rows_read == 3 == len(events) + len(rejected)
    assert events["case_id"].tolist() == ["甲1", "甲2"]
    assert events["provider"].tolist() == ["市公安局", "市民政局"]
    assert [r["row"] for r in rejected] == [2] and rejected[0]["reason"].startswith("event: unknown event")
    assert rejected[0].get("line", line) == line


@pytest.mark.parametrize("order", ORDERS)
def test_a_csv_is_read(tmp_path: Path, order: str) -> None:
    path = tmp_path / "log.csv"
    path.write_bytes(CSV.encode(order))
    assert detect_encoding(path.read_bytes()) == order
    events, rejected, rows_read = load_events(path)
    _check(events, rejected, rows_read)
    # the last value's lines (a row's worth of commas) closed at the end of the file: no swallowed rows
    assert "备注" in events["note"].iloc[-1]


@pytest.mark.parametrize("order", ORDERS)
def test_chinese_headers_alone_show_the_pattern_in_their_delimiters(tmp_path: Path, order: str) -> None:
    header = "申请编号,环节,办理时间\r\n"
    assert nul_byte_order(header.encode(order)) == order == bomless_utf16(header.encode(order))
    path = tmp_path / "log.csv"
    path.write_bytes((header + "甲1,提交申请,2024-05-06 09:00\r\n").encode(order))
    mapping = {"columns": {"申请编号": "case_id", "环节": "event", "办理时间": "time"},
               "values": {"event": {"提交申请": "share.requested"}}}
    events, rejected, rows_read = load_events(path, mapping=mapping)
    assert rows_read == 1 and rejected == [] and events["event"].tolist() == ["share.requested"]


@pytest.mark.parametrize("order", ORDERS)
def test_json_lines_and_json_are_read(tmp_path: Path, order: str) -> None:
    lines = tmp_path / "log.jsonl"
    lines.write_bytes("".join(json.dumps(row, ensure_ascii=False) + "\r\n" for row in ROWS).encode(order))
    _check(*load_events(lines), line=2)
    array = tmp_path / "log.json"
    array.write_bytes(json.dumps(ROWS, ensure_ascii=False).encode(order))
    _check(*load_events(array), line=None)


@pytest.mark.parametrize("order", ORDERS)
def test_a_folder_of_files_in_either_encoding(tmp_path: Path, order: str) -> None:
    (tmp_path / "a.csv").write_text("case_id,event,time\n甲0,share.requested,2024-05-01 09:00\n", encoding="utf-8")
    (tmp_path / "b.csv").write_bytes(CSV.encode(order))
    events, rejected, rows_read = load_events(tmp_path)
    assert rows_read == 4 and len(events) == 3 and [r["row"] for r in rejected] == [3]


@pytest.mark.parametrize("order", ORDERS)
@pytest.mark.parametrize(("text", "suffix"), [(CSV, ".csv"), ("\r\n" + json.dumps(ROWS[0]) + "\r\n", ".jsonl"),
                                              (json.dumps(ROWS), ".json")])
def test_standard_input_is_told_by_its_content(tmp_path: Path, order: str, text: str, suffix: str) -> None:
    assert content_suffix(text.encode(order), tmp_path / "copy", "<stdin>") == suffix


@pytest.mark.parametrize("order", ORDERS)
def test_standard_input_is_read(order: str) -> None:
    from io import BytesIO

    with spooled(["-"], stdin=BytesIO(CSV.encode(order))) as given:
        _check(*load_events(given))


def test_mapping_init_drafts_from_it(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes("申请编号,环节,办理时间\r\n甲1,提交申请,2024-05-06 09:00\r\n".encode("utf-16-le"))
    result = CliRunner().invoke(app, ["mapping", "init", str(path)])
    assert result.exit_code == 0, result.output
    assert "申请编号: case_id" in result.output and "提交申请: share.requested" in result.output


@pytest.mark.parametrize("order", ORDERS)
def test_nuls_in_the_pattern_whose_text_is_no_text_are_refused_by_name(tmp_path: Path, order: str) -> None:
    name = order.upper().replace("-16-", "-16 ")
    for suffix in (".csv", ".jsonl"):
        path = tmp_path / f"log{suffix}"
        path.write_bytes(("case_id,event,time\r\n" + "\x01\x02" * 200).encode(order))
        with pytest.raises(InputError, match=f"looks like {name} without a byte order mark .*: save it as UTF-8, "
                                             "or UTF-16 with its byte order mark"):
            load_events(path)
    with pytest.raises(InputError, match=f"<stdin>: looks like {name} without a byte order mark"):
        content_suffix(path.read_bytes(), tmp_path / "copy", "<stdin>")


def test_a_stray_nul_in_utf8_is_no_utf16(tmp_path: Path) -> None:
    # NULs a few and on one side (a value padded by a database) say nothing: the file is read as before
    text = "case_id,event,time,note\n" + "".join(f"C{i},share.requested,2024-05-06 09:00,x\n" for i in range(50))
    data = text.encode("utf-8")
    data = data[:41] + b"\x00" + data[42:]  # in the first row's event
    assert nul_byte_order(data) is None and detect_encoding(data) == "utf-8"
    path = tmp_path / "log.csv"
    path.write_bytes(data)
    events, rejected, rows_read = load_events(path)
    assert rows_read == 50 and len(events) + len(rejected) == 50


@pytest.mark.parametrize("order", ["LE", "BE"])
def test_utf32_is_refused_by_name(tmp_path: Path, order: str) -> None:
    # its mark FF FE 00 00 starts as UTF-16 LE's: the file was read as UTF-16, a NUL after each character
    # ("columns found: c a s e _ i d"); BE's was "not a log: neither text" on standard input
    mark = codecs.BOM_UTF32_LE if order == "LE" else codecs.BOM_UTF32_BE
    said = f"UTF-32 {order} text (by its byte order mark), which is not read: save it as UTF-8, or UTF-16"
    for suffix, text in ((".csv", CSV), (".jsonl", json.dumps(ROWS[0]) + "\n"), (".json", json.dumps(ROWS))):
        path = tmp_path / f"log{suffix}"
        path.write_bytes(mark + text.encode(f"utf-32-{order.lower()}"))
        with pytest.raises(InputError, match=re.escape(f"log{suffix}: {said}")) as raised:
            load_events(path)
        assert raised.value.zh.endswith(f"log{suffix}：UTF-32 {order} 文本（据其字节顺序标记），无法读取："
                                        "请另存为 UTF-8，或带字节顺序标记的 UTF-16")
        with pytest.raises(InputError, match=re.escape(f"<stdin>: {said}")):
            content_suffix(path.read_bytes(), tmp_path / "copy", "<stdin>")


def test_a_few_nuls_on_one_side_of_a_utf8_head_are_no_utf16(tmp_path: Path) -> None:
    # three NULs, all on the second byte of their pairs, in a short UTF-8 log: the pattern's share (2% of the
    # pairs) and side were met, and the log was read as UTF-16 (a header of CJK-looking garbage)
    data = bytearray(b"case_id,event,time\nA1,share.requested,2024-05-06 09:00\n")
    for at in (25, 27, 29):  # odd places in "share.requested"
        data[at] = 0
    assert nul_byte_order(bytes(data)) is None and detect_encoding(bytes(data)) == "utf-8"
    path = tmp_path / "log.csv"
    path.write_bytes(bytes(data))
    events, rejected, rows_read = load_events(path)
    assert rows_read == 1 and [r["case_id"] for r in rejected] == ["A1"]  # its event holds NULs: rejected, named


@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
def test_a_fixed_width_8bit_log_with_a_nul_in_each_row_is_no_utf16(tmp_path: Path, encoding: str) -> None:
    # rows of one even length, each holding a NUL (a field's terminator or pad): every NUL on one side of the
    # pairs, one in 20 or 21; the log was read as UTF-16 BE ("columns found: 捡獥彩搬...")
    note = "ok" if encoding == "utf-8" else "已办结"
    text = "case_id,event,time,note\n" + "".join(
        f"C{i:03d},share.requested,2024-05-06 09:00,{note}\x00\n" for i in range(40))
    data = text.encode(encoding)
    assert nul_byte_order(data) is None and detect_encoding(data) == ("utf-8" if encoding == "utf-8" else "gb18030")
    path = tmp_path / "log.csv"
    path.write_bytes(data)
    events, rejected, rows_read = load_events(path)
    assert rows_read == 40 == len(events) + len(rejected) and events["case_id"].iloc[0] == "C000"


# an officer's remark: 一 (U+4E00) and 开 (U+5F00) hold a NUL on the other side of their pair (1 in 70 characters
# of a Chinese text); the other holds none, but its rows' NULs lie in fewer than one pair in 10, and its UTF-16 LE
# reads as GB18030 (no full-width comma, FF0C, whose FF GB18030 refuses)
REMARKS = {"yi-kai": "经审核，申请材料齐全，符合共享条件，同意开通接口调用权限，使用期限为一年，期满后请重新提交。" * 5,
           "gb18030-like": "申请单位用于不动产登记业务办理。提供部门已核实数据并答复。" * 8}
MAPPING = {"columns": {"申请编号": "case_id", "环节": "event", "办理时间": "time", "备注": "note"},
           "values": {"event": {"提交申请": "share.requested"}}}


def _remarked(remark: str, rows: int) -> str:
    return "申请编号,环节,办理时间,备注\r\n" + "".join(
        f"甲{i},提交申请,2024-05-06 09:00,{remark}\r\n" for i in range(rows))


@pytest.mark.parametrize("order", ORDERS)
@pytest.mark.parametrize("remark", REMARKS)
def test_rows_of_long_chinese_remarks_are_read(tmp_path: Path, order: str, remark: str) -> None:
    # NULs on one side 8 times as many as on the other was the test: 一 and 开 broke it from some 190 characters
    # a row, and a head reading as GB18030 with NULs in under a tenth of its pairs was taken for a fixed-width
    # 8-bit export; either way the file was read as GB18030 (columns of garbage) or said to hold no text
    text = _remarked(REMARKS[remark], 40)
    assert nul_byte_order(text.encode(order)[:1 << 16]) == order == detect_encoding(text.encode(order)[:1 << 16])
    path = tmp_path / "log.csv"
    path.write_bytes(text.encode(order))
    events, rejected, rows_read = load_events(path, mapping=MAPPING)
    assert rows_read == 40 == len(events) and rejected == [] and events["note"].iloc[0] == REMARKS[remark]
    lines = tmp_path / "log.jsonl"
    lines.write_bytes("".join(json.dumps({"case_id": f"甲{i}", "event": "share.requested", "time": "2024-05-06 09:00",
                                          "note": REMARKS[remark]}, ensure_ascii=False) + "\r\n"
                              for i in range(40)).encode(order))
    events, rejected, rows_read = load_events(lines)
    assert rows_read == 40 == len(events) and rejected == []


@pytest.mark.parametrize("order", ORDERS)
def test_one_long_remark_near_the_top_is_read_through_the_command_line(tmp_path: Path, order: str) -> None:
    path = tmp_path / "log.csv"
    path.write_bytes(_remarked("一项数据开放申请。" * 150, 2).encode(order))  # 1,350 characters, 300 of them 一 or 开
    mapping = tmp_path / "map.yaml"
    mapping.write_text(json.dumps(MAPPING, ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(path), "-j", "guangxi", "--as-of", "2026-06-30", "--mapping",
                                      str(mapping), "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    assert json.loads(result.stdout)["rows"] == {"read": 2, "accepted": 2, "rejected": 0}
    assert content_suffix(path.read_bytes(), tmp_path / "copy", "<stdin>") == ".csv"


@pytest.mark.parametrize("order", ORDERS)
def test_utf16_its_nuls_do_not_show_is_not_said_to_hold_no_text(tmp_path: Path, order: str,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    # where the NULs' pattern does not decide (as Chinese remarks made it fail before), a file that reads as UTF-16
    # and neither as UTF-8 nor GB18030 was told it "holds no text ... an image, an archive or a document?"
    monkeypatch.setattr(wide_text, "nul_byte_order", lambda head: None)
    name = order.upper().replace("-16-", "-16 ")
    remark = "一开刀七丁平安工作已经办理完成请查收开展一项数据共享业务" * 8
    said = (f"(the file looks like {name} text without a byte order mark, which its bytes do not show beyond doubt: "
            "save it as UTF-8, or UTF-16 with its byte order mark)")
    files = [(".jsonl", json.dumps({"note": remark}, ensure_ascii=False) + "\r\n"),
             (".json", json.dumps([{"note": remark}], ensure_ascii=False))]
    if order == "utf-16-be":  # (LE reads as GB18030, its header garbled: the columns found are named)
        files.append((".csv", _remarked(remark, 5)))
    for suffix, text in files:
        path = tmp_path / f"log{suffix}"
        path.write_bytes(text.encode(order))
        with pytest.raises(InputError) as raised:
            load_events(path)
        assert str(raised.value).endswith(said) and "holds no text" not in str(raised.value)
        assert raised.value.zh.endswith(f"（文件看似不带字节顺序标记的 {name} 文本，但其字节不足以确定："
                                        "请另存为 UTF-8，或带字节顺序标记的 UTF-16）")
    with pytest.raises(InputError, match=re.escape(f"<stdin>: looks like {name} text without a byte order mark")):
        content_suffix(_remarked(remark, 5).encode(order), tmp_path / "copy", "<stdin>")
    # bytes that read as no text in any of them are still said to be no log (an image)
    image = tmp_path / "image.csv"
    image.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(128, 256)) * 30)
    with pytest.raises(InputError, match="holds no text"):
        load_events(image)
