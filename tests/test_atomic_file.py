"""Output files are written whole or not at all (govdata_policy.atomic_file)."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from govdata_policy.atomic_file import write_whole
from govdata_policy.cli.check_cmd import Format, render, write_output


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".partial"))


def test_a_write_failing_half_way_leaves_the_previous_report_as_it_was(tmp_path: Path) -> None:
    report = tmp_path / "report.csv"
    report.write_text("the last run's report\n", encoding="utf-8")

    def fails(path: Path) -> None:
        path.write_text("half a rep", encoding="utf-8")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space left"):
        write_whole(report, fails)
    assert report.read_text(encoding="utf-8") == "the last run's report\n"
    assert _leftovers(tmp_path) == []


def test_a_complete_write_replaces_the_file_keeping_its_permissions(tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    report.write_text("old", encoding="utf-8")
    report.chmod(0o640)
    assert write_whole(report, lambda path: path.write_text("new", encoding="utf-8")) == 3
    assert report.read_text(encoding="utf-8") == "new"
    assert stat.S_IMODE(report.stat().st_mode) == 0o640
    fresh = tmp_path / "fresh.json"
    write_whole(fresh, lambda path: path.write_text("first", encoding="utf-8"))
    assert fresh.read_text(encoding="utf-8") == "first" and _leftovers(tmp_path) == []


def test_a_symbolic_link_keeps_pointing_at_the_replaced_file(tmp_path: Path) -> None:
    real = tmp_path / "reports" / "latest.csv"
    real.parent.mkdir()
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "latest.csv"
    link.symlink_to(real)
    write_whole(link, lambda path: path.write_text("new", encoding="utf-8"))
    assert link.is_symlink() and real.read_text(encoding="utf-8") == "new"


def test_a_device_is_written_in_place_never_replaced() -> None:
    # replacing /dev/null would put a regular file where the device was (as root, for every program)
    write_whole(Path(os.devnull), lambda path: path.write_text("discarded", encoding="utf-8"))
    assert stat.S_ISCHR(Path(os.devnull).stat().st_mode)


class _FailingResult:
    """A result whose JSON document fails after its first piece, as a bug or a full disk would."""

    def json_bytes(self, indent: int, obligations: bool) -> Iterator[bytes]:
        yield b'{"jurisdiction": "yongzhou", "violations": ['
        raise RuntimeError("failed half way")


def test_check_json_to_a_file_failing_half_way_leaves_no_document_cut_short(tmp_path: Path) -> None:
    report = tmp_path / "result.json"
    report.write_text('{"complete": true}\n', encoding="utf-8")
    failing: Any = _FailingResult()
    with pytest.raises(RuntimeError, match="half way"):
        render(failing, Format.json, report, obligations=False, lang="en")
    assert report.read_text(encoding="utf-8") == '{"complete": true}\n'
    assert _leftovers(tmp_path) == []
    write_output("a,b\n1,2\n", report, bom=True)
    assert report.read_bytes() == "\ufeffa,b\n1,2\n".encode()


def test_a_loop_of_links_fails_as_a_write_does_not_as_a_bug(tmp_path: Path) -> None:
    # -o LINK where LINK -> OTHER -> LINK: Path.resolve's RuntimeError made it an internal error (exit 3);
    # written in place it is the OSError (ELOOP) the CLI reports as a file it cannot write (exit 2)
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    with pytest.raises(OSError):
        write_whole(tmp_path / "a", lambda path: path.write_text("report", encoding="utf-8"))
    assert (tmp_path / "a").is_symlink() and _leftovers(tmp_path) == []


def test_a_file_we_may_not_write_is_not_replaced_from_its_folder(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    # a report made read-only (chmod 444) by its owner: written in place it was refused (Permission denied);
    # os.replace needs only the folder's permission, and replaced it. Written in place, it is refused again
    report = tmp_path / "kept.csv"
    report.write_text("the kept report\n", encoding="utf-8")
    report.chmod(0o444)
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda path, mode, **kw: False if Path(path) == report and mode == os.W_OK
                        else real_access(path, mode, **kw))  # as for any user but root
    written: list[Path] = []
    write_whole(report, written.append)
    assert written == [report] and _leftovers(tmp_path) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write a read-only file")
def test_a_read_only_report_is_refused_not_replaced(tmp_path: Path) -> None:
    report = tmp_path / "kept.csv"
    report.write_text("the kept report\n", encoding="utf-8")
    report.chmod(0o444)
    with pytest.raises(PermissionError):
        write_whole(report, lambda path: path.write_text("new", encoding="utf-8"))
    assert report.read_text(encoding="utf-8") == "the kept report\n"


def test_a_partial_file_left_by_a_killed_run_does_not_send_the_write_in_place(tmp_path: Path,
                                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    # a run killed mid-write leaves .report.csv.PID-….partial; a later process with the same id (after a
    # restart) still writes beside the target and replaces it, never in place
    report = tmp_path / "report.csv"
    report.write_text("old", encoding="utf-8")
    (tmp_path / f".report.csv.{os.getpid()}.partial").write_text("left over", encoding="utf-8")
    written: list[Path] = []

    def write(path: Path) -> None:
        written.append(path)
        path.write_text("new", encoding="utf-8")

    write_whole(report, write)
    assert written[0] != report and report.read_text(encoding="utf-8") == "new"
