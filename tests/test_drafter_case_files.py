"""A drafter's case files: a date mistyped in one (or in a profile) is said as their mistake (exit 2, the
file and line, or the file and case), never an internal error (exit 3) that asks them to report a bug;
and a folder of cases holding the variant they name runs."""

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


def test_a_folder_of_cases_with_the_variant_they_name_beside_them_runs(tmp_path: Path) -> None:
    # yamltests reads `jurisdiction: my-variant.yaml` beside the case file, but `test FOLDER` loaded that
    # profile (and its add_rules file) as a case file too: "my-variant.yaml: jurisdiction: Field required",
    # exit 2, after the cases had run
    (tmp_path / "my-variant.yaml").write_text(
        "name: my-variant\nextends: yongzhou\nadd_rules: [extra.yaml]\n", encoding="utf-8")
    rules = (Path(__file__).resolve().parents[1] / "rules" / "yongzhou" / "open_data.yaml").read_text("utf-8")
    (tmp_path / "extra.yaml").write_text(rules.replace("id: yz-", "id: my-"), encoding="utf-8")
    cases = _cases(tmp_path, "2024-05-07")  # the reply not yet due: quiet
    cases.write_text(cases.read_text("utf-8").replace("yongzhou", "my-variant.yaml"), "utf-8")
    outcome = runner.invoke(app, ["test", str(tmp_path)])
    assert outcome.exit_code == 0, outcome.output
    assert "PASS cases.yaml: the request" in outcome.output and "1 passed, 0 failed" in outcome.output
    assert f"skipped {tmp_path / 'my-variant.yaml'}: a profile, not a case file" in outcome.output
    assert f"skipped {tmp_path / 'extra.yaml'}: a rule file, not a case file" in outcome.output
    # a case file with its cases under another key is still a mistake, not passed over
    (tmp_path / "typo.yaml").write_text("jurisdiction: yongzhou\nrules:\n  - name: x\n", encoding="utf-8")
    outcome = runner.invoke(app, ["test", str(tmp_path)])
    assert outcome.exit_code == 2 and "typo.yaml" in outcome.output


def _late_case(tmp_path: Path, due: str) -> Path:
    # 2024-05-06 (Mon) + 10 wd, Sat 05-11 a make-up working day -> due 2024-05-17; answered 05-20: 1 wd late
    path = tmp_path / "late.yaml"
    path.write_text(
        "jurisdiction: yongzhou\ncases:\n  - name: late\n    rule: yz-18.2-conditional-reply\n    as_of: 2024-06-30\n"
        f"    events:\n{EVENT}"
        '      - {case_id: A, event: share.provider_reviewed, time: "2024-05-20 10:00", outcome: approved}\n'
        f"    violations:\n      - {{kind: late, case_id: A, due: {due}}}\n", encoding="utf-8")
    return path


def test_an_expected_due_is_compared_as_a_moment_not_as_text(tmp_path: Path) -> None:
    # compared as text, the right due written as a log's times are written (Beijing time, a space) or a quoted
    # date failed: "differs: due 2024-05-17T23:59:59+08:00 (expected 2024-05-17 23:59:59)"
    for due in ('"2024-05-17 23:59:59"', "2024-05-17 23:59:59", '"2024-05-17"', "2024-05-17",
                "2024-05-17T23:59:59+08:00", '"2024-05-17T15:59:59Z"'):
        outcome = runner.invoke(app, ["test", str(_late_case(tmp_path, due))])
        assert outcome.exit_code == 0, (due, outcome.output)
    for due in ('"2024-05-16"', '"2024-05-17 23:59"'):  # another day, another instant: still a failure
        outcome = runner.invoke(app, ["test", str(_late_case(tmp_path, due))])
        assert outcome.exit_code == 1 and "differs: due 2024-05-17T23:59:59+08:00" in outcome.output, due


def test_an_expected_due_that_is_no_date_names_the_file_case_and_field(tmp_path: Path) -> None:
    outcome = runner.invoke(app, ["test", str(_late_case(tmp_path, '"next friday"'))])
    assert outcome.exit_code == 2, outcome.output
    assert "late.yaml: case 'late': violations[0].due: cannot read 'next friday' as a date or a time" in outcome.output


def test_a_misspelt_key_of_a_case_names_the_key_meant(tmp_path: Path) -> None:
    # "field as_of: Field required", of a case that has it, misspelt
    path = _cases(tmp_path, "2024-05-07")
    path.write_text(path.read_text("utf-8").replace("as_of:", "asof:"), "utf-8")
    outcome = runner.invoke(app, ["test", str(path)])
    assert outcome.exit_code == 2, outcome.output
    assert "case 'the request': field asof: not a field (did you mean 'as_of'? it is required)" in outcome.output


def test_a_case_files_jurisdiction_that_names_no_profile_names_the_file_and_field(tmp_path: Path) -> None:
    # a drafter's own profile named by its name (jurisdiction: shili, as the built-in cases name theirs) or
    # by a path not beside the case file was "error: unknown jurisdiction 'shili': …" with no case file named:
    # in a folder of many case files, which one?
    for named, said in (("shili", "unknown jurisdiction 'shili': use one of"),
                        ("../shili.yaml", "../shili.yaml: no such profile file")):
        cases = _cases(tmp_path, "2024-05-07")
        cases.write_text(cases.read_text("utf-8").replace("jurisdiction: yongzhou", f"jurisdiction: {named}"),
                         "utf-8")
        outcome = runner.invoke(app, ["test", str(cases)])
        assert outcome.exit_code == 2, outcome.output
        assert f"{cases}: field jurisdiction: {said}" in outcome.output
        outcome = runner.invoke(app, ["test", str(cases), "--lang", "zh"])
        assert f"{cases}：jurisdiction：" in outcome.output


