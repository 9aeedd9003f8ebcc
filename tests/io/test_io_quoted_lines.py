"""A quoted value over several lines whose later line holds a row's worth of delimiters (an address
"地址：\\n南宁市,青秀区,民族大道,100号", a tab-delimited note "\\n\\t\\t\\t") is one value, wherever it stands;
rows swallowed by a quote never closed are still refused, with the message they always had."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from govdata_policy.cli.app import app
from govdata_policy.io import InputError, load_events

ADDRESS = "地址：\n南宁市,青秀区,民族大道,100号"
REQUESTED = "share.requested"
# a row of more fields than the header: Arrow refuses the file, the Python reader reads it, every value
# then looked at for swallowed rows (not only the last row's, as on Arrow's path)
RAGGED = "R9,x,share.requested,2025-03-10 09:00,extra,more"
MAPPING = {"columns": {"编号": "case_id", "地址": "address", "环节": "event", "时间": "time"},
           "values": {"event": {"提交申请": REQUESTED}}}


def _log(path: Path, rows: list[list[str]], delimiter: str = ",", header: str = "case_id,address,event,time") -> Path:
    def cell(value: str) -> str:
        return '"' + value.replace('"', '""') + '"' if "\n" in value or delimiter in value else value

    text = header.replace(",", delimiter) + "\n" + "".join(delimiter.join(map(cell, row)) + "\n" for row in rows)
    path.write_text(text, encoding="utf-8")
    return path


def _rows(at: int, value: str, n: int = 3, event: str = REQUESTED) -> list[list[str]]:
    return [[f"C{i}", value if i == at else "南宁市", event, f"2025-03-1{i} 09:00"] for i in range(n)]


@pytest.mark.parametrize(("at", "ragged"), [
    (2, False),   # the last row, not its last column (Arrow's path looks at the last row)
    (0, True),    # the first row, beside a ragged row (the Python reader's path looks at every row)
    (1, True),    # a middle row
])
@pytest.mark.parametrize("value", [ADDRESS, "备注：\n", "联系人：\n张三,李四,王五,赵六",
                                   "地址：\n南宁市,青秀区,,"])  # blank where the rows hold their time
def test_a_quoted_value_over_lines_like_a_row_is_read_anywhere(tmp_path: Path, at: int, ragged: bool,
                                                               value: str) -> None:
    path = _log(tmp_path / "log.csv", _rows(at, value))
    if ragged:
        with path.open("a", encoding="utf-8") as handle:
            handle.write(RAGGED + "\n")
    events, rejected, read = load_events(path)
    assert read == len(events) + len(rejected) == 3 + ragged
    assert len(rejected) == ragged
    assert events.sort_values("row")["address"].tolist()[at] == value.strip()


@pytest.mark.parametrize("ragged", [False, True])
@pytest.mark.parametrize("note", ["备注\n\t\t\t", "备注\n签收\t\t\t"])  # cells copied from a sheet, one filled
def test_a_tab_delimited_note_of_tabs_on_its_second_line_is_read(tmp_path: Path, ragged: bool, note: str) -> None:
    path = _log(tmp_path / "log.txt", _rows(1, note), delimiter="\t")
    if ragged:
        with path.open("a", encoding="utf-8") as handle:
            handle.write(RAGGED.replace(",", "\t") + "\n")
    events, rejected, read = load_events(path)
    assert read == len(events) + len(rejected) == 3 + ragged
    assert events.sort_values("row")["address"].tolist()[1] == note.strip()


@pytest.mark.parametrize("n", [1, 2, 3])
def test_a_quoted_address_under_chinese_headers_read_through_a_mapping(tmp_path: Path, n: int) -> None:
    """The reader does not know the mapping (it is applied after): the time column is found from the
    log's own rows, or from a header naming a time (时间)."""
    path = _log(tmp_path / "log.csv", _rows(n - 1, ADDRESS, n, event="提交申请"), header="编号,地址,环节,时间")
    events, rejected, read = load_events(path, mapping=MAPPING)
    assert read == len(events) == n and not rejected
    assert events.sort_values("row")["address"].tolist()[-1] == ADDRESS


def test_a_log_of_one_row_with_the_address_is_read(tmp_path: Path) -> None:
    events, rejected, read = load_events(_log(tmp_path / "log.csv", _rows(0, ADDRESS, 1)))
    assert read == len(events) == 1 and not rejected and events["address"].tolist() == [ADDRESS]


def test_the_check_command_reads_the_log_with_the_address(tmp_path: Path) -> None:
    path = _log(tmp_path / "log.csv", _rows(3, ADDRESS, 4))
    done = CliRunner().invoke(app, ["check", str(path), "-j", "guangxi", "--format", "json"])
    assert done.exit_code != 2, done.output
    assert json.loads(done.stdout)["rows"] == {"read": 4, "accepted": 4, "rejected": 0}


