"""The fast paths of the input layer agree with the general ones, value for value.

Text columns typed as text (a CSV read by Arrow, pandas' ``str`` dtype) take
the fast paths: fixed-width times read from the bytes, vocabularies looked up
before anything is hashed, blanks trimmed in Arrow, many chunks. The same cells
as Python objects (dict records) take the general paths, and one event at a
time the monitor's scalar validator reads them in plain Python: all three must
give the same EventFrame and the same reasons, word for word.
"""

from __future__ import annotations

import csv
import importlib
import random
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govdata_policy.io import load_events, parse_times
from govdata_policy.io.civil import parse_fixed
from govdata_policy.monitor.scalar_validate import EventParser

read_module = sys.modules["govdata_policy.io.read"]
csv_read_module = importlib.import_module("govdata_policy.io.csv_read")

BLANKS = ["", "", "", "", " ", "\t", "\u3000", "\u00a0", "\u2003", "\u205f", "\x1c"]
TIMES = [
    "2024-05-06 09:00:00", "2024-02-29 23:59:59", "2023-02-29 10:00:00", "2024-02-30 09:00:00",
    "2024-13-01 00:00:00", "2024-05-06 24:00:00", "2024-05-06 09:60:00", "2024-05-06 09:00:60",
    "1899-12-31 23:59:59", "1900-01-01 00:00:00", "2199-12-31 23:59:59", "2200-01-01 00:00:00",
    "2024/05/06 09:00:00", "2024-05/06 09:00:00", "2024-05-06T09:00:00", "2024-05-06 09:00",
    "2024-05-06", "2024/05/06", "2024/5/6 9:00", "２０２４-05-06 09:00:00", "2024-05-06 09:00:0a",
    "2024-05-06x09:00:00", "2024-05-06 09-00-00", "2024.05.06 09:00:00", "20240506", "45418.375",
    "2024-05-06T09:00:00+08:00", "2024-05-06T01:00:00Z", "2024年5月6日 09:00", "", "never",
    "2024-00-10 10:00:00", "2024-04-31 10:00:00", "2024-04-00", "0000-01-01", "2024-05-06 9:00:00",
    "2024-05-06 09:00:00.5", "2024-05-06 09:0", "2024-1-01 10:00:00", "2024-05-06T09:00",
]
EVENT_WORDS = ["share.requested", "SHARE.REQUESTED", "Share.Provider_Reviewed", "open.requested",
               "catalog.updated", "share.requsted", "目录更新", "", "teleport", "open.reviewed"]
CATEGORIES = ["unconditional", "conditional", "not_shared", "on_request", "not_open", "CONDITIONAL", "", "weird"]
FLAGS = ["true", "false", "1", "0", "yes", "no", "是", "否", "Y", "N", "TRUE", "", "maybe"]
OUTCOMES = ["pass", "reject", "approved", "refused", "PASS", "ok", "", "Approved"]
DAYS = ["", "3", "+3", "-2", "3.5", "十", "007"]


def _pad(rng: random.Random, text: str) -> str:
    return rng.choice(BLANKS) + text + rng.choice(BLANKS) if rng.random() < 0.3 else text


