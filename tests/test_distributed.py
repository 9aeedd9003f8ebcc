"""The Dask path finds exactly what a single-process run finds (issue 5).

Logs come from the benchmark generator (benchmarks/generate.py): every process of
the profile, late and missing steps, a few unreadable rows and duplicates.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("dask.distributed")

import govdata_policy as gp  # noqa: E402
from govdata_policy.distributed import check_with_dask, evaluate_dask  # noqa: E402
from govdata_policy.io.partitions import input_parts  # noqa: E402

AS_OF = "2026-12-31"
ROOT = Path(__file__).resolve().parents[1]


generate = sys.modules["bench_generate"]  # benchmarks/generate.py, loaded by tests/conftest.py


def _write_csv(table: Any, path: Path) -> Path:
    import pyarrow.csv as pcsv

    pcsv.write_csv(generate.as_csv_table(table), path)
    return path


@pytest.fixture(scope="module")
def log() -> Any:
    """3000 events of Xinjiang (a validity window, every rule kind) with a few unreadable rows."""
    return generate.dirty(generate.Generator(gp.load_jurisdiction("xinjiang")).table(3000), share=0.002)


@pytest.fixture(scope="module")
def client() -> Any:
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0",
                                  silence_logs=40) as cluster, distributed.Client(cluster) as client:
        yield client


def _records(frame: pd.DataFrame) -> list[str]:
    return sorted(json.dumps(r, ensure_ascii=False, sort_keys=True, default=str)
                  for r in frame.astype(object).where(frame.notna(), None).to_dict(orient="records"))


def assert_same(single: Any, dask_result: Any) -> None:
    assert dask_result.rows == single.rows
    assert dask_result.rows["read"] == dask_result.rows["accepted"] + dask_result.rows["rejected"]
    assert _records(dask_result.violations) == _records(single.violations)
    assert _records(dask_result.obligations) == _records(single.obligations)
    assert dask_result.rejected_rows == single.rejected_rows
    assert dask_result.notes == single.notes
    # and the very same document, order and types included
    assert list(dask_result.violations.dtypes) == list(single.violations.dtypes)
    assert dask_result.to_json(indent=2) == single.to_json(indent=2)


def test_split_csv_on_a_local_cluster(log: Any, tmp_path: Path, client: Any) -> None:
    path = _write_csv(log, tmp_path / "log.csv")
    # two rectification orders due far beyond the working-day calendar: rejected after validation
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    ordered = frame.index[frame["event"] == "conduct.rectification_ordered"][:2]
    frame.loc[ordered, "rectify_by"] = "2099-01-01 00:00:00"
    frame.to_csv(path, index=False)
    profile = gp.load_jurisdiction("xinjiang")
    single = profile.evaluate(path, as_of=AS_OF)
    assert len(single.violations) > 100 and single.rows["rejected"] > 0
    assert sum("rectify_by" in r["reason"] for r in single.rejected_rows) == len(ordered) > 0
    parts = input_parts(path, blocksize=path.stat().st_size // 4)
    assert len(parts) >= 4  # byte ranges of one file
    stages: list[tuple[str, int | None, int | None]] = []
    found = evaluate_dask(profile, path, as_of=AS_OF, client=client, blocksize=path.stat().st_size // 4,
                          npartitions=3, progress=lambda stage, done=None, total=None, rows=None:
                          stages.append((stage, done, total)))
    assert_same(single, found)
    # the CLI's bar moves: the three output partitions counted as their checks finish (it showed "reading
    # the log", then "writing the report", nothing between)
    assert stages == [("validate", None, None), ("rules", 0, 3), ("rules", 1, 3), ("rules", 2, 3), ("rules", 3, 3),
                      ("assemble", None, None)]


def test_directory_of_parquet_and_csv_files_with_different_columns(log: Any, tmp_path: Path, client: Any) -> None:
    import pyarrow.parquet as pq

    folder = tmp_path / "logs"
    folder.mkdir()
    half = log.num_rows // 2
    first = log.slice(0, half)
    # the second export lacks two attribute columns: the union is taken, in order of appearance
    second = log.slice(half).drop_columns(["scenario", "emergency"])
    pq.write_table(generate.as_parquet_table(first), folder / "a.parquet", row_group_size=400)
    _write_csv(second, folder / "b.csv")
    profile = gp.load_jurisdiction("xinjiang")
    single = profile.evaluate(folder, as_of=AS_OF)
    found = evaluate_dask(profile, folder, as_of=AS_OF, client=client, parquet_rows=500,
                          blocksize=(folder / "b.csv").stat().st_size // 3)
    assert_same(single, found)
    # row numbers are global: the CSV's rejected rows are numbered after the Parquet file's rows
    assert any(r["row"] > half for r in found.rejected_rows if r["source"].endswith("b.csv"))


def test_dask_dataframe_input(log: Any, tmp_path: Path, client: Any) -> None:
    path = _write_csv(log, tmp_path / "log.csv")
    # an export without the emergency flag: the rules testing it say so in a note
    raw = pd.read_csv(path, dtype=str, keep_default_na=False).drop(columns=["emergency"])
    profile = gp.load_jurisdiction("xinjiang")
    single = profile.evaluate(raw, as_of=AS_OF)
    assert any(n["kind"] == "absent_column" for n in single.notes)
    found = evaluate_dask(profile, dd.from_pandas(raw, npartitions=4), as_of=AS_OF, client=client)
    assert_same(single, found)


def test_guangxi_with_the_default_scheduler(tmp_path: Path) -> None:
    """Without a client: local threads; another profile (drafts, two documents)."""
    table = generate.make_log("guangxi", 2000)
    path = _write_csv(table, tmp_path / "gx.csv")
    profile = gp.load_jurisdiction("guangxi")
    single = profile.evaluate(path, as_of="2025-06-30")  # some events after as_of: a note
    found = evaluate_dask(profile, path, as_of="2025-06-30", blocksize=path.stat().st_size // 2)
    assert any(n["kind"] == "after_as_of" for n in single.notes)
    assert_same(single, found)


def test_a_log_of_events_all_after_as_of_says_so_in_parts_too(tmp_path: Path) -> None:
    path = _write_csv(generate.make_log("guangxi", 600), tmp_path / "gx.csv")
    profile = gp.load_jurisdiction("guangxi")
    single = profile.evaluate(path, as_of="2018-01-31")  # before the generator's first event
    found = evaluate_dask(profile, path, as_of="2018-01-31", blocksize=path.stat().st_size // 2)
    assert single.notes[0]["kind"] == "no_events" and len(single.violations) == 0
    assert_same(single, found)


def test_a_csv_with_a_title_line_split_in_parts(tmp_path: Path) -> None:
    """Each byte range carries the title and the header, so every part is read as the file is."""
    table = generate.make_log("guangxi", 1500)
    plain = _write_csv(table, tmp_path / "plain.csv")
    titled = tmp_path / "titled.csv"
    titled.write_bytes("广西政务数据调度日志（导出）,,,\n\n".encode() + plain.read_bytes())
    profile = gp.load_jurisdiction("guangxi")
    single = profile.evaluate(titled, as_of="2025-06-30")
    assert single.rows == profile.evaluate(plain, as_of="2025-06-30").rows
    assert len(input_parts(titled, blocksize=titled.stat().st_size // 3)) >= 3
    assert_same(single, evaluate_dask(profile, titled, as_of="2025-06-30", blocksize=titled.stat().st_size // 3))


def test_a_header_row_repeated_mid_file_is_said_so_in_parts_too(tmp_path: Path) -> None:
    """Two exports joined with cat: the second header, in a part of its own, is refused as the single
    reader refuses it (io.repeated_header)."""
    plain = _write_csv(generate.make_log("guangxi", 1500), tmp_path / "plain.csv")
    lines = plain.read_bytes().splitlines(keepends=True)
    joined = tmp_path / "joined.csv"
    joined.write_bytes(b"".join([*lines, lines[0], *lines[1:200]]))
    profile = gp.load_jurisdiction("guangxi")
    single = profile.evaluate(joined, as_of="2025-06-30")
    assert [r["reason"] for r in single.rejected_rows if "header" in r["reason"]] == [
        "case_id: 'case_id' begins a repeat of the header row, not an event (files joined one under another?)"]
    assert_same(single, evaluate_dask(profile, joined, as_of="2025-06-30", blocksize=joined.stat().st_size // 3))


def test_check_with_dask_on_worker_processes(log: Any, tmp_path: Path) -> None:
    """The CLI helper: a LocalCluster of two worker processes; the profile travels pickled."""
    import pyarrow.parquet as pq

    path = tmp_path / "log.parquet"
    pq.write_table(generate.as_parquet_table(log), path, row_group_size=500)
    profile = gp.load_jurisdiction("xinjiang")
    single = profile.evaluate(path, as_of=AS_OF)
    found = check_with_dask(profile, [path], as_of=AS_OF, workers=2)
    assert_same(single, found)


def test_a_csv_with_line_breaks_inside_quoted_values(tmp_path: Path) -> None:
    """A reason typed over two lines is one quoted value: the byte ranges end at ends of rows,
    not at the line break inside it (cut there, 66 rows were read as 79, 13 rejected)."""
    import csv

    with open(Path(__file__).parents[1] / "examples" / "yongzhou.csv", encoding="utf-8", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    reason, event = header.index("reason"), header.index("event")
    for number, row in enumerate(rows):
        if number % 3 == 0:
            row[reason] = "第一行\n第二行，含逗号\n" + "x" * 40
        if number % 10 == 4:
            row[event] = "share.bogus"  # rejected, on a line the values over lines before it push down
    path = tmp_path / "multiline.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows([header, *rows])
    profile = gp.load_jurisdiction("yongzhou")
    single = profile.evaluate(path, as_of="2025-12-31")
    bogus = sum(row[event] == "share.bogus" for row in rows)
    assert single.rows == {"read": len(rows), "accepted": len(rows) - bogus, "rejected": bogus}
    physical = [""] + path.read_text(encoding="utf-8").split("\n")
    assert all(physical[r["line"]].startswith(f"{r['case_id']},") for r in single.rejected_rows)
    assert len(input_parts(path, blocksize=300)) >= 5
    assert_same(single, evaluate_dask(profile, path, as_of="2025-12-31", blocksize=300))


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_a_utf16_csv_is_one_part(tmp_path: Path, encoding: str) -> None:
    """Excel's "Unicode text" has two bytes a character: not cut (a cut at byte 0x0A split a
    character; the part could not be decoded). Without its byte order mark (utf-16-le, -be: read by
    its NULs, io.wide_text) too: such a file was cut, and its parts' rows were garbled."""
    path = tmp_path / "unicode.csv"
    text = (Path(__file__).parents[1] / "examples" / "yongzhou.csv").read_text(encoding="utf-8")
    path.write_text(text, encoding=encoding)
    profile = gp.load_jurisdiction("yongzhou")
    assert len(input_parts(path, blocksize=300)) == 1
    assert_same(profile.evaluate(path, as_of="2025-12-31"), evaluate_dask(profile, path, as_of="2025-12-31",
                                                                          blocksize=300))


