"""Numeric case ids are kept digit for digit, or refused: never rounded into another case.

An 18-19 digit id (a snowflake id, a 流水号) is beyond what a float64 holds exactly (2**53).
pandas made a column of ints with a gap float64, and Arrow reads a 20-digit JSON number as a
double: two cases became one, under an id the log does not have (a helper's input audit).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import govdata_policy as gp

REQUEST = {"event": "share.requested", "requester_level": "region", "provider_level": "region",
           "category": "conditional"}
# two ids a float64 cannot tell apart (both round to 123456789012345680), and a row without one
IDS_IN_INT64 = [123456789012345678, 123456789012345679, None]
IDS_BEYOND_INT64 = [12345678901234567890, 12345678901234567891]


def _rows(ids: list[Any]) -> list[dict[str, Any]]:
    return [dict(REQUEST, case_id=case, time=f"2024-03-0{4 + i} 09:00") for i, case in enumerate(ids)]


def _overdue_cases(source: Any) -> list[str]:
    # gx-29.2: a request never answered is overdue on 2025-12-31, one finding per case
    result = gp.load_jurisdiction("guangxi").evaluate(source, as_of="2025-12-31")
    return sorted(set(result.violations["case_id"]))


def _write(tmp_path: Path, kind: str, rows: list[dict[str, Any]]) -> Path:
    path = tmp_path / f"log.{kind}"
    if kind == "jsonl":
        path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    elif kind == "json":
        path.write_text(json.dumps(rows), encoding="utf-8")
    else:
        pq.write_table(pa.Table.from_pylist(rows), path)
    return path


@pytest.mark.parametrize("kind", ["jsonl", "json", "parquet", "records"])
def test_ids_with_a_gap_keep_their_digits(tmp_path: Path, kind: str) -> None:
    rows = _rows(IDS_IN_INT64)
    source = rows if kind == "records" else _write(tmp_path, kind, rows)
    assert _overdue_cases(source) == ["123456789012345678", "123456789012345679"]


@pytest.mark.parametrize("kind", ["jsonl", "json", "records"])
def test_ids_beyond_int64_keep_their_digits(tmp_path: Path, kind: str) -> None:
    rows = _rows(IDS_BEYOND_INT64)
    source = rows if kind == "records" else _write(tmp_path, kind, rows)
    assert _overdue_cases(source) == ["12345678901234567890", "12345678901234567891"]


def test_a_number_attribute_with_gaps_is_read_as_before(tmp_path: Path) -> None:
    # extra_working_days on one row only: Int64 now, float64 before; the same text, the same findings
    rows = [dict(_rows(["A"])[0], extra_working_days=3), dict(_rows(["B"])[0])]
    from_jsonl = gp.load_jurisdiction("yongzhou").evaluate(_write(tmp_path, "jsonl", rows), as_of="2025-12-31")
    csv = tmp_path / "log.csv"
    pd.DataFrame(rows).astype({"extra_working_days": "Int64"}).to_csv(csv, index=False)
    from_csv = gp.load_jurisdiction("yongzhou").evaluate(csv, as_of="2025-12-31")
    assert from_jsonl.violations.drop(columns="evidence_rows").equals(from_csv.violations.drop(columns="evidence_rows"))
    assert not from_jsonl.rejected_rows and not from_csv.rejected_rows


def test_ids_a_float_has_rounded_are_refused_not_merged() -> None:
    frame = pd.DataFrame(_rows([123456789012345678.0, 123456789012345679.0, 5.0]))
    result = gp.load_jurisdiction("guangxi").evaluate(frame, as_of="2025-12-31")
    assert sorted(set(result.violations["case_id"])) == ["5"]  # the small id, exact as a float, is checked
    assert [r["row"] for r in result.rejected_rows] == [1, 2]
    assert all("too large for a float to keep every digit" in r["reason"] for r in result.rejected_rows)
    # the monitor refuses the same rows for the same reason
    monitor = gp.load_jurisdiction("guangxi").monitor()
    for record in frame.to_dict("records"):
        monitor.push(record)
    assert [r["reason"] for r in monitor.rejected] == [r["reason"] for r in result.rejected_rows]


def test_an_arrow_table_is_read_as_its_parquet_file_is(tmp_path: Path) -> None:
    # a platform holding Arrow: it was refused ("cannot read a log from Table")
    rows = _rows(IDS_IN_INT64)
    table = pa.Table.from_pylist(rows)
    assert _overdue_cases(table) == _overdue_cases(_write(tmp_path, "parquet", rows)) == [
        "123456789012345678", "123456789012345679"]
    result = gp.load_jurisdiction("guangxi").evaluate(table.to_batches()[0], as_of="2025-12-31")
    assert [r["source"] for r in result.rejected_rows] == ["<arrow>"]  # the row without a case id


@pytest.mark.parametrize("suffix", [".jsonl", ".json"])
def test_a_json_number_too_long_for_python_is_kept_as_its_digits(tmp_path: Path, suffix: str) -> None:
    # past 4,300 digits json raised ("use sys.set_int_max_str_digits()") and the whole file was refused
    huge = "7" * 5000
    rows = [f'{{"case_id": "A", "event": "share.requested", "time": "2024-05-06 09:00", "reason": {huge}}}',
            f'{{"case_id": {huge}, "event": "share.requested", "time": "2024-05-06 09:00"}}']
    path = tmp_path / f"log{suffix}"
    path.write_text("\n".join(rows) + "\n" if suffix == ".jsonl" else "[" + ",".join(rows) + "]", encoding="utf-8")
    result = gp.load_jurisdiction("yongzhou").evaluate(path, as_of="2024-12-31")
    assert result.rows == {"read": 2, "accepted": 2, "rejected": 0}
    frame = result.events.frame.set_index("case_id")
    assert frame.loc["A", "reason"] == huge and huge in frame.index


def test_ids_kept_whole_by_their_own_file_stay_whole_beside_another_files_floats(tmp_path: Path) -> None:
    # pandas joined a file's int64 ids with another file's float64 ones (a column with a gap, as pandas
    # writes it) as float64: the first file's exact ids were rounded and refused, or merged into one case
    whole, floats = tmp_path / "2024-03.parquet", tmp_path / "2024-04.parquet"
    pq.write_table(pa.Table.from_pylist(_rows(IDS_IN_INT64[:2])), whole)
    assert pq.read_schema(whole).field("case_id").type == pa.int64()
    pq.write_table(pa.Table.from_pylist(_rows([7.0, None])), floats)
    result = gp.load_jurisdiction("guangxi").evaluate([whole, floats], as_of="2025-12-31")
    assert result.rows == {"read": 4, "accepted": 3, "rejected": 1}
    assert [(r["row"], r["reason"]) for r in result.rejected_rows] == [(4, "case_id: missing")]
    assert sorted(set(result.violations["case_id"])) == sorted([*map(str, IDS_IN_INT64[:2]), "7"])


def test_a_frames_whole_numbers_stay_whole_beside_a_frame_without_the_column() -> None:
    # an 18-digit ID number in one frame's int64 column, absent from the other frame: pandas filled the gap
    # with NaN and made the column float64, and the number failed as rounded
    rows = [dict(REQUEST, case_id=case, time="2024-03-04 09:00") for case in ("A", "B")]
    first = pd.DataFrame([rows[0]]).assign(subject_id=[110101199003071234])
    result = gp.load_jurisdiction("xinjiang").evaluate([first, pd.DataFrame([rows[1]])], as_of="2025-12-31")
    assert result.rows == {"read": 2, "accepted": 2, "rejected": 0}
