"""The command line where a script or an officer relies on it: exit codes that never mistake a
failure for a verdict, ``-o`` settled before the work, rejected rows never out of sight."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from govdata_policy.cli import app as app_module
from govdata_policy.cli.app import app

runner = CliRunner()
GOOD = "case_id,event,time,category,provider\nC1,share.requested,2025-03-10 09:00,conditional,市公安局\n"


def _log(tmp_path: Path, text: str = GOOD, name: str = "log.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_log_of_nothing_but_rejected_rows_is_no_pass(tmp_path: Path) -> None:
    log = _log(tmp_path, "case_id,event,time\nC1,提交申请,2025-03-10 09:00\nC2,提交申请,2025-03-10 09:00\n")
    outcome = runner.invoke(app, ["check", str(log), "-j", "yongzhou", "--as-of", "2025-12-31", "--format", "json"])
    assert outcome.exit_code == 2  # not 0: nothing was checked
    assert json.loads(outcome.stdout)["rows"] == {"read": 2, "accepted": 0, "rejected": 2}
    # in Chinese by default (check's --lang zh), the first row's reason said in Chinese too
    assert outcome.stderr.startswith(f"错误：日志的 2 行都无法读取（{log}第 1 行（文件第 2 行）：")
    assert "event：未知事件'提交申请'" in outcome.stderr
    english = runner.invoke(app, ["check", str(log), "-j", "yongzhou", "--as-of", "2025-12-31", "--lang", "en"])
    assert english.exit_code == 2
    assert "error: none of the 2 rows of the log could be read (row 1 (line 2) of" in english.stderr


def test_an_empty_log_is_checked_and_passes(tmp_path: Path) -> None:
    log = _log(tmp_path, "case_id,event,time\n")
    outcome = runner.invoke(app, ["check", str(log), "-j", "yongzhou", "--as-of", "2025-12-31", "--format", "json"])
    assert outcome.exit_code == 0 and json.loads(outcome.stdout)["rows"]["read"] == 0
    # exit 0 says nothing was found, and the notes say why: there was nothing to look at
    assert json.loads(outcome.stdout)["notes"][0] == {"kind": "no_events", "message": (
        "no event was checked: the log has no accepted event at or before as_of 2025-12-31")}


@pytest.mark.parametrize(("log_text", "as_of"), [
    ("case_id,event,time\n", "2025-12-31"),  # a header-only export
    (GOOD, "2025-03-09"),  # every event after as_of
])
def test_a_check_of_no_event_does_not_read_as_a_clean_bill(tmp_path: Path, log_text: str, as_of: str) -> None:
    log = _log(tmp_path, log_text)
    outcome = runner.invoke(app, ["check", str(log), "-j", "yongzhou", "--as-of", as_of, "--lang", "zh"],
                            env={"COLUMNS": "200"})
    assert outcome.exit_code == 0
    assert "未检查任何事件。" in outcome.stdout and "未发现违规" not in outcome.stdout
    assert f"未检查任何事件：日志中没有检查截止日{as_of}及之前的有效事件" in outcome.stdout


def test_a_log_with_an_event_checked_has_no_no_events_note(tmp_path: Path) -> None:
    outcome = runner.invoke(app, ["check", str(_log(tmp_path)), "-j", "yongzhou", "--as-of", "2025-03-10",
                                  "--format", "json"])
    assert outcome.exit_code == 0  # 18.2's 5 wd have not run out on the day of the request
    assert [n["kind"] for n in json.loads(outcome.stdout)["notes"] if n["kind"] == "no_events"] == []


def test_output_into_a_new_folder_is_written(tmp_path: Path) -> None:
    target = tmp_path / "reports" / "2025" / "findings.json"
    outcome = runner.invoke(app, ["check", str(_log(tmp_path)), "-j", "yongzhou", "--as-of", "2025-12-31",
                                  "--format", "json", "-o", str(target)])
    assert outcome.exit_code == 1  # 18.2 overdue
    assert json.loads(target.read_text(encoding="utf-8"))["rows"]["read"] == 1


def test_output_to_a_folder_is_refused_before_the_check(tmp_path: Path) -> None:
    outcome = runner.invoke(app, ["check", str(tmp_path / "no-such-log.csv"), "-j", "yongzhou",
                                  "--format", "json", "-o", str(tmp_path)])
    # refused for -o first: the log (which does not exist) was never read
    assert outcome.exit_code == 2 and f"错误：-o {tmp_path}：是文件夹；请给出文件名，例如" in outcome.stderr


def test_csv_output_says_on_stderr_that_rows_were_rejected(tmp_path: Path) -> None:
    log = _log(tmp_path, GOOD + "C2,提交申请,2025-03-10 09:00,,\n")
    outcome = runner.invoke(app, ["check", str(log), "-j", "yongzhou", "--as-of", "2025-12-31", "--format", "csv"])
    assert outcome.exit_code == 1
    assert "说明：2 行中有 1 行被拒收" in outcome.stderr and "拒收" not in outcome.stdout
    english = runner.invoke(app, ["check", str(log), "-j", "yongzhou", "--as-of", "2025-12-31", "--format", "csv",
                                  "--lang", "en"])
    assert "1 of 2 rows were rejected" in english.stderr and "rejected" not in english.stdout


def test_a_date_as_of_cannot_read_is_a_usage_error(tmp_path: Path) -> None:
    outcome = runner.invoke(app, ["check", str(_log(tmp_path)), "-j", "yongzhou", "--as-of", "2025-13-01"])
    assert outcome.exit_code == 2
    assert outcome.stderr == "错误：as_of：无法将'2025-13-01'识别为日期或时间（请写成 YYYY-MM-DD）\n"
    english = runner.invoke(app, ["check", str(_log(tmp_path)), "-j", "yongzhou", "--as-of", "2025-13-01",
                                  "--lang", "en"])
    assert "as_of: cannot read '2025-13-01' as a date or a time (write YYYY-MM-DD)" in english.stderr
    slashes = runner.invoke(app, ["check", str(_log(tmp_path)), "-j", "yongzhou", "--as-of", "2025/12/31",
                                  "--format", "json"])
    assert json.loads(slashes.stdout)["as_of"] == "2025-12-31T23:59:59+08:00"


def test_a_bug_exits_3_not_1(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise TypeError("unhashable type: 'list'")

    monkeypatch.setattr(app_module, "app", broken)
    with pytest.raises(SystemExit) as stop:
        app_module.main()
    assert stop.value.code == 3  # 1 would read as "violations found"
    assert "internal error, a bug in govdata-policy and not in your input (TypeError" in capsys.readouterr().err


@pytest.mark.parametrize(("args", "reason"), [
    (["--workers", "0"], "--workers 0: give 1 or more processes"),
    (["--scheduler", "tcp://localhost:8786"], "--scheduler is a Dask scheduler: add --engine dask"),
    (["-j", ""], "no jurisdiction given: one of guangxi, xinjiang, xinzhou, yongzhou"),
])
def test_options_that_would_be_ignored_are_refused(tmp_path: Path, args: list[str], reason: str) -> None:
    outcome = runner.invoke(app, ["check", str(_log(tmp_path)), "-j", "yongzhou", "--lang", "en", *args])
    assert outcome.exit_code == 2 and reason in outcome.stderr


def test_a_folder_without_yaml_cases_is_no_pass(tmp_path: Path) -> None:
    outcome = runner.invoke(app, ["test", str(tmp_path)])
    assert outcome.exit_code == 2 and "no YAML cases found" in outcome.stderr


@pytest.mark.parametrize("name", ["guangxi", "yongzhou", "xinjiang", "xinzhou"])
def test_rules_list_keeps_every_id_whole_on_an_80_column_terminal(name: str) -> None:
    import re

    import govdata_policy as gp

    # a terminal 80 columns wide (FORCE_COLOR makes rich treat the runner's output as one)
    outcome = runner.invoke(app, ["rules", "list", "-j", name], env={"COLUMNS": "80", "FORCE_COLOR": "1"})
    assert outcome.exit_code == 0
    lines = re.sub(r"\x1b\[[0-9;]*m", "", outcome.stdout).splitlines()
    assert max(len(line) for line in lines) <= 80
    first_words = {line.split()[0] for line in lines if line.strip()}
    assert {rule.id for rule in gp.load_jurisdiction(name).rules} <= first_words
    # piped, it has every column
    piped = runner.invoke(app, ["rules", "-j", name], env={"COLUMNS": "80"})
    assert piped.exit_code == 0 and all(word in piped.stdout for word in ("kind", "obligor", "title"))


def test_rules_takes_the_jurisdiction_before_or_after_its_command() -> None:
    # the contract writes `rules [list|show RULE_ID] -j J`; `rules -j J list` is read the same
    before = runner.invoke(app, ["rules", "-j", "guangxi", "--lang", "zh", "list"], env={"COLUMNS": "300"})
    after = runner.invoke(app, ["rules", "list", "-j", "guangxi", "--lang", "zh"], env={"COLUMNS": "300"})
    assert before.exit_code == after.exit_code == 0 and before.stdout == after.stdout
    assert "38 rules" in before.stdout
    shown = runner.invoke(app, ["rules", "-j", "guangxi", "show", "gx-30.4-usage-report"])
    assert shown.exit_code == 0 and "id: gx-30.4-usage-report" in shown.stdout
    quotes = runner.invoke(app, ["rules", "-j", "yongzhou", "quotes"])
    assert quotes.exit_code == 0 and "quotations of yongzhou" in quotes.stdout
    for command in (["list"], ["show", "gx-30.4-usage-report"], ["quotes"]):
        missing = runner.invoke(app, ["rules", *command])
        assert missing.exit_code == 2 and "-j/--jurisdiction is required" in missing.output, command
    assert "rules show RULE_ID -j JURISDICTION" in runner.invoke(app, ["rules", "show", "x"]).output


def test_the_format_follows_the_output_files_suffix_and_a_mismatch_is_refused(tmp_path: Path) -> None:
    log = str(_log(tmp_path))
    base = ["check", log, "-j", "yongzhou", "--as-of", "2025-12-31"]
    workbook = tmp_path / "report.xlsx"
    assert runner.invoke(app, [*base, "-o", str(workbook)]).exit_code in (0, 1)
    assert workbook.read_bytes()[:2] == b"PK"  # a workbook (a zip), not the text table
    as_json = tmp_path / "found.JSON"
    assert runner.invoke(app, [*base, "-o", str(as_json)]).exit_code in (0, 1)
    assert json.loads(as_json.read_text(encoding="utf-8"))["jurisdiction"] == "yongzhou"
    text = tmp_path / "found.txt"  # no format's suffix: the table
    assert runner.invoke(app, [*base, "-o", str(text)]).exit_code in (0, 1)
    assert "yongzhou" in text.read_text(encoding="utf-8") and not text.read_text(encoding="utf-8").startswith("{")
    refused = runner.invoke(app, [*base, "--format", "html", "-o", str(tmp_path / "c.xlsx")])
    assert refused.exit_code == 2 and "请用 --format xlsx，或以 .html 结尾的文件名" in refused.output
    assert not (tmp_path / "c.xlsx").exists()
    kept = tmp_path / "out.log"  # an explicit format to a file named for none is written as asked
    assert runner.invoke(app, [*base, "--format", "json", "-o", str(kept)]).exit_code in (0, 1)
    assert json.loads(kept.read_text(encoding="utf-8"))["rows"]["read"] > 0


def test_csv_obligations_go_to_a_file_of_their_own(tmp_path: Path) -> None:
    import csv

    target = tmp_path / "findings.csv"
    outcome = runner.invoke(app, ["check", str(_log(tmp_path)), "-j", "yongzhou", "--as-of", "2025-12-31",
                                  "--format", "csv", "--obligations", "-o", str(target)])
    assert outcome.exit_code == 1
    violations = list(csv.DictReader(target.open(encoding="utf-8")))
    owed = list(csv.DictReader((tmp_path / "findings.obligations.csv").open(encoding="utf-8")))
    assert [v["kind"] for v in violations] == ["overdue"] and [o["status"] for o in owed] == ["overdue"]


def test_a_log_given_to_test_is_named_as_no_case_file(tmp_path: Path) -> None:
    outcome = runner.invoke(app, ["test", str(_log(tmp_path))])
    assert outcome.exit_code == 2 and "log.csv: not a YAML case file" in outcome.stderr


def test_check_counts_on_the_override_files_deadline_takes(tmp_path: Path) -> None:
    # Yongzhou 18.2, requested Mon 2025-03-10: 10 working days end Mon 03-24 (03-11..03-14, 03-17..03-21,
    # 03-24). An override making Wed 03-12 a day off moves the due day to Tue 03-25, the day of the answer.
    log = _log(tmp_path, GOOD + "C1,share.provider_reviewed,2025-03-25 10:00,,\n")
    extra = tmp_path / "closure.yaml"
    extra.write_text("kind: overrides\nlabel: 临时停工\nsource: a city notice\n"
                     "off:\n  - {name: 临时停工, dates: [2025-03-12]}\n", encoding="utf-8")
    plain = runner.invoke(app, ["check", str(log), "-j", "yongzhou", "--as-of", "2025-12-31", "--format", "json"])
    assert [(v["kind"], v["due"]) for v in json.loads(plain.stdout)["violations"]] == [
        ("late", "2025-03-24T23:59:59+08:00")]
    moved = runner.invoke(app, ["check", str(log), "-j", "yongzhou", "--as-of", "2025-12-31", "--format", "json",
                                "--overrides", str(extra)])
    assert moved.exit_code == 0 and json.loads(moved.stdout)["violations"] == []
    due = runner.invoke(app, ["deadline", "-j", "yongzhou", "--start", "2025-03-10", "--working-days", "10",
                              "--overrides", str(extra)])
    assert due.stdout.strip() == "2025-03-25T23:59:59+08:00"


@pytest.mark.parametrize(("argv", "reason"), [
    (["check", "log.csv", "--lang", "en"],
     "error: Missing option '-j' / '--jurisdiction'. (see govdata-policy check --help)"),
    (["check", "log.csv", "-j", "yongzhou", "--format", "pdf", "--lang=en"],
     "error: Invalid value for '--format': 'pdf' is"),
    (["calendar", "-j", "guangxi", "--year", "abc"], "error: Invalid value for '--year'"),
])
def test_usage_errors_are_one_line_and_exit_2(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                                              argv: list[str], reason: str) -> None:
    monkeypatch.setattr("sys.argv", ["govdata-policy", *argv])
    with pytest.raises(SystemExit) as stop:
        app_module.main()
    err = capsys.readouterr().err
    assert stop.value.code == 2 and err.startswith(reason) and err.count("\n") == 1


def test_test_verb_on_a_profile_with_a_broken_calendar_file_says_so(tmp_path: Path) -> None:
    """A calendar override with an impossible date: one line naming the file and field, exit 2
    (it was a traceback and exit 3, "a bug in govdata-policy")."""
    (tmp_path / "o.yaml").write_text("kind: overrides\noff: [{name: X, dates: [2025-13-01]}]\n", encoding="utf-8")
    profile = tmp_path / "v.yaml"
    profile.write_text("extends: xinzhou\ncalendar: {overrides: [o.yaml]}\n", encoding="utf-8")
    cases = Path(__file__).resolve().parents[1] / "cases" / "xinzhou"
    outcome = runner.invoke(app, ["test", str(cases), "-j", str(profile)])
    assert outcome.exit_code == 2, outcome.output
    assert "o.yaml: field off[0] (X).dates[0]" in outcome.stderr and "Traceback" not in outcome.output


def _check_table(tmp_path: Path, log: Path) -> str:
    """``check LOG -j yongzhou --obligations -o table.txt`` (in English): the file's text (violations: exit 1)."""
    out = tmp_path / "table.txt"
    outcome = runner.invoke(app, ["check", str(log), "-j", "yongzhou", "--as-of", "2024-12-31", "--lang", "en",
                                  "--obligations", "-o", str(out)])
    assert outcome.exit_code == 1, outcome.output
    return out.read_text(encoding="utf-8")


