"""A log checked in parts (``workers=N``, Dask) says where each finding's evidence lies in the officer's own
files as a one-process check does: the 证据位置 / Evidence location column of the workbook and the HTML report,
and ``explain``'s lines. Such a result kept no ``Result.files``, so the column was blank exactly where logs are
largest."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

import govdata_policy as gp
from govdata_policy.engine import parallel
from govdata_policy.report import write_report

ROOT = Path(__file__).resolve().parents[2]
AS_OF = "2025-12-31"


def _log(folder: Path) -> list[Path]:
    """The Yongzhou example as an officer's two exports: a titled first file with blank lines and a reason
    typed over two lines (its rows pushed down), the rest in a second file; cases run across both."""
    with open(ROOT / "examples" / "yongzhou.csv", encoding="utf-8", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    reason = header.index("reason")
    for number, row in enumerate(rows):
        if number % 5 == 2:
            row[reason] = "第一行\n第二行"
    half = len(rows) // 2
    first, second = folder / "a.csv", folder / "b.csv"
    with open(first, "w", encoding="utf-8", newline="") as handle:
        handle.write("永州市政务数据共享日志\n")
        writer = csv.writer(handle, lineterminator="\n")
        for number, row in enumerate([header, *rows[:half]]):
            writer.writerow(row)
            if number % 7 == 3:
                handle.write("\n")
    with open(second, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows([header, *rows[half:]])
    return [first, second]


def locations(result: Any, folder: Path, lang: str) -> dict[str, list[Any]]:
    """The evidence location column of the workbook's 违规 and 义务 sheets and of the HTML report's table."""
    book = load_workbook(write_report(result, "xlsx", folder / f"r-{lang}.xlsx", lang=lang, obligations=True))
    title = "证据位置" if lang == "zh" else "Evidence location"
    out: dict[str, list[Any]] = {}
    for name in ("违规", "义务") if lang == "zh" else ("Violations", "Obligations"):
        rows = list(book[name].iter_rows(values_only=True))
        out[name] = [row[rows[0].index(title)] for row in rows[1:]]
    page = write_report(result, "html", folder / f"r-{lang}.html", lang=lang).read_text(encoding="utf-8")
    found = re.search(r'<script type="application/json" id="violations-data">(.*?)</script>', page, re.S)
    assert found
    data = json.loads(found.group(1))
    column = [c["key"] for c in data["columns"]].index("evidence_location")
    out["html"] = [row[column] for row in data["rows"]]
    return out


def assert_same_places(one: Any, parts: Any, folder: Path) -> None:
    """The same evidence locations in both reports and languages, and the same lines in explain."""
    for lang in ("zh", "en"):
        single = locations(one, folder, lang)
        assert locations(parts, folder, lang) == single
        shown = [place for column in single.values() for place in column]
        assert len(shown) > 10 and None not in shown  # every finding here has rows in a file with lines
    case = str(one.violations["case_id"].iloc[0])

    def named(result: Any) -> list[tuple[int, Any, Any]]:
        return [(o.trigger.row, o.trigger.line, o.trigger.source) for o in result.explain(case).obligations]

    assert named(parts) == named(one)
    assert all(line for _, line, _ in named(one))


@pytest.mark.skipif(not parallel.can_fork(), reason="several processes need fork (Linux)")
def test_several_processes_say_the_places_one_process_says(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "MIN_ROWS", 0)  # the log is small
    monkeypatch.chdir(tmp_path)  # the files named as given: a.csv, b.csv
    profile = gp.load_jurisdiction("yongzhou")
    logs = [path.name for path in _log(tmp_path)]
    one = profile.evaluate(logs, as_of=AS_OF)
    many = profile.evaluate(logs, as_of=AS_OF, workers=2)
    assert many.events is None and one.violations["evidence_rows"].tolist() == many.violations["evidence_rows"].tolist()
    assert_same_places(one, many, tmp_path)
    # keep_events=False keeps no files, in one process as in several
    assert profile.evaluate(logs, as_of=AS_OF, workers=2, keep_events=False).files == ()


def _dask() -> Any:
    pytest.importorskip("dask.distributed")
    from govdata_policy import distributed

    return distributed


@pytest.mark.parametrize("scheduler", ["threads", "processes"])
def test_dask_says_the_places_one_process_says_across_the_parts_of_a_csv(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, scheduler: str) -> None:
    """Both files are cut in byte ranges: each part's map counts on from the line ends of the parts before it
    in its file (the title, blank lines and values over two lines of the first), and each file is one file
    again, named as one process names it. (A file read whole: the tests below.)"""
    import dask

    from govdata_policy.io.partitions import input_parts

    distributed = _dask()
    monkeypatch.chdir(tmp_path)
    profile = gp.load_jurisdiction("yongzhou")
    first, second = (path.name for path in _log(tmp_path))
    blocksize = Path(first).stat().st_size // 4
    assert len(input_parts(first, blocksize=blocksize)) >= 4 and len(input_parts(second, blocksize=blocksize)) >= 2
    one = profile.evaluate([first, second], as_of=AS_OF)
    with dask.config.set(scheduler=scheduler):
        found = distributed.evaluate_dask(profile, [first, second], as_of=AS_OF, blocksize=blocksize)
    assert [name for _, name, _ in found.files] == ["a.csv", "b.csv"]
    assert [end for end, _, _ in found.files] == [end for end, _, _ in one.files]
    assert_same_places(one, found, tmp_path)
    assert distributed.evaluate_dask(profile, [first, second], as_of=AS_OF, keep_events=False).files == ()


def test_check_engine_dask_writes_the_column_check_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``check --engine dask --workers 2 -o report.xlsx``: a LocalCluster of worker processes."""
    from typer.testing import CliRunner

    from govdata_policy.cli.app import app

    _dask()
    monkeypatch.chdir(tmp_path)
    _log(tmp_path)
    books = {}
    for name, engine in (("one", []), ("dask", ["--engine", "dask", "--workers", "2"])):
        run = CliRunner().invoke(app, ["check", "a.csv", "b.csv", "-j", "yongzhou", "--as-of", AS_OF, "--obligations",
                                       "-o", f"{name}.xlsx", *engine])
        assert run.exit_code == 1, run.output
        book = load_workbook(tmp_path / f"{name}.xlsx")
        books[name] = {sheet: [[cell for cell in row] for row in book[sheet].iter_rows(values_only=True)]
                       for sheet in ("违规", "义务")}
    header = books["one"]["违规"][0]
    column = header.index("证据位置")
    assert [row[column] for row in books["dask"]["违规"]] == [row[column] for row in books["one"]["违规"]]
    assert any("b.csv文件第" in str(row[column]) for row in books["one"]["违规"][1:])
    assert books["dask"] == books["one"]  # the whole of both sheets, as the one-process check writes them


