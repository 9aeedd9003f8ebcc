"""io.spool in one process: a terminal is refused before anything waits on it, the copy goes however
the block ends, the format is told by the content (tests/e2e/test_stdin_logs.py runs the command)."""

from __future__ import annotations

import codecs
import io
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from govdata_policy.cli.app import app
from govdata_policy.cli.progress import estimate_rows
from govdata_policy.io import InputError, read_raw, spool
from govdata_policy.io.read import SHOWN_NAMES
from govdata_policy.io.spool import content_suffix, is_stream, spooled

LOG = b"case_id,event,time\nC1,share.requested,2025-03-10 09:00\n"


class Terminal(io.BytesIO):
    """Standard input left at the keyboard: reading it would wait for the officer to type a log."""

    def isatty(self) -> bool:
        return True

    def read(self, *args: object) -> bytes:
        raise AssertionError("a terminal was read")


class Interrupted(io.BytesIO):
    def read(self, *args: object) -> bytes:
        raise KeyboardInterrupt


def _folders(tmp_path: Path) -> list[Path]:
    return list(tmp_path.glob("govdata-stdin-*"))


@pytest.fixture(autouse=True)
def _temporary_files_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))


def test_a_terminal_is_refused_at_once(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="standard input is a terminal") as caught, spooled(["-"], Terminal()):
        pass
    assert "标准输入是终端" in (caught.value.zh or "")
    assert not _folders(tmp_path)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_check_refuses_a_terminal_in_one_line(monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
    monkeypatch.setattr(spool, "_stdin_bytes", Terminal)
    outcome = CliRunner().invoke(app, ["check", "-", "-j", "yongzhou", "--lang", lang])
    assert outcome.exit_code == 2
    said = "错误：<stdin>：标准输入是终端" if lang == "zh" else "error: <stdin>: standard input is a terminal"
    assert outcome.stderr.startswith(said) and outcome.stderr.count("\n") == 1, outcome.stderr


def test_the_copy_goes_on_ctrl_c_and_on_an_error(tmp_path: Path) -> None:
    with pytest.raises(KeyboardInterrupt), spooled(["-"], Interrupted()):
        pass
    assert not _folders(tmp_path)
    with pytest.raises(RuntimeError), spooled(["-"], io.BytesIO(LOG)) as files:
        assert files[0].is_file() and SHOWN_NAMES[str(files[0])] == "<stdin>"
        raise RuntimeError
    assert not _folders(tmp_path) and not SHOWN_NAMES


def test_the_copy_is_read_under_its_name(tmp_path: Path) -> None:
    with spooled([Path("-")], io.BytesIO(LOG + b"C2,share.requested,x\n")) as files:
        assert files[0].suffix == ".csv"
        raw = read_raw(files)
        assert list(raw.source) == ["<stdin>", "<stdin>"]
        assert [item.source for item in raw.files] == ["<stdin>"]
    assert not _folders(tmp_path)


def test_files_and_frames_pass_through_untouched(tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    log.write_bytes(LOG)
    with spooled([log, str(log)]) as files:
        assert files == [log, str(log)]
    assert not _folders(tmp_path)


@pytest.mark.parametrize(("head", "suffix"), [
    (b"PAR1\x15\x04", ".parquet"),
    (b"\xef\xbb\xbf  \n{\"case_id\": 1}", ".jsonl"),
    (b"\r\n[{\"case_id\": 1}]", ".json"),
    ("案件编号,事件,时间\n".encode("gbk"), ".csv"),
    ("案件编号\t事件\t时间\n".encode("utf-16"), ".csv"),
    ('\r\n{"case_id": "甲"}\n'.encode("utf-16"), ".jsonl"),  # UTF-16 JSON Lines (PowerShell's Out-File)
    (codecs.BOM_UTF16_BE + '[{"case_id": "甲"}]'.encode("utf-16-be"), ".json"),
    (b"", ".csv"),  # empty: the CSV reader says it as it says an empty file
    ("案件编号,事件,时间\nA,\x80b,c\n".encode("gb18030")[:-1] + b"\xff\n", ".csv"),  # a stray byte is no garbage
])
def test_the_format_is_told_by_the_content(tmp_path: Path, head: bytes, suffix: str) -> None:
    assert content_suffix(head, tmp_path / "copy", "<stdin>") == suffix


def test_streams_are_told_from_files(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    log = tmp_path / "log.csv"
    log.write_bytes(LOG)
    assert is_stream("-") and is_stream(Path("-")) and is_stream(fifo) and is_stream("/dev/null")
    assert is_stream("/dev/stdin") and is_stream("/dev/fd/0")
    assert not is_stream(log) and not is_stream(tmp_path) and not is_stream(tmp_path / "none.csv")
    assert not is_stream(["-"])


def test_no_estimate_for_a_stream(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    assert estimate_rows(["-"]) is None and estimate_rows([fifo]) is None and estimate_rows("-") is None