def test_the_table_shows_the_logs_text_as_written_not_as_rich_markup(tmp_path: Path) -> None:
    """A case id ``K[/]3`` stopped the table with a MarkupError (exit 3); ``[red]X[/red]`` and a party
    ``[bold]市局`` lost their brackets; a rejected row's quoted value ``'[red]now'`` showed as ``'now'``."""
    log = _log(tmp_path, "case_id,event,time,category,provider\n"
                         "[red]X[/red],share.requested,2024-06-03 09:00,conditional,[bold]市局\n"
                         "K[/]3,share.requested,2024-06-03 09:00,conditional,p\n"
                         "Y1,share.requested,[red]now,conditional,p\n")
    text = _check_table(tmp_path, log)
    assert "[red]X[/red]" in text and "[bold]市局" in text and "K[/]3" in text
    assert "rejected row 3 (line 4): time: cannot read '[red]now' as a time" in text


def test_the_tables_show_emoji_codes_and_a_last_backslash_as_written(tmp_path: Path) -> None:
    """rich reads ":smile:" as an emoji code (a case ``E:smile:1`` showed as ``E😄1``), and its ``escape``
    doubles a value's last backslash for good (``市局\\`` showed as ``市局\\\\``): in check's and compare's tables."""
    log = _log(tmp_path, "case_id,event,time,category,provider\n"
                         "E:smile:1,share.requested,2024-06-03 09:00,conditional,市局\\\n"
                         "K2\\,share.requested,2024-06-03 09:00,conditional,p\n"
                         "Y1,share.requested,now:ok:\\,conditional,p\n")
    text = _check_table(tmp_path, log)
    assert "E:smile:1" in text and "😄" not in text
    assert "市局\\ " in text and "K2\\ " in text and "市局\\\\" not in text and "K2\\\\" not in text
    assert "cannot read 'now:ok:\\\\' as a time" in text  # the reason quotes the cell as repr does: '\\\\'
    shown = runner.invoke(app, ["check", str(log), "-j", "yongzhou", "--as-of", "2024-12-31", "--lang", "en",
                                "--obligations"], env={"COLUMNS": "400"})
    assert "E:smile:1" in shown.output and "😄" not in shown.output and "市局\\ " in shown.output
    compared = tmp_path / "compare.txt"
    outcome = runner.invoke(app, ["compare", "yongzhou", "xinzhou", "--log", str(log), "--as-of", "2024-12-31",
                                  "-o", str(compared)])
    assert outcome.exit_code == 0, outcome.output
    text = compared.read_text(encoding="utf-8")
    assert "- E:smile:1 · " in text and "- K2\\ · " in text and "😄" not in text