def _rows(seed: int, n: int, clean: float) -> list[dict[str, str]]:
    """Rows of text, ``clean`` of them a plain valid row, the rest full of odd values."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        if rng.random() < clean:
            rows.append({"case_id": f"C{i}", "event": "share.requested", "time": "2024-05-06 09:00:00",
                         "category": "conditional", "emergency": "是", "outcome": "pass",
                         "requester_level": "city", "extra_working_days": "", "rectify_by": "", "note": "张三"})
            continue
        rows.append({
            "case_id": _pad(rng, rng.choice(["A1", "", "00123", f"X{i % 7}"])),
            "event": _pad(rng, rng.choice(EVENT_WORDS)),
            "time": _pad(rng, rng.choice(TIMES)),
            "category": _pad(rng, rng.choice(CATEGORIES)),
            "emergency": _pad(rng, rng.choice(FLAGS)),
            "outcome": _pad(rng, rng.choice(OUTCOMES)),
            "requester_level": _pad(rng, rng.choice(["city", "City", "county", "village", ""])),
            "extra_working_days": _pad(rng, rng.choice(DAYS)),
            "rectify_by": _pad(rng, rng.choice(TIMES)) if rng.random() < 0.3 else "",
            "note": _pad(rng, rng.choice(["张三", "abc", "", "x y", "买买提·艾力"])),
        })
    return rows


def _write(rows: list[dict[str, str]], path: Path) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def _plain(frame: pd.DataFrame) -> dict[str, list]:
    return {c: [None if pd.isna(v) else v for v in frame[c].tolist()] for c in frame.columns}


@pytest.mark.parametrize(("seed", "n", "clean", "block"), [(1, 3000, 0.0, None), (2, 20000, 0.97, 1 << 12)])
def test_a_csv_reads_like_the_same_cells_as_records(tmp_path, monkeypatch, seed, n, clean, block) -> None:
    if block is not None:  # many small chunks, as a big file has
        monkeypatch.setattr(csv_read_module, "CSV_BLOCK", block)
    rows = _rows(seed, n, clean)
    fast, fast_rejected, _ = load_events(_write(rows, tmp_path / "log.csv"))
    slow, slow_rejected, _ = load_events([{k: v for k, v in r.items()} for r in rows])
    assert [(r["row"], r["reason"]) for r in fast_rejected] == [(r["row"], r["reason"]) for r in slow_rejected]
    assert fast.dtypes.astype(str).to_dict() == slow.dtypes.astype(str).to_dict()
    assert _plain(fast) == _plain(slow)
    assert 0 < len(fast_rejected) < n


def _as_pushed(reason: str | None) -> str | None:
    """The batch's reason as the monitor words it (tests/monitor/test_monitor_export_word.py)."""
    for batch, monitor in BATCH_TO_PUSH:
        reason = reason and reason.replace(batch, monitor)
    return reason


BATCH_TO_PUSH = [
    (": map it under values: event: in the mapping file)",
     ": translate it to that word before pushing, as the monitor maps no words)"),
    (": map it in the mapping file)", ": translate it to the one meant before pushing, as the monitor maps no words)"),
    ("(an export's own word: map it under values: event: in a mapping file (govdata-policy mapping init))",
     "(an export's own word: translate it to an event of the contract's vocabulary (docs/contract.md) before pushing, "
     "as the monitor maps no words)"),
]


def test_each_row_reads_as_the_monitor_reads_it(tmp_path) -> None:
    rows = _rows(3, 2000, 0.2)
    events, rejected, _ = load_events(_write(rows, tmp_path / "log.csv"))
    reasons = {r["row"]: r["reason"] for r in rejected}
    accepted = events.set_index("row")
    parser = EventParser()
    for number, row in enumerate(rows, start=1):
        parsed = parser.parse(row)
        if isinstance(parsed, str):  # word for word, but the hint after a gloss: a push is mapped by no file
            assert _as_pushed(reasons.get(number)) == parsed, number
            continue
        assert number not in reasons, (number, reasons.get(number))
        case_id, name, t, day, attrs, _ = parsed
        batch = accepted.loc[number]
        assert (case_id, name, t, day) == (batch["case_id"], batch["event"], batch["time_ns"], batch["day"])
        present = {k: (v.item() if hasattr(v, "item") else v) for k, v in batch.items()
                   if k not in ("case_id", "event", "time_ns", "day") and not pd.isna(v)}
        assert attrs == present, number


def test_fixed_width_times_agree_with_the_general_passes() -> None:
    rng = np.random.default_rng(5)
    values = list(TIMES)
    # every digit place with every digit, and odd bytes in every place
    base = "2024-02-28 23:59:58"
    for at in range(len(base)):
        for char in "0123456789-/ T:x":
            values.append(base[:at] + char + base[at + 1:])
    for _ in range(3000):
        y, mo, d = rng.integers(1890, 2210), rng.integers(0, 14), rng.integers(0, 33)
        h, mi, s = rng.integers(0, 26), rng.integers(0, 62), rng.integers(0, 62)
        sep, tee = rng.choice(["-", "/"]), rng.choice([" ", "T"])
        values += [f"{y:04d}{sep}{mo:02d}{sep}{d:02d}{tee}{h:02d}:{mi:02d}:{s:02d}",
                   f"{y:04d}{sep}{mo:02d}{sep}{d:02d}{tee}{h:02d}:{mi:02d}", f"{y:04d}{sep}{mo:02d}{sep}{d:02d}"]
    fast_ns, fast_bad = parse_times(pd.Series(values, dtype="str"))
    # object cells go through the general passes only
    slow_ns, slow_bad = parse_times(pd.Series(values, dtype=object))
    assert (fast_bad == slow_bad).all()
    assert (fast_ns == slow_ns).all()
    ns, ok = parse_fixed(pa.array(values, pa.large_string()))
    assert ok.sum() > 1000 and (ns[ok] == slow_ns[ok]).all() and not slow_bad[ok].any()


