"""Cutting a big CSV into byte ranges of whole rows (the Dask path's partitions).

Each range, read with the header in front of it, must give exactly the rows the whole
file gives in that stretch: a cut inside a quoted value with a line break would read the
rest of the value as rows (this happened: 66 rows read as 79, 13 of them rejected).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pcsv
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govdata_policy.io import csv_split
from govdata_policy.io.csv_split import row_bounds

HEADER = b"case_id,reason,note\n"
# values with what makes CSV hard: line breaks, delimiters and quotes inside, Chinese text
VALUE = st.text(alphabet=st.sampled_from(list('ab,"\n\r 理由；“”')), max_size=12)
ROW = st.tuples(st.text(alphabet="XY0123456789", min_size=1, max_size=4), VALUE, VALUE)


def _rows(data: bytes) -> list[dict[str, str]]:
    options = pcsv.ParseOptions(newlines_in_values=True)
    convert = pcsv.ConvertOptions(column_types={"case_id": pa.string(), "reason": pa.string(), "note": pa.string()},
                                  strings_can_be_null=False, quoted_strings_can_be_null=False)
    return pcsv.read_csv(io.BytesIO(data), parse_options=options, convert_options=convert).to_pylist()


def _file(tmp_path: Path, body: bytes, name: str = "log.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(HEADER + body)
    return path


def _parts_rows(path: Path, bounds: list[int]) -> list[dict[str, str]]:
    data = path.read_bytes()
    return [row for a, b in zip(bounds, bounds[1:], strict=False) for row in _rows(HEADER + data[a:b])]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(ROW, min_size=1, max_size=40), blocksize=st.integers(1, 60), scan=st.integers(1, 50),
       ending=st.sampled_from(["\n", "\r\n"]))
def test_ranges_hold_whole_rows(tmp_path: Path, rows: list[tuple[str, str, str]], blocksize: int, scan: int,
                                ending: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Written as csv.writer quotes (RFC 4180), any block and scan size: the rows of the ranges
    are the rows of the file, in order."""
    monkeypatch.setattr(csv_split, "SCAN_BLOCK", scan)  # quotes and line breaks across scan blocks
    if ending == "\n":  # csv.writer quotes a carriage return only when it ends its lines with one
        rows = [tuple(value.replace("\r", "") for value in row) for row in rows]
    text = io.StringIO()
    csv.writer(text, lineterminator=ending).writerows(rows)
    path = _file(tmp_path, text.getvalue().encode())
    bounds = row_bounds(path, len(HEADER), blocksize, ",")
    assert bounds is not None  # nothing irregular in what csv.writer writes
    assert bounds[0] == len(HEADER) and bounds[-1] == path.stat().st_size
    assert _parts_rows(path, bounds) == _rows(path.read_bytes())


def test_a_line_break_inside_quotes_is_not_a_cut(tmp_path: Path) -> None:
    body = b'W1,"first line\nsecond line",x\nW2,plain,y\n'
    path = _file(tmp_path, body)
    start = len(HEADER)
    # a block of 5 bytes ends inside "first line": the first line break after it is quoted,
    # so the cut moves to the end of W1's row (after ',x\n')
    bounds = row_bounds(path, start, 5, ",")
    assert bounds == [start, start + body.index(b"W2"), start + len(body)]


@pytest.mark.parametrize("body", [b'W1,5",x\nW2,"a\nb",y\n', b'W1,ab"c,x\nW2,"a\nb",y\n', b'W1,"q"r,x\n'])
def test_quotes_the_count_cannot_follow_keep_the_file_whole(tmp_path: Path, body: bytes) -> None:
    """A quote inside an unquoted value (5", ab"c) or text after a closing quote ("q"r) is read
    as a character; counting it would misplace every later cut, so there is none."""
    path = _file(tmp_path, body)
    assert row_bounds(path, len(HEADER), 4, ",") is None


def test_doubled_quotes_and_empty_quoted_values(tmp_path: Path) -> None:
    body = b'W1,"he said ""yes""\nthen left",""\nW2,"""",x\nW3,a,b\n'
    path = _file(tmp_path, body)
    bounds = row_bounds(path, len(HEADER), 1, ",")
    assert bounds is not None
    assert [b - len(HEADER) for b in bounds] == [0, body.index(b"W2"), body.index(b"W3"), len(body)]
    assert _parts_rows(path, bounds) == _rows(path.read_bytes())