def _coloured(renderable: object, **options: object) -> str:
    """What rich prints of ``renderable`` on a 256-colour terminal 200 columns wide."""
    import io

    from rich.console import Console

    sink = io.StringIO()
    Console(file=sink, force_terminal=True, color_system="256", width=200, emoji=False).print(renderable, **options)
    return sink.getvalue()


COLOURS = {"FORCE_COLOR": "1", "TERM": "xterm-256color", "COLORTERM": None, "NO_COLOR": None, "COLUMNS": "200"}


def test_a_colour_terminal_keeps_the_highlighters_colours_and_the_titles_style(tmp_path: Path) -> None:
    """Printed as rich Text (no markup, no emoji codes), the lines check and compare print on their own lost the
    colours rich's highlighter gave them as markup (numbers, dates, quoted values), and rules list's title,
    a Text, its italic (rich styles a title only when it is a str): a colour terminal shows them as before."""
    from rich.text import Text

    log = _log(tmp_path, GOOD + "C2,share.requested,bad 12,conditional,p\n")
    checked = runner.invoke(app, ["check", str(log), "-j", "yongzhou", "--as-of", "2025-12-31", "--lang", "en"],
                            env=COLOURS)
    assert checked.exit_code == 1, checked.output
    assert _coloured("[bold]yongzhou[/] as of 2025-12-31T23:59:59+08:00 — Rows: read 2, accepted 1, rejected 1") \
        in checked.output
    assert _coloured("[yellow]rejected row 2 (line 3)[/]: time: cannot read 'bad 12' as a time") in checked.output
    example = Path(__file__).parents[2] / "examples" / "guangxi.csv"
    noted = runner.invoke(app, ["check", str(example), "-j", "guangxi", "--as-of", "2026-06-30", "--lang", "en"],
                          env=COLOURS)
    notes = [line for line in noted.output.splitlines(keepends=True) if Text.from_ansi(line).plain.startswith("note")]
    assert notes
    for line in notes:
        assert line == _coloured(f"[dim]{Text.from_ansi(line).plain.rstrip()}[/]")
    compared = runner.invoke(app, ["compare", "yongzhou", "xinzhou", "--log", str(log), "--as-of", "2025-12-31"],
                             env=COLOURS)
    assert compared.exit_code == 0, compared.output
    assert _coloured("[bold]Cases whose verdict differs: 2[/]") in compared.output
    shown = compared.output.splitlines(keepends=True)
    cases = [line for line in shown if Text.from_ansi(line).plain.startswith(("- C1 ", "rows of the log", "rejected"))]
    assert len(cases) == 4
    for line in cases:
        assert line == _coloured(Text.from_ansi(line).plain.rstrip("\n"), markup=False)
    listed = runner.invoke(app, ["rules", "list", "-j", "yongzhou"], env=COLOURS)
    titled = _coloured(Text("x", style="table.title")).split("x")[0]  # a table's title style: italic
    assert titled and listed.output.startswith(titled) and "Yongzhou City" in listed.output.splitlines()[0]


