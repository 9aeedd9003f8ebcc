"""``line`` of a rejected row: where it lies in its own file (io/lines.py), whatever the file holds
above and between its rows. The oracle is the file itself: the line named must be the row's."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import govdata_policy as gp
from govdata_policy.io import InputError
from govdata_policy.io import lines as lines_module
from govdata_policy.io.lines import LineMap, count_line_ends
from govdata_policy.report.i18n import line_label

GOOD = "share.requested"
BAD = "share.bogus"


def _physical(path: Path, encoding: str = "utf-8") -> list[str]:
    """The file's lines as an editor numbers them (CR LF, CR, LF end a line), from 1."""
    return [""] + re.split(r"\r\n|\r|\n", path.read_bytes().decode(encoding))


def _rejected(path: Path, **options: object) -> list[dict[str, object]]:
    return gp.load_jurisdiction("yongzhou").evaluate(path, as_of="2025-12-31", **options).rejected_rows


def test_title_blank_lines_and_mixed_line_ends_are_counted(tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    path.write_bytes(
        b"Title of the export\n\ncase_id,event,time\n"  # lines 1-3: title, blank, header
        b"A,share.requested,2025-01-02 09:00:00\n"  # line 4: row 1
        b"\n"  # line 5: blank (no row)
        b"B,bogus,2025-01-02 09:00:00\r\n"  # line 6: row 2, rejected
        b"\r\n"  # line 7: blank
        b"C,share.requested,2025-13-02 09:00:00\r"  # line 8: row 3, rejected (month 13), CR alone
        b"D,share.requested,2025-01-03 09:00:00\n"  # line 9: row 4
    )
    assert [(r["row"], r["line"], r["case_id"]) for r in _rejected(path)] == [(2, 6, "B"), (3, 8, "C")]


def test_a_line_of_spaces_is_no_row_as_a_blank_line_is(tmp_path: Path) -> None:
    # Arrow skips only empty lines; "   " (nothing but spaces, as a JSON Lines file's) is left out too,
    # and the row after it keeps its own line
    path = tmp_path / "log.csv"
    path.write_text("case_id,event,time\nA,share.requested,2025-01-02 09:00\n   \nB,bogus,2025-01-02 09:00\n")
    assert [(r["row"], r["line"]) for r in _rejected(path)] == [(2, 4)]


def test_a_value_over_several_lines_pushes_the_next_rows_down(tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    path.write_text('case_id,event,time,reason\nA,share.requested,2025-01-02 09:00,"one\ntwo\nthree"\n'
                    "B,bogus,2025-01-02 09:00,\n", encoding="utf-8")
    assert [(r["row"], r["line"]) for r in _rejected(path)] == [(2, 5)]  # row 1 holds lines 2-4


def test_a_ragged_file_read_by_pythons_csv_module_has_its_lines(tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    path.write_text("case_id,event,time\n\nA,share.requested,2025-01-02 09:00,extra\n\nB,bogus,2025-01-02 09:00\n")
    assert [(r["row"], r["line"]) for r in _rejected(path)] == [(1, 3), (2, 5)]


def test_a_gbk_file_with_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    text = ("政务数据共享台账\ncase_id,event,time,reason\n\n"
            "A,share.requested,2025-01-02 09:00,理由\n\nB,bogus,2025-01-02 09:00,理由\n")
    path.write_bytes(text.encode("gb18030"))
    assert [(r["row"], r["line"]) for r in _rejected(path)] == [(2, 6)]


def test_utf16_text_is_counted_in_characters(tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    path.write_text("case_id,event,time\r\n\r\nA,bogus,2025-01-02 09:00\r\n", encoding="utf-16")
    assert [(r["row"], r["line"]) for r in _rejected(path)] == [(1, 3)]


def test_json_lines_skip_blank_and_space_lines_in_both_readers(tmp_path: Path) -> None:
    good = json.dumps({"case_id": "A", "event": GOOD, "time": "2025-01-02T09:00:00+08:00"})
    bad = json.dumps({"case_id": "B", "event": BAD, "time": "2025-01-02T09:00:00+08:00"})
    fast = tmp_path / "fast.jsonl"
    fast.write_text(f"{good}\n\n   \n{bad}\n")
    assert [(r["row"], r["line"]) for r in _rejected(fast)] == [(2, 4)]
    slow = tmp_path / "slow.jsonl"  # a line that is no object sends the file to the line-by-line reader
    slow.write_text(f"{good}\n\n[1]\n\n{bad}\n")
    assert [(r["row"], r["line"]) for r in _rejected(slow)] == [(2, 3), (3, 5)]


def test_json_lines_holding_an_object_over_lines_or_two_on_a_line_name_the_file_lines(tmp_path: Path) -> None:
    # Arrow took a small file's object over several lines (as `jq .` writes it) for one row and two objects
    # on one line for two: the rows after them were named by lines they are not on (a large file's read by
    # json, line by line, rejected those lines). Now every file is read by its lines.
    good = {"case_id": "A", "event": GOOD, "time": "2025-01-02T09:00:00+08:00"}
    bad = json.dumps(dict(good, event=BAD))
    pretty = tmp_path / "pretty.jsonl"
    pretty.write_text(f"{json.dumps(good)}\n{json.dumps(good, indent=1)}\n{bad}\n")  # the object: lines 2-6
    result = gp.load_jurisdiction("yongzhou").evaluate(pretty, as_of="2025-12-31")
    assert result.rows == {"read": 7, "accepted": 1, "rejected": 6}
    assert [r["line"] for r in result.rejected_rows] == [2, 3, 4, 5, 6, 7]
    assert result.rejected_rows[-1]["reason"] == f"event: unknown event '{BAD}'"
    two = tmp_path / "two.jsonl"
    two.write_text(f"{json.dumps(good)}{bad}\n{bad}\n")
    rejected = _rejected(two)
    assert [(r["row"], r["line"]) for r in rejected] == [(1, 1), (2, 2)]
    assert "Extra data" in rejected[0]["reason"]
    only = tmp_path / "only.jsonl"
    only.write_text(json.dumps(good, indent=2) + "\n")
    with pytest.raises(InputError, match=r"only.jsonl: no line holds a JSON object \(line 1 is not JSON"):
        _rejected(only)


def test_a_spreadsheet_gives_the_sheets_own_row_numbers(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["B2"] = "永州市政务数据共享台账"  # a title row, then a blank row 3
    for number, row in [(4, ["case_id", "event", "time"]), (5, ["A", GOOD, "2025-01-02 09:00"]),
                        (7, ["B", BAD, "2025-01-02 09:00"]), (8, ["C", GOOD, "2025-02-30 09:00"])]:
        for column, value in enumerate(row, 1):
            sheet.cell(number, column, value)
    path = tmp_path / "log.xlsx"
    book.save(path)
    rejected = _rejected(path)
    assert [(r["row"], r["line"]) for r in rejected] == [(2, 7), (3, 8)]
    assert line_label("en", rejected[0]) == " (sheet row 7)" and line_label("zh", rejected[0]) == "（表格第 7 行）"


def test_files_of_a_log_each_count_their_own_lines_and_typed_tables_have_none(tmp_path: Path) -> None:
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text("case_id,event,time\nA,bogus,2025-01-02 09:00\n")
    second.write_text("title\ncase_id,event,time\n\nB,share.requested,2025-01-02 09:00\nC,bogus,2025-01-02 09:00\n")
    frame = pd.DataFrame({"case_id": ["D"], "event": [BAD], "time": ["2025-01-02 09:00"]})
    parquet = tmp_path / "c.parquet"
    frame.to_parquet(parquet)
    found = _rejected([first, second, parquet])
    assert [(r["row"], r["line"], Path(str(r["source"])).name) for r in found] == [
        (1, 2, "a.csv"), (3, 5, "b.csv"), (4, None, "c.parquet")]
    assert [r["line"] for r in _rejected(frame)] == [None]
    assert line_label("en", found[2]) == "" and line_label("en", found[0]) == " (line 2)"


def test_a_row_rejected_after_validation_has_its_line(tmp_path: Path) -> None:
    # off the working-day calendar: rejected by the engine, not by validation
    path = tmp_path / "log.csv"
    path.write_text("case_id,event,time\n\nA,share.requested,2003-01-02 09:00\n")
    assert [(r["row"], r["line"]) for r in _rejected(path)] == [(1, 3)]


def test_line_ends_cut_between_blocks_are_counted_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lines_module, "_BLOCK", 4)
    path = tmp_path / "ends.txt"
    path.write_bytes(b"abc\r\nde\rf\n\n\r\r\nxyz")  # CR LF cut after byte 4: ends after abc, de, f, '', '', ''
    assert count_line_ends(path) == 6
    assert lines_module._content_lines(path, 0) == [1, 2, 3, 7]


@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=60).map(lambda b: bytes(b"a\r\n"[x % 3] for x in b)), cuts=st.lists(st.integers(1, 8)))
def test_line_ends_fed_in_any_blocks_are_those_an_editor_counts(data: bytes, cuts: list[int]) -> None:
    # the oracle: CR LF, CR and LF each end one line, wherever the blocks are cut
    ends = lines_module.LineEnds()
    start = 0
    for size in [*cuts, len(data)]:
        block = bytearray(data[start: start + size]) + b"junk"  # a reused buffer: only length counts
        ends.feed(block, len(data[start: start + size]))
        start += size
    assert ends.count == len(re.findall(rb"\r\n|\r|\n", data))


def test_a_map_of_lines_from_its_numbers() -> None:
    line_map = LineMap.of([3, 4, 6, 7, 8, 12])
    assert line_map.lines(np.arange(6)).tolist() == [3, 4, 6, 7, 8, 12]
    assert line_map.shifted(10).lines(np.array([0, 5])).tolist() == [13, 22]


class _Gone:
    """A map whose file is out of reach (a Dask client apart from its workers)."""

    def lines(self, records: np.ndarray) -> np.ndarray:
        raise FileNotFoundError("gone")


def test_rows_are_placed_in_their_files_at_once() -> None:
    """``row_places``: the file each row number lies in and its line there, each map asked once for its own
    rows; 0 where the file has no lines or cannot be reached, -1 past the last file."""
    spans = [(2, LineMap(2)), (3, None), (5, LineMap.of([4, 9])), (6, _Gone())]
    files, found = lines_module.row_places([5, 1, 3, 4, 2, 6, 7], spans)
    assert files.tolist() == [2, 0, 1, 2, 0, 3, -1]
    assert found.tolist() == [9, 2, 0, 4, 3, 0, 0]
    assert [r.tolist() for r in lines_module.row_places([1], [])] == [[-1], [0]]


@st.composite
def _csv_files(draw: st.DrawFn) -> tuple[bytes, list[str]]:
    """A CSV with a title, blank lines, any line ends and values over lines; the case ids in order."""
    end = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    lines = ["导出标题"] * draw(st.integers(0, 1)) + [""] * draw(st.integers(0, 1)) + ["case_id,event,time,reason"]
    cases = []
    reasons = ["", "ok", "有理由"] + ([f'"one{end}two"', f'"a,{end}{end}b"'] if draw(st.booleans()) else [])
    for number in range(draw(st.integers(1, 25))):
        lines += [""] * draw(st.integers(0, 2))
        lines += [",,,", " , ,\u3000,"][: draw(st.integers(0, 2))]  # a spreadsheet's blank rows: no rows
        reason = draw(st.sampled_from(reasons))
        event = draw(st.sampled_from([GOOD, BAD]))
        case = f"K{number}"
        lines.append(f"{case},{event},2025-01-02 09:00,{reason}")
        cases.append(case)
    return (end.join(lines) + draw(st.sampled_from(["", end]))).encode(), cases


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(file=_csv_files())
def test_the_line_named_is_where_the_row_starts(file: tuple[bytes, list[str]], tmp_path: Path) -> None:
    data, _ = file
    path = tmp_path / "log.csv"
    path.write_bytes(data)
    lines = _physical(path)
    for item in _rejected(path):
        assert lines[int(item["line"])].startswith(f"{item['case_id']},"), item


@pytest.mark.parametrize("ragged", [False, True])
def test_blank_records_are_no_rows_and_the_others_keep_their_lines(tmp_path: Path, ragged: bool) -> None:
    # ",,," is a spreadsheet's blank row saved as CSV: it was a rejected row ("case_id: missing; ...")
    extra = ",x,y,z,w" if ragged else ""  # a long row sends the file to Python's csv module
    path = tmp_path / "log.csv"
    path.write_text(f"case_id,event,time,reason\n,,,\nA,{BAD},2025-01-02 09:00,\n , ,\u3000,\n"
                    f"B,{BAD},2025-01-02 09:00,{extra}\n,,,\n", encoding="utf-8")
    result = gp.load_jurisdiction("yongzhou").evaluate(path, as_of="2025-12-31")
    assert result.rows == {"read": 2, "accepted": 0, "rejected": 2}
    assert [(r["row"], r["line"], r["case_id"]) for r in result.rejected_rows] == [(1, 3, "A"), (2, 5, "B")]


def test_a_map_not_yet_made_travels_to_another_process(tmp_path: Path) -> None:
    # a Dask worker returns the map of a file part it read; the client may make it later
    import pickle

    path = tmp_path / "log.csv"
    path.write_text("case_id,event,time\r\n\r\nA,bogus,2025-01-02 09:00\r\n")
    lazy = lines_module.csv_lines(path, 1, 1, False, "utf8", ",")
    assert pickle.loads(pickle.dumps(lazy)).lines(np.array([0])).tolist() == [3]


def test_the_labels_spreadsheet_suffixes_are_the_readers() -> None:
    # report/i18n keeps its own copy (it imports no pandas, which io/ does): the two must not drift
    from govdata_policy.io.read import SPREADSHEET_SUFFIXES
    from govdata_policy.report import i18n

    assert i18n._SHEETS == SPREADSHEET_SUFFIXES


def test_a_frames_copies_share_its_map_of_lines_instead_of_copying_it(tmp_path: Path) -> None:
    """pandas deep-copies a frame's attrs into every Series and frame made from it (about 150 times
    in a check of 1M events, 1 ms each when the map was copied): the map describes the file, so each
    copy holds the same map, and a lazy map scanned through one copy is scanned for all."""
    from govdata_policy.io import read_raw, validate
    from govdata_policy.io.validate import FILES

    path = tmp_path / "log.csv"
    path.write_text("case_id,event,time\n\nA,share.requested,2025-01-02 09:00:00\nB,bogus,2025-01-03 09:00:00\n")
    frame, _ = validate(read_raw(path))
    lazy = frame.attrs[FILES][0][2]
    assert isinstance(lazy, lines_module.Lazy)
    derived = frame["event"].isna()  # a Series made from the frame: attrs deep-copied
    assert derived.attrs[FILES][0][2] is lazy
    kept = lines_module.KeptLines(lazy, np.array([1, 2]))
    assert lazy.lines(np.array([0, 1])).tolist() == [3, 4]  # the blank line 2 counted
    assert derived.attrs[FILES][0][2].resolved() is lazy.resolved()  # scanned once, for both
    import copy

    for shared in (kept, LineMap(2), LineMap.of([1, 3, 4])):
        assert copy.deepcopy({"x": shared})["x"] is shared
