"""The command line's early read of a CSV (io.prefetch) is used only when it is the read the check
would make of the file as it is; whatever the early read did, the log reads the same."""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from govdata_policy.cli.app import app
from govdata_policy.io import InputError, read_raw
from govdata_policy.io import prefetch as prefetch_module

csv_read_module = importlib.import_module("govdata_policy.io.csv_read")

HEADER = "case_id,event,time,category\n"


def _log(path: Path, rows: int, first: str = "C") -> Path:
    lines = [HEADER] + [f"{first}{i},share.requested,2024-05-06 09:{i % 60:02d}:00,conditional\n" for i in range(rows)]
    path.write_text("".join(lines), encoding="utf-8")
    return path


def _counting(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> list[int]:
    """Calls of ``module.name`` counted: the check's own reads (the early read holds its own
    reference to the reader, so it is not counted)."""
    calls: list[int] = []
    original = getattr(module, name)

    def counted(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


def _counting_reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    return _counting(monkeypatch, csv_read_module, "arrow_read")


def _cells(path: Path) -> dict[str, list]:
    raw = read_raw(path)
    return {name: raw.frame[name].tolist() for name in raw.frame.columns} | {"row": raw.row.tolist()}


def test_the_early_read_is_what_the_check_reads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _log(tmp_path / "log.csv", 500)
    expected = _cells(path)
    calls = _counting_reads(monkeypatch)
    assert prefetch_module.start_reading(path, min_bytes=0)
    assert _cells(path) == expected
    assert calls == []  # the check did not read the file again
    assert prefetch_module._reading is None  # used up


def _parquet(path: Path, rows: int, first: str = "C") -> Path:
    import pandas as pd

    pd.DataFrame({"case_id": [f"{first}{i}" for i in range(rows)], "event": "share.requested",
                  "time": "2024-05-06 09:00:00", "category": "conditional",
                  "extra_working_days": range(rows)}).to_parquet(path)
    return path


def _counting_parquet_reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    import govdata_policy.io.parquet_table as parquet_module

    return _counting(monkeypatch, parquet_module, "parquet_table")


def test_a_parquet_log_read_early_reads_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _parquet(tmp_path / "log.parquet", 400)
    expected = _cells(path)
    assert prefetch_module.start_reading(path, min_bytes=0)
    calls = _counting_parquet_reads(monkeypatch)
    assert _cells(path) == expected
    assert calls == [] and prefetch_module._reading is None
    # rewritten after the early read: read again
    assert prefetch_module.start_reading(path, min_bytes=0)
    prefetch_module._reading.done.wait()
    _parquet(path, 410, first="D")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    cells = _cells(path)
    assert (cells["case_id"][0], len(cells["case_id"]), len(calls)) == ("D0", 410, 1)


def test_a_small_file_or_another_kind_is_not_read_early(tmp_path: Path) -> None:
    assert not prefetch_module.start_reading(_log(tmp_path / "log.csv", 5))  # under MIN_BYTES
    assert not prefetch_module.start_reading(_log(tmp_path / "log.jsonl", 5), min_bytes=0)
    assert not prefetch_module.start_reading(tmp_path / "missing.csv", min_bytes=0)
    assert not prefetch_module.start_reading(tmp_path, min_bytes=0)  # a folder
    assert prefetch_module._reading is None


def test_a_file_changed_after_the_early_read_is_read_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _log(tmp_path / "log.csv", 300)
    assert prefetch_module.start_reading(path, min_bytes=0)
    prefetch_module._reading.done.wait()
    _log(path, 310, first="D")  # rewritten: more rows, other ids
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))  # a coarse clock may not move
    calls = _counting_reads(monkeypatch)
    cells = _cells(path)
    assert cells["case_id"][0] == "D0" and len(cells["case_id"]) == 310
    assert calls  # read again, the early read dropped


def test_another_file_read_first_drops_the_early_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first, other = _log(tmp_path / "a.csv", 200), _log(tmp_path / "b.csv", 200, first="B")
    assert prefetch_module.start_reading(first, min_bytes=0)
    calls = _counting_reads(monkeypatch)
    assert _cells(other)["case_id"][0] == "B0"
    assert calls and prefetch_module._reading is None
    assert _cells(first)["case_id"][0] == "C0"  # read as usual