def test_a_rejected_row_of_a_log_of_several_files_names_its_file(tmp_path: Path) -> None:
    # row numbers run on across the files and lines are each file's own: "row 3 (line 2)" alone
    # does not say which file, even when every rejected row comes from the same one
    april = _log(tmp_path, "case_id,event,time,category\nA1,share.requested,2024-04-01 09:00,conditional\n",
                 name="04.csv")
    may = _log(tmp_path, "case_id,event,time,category\nB1,share.requestd,2024-05-06 09:00,conditional\n",
               name="05.csv")
    base = ["-j", "yongzhou", "--as-of", "2024-12-31", "--lang", "en"]
    several = runner.invoke(app, ["check", str(april), str(may), *base], env={"COLUMNS": "400"})
    assert f"rejected row 2 (line 2) ({may}): event: unknown event 'share.requestd'" in several.output
    alone = runner.invoke(app, ["check", str(may), *base], env={"COLUMNS": "400"})
    assert "rejected row 1 (line 2): event: unknown event" in alone.output  # one file: no need to name it


@pytest.mark.parametrize("fmt", ["json", "csv", "table"])
def test_dash_as_output_is_standard_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str) -> None:
    # `-o -` wrote a file named "-" and printed nothing
    monkeypatch.chdir(tmp_path)
    outcome = runner.invoke(app, ["check", str(_log(tmp_path)), "-j", "yongzhou", "--as-of", "2025-12-31",
                                  "--lang", "en", "--format", fmt, "-o", "-"])
    assert outcome.exit_code == 1, outcome.output
    assert not (tmp_path / "-").exists()
    expected = {"json": '"kind": "overdue"', "csv": "rule_id,jurisdiction,clause,kind", "table": "overdue"}[fmt]
    assert expected in outcome.stdout