NEVER_CLOSED = [
    # a middle row's quote, in a column not the last, never closed: the rows after it are one value
    ('case_id,note,event,time\nA,x,share.requested,2025-03-10 09:00\nB,"stray,share.requested,2025-03-10 09:00\n'
     "C,y,share.requested,2025-03-11 09:00\nD,z,share.requested,2025-03-12 09:00\n",
     "row 2: a quote in column note is never closed, so 2 line(s) after it, 2 of them like whole rows"),
    # a stray quote closed by a later row's quoted value, the Python reader's path (a ragged row after)
    ('case_id,note,event,time\nA,x,share.requested,2025-03-10 09:00\nB,"stray,share.requested,2025-03-10 09:00\n'
     'C,y,share.requested,2025-03-11 09:00\nD,"ok",share.requested,2025-03-12 09:00\n' + RAGGED + "\n",
     "row 2: a quote in column note is never closed, so 2 line(s) after it, 1 of them like whole rows"),  # "D,"
    # the same on Arrow's path, which looked at the last row alone: rows C and D were read into B's note
    ('case_id,note,event,time\nA,x,share.requested,2025-03-10 09:00\nB,"stray\nC,y,share.requested,2025-03-11 09:00\n'
     'D,"ok",share.requested,2025-03-12 09:00\nE,z,share.requested,2025-03-13 09:00\n',
     "row 2: a quote in column note is never closed, so 2 line(s) after it, 1 of them like whole rows"),
    # the only row: the time column found from the header alone
    ('case_id,note,event,time\nB,"stray,share.requested,2025-03-10 09:00\nC,y,share.requested,2025-03-11 09:00\n',
     "row 1: a quote in column note is never closed, so 1 line(s) after it, 1 of them like whole rows"),
]


@pytest.mark.parametrize(("text", "message"), NEVER_CLOSED)
def test_a_quote_never_closed_before_the_last_column_is_still_refused(tmp_path: Path, text: str,
                                                                      message: str) -> None:
    path = tmp_path / "log.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match="log.csv: " + message.replace("(", r"\(").replace(")", r"\)")) as refused:
        load_events(path)
    assert "其中" in (refused.value.zh or "") and "像完整的行" in (refused.value.zh or "")


