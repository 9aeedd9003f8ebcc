"""A date a drafter mistypes in a case file or a profile: said as their mistake (exit 2, the file and
line, or the file and case), never an internal error (exit 3) that asks them to report a bug."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from typer.testing import CliRunner

from govdata_policy.cli.app import app

runner = CliRunner()
EVENT = '      - {case_id: A, event: share.requested, time: "2024-05-06 09:00", category: conditional}\n'


def _cases(tmp_path: Path, as_of: str) -> Path:
    path = tmp_path / "cases.yaml"
    path.write_text(f"jurisdiction: yongzhou\ncases:\n  - name: the request\n    as_of: {as_of}\n"
                    f"    events:\n{EVENT}    violations: []\n", encoding="utf-8")
    return path


def test_an_unquoted_date_the_calendar_has_not_is_a_yaml_mistake_with_its_line(
    tmp_path: Path, variant_file: Callable[[str, str], Path],
) -> None:
    # YAML reads 2024-06-31 as a date and the calendar refuses it: that ValueError was a crash
    outcome = runner.invoke(app, ["test", str(_cases(tmp_path, "2024-06-31"))])
    assert outcome.exit_code == 2, outcome.output
    assert "cases.yaml: line 4 not valid YAML: '2024-06-31' is not a date of the calendar" in outcome.output
    profile = variant_file("yz-bad-date", "extends: yongzhou\ndocuments:\n  main:\n    valid_to: 2027-02-30\n")
    outcome = runner.invoke(app, ["rules", "list", "-j", str(profile)])
    assert outcome.exit_code == 2, outcome.output
    assert "line 5 not valid YAML: '2027-02-30' is not a date of the calendar" in outcome.output


def test_an_as_of_the_checker_cannot_read_names_the_file_and_case(tmp_path: Path) -> None:
    # read only when the case ran, it was "error: internal error, a bug in govdata-policy", exit 3
    for as_of, said in (('"30 June 2024"', "cannot read '30 June 2024' as a date"),
                        ("20240630", "cannot read 20240630 as a date"),  # not 1970-08-23, seconds since 1970
                        ("1066-01-01", "1066-01-01 is outside the working-day calendar")):
        outcome = runner.invoke(app, ["test", str(_cases(tmp_path, as_of))])
        assert outcome.exit_code == 2, outcome.output
        assert f"cases.yaml: case 'the request': field as_of: {said}" in outcome.output