@pytest.mark.parametrize("fmt", ["html", "xlsx"])
@pytest.mark.parametrize(("lang", "reason"), [
    ("en", "error: -o -: --format {fmt} writes a file, not standard output: give -o PATH"),
    ("zh", "错误：-o -：--format {fmt} 会写出文件，不能写到标准输出：请用 -o 给出文件路径"),
])
def test_dash_as_output_of_a_report_file_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str,
                                                    lang: str, reason: str) -> None:
    monkeypatch.chdir(tmp_path)
    outcome = runner.invoke(app, ["check", str(_log(tmp_path)), "-j", "yongzhou", "--as-of", "2025-12-31",
                                  "--lang", lang, "--format", fmt, "-o", "-"])
    assert outcome.exit_code == 2 and outcome.stderr == reason.format(fmt=fmt) + "\n"
    assert not (tmp_path / "-").exists()


@pytest.mark.parametrize("verb", [["check"], ["explain"], ["mapping", "init"]])
def test_the_help_names_every_kind_of_log_the_readers_take(verb: list[str], tmp_path: Path) -> None:
    # the help named CSV, JSONL, Parquet and Excel only: a .json array or a quoted glob is read as well
    page = runner.invoke(app, [*verb, "--help"], env={"COLUMNS": "200"}).output
    assert "JSON Lines, JSON," in page and "glob" in page
    log = _log(tmp_path, json.dumps([{"case_id": "C1", "event": "share.requested", "time": "2025-03-10 09:00"}]),
               "log.json")
    assert runner.invoke(app, ["check", str(log), "-j", "yongzhou", "--as-of", "2025-03-31"]).exit_code == 0


