"""A Parquet column of bytes (Impala and Hive write text so) holding GBK text, as tables filled from
Chinese government systems do: read as GB18030 text, as a GBK CSV is. Before, every cell stayed bytes
and ``b'\\xbc\\xd7-1'`` was accepted as a case, ``b'\\xb9\\xab...'`` as the provider."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

import govdata_policy as gp
from govdata_policy.io import load_events
from govdata_policy.reasons_zh import reason_zh

ROWS = [
    {"case_id": "甲-1", "event": "share.requested", "time": "2024-05-06 09:00:00", "provider": "公安厅",
     "category": "conditional", "note": "𠀀 四字节"},  # U+20000: four bytes in GB18030
    {"case_id": "甲-1", "event": "share.provider_reviewed", "time": "2024-05-07 10:00:00", "provider": "公安厅",
     "outcome": "approved", "note": None},
    {"case_id": "乙-2", "event": "share.requested", "time": "2024-05-08 10:00:00", "provider": "自然资源厅",
     "category": "unconditional", "note": "ok"},
]
NAMES = ["case_id", "event", "time", "provider", "category", "outcome", "note"]


def _binary_table(rows: list[dict], encoding: str = "gbk", dictionary: bool = False) -> pa.Table:
    def cell(value: object) -> bytes | None:
        if value is None or isinstance(value, bytes):
            return value
        return str(value).encode("gb18030" if encoding == "gbk" else encoding)

    columns = {name: pa.array([cell(row.get(name)) for row in rows], pa.binary()) for name in NAMES}
    if dictionary:  # as a Parquet file's text is read (io.parquet_table)
        return pa.table({name: pc.dictionary_encode(column) for name, column in columns.items()})
    return pa.table(columns)


@pytest.mark.parametrize("dictionary", [False, True])
def test_gbk_bytes_are_read_as_text(tmp_path: Path, dictionary: bool) -> None:
    table = _binary_table(ROWS, dictionary=dictionary)
    path = tmp_path / "impala.parquet"
    pq.write_table(table, path)
    for source in (path, table, table.to_batches()[0]):
        events, rejected, rows_read = load_events(source)
        assert (rejected, rows_read) == ([], 3)
        assert events["case_id"].tolist() == ["甲-1", "甲-1", "乙-2"]
        assert events["provider"].tolist() == ["公安厅", "公安厅", "自然资源厅"]
        assert events["note"].tolist()[0] == "𠀀 四字节"


def test_bytes_no_encoding_reads_refuse_their_row_where_a_rule_reads_them(tmp_path: Path) -> None:
    # a value cut inside a character (a byte-limited VARCHAR): neither GB18030 nor UTF-8 reads it
    cut = "公安厅".encode("gbk")[:-1]
    rows = [dict(ROWS[0], provider=cut), dict(ROWS[1], case_id="甲-1".encode("gbk") + b"\xff"), ROWS[2]]
    table = _binary_table(rows).append_column("digest", pa.array([b"\xff\x00", None, b"\x80"], pa.binary()))
    path = tmp_path / "impala.parquet"
    pq.write_table(table, path)
    for source in (path, table):
        events, rejected, rows_read = load_events(source)
        assert rows_read == len(events) + len(rejected) == 3
        assert events["case_id"].tolist() == ["乙-2"]  # the other rows' texts read as GB18030 still
        assert events["provider"].tolist() == ["自然资源厅"]
        assert events["digest"].tolist() == ["b'\\x80'"]  # mostly no text: the bytes it is, as before
        reasons = {row["row"]: row["reason"] for row in rejected}
        assert reasons == {
            1: "provider: b'\\xb9\\xab\\xb0\\xb2\\xcc' is bytes that read as neither UTF-8 nor GB18030 (GBK) text, "
               "not a value",
            2: "case_id: b'\\xbc\\xd7-1\\xff' is bytes that read as neither UTF-8 nor GB18030 (GBK) text, not a value",
        }
        assert reason_zh(reasons[1]) == ("provider：b'\\xb9\\xab\\xb0\\xb2\\xcc'是既不能按 UTF-8 "
                                         "也不能按 GB18030（GBK）读成文本的字节，不是数据")


def test_a_utf8_column_with_a_broken_value_stays_utf8(tmp_path: Path) -> None:
    # no value is GB18030 alone: the column is UTF-8, its broken value refused, the others not turned to mojibake
    rows = [dict(row, provider=row["provider"].encode("utf-8")) for row in ROWS]
    rows[1]["provider"] = "公安".encode() + b"\xe5"
    events, rejected, rows_read = load_events(_binary_table(rows))
    assert rows_read == 3
    assert events["provider"].tolist() == ["公安厅", "自然资源厅"]
    assert [row["row"] for row in rejected] == [2]


def test_gbk_parquet_under_a_mapping(tmp_path: Path) -> None:
    # the column a rule reads is known after the mapping: 申请编号 is the case id
    rows = [dict(ROWS[0], case_id=b"\xbc"), *ROWS[1:]]
    table = _binary_table(rows)
    table = table.rename_columns(["申请编号", *table.column_names[1:]])
    path = tmp_path / "impala.parquet"
    pq.write_table(table, path)
    result = gp.load_jurisdiction("guangxi").evaluate(path, mapping={"columns": {"申请编号": "case_id"}},
                                                      as_of="2024-06-30")
    assert result.rows == {"read": 3, "accepted": 2, "rejected": 1}
    assert result.rejected_rows[0]["reason"].startswith("case_id: b'\\xbc' is bytes that read as neither")


def test_a_value_no_encoding_reads_passes_through_where_no_rule_reads_it() -> None:
    rows = [dict(row, note=row["note"] or "备注") for row in ROWS]
    rows[2]["note"] = "备注".encode("gbk")[:-1]
    events, rejected, rows_read = load_events(_binary_table(rows))
    assert (rejected, rows_read) == ([], 3)
    assert events["note"].tolist() == ["𠀀 四字节", "备注", "b'\\xb1\\xb8\\xd7'"]
