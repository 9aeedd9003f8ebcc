"""``govdata-policy deadline`` and ``govdata-policy calendar`` through the real app."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from govdata_policy.cli.app import app

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


def test_deadline_working_days():
    result = run("deadline", "-j", "yongzhou", "--start", "2025-09-26T15:00", "--working-days", "1")
    assert result.exit_code == 0, result.output
    assert result.stdout == "2025-09-28T23:59:59+08:00\n"
    assert result.stderr == ""


def test_deadline_regional_and_calendar_days():
    result = run("deadline", "-j", "guangxi", "--start", "2023-04-20", "--working-days", "1")
    assert result.stdout == "2023-04-24T23:59:59+08:00\n"
    # 2023-04-13 + 10 = 04-23, a national make-up day but off in Guangxi (C3) -> 04-24
    result = run("deadline", "-j", "guangxi", "--start", "2023-04-13", "--calendar-days", "10")
    assert result.stdout == "2023-04-24T23:59:59+08:00\n"
    result = run("deadline", "-j", "xinzhou", "--start", "2023-04-13", "--calendar-days", "10")
    assert result.stdout == "2023-04-23T23:59:59+08:00\n"


def test_deadline_notes_go_to_stderr():
    result = run("deadline", "-j", "xinjiang", "--start", "2024-04-08", "--working-days", "3")
    assert result.exit_code == 0
    assert result.stdout == "2024-04-12T23:59:59+08:00\n"  # 04-10 肉孜节 skipped
    assert result.stderr.startswith("note: calendar 2024: Xinjiang")
    assert "low-medium" in result.stderr
    result = run("deadline", "-j", "yongzhou", "--start", "2026-12-25", "--working-days", "10")
    assert "note: calendar 2027: national schedule not yet published" in result.stderr


def test_deadline_with_overrides_option(tmp_path):
    extra = tmp_path / "o.yaml"
    extra.write_text("kind: overrides\noff: [{name: 停电, dates: [2025-09-28]}]\n", encoding="utf-8")
    args = "deadline -j yongzhou --start 2025-09-26 --working-days 1 --overrides".split()
    result = run(*args, str(extra))
    assert result.stdout == "2025-09-29T23:59:59+08:00\n"


def test_calendar_listing():
    result = run("calendar", "-j", "guangxi", "--year", "2023")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "2023-04-23 off 壮族三月三 (Guangxi)" in lines
    assert "2023-01-28 work 调休上班（与 2023-01-26 调换）" in lines
    assert lines == sorted(lines)
    assert result.stderr == ""  # 2023 is settled for Guangxi
    national = run("calendar", "-j", "yongzhou", "--year", "2023").stdout.splitlines()
    assert "2023-04-23 work 调休上班（与 2023-05-02 调换）" in national


def test_calendar_notes():
    result = run("calendar", "-j", "guangxi", "--year", "2025")
    assert "2025-03-31 off 壮族三月三 (Guangxi)" in result.stdout
    assert result.stderr.startswith("note: calendar 2025: Guangxi regional days off not settled")


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        ("deadline -j guangxi --start 2025-01-01", "exactly one of"),
        ("deadline -j guangxi --start 2025-01-01 --working-days 1 --calendar-days 1", "exactly one of"),
        ("deadline -j guangxi --start soon --working-days 1", "cannot read 'soon'"),
        ("deadline -j guangxi --start 2025-01-01 --working-days -1", "0 or more"),
        ("deadline -j atlantis --start 2025-01-01 --working-days 1", "unknown jurisdiction"),
        ("deadline --start 2025-01-01 --working-days 1", "-j/--jurisdiction"),
        ("deadline -j guangxi --working-days 1", "--start"),
        ("deadline -j guangxi --start 2035-12-30 --working-days 5", "falls after"),
        ("calendar -j guangxi --year 1999", "outside the working-day calendar"),
        ("calendar -j guangxi", "--year"),
        ("calendar -j guangxi --year 2023 --overrides missing.yaml", "file not found"),
    ],
)
def test_usage_errors_exit_2_with_one_line(args, reason):
    result = run(*args.split())
    assert result.exit_code == 2
    assert result.stdout == ""
    assert reason in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_deadline_refuses_a_start_that_could_be_two_days():
    # "10/01/2024" was read month first (1 October, 国庆: due 10-08) though it may be 10 January;
    # the check refuses it in a log, so the command does too
    result = run("deadline", "-j", "yongzhou", "--start", "10/01/2024", "--working-days", "1")
    assert result.exit_code == 2
    assert "cannot read '10/01/2024'" in result.stderr


def test_a_profile_file_without_a_yaml_suffix_is_read_as_check_reads_it(tmp_path):
    # check, rules and explain take any profile file (profile_layers.resolve_file); deadline and calendar took
    # only a name or a .yaml/.yml file: "unknown jurisdiction '…/xj-variant': give a name or a profile .yaml file"
    variant = tmp_path / "xj-variant"
    variant.write_text("name: xj-variant\nextends: xinjiang\n", encoding="utf-8")
    assert run("rules", "list", "-j", str(variant)).exit_code == 0
    result = run("deadline", "-j", str(variant), "--start", "2024-04-08", "--working-days", "3")
    assert result.exit_code == 0, result.output
    assert result.stdout == "2024-04-12T23:59:59+08:00\n"  # 04-10 肉孜节 skipped: the parent's regional file
    assert "2024-04-10 off 肉孜节 (Xinjiang)" in run("calendar", "-j", str(variant), "--year", "2024").stdout