@pytest.mark.parametrize("verb", [["check"], ["explain"], ["mapping", "init"], ["rules", "show"], ["test"],
                                  ["compare"]])
def test_the_help_says_what_each_option_takes(verb: list[str]) -> None:
    # typer 0.29 shows an option's type: "--obligations <bool>" read as if it took true or false, and
    # "-j <str>", "--as-of <str>" said nothing of what to give; "--format"'s "[default: from -o's suffix …]"
    # was taken by rich for markup and dropped
    page = runner.invoke(app, [*verb, "--help"], env={"COLUMNS": "200"}).output
    lines = [" ".join(line.split()) for line in page.splitlines()]
    options = [line for line in lines if line.startswith(("│ --", "│ * --"))]  # arguments keep their type
    assert not [line for line in options if "<bool>" in line and "--help" not in line]
    assert not [line for line in options if "<str>" in line]
    if verb not in (["mapping", "init"], ["compare"]):  # compare names its profiles as arguments
        assert any("--jurisdiction -j NAME|FILE" in line for line in options)
    if verb == ["check"]:
        assert any("--as-of DATE" in line for line in lines) and any("--output -o PATH" in line for line in lines)
        assert "[default: from -o's suffix" in page
        assert any(line.startswith("│ --obligations Include obligations.") for line in lines)