def test_fixed_width_times_in_a_sliced_and_gappy_array() -> None:
    values = ["x", "2024-05-06 09:00:00", None, "2024-05-06", "  2024-05-06 09:00", "2024-05-06 09:00"] * 3
    arr = pa.array(values, pa.large_string()).slice(1)
    ns, bad = parse_times(arr)
    expected_ns, expected_bad = parse_times(pd.Series(values[1:], dtype=object))
    assert (ns == expected_ns).all() and (bad == expected_bad).all()


def test_typed_parquet_flags_with_gaps(tmp_path) -> None:
    path = tmp_path / "log.parquet"
    pd.DataFrame({
        "case_id": ["A", "B", "C"], "event": ["share.requested"] * 3, "time": ["2024-05-06 09:00"] * 3,
        "emergency": pd.array([True, None, False], dtype="boolean"), "mounted": [True, False, True],
    }).to_parquet(path)
    events, rejected, _ = load_events(path)
    assert rejected == []
    assert events["emergency"].tolist() == [True, pd.NA, False]
    assert events["mounted"].tolist() == [True, False, True]
    assert str(events["emergency"].dtype) == str(events["mounted"].dtype) == "boolean"


def test_one_source_name_for_every_row_of_a_file(write_csv) -> None:
    from govdata_policy.io import read_raw

    raw = read_raw(write_csv([{"case_id": "A", "event": "share.requested", "time": "2024-05-06"}] * 3))
    assert raw.source.tolist() == [raw.source[0]] * 3 and raw.source[0].endswith("log.csv")


def _with_gaps(rows: list[dict[str, str]], seed: int) -> list[dict[str, str | None]]:
    """The rows with some cells missing (None), as a typed format can say."""
    rng = random.Random(seed)
    return [{k: (None if rng.random() < 0.1 else v) for k, v in row.items()} for row in rows]


@pytest.mark.parametrize("row_group_size", [None, 700])
def test_dictionary_encoded_parquet_text_reads_like_the_same_cells_as_records(tmp_path, row_group_size) -> None:
    import pyarrow.parquet as pq

    # several row groups: a dictionary per group, unified on reading; one group: one shared dictionary
    rows = _with_gaps(_rows(6, 5000, 0.5), 6)
    path = tmp_path / "log.parquet"
    pq.write_table(pa.Table.from_pylist(rows), path, row_group_size=row_group_size)
    raw = read_module.read_raw(path)
    assert all(pa.types.is_dictionary(dtype.pyarrow_dtype) for dtype in raw.frame.dtypes)  # the fast path
    fast, fast_rejected, _ = load_events(path)
    slow, slow_rejected, _ = load_events(rows)
    assert fast_rejected == [{**r, "source": str(path)} for r in slow_rejected]
    assert fast.dtypes.astype(str).to_dict() == slow.dtypes.astype(str).to_dict()
    assert _plain(fast) == _plain(slow)
    assert 0 < len(fast_rejected) < len(rows)


def test_dictionary_codes_taken_as_they_come() -> None:
    from govdata_policy.io.coded import encode

    cells = [" a", "a", None, "张三", "", "b ", "\u3000", "a"]
    chunks = [pa.array(cells[:3]).dictionary_encode(), pa.array(cells[3:]).dictionary_encode()]
    for arr in (pa.chunked_array(chunks), pa.chunked_array([pa.array(cells).dictionary_encode()]),
                pa.chunked_array([], pa.dictionary(pa.int32(), pa.string()))):
        coded = encode(arr)
        plain = encode(pd.Series(arr.to_pylist(), dtype=object))
        assert coded.words[coded.codes].tolist() == plain.words[plain.codes].tolist()
    assert encode(pa.chunked_array(chunks)).words[encode(pa.chunked_array(chunks)).codes].tolist() == [
        "a", "a", None, "张三", None, "b", None, "a"]


