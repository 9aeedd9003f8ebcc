"""A CSV whose bytes its encoding cannot all read: a value cut inside a character, or exports in two
encodings joined. Before, a UTF-8 file failing further down was read again whole as GB18030 (its UTF-8
rows garbled: each event word unknown, a provider's name mojibake) or refused whole by GB18030's codec
("cannot read: 'gb18030' codec can't decode byte 0x8e in position 171100"), and so was a GBK file
holding one value cut inside a character. Now the rows holding such bytes are refused, naming them."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

import govdata_policy as gp
from govdata_policy.io import load_events
from govdata_policy.reasons_zh import reason_zh

HEADER = "申请编号,环节,办理时间,提供部门\n"
MAPPING = {"columns": {"申请编号": "case_id", "环节": "event", "办理时间": "time", "提供部门": "provider"},
           "values": {"event": {"提交申请": "share.requested"}}}


def _rows(count: int, start: int = 0) -> str:
    return "".join(f"GX{i:05d},提交申请,2024-05-06 09:00,自治区公安厅\n" for i in range(start, start + count))


# 3000 rows: past the 64 KiB the encoding is told by and past Arrow's first block
@pytest.mark.parametrize(("data", "bad", "why"), [
    # a UTF-8 export, a value cut inside its last character
    ((HEADER + _rows(3000)).encode() + "GX99999,提交申请,2024-05-06 09:00,自治区公安".encode() + "厅".encode()[:2]
     + b"\n" + _rows(2, 3000).encode(), 3001, "not UTF-8 text, as the file is (b'\\xe5\\x8e': a value cut"),
    # a UTF-8 export with a GBK export joined under it
    ((HEADER + _rows(3000)).encode() + _rows(1, 3000).encode("gbk"), 3001,
     "not UTF-8 text, as the file is (b'\\xcc'…: a value cut"),  # its first run of them, and more
    # a GBK export, a value cut inside a character (near the top: its rows read as GB18030 by Arrow)
    ((HEADER + _rows(50)).encode("gbk") + "GX99999,提交申请,2024-05-06 09:00,自治区公安".encode("gbk")
     + "厅".encode("gbk")[:1] + b"\n" + _rows(2, 50).encode("gbk"), 51,
     "not GB18030 (GBK) text, as the file is (b'\\xcc': a value cut"),
], ids=["utf-8 cut", "utf-8 then gbk", "gbk cut"])
def test_rows_whose_bytes_the_encoding_cannot_read_are_refused_alone(tmp_path: Path, data: bytes, bad: int,
                                                                     why: str) -> None:
    path = tmp_path / "log.csv"
    path.write_bytes(data)
    events, rejected, rows_read = load_events(path, mapping=MAPPING)
    assert rows_read == len(events) + len(rejected)
    assert [row["row"] for row in rejected] == [bad]
    assert rejected[0]["reason"].startswith(f"csv: the row holds bytes that are {why}"), rejected[0]["reason"]
    assert set(events["provider"]) == {"自治区公安厅"}  # no row garbled
    assert set(events["event"]) == {"share.requested"}
    zh = reason_zh(rejected[0]["reason"].split("; ")[0])
    assert zh.startswith("csv：该行含有不能按文件的编码") and "两种编码的文件" in zh, zh


def test_the_refused_row_is_named_by_its_line(tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    path.write_bytes(("台账\n" + HEADER + _rows(3000) + "\n").encode() + _rows(1, 3000).encode("gbk"))
    result = gp.load_jurisdiction("guangxi").evaluate(path, mapping=MAPPING, as_of="2024-06-30")
    assert result.rows == {"read": 3001, "accepted": 3000, "rejected": 1}
    assert (result.rejected_rows[0]["row"], result.rejected_rows[0]["line"]) == (3001, 3004)


def test_a_gbk_file_with_an_ascii_head_is_still_read_as_gbk(tmp_path: Path) -> None:
    # (docs/input.md: ASCII in the first 64 KiB, GBK below: the file is GBK, read again so, fast)
    path = tmp_path / "log.csv"
    ascii_rows = "".join(f"C{i},share.requested,2024-05-06 09:00,x\n" for i in range(3000))
    path.write_bytes(("case_id,event,time,provider\n" + ascii_rows + "C9,share.requested,2024-05-06 09:00,公安厅\n"
                      ).encode("gbk"))
    events, rejected, _ = load_events(path)
    assert not rejected and events["provider"].iloc[-1] == "公安厅"


def _utf16(text: str, encoding: str) -> bytes:
    """``text`` in UTF-16: with its byte order mark (``utf-16``, as Excel's "Unicode text"), or without it."""
    return codecs.BOM_UTF16_LE + text.encode("utf-16-le") if encoding == "utf-16" else text.encode(encoding)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("half", ["high", "low"])
def test_a_utf16_row_holding_half_a_surrogate_pair_is_refused_alone(tmp_path: Path, encoding: str, half: str) -> None:
    # a value cut between the two units of a character beyond the BMP (𠀀 U+20000: D840 DC00), by a length counted
    # in UTF-16 units; the whole file was refused ("'utf-16-le' codec can't decode bytes in position 175994-175995:
    # illegal UTF-16 surrogate"), where a GBK or UTF-8 file's row is refused alone
    unit = "𠀀".encode("utf-16-be" if encoding == "utf-16-be" else "utf-16-le")[:2 if half == "high" else 4][-2:]
    cut = _utf16("GX99999,提交申请,2024-05-06 09:00,自治区公安厅", encoding).removeprefix(codecs.BOM_UTF16_LE)
    data = (_utf16(HEADER + _rows(3000), encoding) + cut + unit
            + _utf16("\n" + _rows(2, 3000), encoding).removeprefix(codecs.BOM_UTF16_LE))
    path = tmp_path / "log.csv"
    path.write_bytes(data)
    result = gp.load_jurisdiction("guangxi").evaluate(path, mapping=MAPPING, as_of="2024-06-30")
    assert result.rows == {"read": 3003, "accepted": 3002, "rejected": 1}
    refused = result.rejected_rows[0]
    assert (refused["row"], refused["line"], refused["case_id"]) == (3001, 3002, "GX99999")
    name = "UTF-16 BE" if encoding == "utf-16-be" else "UTF-16 LE"
    assert refused["reason"] == (f"csv: the row holds bytes that are not {name} text, as the file is ({unit!r}: "
                                 "a value cut inside a character, or files in two encodings joined?)")
    assert reason_zh(refused["reason"]).startswith(f"csv：该行含有不能按文件的编码 {name} 读成文本的字节")
    events, _, _ = load_events(path, mapping=MAPPING)
    assert set(events["provider"]) == {"自治区公安厅"} and set(events["event"]) == {"share.requested"}


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le"])
def test_a_utf16_file_cut_short_by_a_byte_refuses_its_last_row(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "log.csv"
    path.write_bytes(_utf16(HEADER + _rows(3000), encoding)[:-1])  # its last line end half written
    events, rejected, rows_read = load_events(path, mapping=MAPPING)
    assert rows_read == 3000 == len(events) + 1 and [row["row"] for row in rejected] == [3000]
    assert "(b'\\n': a value cut" in rejected[0]["reason"]