def test_parquet_files_in_row_group_parts_are_named_as_one_process_names_them(tmp_path: Path) -> None:
    """A Parquet file has no lines: named when the log has several files, else nothing; a file read in several
    parts (its row groups) is still one file (as parts, one file was named beside itself)."""
    import pandas as pd

    distributed = _dask()
    with open(ROOT / "examples" / "yongzhou.csv", encoding="utf-8", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    frame = pd.DataFrame(rows, columns=header)
    half = len(frame) // 2
    frame.iloc[:half].to_parquet(tmp_path / "a.parquet", row_group_size=8)
    frame.iloc[half:].to_parquet(tmp_path / "b.parquet", row_group_size=8)
    frame.to_parquet(tmp_path / "all.parquet", row_group_size=8)
    profile = gp.load_jurisdiction("yongzhou")
    for logs in ([str(tmp_path / "a.parquet"), str(tmp_path / "b.parquet")], str(tmp_path / "all.parquet")):
        one = profile.evaluate(logs, as_of=AS_OF)
        found = distributed.evaluate_dask(profile, logs, as_of=AS_OF, parquet_rows=8)
        assert [name for _, name, _ in found.files] == [name for _, name, _ in one.files]
        for lang in ("zh", "en"):
            assert locations(found, tmp_path, lang) == locations(one, tmp_path, lang)


def test_a_file_out_of_the_clients_reach_leaves_the_column_blank(tmp_path: Path) -> None:
    """A remote cluster's path the client cannot open: its lines are not known, which is no error."""
    distributed = _dask()
    log = tmp_path / "log.csv"
    log.write_bytes((ROOT / "examples" / "yongzhou.csv").read_bytes())
    profile = gp.load_jurisdiction("yongzhou")
    found = distributed.evaluate_dask(profile, str(log), as_of=AS_OF)
    log.rename(tmp_path / "elsewhere.csv")  # the file's map is made on the client when first asked: gone by then
    assert len(found.violations)
    for lang in ("zh", "en"):
        assert {place for column in locations(found, tmp_path, lang).values() for place in column} == {None}
    case = str(found.violations["case_id"].iloc[0])
    assert [o.trigger.line for o in found.explain(case).obligations if o.trigger] == [None] * len(
        [o for o in found.explain(case).obligations if o.trigger])