def test_chunks_sharing_dictionaries_read_like_their_cells() -> None:
    """Parquet row groups: several chunks read with one dictionary, hashed once (coded._unified)."""
    from govdata_policy.io.coded import encode

    first, second = pa.array(["甲", " a", "b", "a"]), pa.array(["b", "丙", "甲 ", ""])

    def chunk(indices: list[int | None], dictionary: pa.Array) -> pa.DictionaryArray:
        return pa.DictionaryArray.from_arrays(pa.array(indices, pa.int32()), dictionary)

    arr = pa.chunked_array([chunk([0, 1, None], first), chunk([3, 3, 2], first), chunk([1, None, 0, 3], second),
                            chunk([2, 0], first), chunk([None], pa.array([], pa.string()))])
    coded = encode(arr)
    plain = encode(pd.Series(arr.to_pylist(), dtype=object))
    assert coded.words[coded.codes].tolist() == plain.words[plain.codes].tolist()
    assert coded.words[coded.codes].tolist() == ["甲", "a", None, "a", "a", "b", "丙", None, "b", None, "b", "甲", None]


def test_columns_checked_in_parallel_as_one_by_one(tmp_path, monkeypatch) -> None:
    validate_module = sys.modules["govdata_policy.io.validate"]
    path = _write(_rows(7, 4000, 0.5), tmp_path / "log.csv")
    monkeypatch.setattr(validate_module, "_PARALLEL_ROWS", 1 << 40)
    serial, serial_rejected, _ = load_events(path)
    monkeypatch.setattr(validate_module, "_PARALLEL_ROWS", 0)
    monkeypatch.setattr(validate_module, "CHECK_THREADS", 4)
    parallel, parallel_rejected, _ = load_events(path)
    assert parallel_rejected == serial_rejected
    pd.testing.assert_frame_equal(parallel, serial)


def test_empty_parquet_log(tmp_path) -> None:
    path = tmp_path / "log.parquet"
    pd.DataFrame({"case_id": pd.Series([], dtype="str"), "event": pd.Series([], dtype="str"),
                  "time": pd.Series([], dtype="str"), "note": pd.Series([], dtype="str")}).to_parquet(path)
    events, rejected, read = load_events(path)
    assert (len(events), rejected, read) == (0, [], 0)
    assert list(events.columns) == ["row", "case_id", "event", "time_ns", "day", "note"]


def test_codes_as_narrow_as_their_words() -> None:
    from govdata_policy.io.coded import encode

    # issue 5: codes are held for every column until the output is built, so they are narrowed
    rng = random.Random(8)
    for count, dtype in ((5, np.uint8), (300, np.uint16)):
        cells = [rng.choice([*(f" 词{i}" for i in range(count)), "", None, "\u3000"]) for _ in range(20000)]
        for values in (pd.Series(cells, dtype="str"), pa.chunked_array([pa.array(cells).dictionary_encode()])):
            coded = encode(values)
            plain = encode(pd.Series(cells, dtype=object))
            assert coded.codes.dtype == dtype
            assert coded.words[coded.codes].tolist() == plain.words[plain.codes].tolist()


def test_output_shares_no_memory_with_the_callers_frame() -> None:
    frame = pd.DataFrame({"case_id": ["A", "B", "C"], "event": ["share.requested"] * 3,
                          "time": ["2024-05-06 09:00"] * 3, "emergency": [True, False, True]})
    events, rejected, _ = load_events(frame)
    assert rejected == []
    assert not np.shares_memory(events["emergency"].array._data, frame["emergency"].to_numpy())
    events["emergency"].array._data[:] = False
    assert frame["emergency"].tolist() == [True, False, True]