def test_gbk_below_the_first_bytes_reads_as_before(tmp_path: Path) -> None:
    """The early read takes the file for UTF-8 from its first bytes and fails further down; the
    check's own read then finds GBK, as it did without one."""
    path = _log(tmp_path / "log.csv", 3000)
    with path.open("ab") as handle:
        handle.write("Z1,share.requested,2024-05-06 10:00:00,有条件共享\n".encode("gbk"))
    expected = _cells(path)
    assert prefetch_module.start_reading(path, min_bytes=0)
    assert _cells(path) == expected
    assert expected["category"][-1] == "有条件共享"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    title=st.sampled_from(["", "永州市政务数据共享台账\n", "导出,,,\n"]),
    delimiter=st.sampled_from([",", "\t", ";"]),
    values=st.lists(st.text(alphabet='ab ,\n"共享\t', max_size=6), min_size=1, max_size=40),
)
def test_any_csv_reads_the_same_with_an_early_read(tmp_path: Path, title: str, delimiter: str,
                                                   values: list[str]) -> None:
    path = tmp_path / "log.csv"
    quoted = ['"' + v.replace('"', '""') + '"' for v in values]
    rows = [delimiter.join([f"C{i}", "share.requested", "2024-05-06 09:00:00", v]) for i, v in enumerate(quoted)]
    path.write_text(title + delimiter.join(["case_id", "event", "time", "note"]) + "\n" + "\n".join(rows) + "\n",
                    encoding="utf-8")
    expected = _read_or_refusal(path)
    prefetch_module.start_reading(path, min_bytes=0)
    assert _read_or_refusal(path) == expected


def _read_or_refusal(path: Path) -> Any:
    """The cells read, or the refusal (a value holding a line break and a row's worth of delimiters, not
    the last of the file, is taken for rows swallowed by a quote never closed: csv_read's heuristic)."""
    try:
        return _cells(path)
    except InputError as refusal:
        return str(refusal)


def test_the_same_refusal_with_an_early_read(tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    path.write_text('case_id\tevent\ttime\tnote\nC1\tshare.requested\t2024-05-06 09:00:00\t"never closed\n'
                    "C2\tshare.requested\t2024-05-06 09:00:00\t\n", encoding="utf-8")
    refused = _read_or_refusal(path)
    assert isinstance(refused, str) and "never closed" in refused
    assert prefetch_module.start_reading(path, min_bytes=0)
    assert _read_or_refusal(path) == refused


def test_check_reads_its_log_early_with_the_same_verdict(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _log(tmp_path / "log.csv", 400)
    args = ["check", str(path), "-j", "yongzhou", "--as-of", "2024-06-30", "--format", "json"]
    before = CliRunner().invoke(app, args)
    started: list[Path] = []
    original = prefetch_module.start_reading
    monkeypatch.setattr(prefetch_module, "start_reading",
                        lambda log, min_bytes=0: started.append(log) or original(log, min_bytes))
    calls = _counting_reads(monkeypatch)
    after = CliRunner().invoke(app, args)
    assert started == [path] and calls == []
    assert (after.exit_code, after.stdout) == (before.exit_code, before.stdout)
    assert before.exit_code == 1 and '"violations"' in before.stdout


def test_a_file_edited_with_its_mtime_put_back_is_read_again(tmp_path: Path) -> None:
    """An edit of the same size whose modification time is set back (touch -r, cp -p, os.utime) left
    size and mtime as the early read saw them: the check took the early table, the file's old rows."""
    path = _log(tmp_path / "log.csv", 3000)  # past the first 64 KB the plan is made of
    assert prefetch_module.start_reading(path, min_bytes=0)
    prefetch_module._reading.done.wait()
    stat = path.stat()
    data = path.read_bytes()
    at = data.rindex(b"C2999,")
    with path.open("r+b") as handle:  # in place, same size, beyond the first bytes' plan
        handle.seek(at)
        handle.write(b"X2999,")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (stat.st_size, stat.st_mtime_ns)
    assert _cells(path)["case_id"][-1] == "X2999"


@pytest.mark.parametrize("wrong", [["-j", "nowhere"], ["-j", "yongzhou", "-o", "."],
                                   ["-j", "yongzhou", "--mapping", "missing.yaml"]])
def test_a_check_that_ends_before_its_read_leaves_no_early_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                 wrong: list[str]) -> None:
    """A check refused before it read its log (a bad -j, -o or mapping) left its early read behind: the
    table held in memory, and taken by the next read of the file in the process, a library caller's."""
    path = _log(tmp_path / "log.csv", 400)
    original = prefetch_module.start_reading
    monkeypatch.setattr(prefetch_module, "start_reading", lambda log, min_bytes=0: original(log, min_bytes))
    monkeypatch.chdir(tmp_path)
    run = CliRunner().invoke(app, ["check", str(path), *wrong])
    assert run.exit_code == 2, run.output
    assert prefetch_module._reading is None