def test_rules_list_help_names_the_columns_it_prints() -> None:
    # the help named seven columns; the table has an eighth, the title, and four under 120 columns
    page = " ".join(runner.invoke(app, ["rules", "list", "--help"], env={"COLUMNS": "200"}).output.split())
    assert "penalty, title" in page and "under 120" in page
    table = runner.invoke(app, ["rules", "list", "-j", "yongzhou"]).output
    assert "title" in table.splitlines()[2]


@pytest.mark.parametrize("width", [80, 200])
def test_the_table_shows_the_logs_control_characters_not_obeys_them(tmp_path: Path, width: int,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """A case id or party holding ESC reached the terminal as it was: ``\\x1b[2J`` cleared the screen,
    ``\\x1b]8;;URL`` made a hyperlink (rich passes ESC through); the table shows ``\\x1b`` instead."""
    monkeypatch.setenv("COLUMNS", str(width))
    log = _log(tmp_path, "case_id,event,time,category,provider\n"
                         "\x1b[2JK1,share.requested,2024-06-03 09:00,conditional,\x1b]8;;http://x.example\x1b\\市局\n")
    for args in (["-o", str(tmp_path / "table.txt")], []):
        outcome = runner.invoke(app, ["check", str(log), "-j", "yongzhou", "--as-of", "2024-12-31", "--lang", "en",
                                      "--obligations", *args])
        assert outcome.exit_code == 1, outcome.output
        text = (tmp_path / "table.txt").read_text(encoding="utf-8") if args else outcome.stdout
        assert "\x1b" not in text
        assert "\\x1b[2J" in text and "\\x1b]8;;" in text


def test_the_table_shows_bidirectional_controls_not_obeys_them(tmp_path: Path) -> None:
    """A right-to-left override in a case id (U+202E: ``GX-\\u202e10-SQ`` shows as "GX-QS-01" on a terminal
    laying text out both ways) or an isolate in a party reached the terminal as it was; shown as \\u202e."""
    log = _log(tmp_path, "case_id,event,time,category,provider\n"
                         "GX-\u202e10-SQ,share.requested,2024-06-03 09:00,conditional,\u2067市局\u2069\n")
    text = _check_table(tmp_path, log)
    assert not any(mark in text for mark in "\u202e\u2067\u2069")
    assert "GX-\\u202e10-SQ" in text and "\\u2067市局\\u2069" in text
    explained = runner.invoke(app, ["explain", "GX-\u202e10-SQ", str(log), "-j", "yongzhou", "--as-of", "2024-12-31",
                                    "--lang", "en"])
    assert explained.exit_code == 0, explained.output
    assert "\u202e" not in explained.stdout and "GX-\\u202e10-SQ" in explained.stdout


def test_a_table_written_to_a_file_has_no_colour_codes_though_colours_are_forced(tmp_path: Path) -> None:
    """With FORCE_COLOR set (a CI job's, a user's shell), ``check -o table.txt`` wrote rich's colour codes into the
    file (compare's file was plain already)."""
    log = _log(tmp_path, "case_id,event,time,category\nC1,share.requested,2024-06-03 09:00,conditional\n"
                         "C2,share.requested,later,conditional\n")
    out = tmp_path / "table.txt"
    outcome = runner.invoke(app, ["check", str(log), "-j", "yongzhou", "--as-of", "2024-12-31", "--lang", "en",
                                  "--obligations", "-o", str(out)], env=COLOURS)
    assert outcome.exit_code == 1, outcome.output
    text = out.read_text(encoding="utf-8")
    assert "\x1b" not in text and "rejected row 2 (line 3)" in text and "C1" in text