def test_text_columns_of_the_kept_rows_with_parquet_ids(tmp_path) -> None:
    import pyarrow.parquet as pq

    # case_id dictionary-coded (Parquet) goes with the other text columns; rows rejected in between
    rows = _with_gaps(_rows(9, 3000, 0.6), 9)
    path = tmp_path / "log.parquet"
    pq.write_table(pa.Table.from_pylist(rows), path)
    fast, fast_rejected, _ = load_events(path)
    slow, slow_rejected, _ = load_events(rows)
    assert [r["row"] for r in fast_rejected] == [r["row"] for r in slow_rejected] and fast_rejected
    assert _plain(fast) == _plain(slow)
    assert (fast["case_id"].dtype, fast["event"].dtype, fast["note"].dtype) == ("string", object, "category")


def test_validation_that_consumes_the_raw_columns_gives_the_same_frame(tmp_path) -> None:
    """issue 5: ``load_events`` lets the raw text go once checked; the EventFrame is unchanged."""
    validate_module = sys.modules["govdata_policy.io.validate"]
    path = _write(_rows(11, 3000, 0.8), tmp_path / "log.csv")
    kept_raw = validate_module.read_raw(path)
    kept, kept_rejected = validate_module.validate(kept_raw)
    consumed_raw = validate_module.read_raw(path)
    consumed, consumed_rejected = validate_module.validate(consumed_raw, consume=True)
    pd.testing.assert_frame_equal(consumed, kept)
    assert consumed_rejected == kept_rejected and kept_rejected
    assert len(kept_raw.frame) == 3000  # a caller's own raw table is left as it was
    assert len(consumed_raw.frame) == 0 and list(consumed_raw.frame.columns) == list(kept_raw.frame.columns)


WORDS = st.lists(st.one_of(st.none(), st.text(alphabet=st.sampled_from(list("ab甲乙 😀\u00e9\ud800")), max_size=4)),
                 min_size=0, max_size=60)


@settings(max_examples=80, deadline=None)
@given(words=WORDS, distinct=st.booleans())
def test_words_sorted_by_arrow_are_sorted_as_python_sorts(words: list[str | None], distinct: bool) -> None:
    validate_module = sys.modules["govdata_policy.io.validate"]
    if distinct:  # the usual case: each distinct word once (None may come more than once)
        seen = dict.fromkeys(w for w in words if w is not None)
        words = [*seen, *[None] * words.count(None)]
    categories = sorted({w for w in words if w is not None})
    places = [-1 if w is None else categories.index(w) for w in words]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(validate_module, "_ARROW_SORT_WORDS", 0)
        got_categories, got_places = validate_module._sorted_words(words)
    assert got_categories == categories
    assert got_places.tolist() == places


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(max_size=4)), min_size=1, max_size=40),
       st.integers(1, 7), st.data())
def test_cells_looked_up_one_by_one_are_the_columns_cells(cells, chunk, data) -> None:
    # text.cells_at reads a few cells of Arrow text in its chunks (pandas' take joins them first, issue 5);
    # whatever the chunking and the places, the cells are those pandas gives, missing ones as missing
    from govdata_policy.io.text import cells_at

    chunks = [pa.array(cells[i:i + chunk], pa.string()) for i in range(0, len(cells), chunk)]
    arrow = pd.Series(pd.array(pa.chunked_array(chunks, pa.string()), dtype=pd.StringDtype("pyarrow")))
    places = data.draw(st.lists(st.integers(0, len(cells) - 1), max_size=12))
    for column in (arrow, pd.Series(cells, dtype=object)):
        expected = [None if pd.isna(v) else v for v in column.iloc[places].tolist()]
        assert [None if pd.isna(v) else v for v in cells_at(column, places)] == expected


def test_a_totals_row_among_many_chunks_is_found(tmp_path) -> None:
    # the totals row is looked up by its place in a column of many Arrow chunks (a CSV read in 1 MB blocks)
    rows = ["序号,case_id,event,time"] + [f"{i},C{i},share.requested,2024-05-06 09:00" for i in range(60_000)]
    rows.append("合计,,,")
    path = tmp_path / "log.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    _, rejected, read = load_events(path)
    assert read == 60_001 and len(rejected) == 1
    assert rejected[0]["reason"].startswith("序号: '合计' marks a totals row, not an event; case_id: missing")