def _small_log(tmp_path: Path) -> pd.DataFrame:
    path = _write_csv(generate.make_log("guangxi", 300), tmp_path / "generated.csv")
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def test_a_csv_with_lines_ended_by_cr_alone_is_read_whole(tmp_path: Path) -> None:
    """Old Mac exports end lines with CR: the header read by LF took the whole file, and the file
    gave no partition (an empty log) or lost its rows beside another file."""
    text = _small_log(tmp_path).to_csv(index=False, lineterminator="\n")
    mac = tmp_path / "mac.csv"
    mac.write_bytes(text.replace("\n", "\r").encode("utf-8"))
    profile = gp.load_jurisdiction("guangxi")
    single = profile.evaluate(mac, as_of="2025-06-30")
    assert single.rows["read"] == 300
    assert_same(single, evaluate_dask(profile, mac, as_of="2025-06-30", blocksize=mac.stat().st_size // 5))


def test_a_quoted_value_with_line_breaks_in_a_middle_part_is_no_unclosed_quote(tmp_path: Path) -> None:
    """Each part's last row was checked for a quote never closed, as if it ended the file: a value
    whose lines look like rows ended a middle part, and the whole log was refused."""
    frame = _small_log(tmp_path)
    frame.loc[::7, "reason"] = "note:\nsee annex,art 2,para 3,item 4,x,y,z,a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p"
    path = tmp_path / "log.csv"
    frame.to_csv(path, index=False)
    profile = gp.load_jurisdiction("guangxi")
    single = profile.evaluate(path, as_of="2025-06-30")
    assert single.rows["read"] == 300
    for blocksize in (997, 2003, 5011):  # cuts after many different rows
        assert_same(single, evaluate_dask(profile, path, as_of="2025-06-30", blocksize=blocksize))


@pytest.mark.parametrize("as_records", [False, True])
def test_a_pandas_frame_or_records_given_to_the_dask_path(as_records: bool, tmp_path: Path) -> None:
    frame = _small_log(tmp_path)
    profile = gp.load_jurisdiction("guangxi")
    single = profile.evaluate(frame, as_of="2025-06-30")
    given = frame.to_dict(orient="records") if as_records else frame
    found = evaluate_dask(profile, given, as_of="2025-06-30", npartitions=3)
    assert found.rows == single.rows
    assert _records(found.violations) == _records(single.violations)


def test_a_generator_of_paths_or_records_is_read_once_and_whole(tmp_path: Path) -> None:
    # a generator was consumed by the check "all paths?" and then found empty ("the log is empty")
    frame = _small_log(tmp_path)
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    frame.iloc[: len(frame) // 2].to_csv(first, index=False)
    frame.iloc[len(frame) // 2:].to_csv(second, index=False)
    profile = gp.load_jurisdiction("guangxi")
    single = profile.evaluate([first, second], as_of="2025-06-30")
    assert single.rows["read"] == len(frame)
    assert_same(single, evaluate_dask(profile, (p for p in (first, second)), as_of="2025-06-30"))
    records = profile.evaluate(frame, as_of="2025-06-30")
    found = evaluate_dask(profile, (r for r in frame.to_dict(orient="records")), as_of="2025-06-30", npartitions=2)
    assert found.rows == records.rows
    assert _records(found.violations) == _records(records.violations)


def test_a_log_with_its_own_source_column_keeps_it_apart_from_the_file_name(tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    path.write_text("case_id,event,time,source\nA1,share.requested,2024-03-01 10:00,OA系统\n"
                    "A2,share.requested,2003-03-01 10:00,OA系统\n", encoding="utf-8")
    profile = gp.load_jurisdiction("guangxi")
    single = profile.evaluate(path, as_of="2024-12-31")
    # the rejected row names the file it came from; the log's own column is kept as source_input
    assert [r["source"] for r in single.rejected_rows] == [str(path)]
    assert single.events.column("source_input").tolist() == ["OA系统"]
    assert_same(single, evaluate_dask(profile, path, as_of="2024-12-31"))


def test_parquet_parts_are_typed_as_the_whole_file_is(tmp_path: Path) -> None:
    """A row group was read by pandas' own to_pandas: whole numbers with a gap became float64 (an 18-digit
    id rounded, each row refused as such) and text kept as bytes (Impala, Hive) stayed b'...', GBK or not."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    big = 123456789012345678
    table = pa.table({"case_id": pa.array([big, big + 1, None, big + 2], pa.int64()),
                      "event": pa.array([b"share.requested"] * 4, pa.binary()),
                      "time": ["2024-05-06 09:00"] * 4,
                      "provider": pa.array(["公安厅".encode("gbk")] * 4, pa.binary())})
    path = tmp_path / "impala.parquet"
    pq.write_table(table, path, row_group_size=2)
    profile = gp.load_jurisdiction("guangxi")
    single = profile.evaluate(path, as_of="2024-06-30")
    assert single.rows == {"read": 4, "accepted": 3, "rejected": 1}  # the row without a case id
    assert_same(single, evaluate_dask(profile, path, as_of="2024-06-30", parquet_rows=2))


def test_an_unreadable_parquet_file_is_named(tmp_path: Path) -> None:
    from govdata_policy.io import InputError

    bad = tmp_path / "b.parquet"
    bad.write_text("not parquet", encoding="utf-8")
    with pytest.raises(InputError, match=r"b\.parquet: cannot read"):
        input_parts(bad)


def test_a_sheet_asked_of_csv_parts_is_refused_as_in_one_process(tmp_path: Path) -> None:
    from govdata_policy.io import InputError

    path = tmp_path / "log.csv"
    path.write_text("case_id,event,time\nC1,share.requested,2024-05-06 09:00\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"log\.csv: sheet '日志' asked for, but only a workbook has sheets"):
        evaluate_dask(gp.load_jurisdiction("guangxi"), path, as_of="2024-12-31", sheet="日志")
    # a frame split into parts is no file: said as what it is (it was named "<dataframe>" as a file)
    with pytest.raises(InputError, match="this log is a DataFrame or records"):
        evaluate_dask(gp.load_jurisdiction("guangxi"), pd.read_csv(path), as_of="2024-12-31", sheet="日志")


def test_an_input_error_on_worker_processes_is_one_line_on_stderr(tmp_path: Path) -> None:
    # the worker that raised it logged it too, with its traceback, before check said it in one line
    import subprocess

    path = tmp_path / "log.csv"
    path.write_text("case_id,evnt,time\nA,share.requested,2024-05-06 09:00\n", encoding="utf-8")
    script = "import sys; from govdata_policy.cli.app import main; sys.argv[0] = 'govdata-policy'; main()"
    done = subprocess.run([sys.executable, "-c", script, "check", str(path), "-j", "guangxi", "--engine", "dask",
                           "--workers", "1", "--lang", "en"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        f"error: {path}: missing required column event; columns found: case_id, evnt, time; event (did you mean "
        "'evnt'?) (a mapping file can rename columns: govdata-policy mapping init LOG)"]


def test_an_input_error_of_a_whole_file_part_is_not_its_own_cause(tmp_path: Path) -> None:
    """read_part raised it ``from`` itself: distributed's error_message walks ``__cause__`` to its end, so a
    worker process looped on it, spinning, and check --engine dask hung for ever (a JSON Lines file, a
    workbook, a small CSV: any file read whole that the mapping or the column names refuse)."""
    import subprocess

    from govdata_policy.io import InputError
    from govdata_policy.io.partitions import CSV_BLOCKSIZE, PARQUET_ROWS, read_part

    clash = tmp_path / "log.jsonl"
    clash.write_text('{"case_id": "A", "event": "share.requested", "time": "2024-05-06 09:00", "outcome": '
                     '"approved", "Outcome": "refused"}\n', encoding="utf-8")
    [(part, frame)] = input_parts(clash, CSV_BLOCKSIZE, PARQUET_ROWS, None)
    with pytest.raises(InputError, match="column outcome is given twice") as raised:
        read_part(part, frame, None, None)
    assert raised.value.__cause__ is not raised.value
    # on worker processes: the date's column of a join absent, said in one line, not a check that never ends
    path = tmp_path / "log.csv"
    path.write_text("申请编号,环节,办理时间\nA,share.requested,2024-05-06 09:00\n", encoding="utf-8")
    mapping = tmp_path / "map.yaml"
    mapping.write_text("columns: {申请编号: case_id, 环节: event}\njoin: {time: [办理日期, 办理时间]}\n",
                       encoding="utf-8")
    script = "import sys; from govdata_policy.cli.app import main; sys.argv[0] = 'govdata-policy'; main()"
    done = subprocess.run([sys.executable, "-c", script, "check", str(path), "-j", "guangxi", "--mapping",
                           str(mapping), "--engine", "dask", "--workers", "1", "--lang", "en"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        f"error: {path}: the mapping joins 办理日期 and 办理时间 into time, but the file has no 办理日期 column; "
        "columns found: 申请编号, 环节, 办理时间"]


def test_an_error_in_a_later_part_says_where_its_rows_are_counted_from(tmp_path: Path) -> None:
    from govdata_policy.io import InputError

    frame = _small_log(tmp_path)
    path = tmp_path / "log.csv"
    frame.to_csv(path, index=False)
    with path.open("a", encoding="utf-8") as handle:  # a quote opened on the last row and never closed
        width = len(frame.columns)
        handle.write('Z1,share.requested,2024-03-01 10:00:00,"never closed' + "," * (width - 4) + "\n"
                     + "Z2,share.requested,2024-03-02 10:00:00" + "," * (width - 3) + "\n")
    profile = gp.load_jurisdiction("guangxi")
    with pytest.raises(InputError, match=r"log\.csv: row 301: a quote in column"):
        profile.evaluate(path, as_of="2025-06-30")
    with pytest.raises(InputError, match=r"log\.csv \(the part from byte [\d,]+; rows counted from there\): row \d+"):
        evaluate_dask(profile, path, as_of="2025-06-30", blocksize=path.stat().st_size // 4)


def test_the_frames_equal_the_single_runs_when_a_part_has_no_mitigated_finding() -> None:
    """Xinjiang's mitigation column is text where a finding is mitigated, missing elsewhere: a part
    with none made it objects there, and the merged column objects where the single run has str."""
    profile = gp.load_jurisdiction("xinjiang")
    single = profile.evaluate(ROOT / "examples" / "xinjiang.csv", as_of="2025-12-31")
    assert single.violations["mitigation"].notna().any() and single.violations["mitigation"].isna().any()
    raw = pd.read_csv(ROOT / "examples" / "xinjiang.csv", dtype=str)
    found = evaluate_dask(profile, dd.from_pandas(raw, npartitions=3), as_of="2025-12-31")
    assert found.violations.equals(single.violations) and found.obligations.equals(single.obligations)


def test_rejected_rows_name_their_line_in_every_part(tmp_path: Path) -> None:
    """A CSV cut in byte ranges counts its lines on from range to range: a title and blank lines in
    one range push the rows of the next ones down, as in the file."""
    import re

    frame = _small_log(tmp_path)
    frame.loc[frame.index % 37 == 5, "event"] = "share.bogus"  # rejected rows in every part
    text = frame.to_csv(index=False, lineterminator="\n").split("\n")
    body = [line + ("\n" if number % 11 else "\n\n") for number, line in enumerate(text[1:-1])]  # blank lines
    path = tmp_path / "gaps.csv"
    path.write_text("广西导出\n\n" + text[0] + "\n" + "".join(body), encoding="utf-8")
    profile = gp.load_jurisdiction("guangxi")
    single = profile.evaluate(path, as_of=AS_OF)
    physical = [""] + re.split(r"\r\n|\r|\n", path.read_text(encoding="utf-8"))
    assert single.rows["rejected"] >= 5
    for item in single.rejected_rows:
        assert physical[item["line"]].startswith(f"{item['case_id']},"), item
    assert len(input_parts(path, blocksize=path.stat().st_size // 4)) >= 4
    assert_same(single, evaluate_dask(profile, path, as_of=AS_OF, blocksize=path.stat().st_size // 4))


def test_a_csv_given_twice_counts_the_lines_of_each_copy_from_its_top(tmp_path: Path) -> None:
    """``check log.csv log.csv``: two files of the log, as one process reads them. The second copy's ranges
    counted their lines on from every range of the same path before them, the first copy's too: a rejected
    row on line 8 of the second copy was said on line 308, and the reports' evidence locations were as far off."""
    from govdata_policy.report.evidence import evidence_places

    frame = _small_log(tmp_path)
    frame.loc[frame.index % 37 == 5, "event"] = "share.bogus"
    path = tmp_path / "log.csv"
    path.write_text("广西导出\n" + frame.to_csv(index=False, lineterminator="\n"), encoding="utf-8")
    blocksize = path.stat().st_size // 3
    assert len(input_parts([path, path], blocksize=blocksize)) >= 6
    profile = gp.load_jurisdiction("guangxi")
    single = profile.evaluate([path, path], as_of=AS_OF)
    found = evaluate_dask(profile, [path, path], as_of=AS_OF, blocksize=blocksize)
    half = single.rows["read"] // 2
    assert {r["line"] for r in single.rejected_rows if r["row"] > half} == {
        r["line"] for r in single.rejected_rows if r["row"] <= half}
    assert_same(single, found)
    rows = [[row] for row in range(1, single.rows["read"] + 1)]
    assert evidence_places(found, rows, "en") == evidence_places(single, rows, "en")


def test_an_arrow_table_gives_the_single_process_result() -> None:
    # one process reads a pyarrow Table; the Dask path took it for records and raised a TypeError
    import pyarrow as pa

    table = pa.Table.from_pylist(
        [{"case_id": "A", "event": "share.requested", "time": "2024-05-06 09:00", "category": "conditional",
          "provider": "市公安局"},
         {"case_id": "A", "event": "share.provider_reviewed", "time": "2024-05-28 10:00", "outcome": "approved"},
         {"case_id": None, "event": "share.requested", "time": "2024-05-06 09:00"}])
    profile = gp.load_jurisdiction("yongzhou")
    single = profile.evaluate(table, as_of="2024-12-31")
    found = evaluate_dask(profile, table, as_of="2024-12-31")
    assert list(single.violations["kind"]) == ["late"]
    assert_same(single, found)
    assert [r["source"] for r in found.rejected_rows] == ["<arrow>"]


def test_the_reports_count_every_case_of_the_log_from_a_dask_result_too(tmp_path: Path) -> None:
    # the HTML and xlsx totals counted a Dask result's cases from its obligations and findings
    # (it has no prepared log): the Yongzhou example's 29 cases were 26, its 3 quiet ones left out,
    # and the timelines said "All 26 cases are shown"
    from govdata_policy.report import write_report
    from govdata_policy.report.summary import summarise

    profile = gp.load_jurisdiction("yongzhou")
    path = ROOT / "examples" / "yongzhou.csv"
    single = profile.evaluate(path, as_of="2025-12-31")
    found = evaluate_dask(profile, path, as_of="2025-12-31")
    assert found.events is None
    assert summarise(single, "en").cases == summarise(found, "en").cases == 29
    page = write_report(found, "html", tmp_path / "report.html", lang="en").read_text(encoding="utf-8")
    assert 'id="total-cases" data-value="29"' in page
    assert "The log has 29 cases; the 26 with obligations or findings are shown." in page


def test_checks_one_after_another_on_one_client_keep_their_own_tasks(tmp_path: Path, client: Any) -> None:
    # the read tasks had fixed keys (govdata-validate-0, -1, …): a check after a failed one on the same
    # client got the failed check's error back, and two checks at once each other's rows
    failed, good = tmp_path / "failed", tmp_path / "good"
    failed.mkdir()
    good.mkdir()
    (failed / "a.csv").write_text("case_id,event,time\nA,share.requested,2024-03-01 09:00:00\n", encoding="utf-8")
    (failed / "b.csv").write_text("", encoding="utf-8")  # an empty file: refused
    (good / "a.csv").write_text("case_id,event,time\nB,share.requested,2024-03-01 09:00:00\n", encoding="utf-8")
    (good / "b.csv").write_text("case_id,event,time\nC,share.requested,2024-03-01 09:00:00\n", encoding="utf-8")
    profile = gp.load_jurisdiction("guangxi")
    with pytest.raises(ValueError, match="empty file"):
        evaluate_dask(profile, failed, as_of="2024-06-30", client=client)
    found = evaluate_dask(profile, good, as_of="2024-06-30", client=client)
    assert_same(profile.evaluate(good, as_of="2024-06-30"), found)
    assert found.rows["read"] == 2


def test_a_workbook_whose_other_sheets_hold_a_log_says_so_on_dask_too(tmp_path: Path) -> None:
    # the note of the sheets not read (io.other_sheets) was the single-process run's alone: the Dask
    # path read the first sheet and said nothing of the others
    rows = pd.DataFrame({"case_id": ["A", "A"], "event": ["share.requested", "share.provider_reviewed"],
                         "time": ["2024-05-06 09:00:00", "2024-06-28 10:00:00"]})
    path = tmp_path / "two_sheets.xlsx"
    with pd.ExcelWriter(path) as workbook:
        rows.to_excel(workbook, sheet_name="2024年5月", index=False)
        rows.assign(case_id="B").to_excel(workbook, sheet_name="2024年6月", index=False)
    profile = gp.load_jurisdiction("yongzhou")
    single = profile.evaluate(path, as_of="2024-12-31")
    assert single.notes[0]["kind"] == "other_sheets"
    assert_same(single, evaluate_dask(profile, path, as_of="2024-12-31"))
    both = profile.evaluate([path, path], as_of="2024-12-31")  # two workbooks: a note each, in file order
    assert [n["kind"] for n in both.notes[:2]] == ["other_sheets"] * 2
    assert_same(both, evaluate_dask(profile, [path, path], as_of="2024-12-31"))


def test_every_sheet_of_a_workbook_as_one_log_on_dask_too(tmp_path: Path) -> None:
    # sheet="*" (io.all_sheets) was read_raw's alone: the Dask path sent "*" to the workbook reader as
    # a sheet's name ("no sheet '*'"); each sheet with the log is now a part of its own
    sys.path.insert(0, str(ROOT / "tests" / "io"))
    from monthly_book import CHINESE, MAPPING, monthly_workbook

    plain = monthly_workbook(tmp_path / "a.xlsx", june_extra=[["C2", "share.requested", "昨天", None, None]])
    mapped = monthly_workbook(tmp_path / "b.xlsx", header=CHINESE)
    csv = tmp_path / "c.csv"
    csv.write_text("case_id,event,time\nC5,share.requested,2024-07-29 09:00\n", encoding="utf-8")
    profile = gp.load_jurisdiction("yongzhou")
    single = profile.evaluate([plain, csv], as_of="2024-07-31", sheet="*")
    assert single.rejected_rows[0]["source"] == f"{plain}[6月]"
    assert [n["kind"] for n in single.notes[:1]] == ["passed_over_sheets"]
    assert_same(single, evaluate_dask(profile, [plain, csv], as_of="2024-07-31", sheet="*"))
    with_mapping = profile.evaluate(mapped, as_of="2024-07-31", mapping=MAPPING, sheet="*")
    assert with_mapping.rows["accepted"] == 2
    assert_same(with_mapping, evaluate_dask(profile, mapped, as_of="2024-07-31", mapping=MAPPING, sheet="*"))


def test_a_scheduler_that_cannot_be_used_leaves_dasks_configuration_as_it_was(tmp_path: Path) -> None:
    """A Client makes itself dask's default scheduler before connecting and, failing, never undid it: every
    later dask computation of the process failed ("Requested dask.distributed scheduler but no Client
    active"); in the suite, the next test's evaluate_dask."""
    import dask

    from govdata_policy.errors import BilingualError

    path = tmp_path / "log.csv"
    path.write_text("case_id,event,time\nL1,conduct.leak,2024-05-06 09:00\n", encoding="utf-8")
    profile = gp.load_jurisdiction("yongzhou")
    before = dask.config.get("scheduler", None)
    for address in ("localhost", "foo://bar"):  # no port; an unknown scheme
        with pytest.raises(BilingualError, match="localhost|foo"):
            check_with_dask(profile, [path], "2024-06-30", None, scheduler=address)
        assert dask.config.get("scheduler", None) == before
    later = evaluate_dask(profile, pd.read_csv(path, dtype=str), as_of="2024-06-30", npartitions=1)
    assert list(later.violations["rule_id"]) == ["yz-39-no-leak"]


def test_an_address_where_something_else_answers_is_no_scheduler(tmp_path: Path) -> None:
    """A wrong port where another server speaks first (SSH, an HTTP proxy): dask reads its first bytes as a
    message's size and raised MemoryError ('Unable to allocate 3.07 EiB'), reported as a bug in
    govdata-policy (exit 3), with the half-made client left as dask's default."""
    import socket
    import threading

    import dask

    from govdata_policy.errors import BilingualError

    server = socket.create_server(("127.0.0.1", 0))

    def answer() -> None:
        while True:
            try:
                peer, _ = server.accept()
            except OSError:
                return
            peer.sendall(b"HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n")
            peer.close()

    threading.Thread(target=answer, daemon=True).start()
    path = tmp_path / "log.csv"
    path.write_text("case_id,event,time\nL1,conduct.leak,2024-05-06 09:00\n", encoding="utf-8")
    profile = gp.load_jurisdiction("yongzhou")
    before = dask.config.get("scheduler", None)
    address = f"tcp://127.0.0.1:{server.getsockname()[1]}"
    try:
        with pytest.raises(BilingualError, match="is not a Dask scheduler") as caught:
            check_with_dask(profile, [path], "2024-06-30", None, scheduler=address)
    finally:
        server.close()
    assert caught.value.zh.startswith(f"无法使用 Dask 调度器 {address}")
    assert dask.config.get("scheduler", None) == before
    later = evaluate_dask(profile, pd.read_csv(path, dtype=str), as_of="2024-06-30", npartitions=1)
    assert list(later.violations["rule_id"]) == ["yz-39-no-leak"]


def test_a_server_that_says_nothing_is_no_scheduler_within_the_connect_timeout(tmp_path: Path) -> None:
    """A server that takes the connection and says nothing (another program's port, a tarpit): Client(address)
    waited for ever, its timeout bounding the connection only; check --scheduler hung. Asked first now, it is
    an error within dask's connect timeout, the configuration put back."""
    import socket
    import threading

    import dask

    from govdata_policy.errors import BilingualError

    server = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []

    def take() -> None:
        while True:
            try:
                held.append(server.accept()[0])  # kept open, never answered
            except OSError:
                return

    threading.Thread(target=take, daemon=True).start()
    path = tmp_path / "log.csv"
    path.write_text("case_id,event,time\nL1,conduct.leak,2024-05-06 09:00\n", encoding="utf-8")
    profile = gp.load_jurisdiction("yongzhou")
    address = f"tcp://127.0.0.1:{server.getsockname()[1]}"
    before = dask.config.get("scheduler", None)
    raised: list[BaseException] = []

    def check() -> None:
        try:
            with dask.config.set({"distributed.comm.timeouts.connect": "2s"}):
                check_with_dask(profile, [path], "2024-06-30", None, scheduler=address)
        except BaseException as exc:  # noqa: BLE001 - looked at below, in the test's thread
            raised.append(exc)

    # in a thread, so the suite goes on if it hangs again: the bound is no measure of speed (2 s expected)
    checking = threading.Thread(target=check, daemon=True)
    checking.start()
    checking.join(120)
    server.close()
    for peer in held:
        peer.close()
    assert not checking.is_alive(), "check_with_dask still waits on a server that says nothing"
    assert len(raised) == 1 and isinstance(raised[0], BilingualError), raised
    assert "answered as a Dask scheduler within 2 s" in str(raised[0])
    assert raised[0].zh.startswith(f"无法使用 Dask 调度器 {address}")
    assert dask.config.get("scheduler", None) == before


def test_a_port_where_nothing_listens_is_said_so_at_once(tmp_path: Path) -> None:
    """A port where nothing listens was said to "take the connection and say nothing" while one deadline covered
    the connection too; then it was dask's "Timed out trying to connect", after dask had retried the refused
    connection for its whole connect timeout (30 s by default) before exit 2. A refusal is told at once now:
    a plain TCP connection is tried first, and refused it is an error naming the address, in Chinese too."""
    import socket
    import time

    import dask

    from govdata_policy.errors import BilingualError

    with socket.create_server(("127.0.0.1", 0)) as server:
        port = server.getsockname()[1]  # closed on leaving: nothing listens there
    path = tmp_path / "log.csv"
    path.write_text("case_id,event,time\nL1,conduct.leak,2024-05-06 09:00\n", encoding="utf-8")
    profile = gp.load_jurisdiction("yongzhou")
    address = f"tcp://127.0.0.1:{port}"
    before = dask.config.get("scheduler", None)
    started = time.monotonic()
    with dask.config.set({"distributed.comm.timeouts.connect": "30s"}), \
            pytest.raises(BilingualError, match=f"nothing listens at {address}: the connection was refused") as caught:
        check_with_dask(profile, [path], "2024-06-30", None, scheduler=address)
    assert time.monotonic() - started < 15  # not dask's 30 s of retries (a bound, not a measure of speed)
    assert "says nothing" not in str(caught.value)
    assert caught.value.zh == (f"无法使用 Dask 调度器 {address}："
                               "该地址无程序监听，连接被拒绝（调度器是否在运行，端口是否正确？）")
    assert dask.config.get("scheduler", None) == before
