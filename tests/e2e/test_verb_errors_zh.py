"""The verbs besides check and explain (deadline, calendar, mapping init, test, compare, rules) say their
errors in Chinese under --lang zh as check does, in English by default and under --lang en: one line on
stderr, exit code 2, no traceback (CONTRACT.md §3)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from govdata_policy.cli.app import app

runner = CliRunner()
DEADLINE = ["deadline", "-j", "yongzhou"]
EXPORT = "申请编号,环节,办理时间\nA1,提交申请,2025-03-10 09:00\n"


def _export(tmp_path: Path, *more: str) -> list[str]:
    path = tmp_path / "export.csv"
    path.write_text(EXPORT, encoding="utf-8")
    return ["mapping", "init", str(path), *more]


def _log(tmp_path: Path) -> str:
    """A log of the contract's columns whose one row is refused (an event word not mapped)."""
    path = tmp_path / "log.csv"
    path.write_text("case_id,event,time\nC1,提交申请,2025-03-10 09:00\n", encoding="utf-8")
    return str(path)


def _existing(tmp_path: Path) -> list[str]:
    (tmp_path / "map.yaml").write_text("columns: {}\n", encoding="utf-8")
    return _export(tmp_path, "-o", str(tmp_path / "map.yaml"))


def _overrides(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "overrides.yaml"
    path.write_text(text, encoding="utf-8")
    return [*DEADLINE, "--start", "2025-01-01", "--working-days", "3", "--overrides", str(path)]


# (what, the command line, a piece of the Chinese line, a piece of the English line)
SCENARIOS: list[tuple[str, Callable[[Path], list[str]], str, str]] = [
    ("deadline: a start of no date", lambda t: [*DEADLINE, "--start", "明天", "--working-days", "3"],
     "--start：无法将'明天'识别为日期或时间", "--start: cannot read '明天' as a date or time"),
    ("deadline: no start", lambda t: [*DEADLINE, "--working-days", "3"], "缺少选项 --start", "missing option --start"),
    ("deadline: both counts", lambda t: [*DEADLINE, "--start", "2025-01-01", "--working-days", "3",
                                         "--calendar-days", "3"],
     "请给出 --working-days N 和 --calendar-days N 中的一个", "give exactly one of --working-days N and"),
    ("deadline: a count below 0", lambda t: [*DEADLINE, "--start", "2025-01-01", "--calendar-days", "-1"],
     "天数应为 0 或更多，给出的是 -1", "the number of days must be 0 or more, got -1"),
    ("deadline: a start before the calendar", lambda t: [*DEADLINE, "--start", "1999-05-01", "--working-days", "3"],
     "日期1999-05-01在工作日历（2004-01-01至2035-12-31）之外", "day 1999-05-01 is outside the working-day calendar"),
    ("deadline: a due day past the calendar", lambda t: [*DEADLINE, "--start", "2035-12-01", "--working-days", "40"],
     "2035-12-01加 40 个工作日落在工作日历（2004-01-01至2035-12-31）的末日2035-12-31之后",
     "2035-12-01 + 40 working days falls after 2035-12-31"),
    ("deadline: calendar days past the calendar", lambda t: [*DEADLINE, "--start", "2035-12-01",
                                                            "--calendar-days", "400"],
     "到期日2037-01-04在工作日历（2004-01-01至2035-12-31）之外", "due day 2037-01-04 is outside the working-day"),
    ("deadline: a count past any calendar", lambda t: [*DEADLINE, "--start", "2025-01-01",
                                                      "--calendar-days", str(10**30)],
     f"天数 {10**30} 过大，超出工作日历", f"n {10**30} is too large for the working-day calendar"),
    ("deadline: no jurisdiction", lambda t: ["deadline", "--start", "2025-01-01", "--working-days", "3"],
     "缺少选项 -j/--jurisdiction", "missing option -j/--jurisdiction"),
    ("deadline: a misspelt jurisdiction", lambda t: ["deadline", "-j", "yongzou", "--start", "2025-01-01",
                                                     "--working-days", "3"],
     "未知的辖区'yongzou'（是否应为'yongzhou'？）：请用guangxi、xinjiang、xinzhou、yongzhou之一，或档案文件的路径",
     "unknown jurisdiction 'yongzou' (did you mean 'yongzhou'?)"),
    ("deadline: a jurisdiction of no name", lambda t: ["deadline", "-j", "Yong Zhou", "--start", "2025-01-01",
                                                       "--working-days", "3"],
     "未知的辖区'Yong Zhou'：请给出辖区名或档案文件（.yaml）的路径", "unknown jurisdiction 'Yong Zhou': give a name"),
    ("deadline: no such profile file", lambda t: ["deadline", "-j", str(t / "无此档案.yaml"), "--start", "2025-01-01",
                                                  "--working-days", "3"],
     "无此档案.yaml：找不到档案文件", "profile file not found: "),
    ("deadline: no such overrides file", lambda t: [*DEADLINE, "--start", "2025-01-01", "--working-days", "3",
                                                    "--overrides", str(t / "无此文件.yaml")],
     "无此文件.yaml：找不到文件", "无此文件.yaml: file not found"),
    ("deadline: overrides of broken YAML", lambda t: _overrides(t, "kind: overrides\ndays: [\n"),
     "overrides.yaml：不是有效的 YAML（第 3 行）：", "overrides.yaml: not valid YAML: "),
    ("deadline: overrides of a list", lambda t: _overrides(t, "- 2025-01-01\n"),
     "overrides.yaml：文件顶层应为映射（键: 值）", "overrides.yaml: expected a mapping at the top of the file"),
    ("calendar: a year outside the calendar", lambda t: ["calendar", "-j", "yongzhou", "--year", "2040"],
     "2040年在工作日历（2004至2035年）之外", "year 2040 is outside the working-day calendar (2004..2035)"),
    ("calendar: no year", lambda t: ["calendar", "-j", "yongzhou"], "缺少选项 --year", "missing option --year"),
    ("calendar: an unknown region", lambda t: ["calendar", "-j", "hunan", "--year", "2025"],
     "未知的辖区'hunan'：请用guangxi、", "unknown jurisdiction 'hunan': use one of guangxi,"),
    ("mapping init: no such export", lambda t: ["mapping", "init", str(t / "无此文件.csv")],
     "无此文件.csv：找不到文件", "无此文件.csv: file not found"),
    ("mapping init: a folder of no exports", lambda t: ["mapping", "init", str(t)],
     "：文件夹中没有日志文件（.csv、", ": directory holds no log files"),
    ("mapping init: a sheet of a CSV", lambda t: _export(t, "--sheet", "台账"),
     "export.csv：指定了工作表'台账'，但只有工作簿", "export.csv: sheet '台账' asked for"),
    ("mapping init: an output that exists", _existing, "map.yaml 已存在；要覆盖它请加 --force",
     "map.yaml exists; use --force to overwrite it"),
    ("mapping init: an output that is a folder", lambda t: _export(t, "-o", str(t), "--force"),
     "：无法写入：Is a directory", ": cannot write: Is a directory"),
    ("rules show: an unknown rule", lambda t: ["rules", "show", "yz-99", "-j", "yongzhou"],
     "yongzhou中没有规则'yz-99'；见 `govdata-policy rules list -j yongzhou`", "no rule 'yz-99' in yongzhou"),
    ("rules show: no jurisdiction", lambda t: ["rules", "show", "yz-99"],
     "需要 -j/--jurisdiction：govdata-policy rules show RULE_ID -j 辖区", "-j/--jurisdiction is required"),
    ("rules list: a misspelt jurisdiction", lambda t: ["rules", "list", "-j", "yongzou"],
     "未知的辖区'yongzou'（是否应为'yongzhou'？）", "unknown jurisdiction 'yongzou'"),
    ("rules quotes: a missing profile file", lambda t: ["rules", "quotes", "-j", str(t / "无此档案.yaml")],
     "无此档案.yaml：找不到档案文件", "无此档案.yaml: no such profile file"),
    ("test: no such case file", lambda t: ["test", str(t / "无此案例.yaml")],
     "无此案例.yaml：找不到文件或文件夹", "无此案例.yaml: no such file or folder"),
    ("test: a folder of no cases", lambda t: ["test", str(t)], "中没有找到 YAML 案例（案例文件含有 `cases:`）",
     "no YAML cases found in "),
    ("test: a misspelt jurisdiction", lambda t: ["test", str(t), "-j", "xinzou"], "未知的辖区'xinzou'（是否应为",
     "unknown jurisdiction 'xinzou'"),
    ("compare: a misspelt jurisdiction", lambda t: ["compare", "yongzhou", "guangxii"],
     "未知的辖区'guangxii'（是否应为'guangxi'？）", "unknown jurisdiction 'guangxii'"),
    ("compare: --as-of without a log", lambda t: ["compare", "yongzhou", "guangxi", "--as-of", "2025-06-30"],
     "--as-of 用于比较日志上的检查结果：请加上 --log 文件", "--as-of is for the findings on a log: add --log FILE"),
    ("compare: a log without --as-of", lambda t: ["compare", "yongzhou", "guangxi", "--log", _log(t)],
     "--log 需要 --as-of（各档案按同一日期检查）", "--log needs --as-of"),
    ("compare: a log of nothing read", lambda t: ["compare", "yongzhou", "guangxi", "--log", _log(t),
                                                  "--as-of", "2025-06-30"],
     "日志的 1 行都无法读取（", "none of the 1 rows of the log could be read"),
    ("compare: an as_of of no date", lambda t: ["compare", "yongzhou", "guangxi", "--log", _log(t),
                                                "--as-of", "明天"],
     "as_of：无法将'明天'识别为日期或时间", "as_of: cannot read '明天' as a date or a time"),
]


@pytest.mark.parametrize(("what", "args", "zh", "en"), SCENARIOS, ids=[s[0] for s in SCENARIOS])
def test_an_error_is_said_in_the_language_asked(tmp_path: Path, what: str, args: Callable[[Path], list[str]],
                                                zh: str, en: str) -> None:
    given = args(tmp_path)
    chinese = runner.invoke(app, [*given, "--lang", "zh"])
    assert chinese.exit_code == 2, chinese.output
    assert chinese.stderr.startswith("错误：") and chinese.stderr.count("\n") == 1, chinese.stderr
    assert zh in chinese.stderr
    for english in (runner.invoke(app, given), runner.invoke(app, [*given, "--lang", "en"])):  # English by default
        assert english.exit_code == 2
        assert english.stderr.startswith("error: ") and english.stderr.count("\n") == 1, english.stderr
        assert en in english.stderr


def test_check_says_a_broken_overrides_file_in_chinese(tmp_path: Path) -> None:
    # check's --overrides builds the calendar as deadline's does; its default --lang zh reached it not
    log = tmp_path / "log.csv"
    log.write_text("case_id,event,time\nC1,share.requested,2025-03-10 09:00\n", encoding="utf-8")
    overrides = tmp_path / "overrides.yaml"
    overrides.write_text("kind: overrides\ndays: [\n", encoding="utf-8")
    outcome = runner.invoke(app, ["check", str(log), "-j", "yongzhou", "--overrides", str(overrides)])
    assert outcome.exit_code == 2
    assert outcome.stderr.startswith(f"错误：{overrides}：不是有效的 YAML（第 3 行）："), outcome.stderr


def test_rules_takes_the_language_before_its_command(tmp_path: Path) -> None:
    # `rules --lang zh show …`, as `rules -j J show …` takes the jurisdiction before it
    outcome = runner.invoke(app, ["rules", "--lang", "zh", "show", "yz-99", "-j", "yongzhou"])
    assert outcome.exit_code == 2
    assert outcome.stderr == "错误：yongzhou中没有规则'yz-99'；见 `govdata-policy rules list -j yongzhou`\n"


@pytest.mark.parametrize("fmt", ["table", "markdown", "json", "html"])
def test_compare_to_a_file_it_cannot_write_is_no_bug(tmp_path: Path, fmt: str) -> None:
    # -o LINK where LINK -> OTHER -> LINK (ELOOP): was a traceback and exit 3, "a bug in govdata-policy"
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    link = tmp_path / "a"
    for lang, said in (("zh", f"错误：-o {link}：无法写入："), ("en", f"error: -o {link}: cannot write: ")):
        outcome = runner.invoke(app, ["compare", "yongzhou", "guangxi", "--format", fmt, "-o", str(link),
                                      "--lang", lang])
        assert outcome.exit_code == 2, outcome.output
        assert outcome.stderr.startswith(said) and outcome.stderr.count("\n") == 1, outcome.stderr
