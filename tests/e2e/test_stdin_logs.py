"""A log piped into ``check -`` (a database's export, a file decompressed on the way) or given as a
named pipe: read as the same bytes in a file are, its rows named ``<stdin>`` (or the pipe's path),
the rejected rows' lines right, its temporary copy gone when the command ends."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]
EXPORT = ROOT / "tests" / "io" / "data" / "gbk_export.csv"
LOG = "case_id,event,time\nC1,share.requested,2025-03-10 09:00\nC2,share.requested,not a time\n"
FRAME = pd.DataFrame({"case_id": ["C1", "C2"], "event": ["share.requested"] * 2,
                      "time": ["2025-03-10 09:00", "not a time"]})


def _run(tmp_path: Path, args: list[str], data: bytes | None = b"", verb: str = "check",
         ) -> subprocess.CompletedProcess[str]:
    """The command line in a process of its own, ``data`` on its standard input, its temporary files in
    ``tmp_path/tmp`` (``_no_copy_left`` looks there)."""
    spool = tmp_path / "tmp"
    spool.mkdir(exist_ok=True)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "TMPDIR": str(spool)}
    done = subprocess.run([sys.executable, "-m", "govdata_policy", verb, *args], input=data, capture_output=True,
                          env=env, timeout=300)
    return subprocess.CompletedProcess(done.args, done.returncode, done.stdout.decode("utf-8"),
                                       done.stderr.decode("utf-8"))


def _no_copy_left(tmp_path: Path) -> None:
    assert not list((tmp_path / "tmp").iterdir())


def _rejected(done: subprocess.CompletedProcess[str]) -> list[dict[str, object]]:
    assert done.returncode in (0, 1), done.stderr
    return [{k: row[k] for k in ("row", "line", "source")} for row in json.loads(done.stdout)["rejected_rows"]]


def _xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(list(FRAME.columns))
    for row in FRAME.itertuples(index=False):
        book.active.append(list(row))
    sink = io.BytesIO()
    book.save(sink)
    return sink.getvalue()


def _parquet_bytes() -> bytes:
    sink = io.BytesIO()
    FRAME.to_parquet(sink)
    return sink.getvalue()


JSONL = ("\n" + "".join(json.dumps(row, ensure_ascii=False) + "\n\n" for row in FRAME.to_dict("records"))).encode()


@pytest.mark.parametrize(("data", "line"), [
    (LOG.encode("utf-8"), 3),
    (b"\xef\xbb\xbf" + LOG.encode("utf-8"), 3),
    (LOG.encode("utf-16"), 3),  # Excel's "Unicode text", known by its byte order mark
    (JSONL, 4),  # a blank line first and between the records: the line counts them
    # PowerShell's Out-File and > write UTF-16 with its mark: taken for a CSV, said to lack every column
    (JSONL.decode().encode("utf-16-le").join([b"\xff\xfe", b""]), 4),
    (JSONL.decode().encode("utf-16-be").join([b"\xfe\xff", b""]), 4),
    (_parquet_bytes(), None),  # Parquet has rows, not lines
    (_xlsx_bytes(), 3),  # the spreadsheet's row
], ids=["utf-8", "utf-8 with BOM", "utf-16", "json lines", "json lines utf-16le", "json lines utf-16be", "parquet",
        "xlsx"])
def test_a_piped_log_is_read_by_its_content(tmp_path: Path, data: bytes, line: int | None) -> None:
    done = _run(tmp_path, ["-", "-j", "yongzhou", "--format", "json", "--as-of", "2025-12-31"], data)
    assert _rejected(done) == [{"row": 2, "line": line, "source": "<stdin>"}]
    assert json.loads(done.stdout)["rows"] == {"read": 2, "accepted": 1, "rejected": 1}
    _no_copy_left(tmp_path)


def _gbk_export_with_a_title() -> bytes:
    """The officer's GBK export with a title line above it, a blank line and a row of no time at its end:
    that row is row 6 of the log, on line 9 of the text."""
    rows = EXPORT.read_bytes().decode("gbk").rstrip("\n")
    bad = "GX2024-009,提交申请,不是时间,自治区公安厅,自治区人社厅,无条件共享,,,"
    text = f"广西壮族自治区政务数据共享台账\n{rows}\n\n{bad}\n"
    return text.encode("gbk")


def test_a_piped_gbk_export_in_every_output_format(tmp_path: Path) -> None:
    data = _gbk_export_with_a_title()
    drafted = _run(tmp_path, ["-"], data, verb="mapping")  # `mapping init -`: the verb is a group
    assert drafted.returncode == 2  # `mapping -` is no command: the group's usage error, not a traceback
    drafted = _run(tmp_path, ["init", "-"], data, verb="mapping")
    assert drafted.returncode == 0, drafted.stderr
    assert "drafted from <stdin>" in drafted.stdout
    mapping = tmp_path / "map.yaml"
    mapping.write_text(drafted.stdout, encoding="utf-8")
    base = ["-", "-j", "guangxi", "--mapping", str(mapping), "--as-of", "2024-12-31"]
    found = _run(tmp_path, [*base, "--format", "json"], data)
    assert _rejected(found) == [{"row": 6, "line": 9, "source": "<stdin>"}]
    assert [v["case_id"] for v in json.loads(found.stdout)["violations"]] == ["GX2024-001"]
    table = _run(tmp_path, [*base, "--lang", "en"], data)
    assert "rejected row 6 (line 9)" in table.stdout, table.stdout
    csv = _run(tmp_path, [*base, "--format", "csv"], data)
    assert csv.returncode == 1 and "6 行中有 1 行被拒收" in csv.stderr
    html = _run(tmp_path, [*base, "-o", str(tmp_path / "report.html")], data)
    assert html.returncode == 1, html.stderr
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert '<td class="num">6</td><td class="num">9</td><td>&lt;stdin&gt;</td>' in page
    assert "govdata-stdin" not in page
    book = _run(tmp_path, [*base, "-o", str(tmp_path / "report.xlsx")], data)
    assert book.returncode == 1, book.stderr
    import openpyxl

    cells = [row for sheet in openpyxl.load_workbook(tmp_path / "report.xlsx", read_only=True).worksheets
             for row in sheet.iter_rows(values_only=True)]
    assert any(row[:3] == (6, 9, "<stdin>") for row in cells), cells
    explained = _run(tmp_path, ["GX2024-009", *base, "--lang", "en"], data, verb="explain")
    assert explained.returncode == 0, explained.stderr
    assert "row 6 (line 9) <stdin>: time: cannot read '不是时间'" in explained.stdout
    _no_copy_left(tmp_path)


@pytest.mark.parametrize(("data", "en", "zh"), [
    (bytes(range(256)) * 8, "<stdin>: not a log: neither text", "<stdin>：不是日志"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "<stdin>: an old Excel workbook (.xls)",
     "<stdin>：旧版 Excel 工作簿"),
    (b"\x1f\x8b\x08\x00" + bytes(100), "<stdin>: gzip-compressed", "<stdin>：gzip 压缩数据"),
    (b"PK\x03\x04" + bytes(100), "<stdin>: a zip archive that is no workbook", "<stdin>：不是工作簿"),
], ids=["garbage", "xls", "gzip", "zip"])
def test_what_is_no_log_is_one_line_in_either_language(tmp_path: Path, data: bytes, en: str, zh: str) -> None:
    for lang, said in (("en", f"error: {en}"), ("zh", f"错误：{zh}")):
        done = _run(tmp_path, ["-", "-j", "yongzhou", "--lang", lang], data)
        assert done.returncode == 2 and done.stderr.startswith(said) and done.stderr.count("\n") == 1, done.stderr
    _no_copy_left(tmp_path)


def test_standard_input_given_twice_is_refused(tmp_path: Path) -> None:
    done = _run(tmp_path, ["-", "-", "-j", "yongzhou", "--lang", "en"], LOG.encode())
    assert done.returncode == 2
    assert done.stderr == "error: -: standard input is given more than once; it can be read only once\n"


def test_empty_standard_input_is_an_empty_log(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    for lang in ("en", "zh"):
        piped = _run(tmp_path, ["-", "-j", "yongzhou", "--lang", lang], b"")
        named = _run(tmp_path, [str(empty), "-j", "yongzhou", "--lang", lang])
        assert piped.returncode == named.returncode == 2
        assert piped.stderr == named.stderr.replace(str(empty), "<stdin>")
    _no_copy_left(tmp_path)


def test_dask_refuses_standard_input_before_reading_it(tmp_path: Path) -> None:
    done = _run(tmp_path, ["-", "-j", "yongzhou", "--engine", "dask", "--lang", "en"], LOG.encode())
    assert done.returncode == 2 and "read by the pandas engine only" in done.stderr


def test_a_named_pipe_and_a_file_in_one_check(tmp_path: Path) -> None:
    fifo = tmp_path / "export.pipe"
    os.mkfifo(fifo)
    other = tmp_path / "other.csv"
    other.write_text("case_id,event,time\nC9,share.requested,no time either\n", encoding="utf-8")

    def feed() -> None:
        with open(fifo, "wb") as sink:  # blocks until the command opens the pipe
            sink.write(LOG.encode("gb18030"))

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    done = _run(tmp_path, [str(other), str(fifo), "-j", "yongzhou", "--format", "json", "--as-of", "2025-12-31"])
    writer.join(timeout=60)
    assert _rejected(done) == [{"row": 1, "line": 2, "source": str(other)},
                               {"row": 3, "line": 3, "source": str(fifo)}]
    _no_copy_left(tmp_path)


def test_compare_replays_a_piped_log_under_each_profile(tmp_path: Path) -> None:
    done = _run(tmp_path, ["yongzhou", "xinzhou", "--log", "-", "--as-of", "2025-12-31", "--format", "json"],
                LOG.encode(), verb="compare")
    assert done.returncode == 0, done.stderr
    assert "<stdin>" in done.stdout
    _no_copy_left(tmp_path)