def test_a_drafters_folder_with_the_profiles_calendar_files_runs(tmp_path: Path) -> None:
    # a drafter keeps the profile, its calendar files (paths relative to the profile), a mapping for their
    # logs and the cases in one folder; `test FOLDER` loaded the regional file (and the mapping) as a case
    # file: "calendars/x.yaml: jurisdiction: Field required", exit 2, before any case ran
    (tmp_path / "calendars").mkdir()
    (tmp_path / "calendars" / "mine.yaml").write_text(
        "kind: regional\nregion: mine\nlabel: Mine\nbasis: {title: 某办法, document: 第七条, year: 2023}\n"
        "since: 2024\nyears:\n  - {year: 2024, source: 第七条, confidence: high, off: [{name: 纪念日, "
        "dates: [2024-05-07]}]}\n", encoding="utf-8")
    (tmp_path / "calendars" / "extra.yaml").write_text(
        "kind: overrides\noff: [{name: 停电, dates: [2024-05-08]}]\n", encoding="utf-8")
    (tmp_path / "my-variant.yaml").write_text(
        "name: my-variant\nextends: yongzhou\ncalendar: {regional: calendars/mine.yaml, overrides: "
        "[calendars/extra.yaml]}\n", encoding="utf-8")
    (tmp_path / "map.yaml").write_text("columns: {申请编号: case_id}\n", encoding="utf-8")  # for the logs
    cases = _cases(tmp_path, "2024-05-07")
    cases.write_text(cases.read_text("utf-8").replace("yongzhou", "my-variant.yaml"), "utf-8")
    outcome = runner.invoke(app, ["test", str(tmp_path)])
    assert outcome.exit_code == 0, outcome.output
    assert f"skipped {tmp_path / 'map.yaml'}: a mapping file, not a case file" in outcome.output
    assert f"skipped {tmp_path / 'calendars' / 'mine.yaml'}: a calendar file, not a case file" in outcome.output
    assert f"skipped {tmp_path / 'calendars' / 'extra.yaml'}: a calendar file, not a case file" in outcome.output
    assert "1 passed, 0 failed" in outcome.output


def test_a_file_passed_over_is_named_by_its_path_as_given(tmp_path: Path, monkeypatch) -> None:
    # "skipped extra.yaml" twice, for the add_rules file beside the variant and a calendar file of the same
    # name in calendars/: which one? Named by the bare file name, they could not be told apart
    drafts = tmp_path / "drafts"
    (drafts / "calendars").mkdir(parents=True)
    (drafts / "calendars" / "extra.yaml").write_text("kind: overrides\noff: [{name: 停电, dates: [2024-05-08]}]\n",
                                                     encoding="utf-8")
    (drafts / "my-variant.yaml").write_text("name: my-variant\nextends: yongzhou\nadd_rules: [extra.yaml]\n",
                                            encoding="utf-8")
    rules = (Path(__file__).resolve().parents[1] / "rules" / "yongzhou" / "open_data.yaml").read_text("utf-8")
    (drafts / "extra.yaml").write_text(rules.replace("id: yz-", "id: my-"), encoding="utf-8")
    cases = _cases(drafts, "2024-05-07")
    cases.write_text(cases.read_text("utf-8").replace("yongzhou", "my-variant.yaml"), "utf-8")
    monkeypatch.chdir(tmp_path)
    outcome = runner.invoke(app, ["test", "drafts"])
    assert outcome.exit_code == 0, outcome.output
    lines = outcome.output.splitlines()
    assert f"skipped {Path('drafts', 'extra.yaml')}: a rule file, not a case file" in lines
    assert f"skipped {Path('drafts', 'calendars', 'extra.yaml')}: a calendar file, not a case file" in lines


def test_a_case_file_is_named_so_that_it_can_be_found(tmp_path: Path) -> None:
    # `test tests/cases` said "FAIL catalog.yaml: …" of a file four jurisdictions' folders each hold: the
    # file's name alone did not say which one failed
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        _cases(tmp_path / folder, "2024-05-07")
    outcome = runner.invoke(app, ["test", str(tmp_path)])
    assert outcome.exit_code == 0, outcome.output
    assert "PASS a/cases.yaml: the request" in outcome.output and "PASS b/cases.yaml: the request" in outcome.output
    # a folder or file given by itself: the name inside it, as before
    outcome = runner.invoke(app, ["test", str(tmp_path / "a")])
    assert "PASS cases.yaml: the request" in outcome.output
    # two folders given whose files read alike inside them: each by its path as given
    outcome = runner.invoke(app, ["test", str(tmp_path / "a"), str(tmp_path / "b")])
    assert f"PASS {tmp_path / 'a' / 'cases.yaml'}: the request" in outcome.output
    assert f"PASS {tmp_path / 'b' / 'cases.yaml'}: the request" in outcome.output