# a stray quote in the file's last column, closed by the last row's quoted value: the file ends with a quote,
# so the value held to it was taken for the file's last value closed there, and not looked at: C and D vanished
CLOSED_BY_THE_LAST_ROW = (
    'case_id,event,time,note\nA,share.requested,2025-03-10 09:00,x\nB,share.requested,2025-03-10 09:00,"stray\n'
    'C,share.requested,2025-03-11 09:00,y\nD,share.requested,2025-03-12 09:00,"ok"\n')


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030", "utf-16"])
def test_rows_read_into_the_last_value_by_the_last_rows_quote_are_refused(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "log.csv"
    path.write_bytes(CLOSED_BY_THE_LAST_ROW.encode(encoding))
    with pytest.raises(InputError, match=r"log.csv: row 2: a quote in column note is never closed, so 2 line\(s\) "
                                         r"after it, 2 of them like whole rows"):
        load_events(path)


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030", "utf-16"])
@pytest.mark.parametrize("note", [ADDRESS, "备注\n签收,,,", '地址：\n南宁市,青秀区,民族大道,"100号"',
                                  "地址：\r\n南宁市,青秀区,,"])
def test_the_last_value_closed_at_the_end_of_the_file_is_read(tmp_path: Path, encoding: str, note: str) -> None:
    """Its quote is the file's last: its lines are its own, in any encoding, whatever its quotes and line ends."""
    path = tmp_path / "log.csv"
    text = ("case_id,event,time,address\r\nC0,share.requested,2025-03-10 09:00,x\r\n"
            'C1,share.requested,2025-03-11 09:00,"' + note.replace('"', '""') + '"\r\n')
    path.write_bytes(text.encode(encoding))
    events, rejected, read = load_events(path)
    assert read == len(events) == 2 and not rejected
    assert events.sort_values("row")["address"].tolist()[-1] == note


# rows swallowed with their time blank: a row missing its time is a row too (it vanished, or the row holding
# the quote was rejected for the cells the swallowing left empty, and the message said nothing of a quote)
BLANK_TIMES = [
    # the file's last value, its quote never closed (Arrow's path); C shares no cell with the rows read
    ('case_id,event,time,note\nA,share.requested,2025-03-10 09:00,x\nB,share.requested,2025-03-10 09:00,"stray\n'
     "C,share.provider_reviewed,,y\n",
     "row 2: a quote in column note is never closed, so 1 line(s) after it, 1 of them like whole rows"),
    # the same in a column not the last (the Python reader's path): B was rejected, "event: missing; time: missing"
    ('case_id,note,event,time\nA,x,share.requested,2025-03-10 09:00\nB,"stray,share.requested,2025-03-10 09:00\n'
     "C,y,share.provider_reviewed,\n",
     "row 2: a quote in column note is never closed, so 1 line(s) after it, 1 of them like whole rows"),
    # one swallowed row with its time, one without: the message counted one
    ('case_id,event,time,note\nA,share.requested,2025-03-10 09:00,x\nB,share.requested,2025-03-10 09:00,"stray\n'
     "C,share.requested,,y\nD,share.requested,2025-03-11 09:00,z\n",
     "row 2: a quote in column note is never closed, so 2 line(s) after it, 2 of them like whole rows"),
    # a stray quote closed by a later row's quoted value: C, between them, holds the event the rows around hold
    ('case_id,note,event,time\nA,x,share.requested,2025-03-10 09:00\nB,"stray,share.requested,2025-03-10 09:00\n'
     'C,y,share.requested,\nD,"ok",share.requested,2025-03-12 09:00\nE,z,share.requested,2025-03-13 09:00\n',
     "row 2: a quote in column note is never closed, so 2 line(s) after it, 1 of them like whole rows"),  # "D,ok"
    # one closed by the last row's quoted value (quote_closes_value: the value runs to the end, not closed there)
    ('case_id,event,time,note\r\nA,share.requested,2025-03-10 09:00,x\r\n'
     'B,share.requested,2025-03-10 09:00,"stray\r\nC,share.provider_reviewed,,y\r\nD,share.reply_forwarded,,"ok"\r\n',
     "row 2: a quote in column note is never closed, so 2 line(s) after it, 2 of them like whole rows"),
]


@pytest.mark.parametrize(("text", "message"), BLANK_TIMES)
def test_rows_swallowed_without_their_time_are_still_refused(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "log.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match="log.csv: " + message.replace("(", r"\(").replace(")", r"\)")):
        load_events(path)


# a stray quote in the last column closed by a quote typed at the end of the file's last value (``x"``, not
# ``"x"``): the file does end with the value as a quoted value is written, so the Arrow reader took the rows
# between for the value's own lines without looking at them, and they vanished, their times and all (read 2,
# accepted 2). The same file with a row of another width somewhere (the Python reader's path), or the same
# value closed by a later row instead, was refused: the rows inside are looked at whatever closes the quote
CLOSED_AT_THE_END = [
    ("B,share.requested,2025-03-10 09:00,\"stray\nC,share.requested,2025-03-11 09:00,x\"\n",
     "1 line(s) after it, 1 of them like whole rows"),
    ("B,share.requested,2025-03-10 09:00,\"stray\nC,share.requested,2025-03-11 09:00,\n"
     "D,share.provider_reviewed,2025-03-12 09:00,x\"",
     "2 line(s) after it, 2 of them like whole rows"),
    ("B,share.requested,2025-03-10 09:00,\"stray\r\nC,share.requested,,x\"\r\n",  # no time: its event is B's
     "1 line(s) after it, 1 of them like whole rows"),
]


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030", "utf-16"])
@pytest.mark.parametrize(("rows", "message"), CLOSED_AT_THE_END)
def test_rows_read_into_a_last_value_closed_at_the_end_of_the_file_are_refused(
        tmp_path: Path, encoding: str, rows: str, message: str) -> None:
    path = tmp_path / "log.csv"
    path.write_bytes(("case_id,event,time,note\nA,share.requested,2025-03-09 09:00,a\n" + rows).encode(encoding))
    with pytest.raises(InputError, match=r"log.csv: row 2: a quote in column note is never closed, so "
                       + message.replace("(", r"\(").replace(")", r"\)")):
        load_events(path)


# rows swallowed with a time that cannot be read (validation would reject them, as a row missing its time):
# text that is no time where the rows hold theirs cleared the line, as an address's 100号 does, so C vanished
# (read 3 of 4 rows, or 2 of 3) where the same row with its time, or with none, was refused. It counts when it
# shares a cell with the rows around (its event here); an address or a list of names shares none
UNREADABLE_TIMES = [
    # a stray quote closed in mid-file on C's own line
    'case_id,event,time,note\nA,share.requested,2025-03-10 09:00,a\nB,share.requested,2025-03-10 09:00,"stray\n'
    'C,share.requested,昨天,x"\nD,share.requested,2025-03-12 09:00,d\n',
    # the file's last value, never closed
    'case_id,event,time,note\nA,share.requested,2025-03-10 09:00,a\nB,share.requested,2025-03-10 09:00,"stray\n'
    "C,share.requested,昨天,y\n",
    # the first, with a row of another width below (the Python reader's path)
    'case_id,event,time,note\nA,share.requested,2025-03-10 09:00,a\nB,share.requested,2025-03-10 09:00,"stray\n'
    'C,share.requested,待定,x"\nD,share.requested,2025-03-12 09:00,d,e\n',
]


@pytest.mark.parametrize("text", UNREADABLE_TIMES)
def test_rows_swallowed_with_a_time_that_cannot_be_read_are_refused(tmp_path: Path, text: str) -> None:
    path = tmp_path / "log.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=r"log.csv: row 2: a quote in column note is never closed, so 1 line\(s\) "
                       r"after it, 1 of them like whole rows"):
        load_events(path)


@pytest.mark.parametrize(("text", "row"), [
    ('编号,地址,环节,时间\nA,x,提交申请,2025-03-10 09:00\nB,"未闭合,提交申请,2025-03-10 09:00\n'
     "C,y,提交申请,2025-03-11 09:00\n", 2),
    # no time in the rows to go by, no header naming one: the reader cannot tell, and refuses as before
    ('编号,地址,环节,发生\nB,"未闭合,提交申请,\nC,y,提交申请,\n', 1),
])
def test_a_quote_never_closed_under_chinese_headers_is_still_refused(tmp_path: Path, text: str, row: int) -> None:
    path = tmp_path / "log.csv"
    path.write_text(text, encoding="utf-8")
    mapping = {**MAPPING, "columns": {**MAPPING["columns"], "发生": "time"}}
    with pytest.raises(InputError, match=rf"row {row}: a quote in column 地址 is never closed"):
        load_events(path, mapping=mapping)


def test_the_cells_around_are_read_as_written(tmp_path: Path) -> None:
    """The address, and the cells before and after it, are the row's own."""
    path = _log(tmp_path / "log.csv", _rows(2, ADDRESS))
    events, _, _ = load_events(path)
    last = events.sort_values("row").iloc[-1]
    assert (last["case_id"], last["address"], last["event"]) == ("C2", ADDRESS, REQUESTED)
    assert last["time_ns"] == pd.Timestamp("2025-03-12 09:00", tz="Asia/Shanghai").value


def test_multi_line_values_too_short_to_hold_a_row_are_not_looked_at_one_by_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A remarks column of many two-line notes ("审核意见：\\n同意"): a value with fewer delimiters than a row
    has cannot hold a swallowed row, so it is left out in Arrow before any value is read in Python (each
    such note was fetched and split, seconds on a log where most rows carry one); the address, with a
    row's worth of commas, is still looked at."""
    from govdata_policy.io import csv_read

    looked_at: list[str] = []
    real = csv_read.refuse_swallowed_value

    def counting(path: Path, row: int, name: str, value: str, *rest: object) -> None:
        looked_at.append(value)
        real(path, row, name, value, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(csv_read, "refuse_swallowed_value", counting)
    rows = [[f"C{i}", "审核意见：\n同意", REQUESTED, f"2025-03-1{i % 10} 09:00"] for i in range(40)]
    rows[7][1] = ADDRESS
    events, rejected, read = load_events(_log(tmp_path / "log.csv", rows))
    assert (read, len(events), len(rejected)) == (40, 40, 0)
    assert looked_at == [ADDRESS]


def test_a_log_whose_remarks_span_lines_is_read_past_arrows_first_blocks(tmp_path: Path) -> None:
    """Arrow's first read is not told of values over several lines; one across a cut between its 1 MB
    blocks made it stop with "CSV parser got out of sync with chunker" and the whole log was refused
    (exit 2), a 3 MB export of 40,000 requests each with a two-line 审核意见 among them. It is read
    again, told, as a file whose cells hold line breaks is."""
    # the remark last: a cut at its line break leaves the next block starting inside a quoted value
    rows = [[f"C{i}", REQUESTED, f"2025-03-1{i % 10} 09:00", f"审核意见：\n同意{i % 7}"] for i in range(40_000)]
    path = _log(tmp_path / "log.csv", rows, header="case_id,event,time,address")
    events, rejected, read = load_events(path)
    assert (read, len(events), len(rejected)) == (40_000, 40_000, 0)
    by_row = events.sort_values("row")
    assert by_row["address"].iloc[[0, 39_999]].tolist() == ["审核意见：\n同意0", f"审核意见：\n同意{39_999 % 7}"]
    assert by_row["case_id"].iloc[-1] == "C39999"
    result = CliRunner().invoke(app, ["check", str(path), "-j", "guangxi", "--as-of", "2025-12-31",
                                      "--format", "json", "--lang", "en"])
    assert result.exit_code in (0, 1), result.output
    assert json.loads(result.stdout)["rows"] == {"read": 40_000, "accepted": 40_000, "rejected": 0}
