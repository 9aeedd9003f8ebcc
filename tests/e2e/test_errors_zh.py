"""Every error a check can stop on is said in Chinese under --lang zh (check's default) and in
English under --lang en: one line on stderr, exit code 2 (CONTRACT.md §3)."""

from __future__ import annotations

import pickle
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from govdata_policy.cli.app import app
from govdata_policy.io import InputError

runner = CliRunner()
GOOD = "case_id,event,time\nC1,share.requested,2025-03-10 09:00\n"


def _file(tmp_path: Path, name: str, text: str = GOOD) -> list[str]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return [str(path)]


def _workbook(tmp_path: Path) -> list[str]:
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "日志"
    book.active.append(["case_id", "event", "time"])
    book.save(tmp_path / "log.xlsx")
    return [str(tmp_path / "log.xlsx"), "--sheet", "台账"]


def _mapping(tmp_path: Path, text: str | None) -> list[str]:
    mapping = tmp_path / "map.yaml"
    if text is not None:
        mapping.write_text(text, encoding="utf-8")
    return [*_file(tmp_path, "log.csv"), "--mapping", str(mapping)]


# (what, the arguments after `check`, a piece of the Chinese line, a piece of the English line)
SCENARIOS: list[tuple[str, Callable[[Path], list[str]], str, str]] = [
    ("no such file", lambda t: [str(t / "无此文件.csv")], "无此文件.csv：找不到文件", "无此文件.csv: file not found"),
    ("no file matches", lambda t: [str(t / "*.csv")], "：没有与之匹配的文件", ": no files match"),
    ("a folder of no logs", lambda t: [str(t)], "：文件夹中没有日志文件（.csv、", ": directory holds no log files"),
    ("standard input given twice", lambda t: ["-", "-"], "-：标准输入被给出了不止一次",
     "-: standard input is given more than once"),
    ("standard input of no log", lambda t: ["-"], "<stdin>：空文件（没有表头行）",
     "<stdin>: empty file (no header row)"),
    ("an unknown suffix", lambda t: _file(t, "log.doc"), "log.doc：未知的文件类型'.doc'；应为.csv、",
     "log.doc: unknown file type '.doc'"),
    ("an empty file", lambda t: _file(t, "log.csv", ""), "log.csv：空文件（没有表头行）", "log.csv: empty file"),
    ("a missing column", lambda t: _file(t, "log.csv", "case_id,evnt,time\nC1,share.requested,2025-03-10\n"),
     "log.csv：缺少必需的列 event；文件中的列：case_id、evnt、time；event（是否应为'evnt'？）（可用映射文件为列改名：",
     "log.csv: missing required column event; columns found: case_id, evnt, time; event (did you mean 'evnt'?)"),
    ("a column given twice", lambda t: _file(
        t, "log.csv", "case_id,event,time,Time\nC1,share.requested,2025-03-10 09:00,2025-03-11 09:00\n"),
     "log.csv：time列出现了两次（'time'和'Time'），第 1 行中两者的值不同", "log.csv: column time is given twice"),
    ("a quote never closed", lambda t: _file(
        t, "log.csv", 'case_id,event,time,note\nC1,share.requested,2025-03-10 09:00,"a\n'
        + "".join(f"C{i},share.requested,2025-03-10 09:00,b\n" for i in range(2, 5))),
     "列中的引号没有闭合，其后的 3 行（其中 3 行像完整的行）都被读进了这一个值",
     "a quote in column note is never closed"),
    ("JSON that is no array", lambda t: _file(t, "log.json", '{"case_id": "C1"}'),
     "log.json：应为由对象组成的 JSON 数组（每个事件一个对象）", "log.json: expected a JSON array of objects"),
    ("a sheet of a CSV", lambda t: [*_file(t, "log.csv"), "--sheet", "日志"],
     "log.csv：指定了工作表'日志'，但只有工作簿（.xlsx、", "log.csv: sheet '日志' asked for"),
    ("no such sheet", _workbook, "log.xlsx：没有工作表'台账'；现有工作表：日志",
     "log.xlsx: no sheet '台账'; sheets are 日志"),
    ("no mapping file", lambda t: _mapping(t, None), "map.yaml：找不到映射文件", "map.yaml: mapping file not found"),
    ("a mapping of broken YAML", lambda t: _mapping(t, "columns: [a\n"), "map.yaml：不是有效的 YAML（第 2 行）：",
     "map.yaml: not valid YAML (line 2)"),
    ("a mapping of a list", lambda t: _mapping(t, "- a\n"), "map.yaml：映射文件应由 'columns:' 和 'values:' 两部分组成",
     "map.yaml: expected a mapping with 'columns:' and 'values:'"),
    ("a misspelt jurisdiction", lambda t: [*_file(t, "log.csv"), "-j", "yongzou"],
     "未知的辖区'yongzou'（是否应为'yongzhou'？）：请用guangxi、xinjiang、xinzhou、yongzhou之一",
     "unknown jurisdiction 'yongzou' (did you mean 'yongzhou'?)"),
    ("an as_of of no date", lambda t: [*_file(t, "log.csv"), "--as-of", "明天"], "as_of：无法将'明天'识别为日期或时间",
     "as_of: cannot read '明天' as a date or a time"),
    ("-o a folder", lambda t: [*_file(t, "log.csv"), "-o", str(t)], "：是文件夹；请给出文件名，例如",
     ": is a folder; give a file name"),
    ("a Dask scheduler address that is none", lambda t: [*_file(t, "log.csv"), "--engine", "dask", "--scheduler",
                                                         "localhost"],
     "无法使用 Dask 调度器 localhost：missing port number", "missing port number in address 'localhost'"),
]


@pytest.mark.parametrize(("what", "args", "zh", "en"), SCENARIOS, ids=[s[0] for s in SCENARIOS])
def test_an_error_is_said_in_the_language_asked(tmp_path: Path, what: str, args: Callable[[Path], list[str]],
                                                zh: str, en: str) -> None:
    given = args(tmp_path)
    base = ["check", *given] + ([] if "-j" in given else ["-j", "yongzhou"])
    chinese = runner.invoke(app, base)
    assert chinese.exit_code == 2, chinese.output
    assert chinese.stderr.startswith("错误：") and chinese.stderr.count("\n") == 1, chinese.stderr
    assert zh in chinese.stderr
    english = runner.invoke(app, [*base, "--lang", "en"])
    assert english.exit_code == 2
    assert english.stderr.startswith("error: ") and english.stderr.count("\n") == 1, english.stderr
    assert en in english.stderr


def test_explain_says_an_unknown_case_in_chinese(tmp_path: Path) -> None:
    log = _file(tmp_path, "log.csv")
    outcome = runner.invoke(app, ["explain", "NOPE", *log, "-j", "yongzhou", "--as-of", "2025-12-31"])
    assert outcome.exit_code == 2
    assert outcome.stderr.startswith("错误：按yongzhou检查的日志中没有案件'NOPE'")


def test_an_error_without_a_chinese_text_stays_english_under_zh(tmp_path: Path) -> None:
    # a rule file's mistake is the drafter's, said once in English (file, rule and field named)
    profile = tmp_path / "p.yaml"
    profile.write_text("name: broken\n", encoding="utf-8")
    outcome = runner.invoke(app, ["check", *_file(tmp_path, "log.csv"), "-j", str(profile)])
    assert outcome.exit_code == 2 and outcome.stderr.startswith("error: ")


def test_the_chinese_text_travels_with_the_error_between_processes() -> None:
    # check --workers and Dask send errors back pickled: the text must not be lost on the way
    error = pickle.loads(pickle.dumps(InputError("x.csv: file not found", zh="x.csv：找不到文件")))
    assert (str(error), error.zh) == ("x.csv: file not found", "x.csv：找不到文件")


@pytest.mark.parametrize(("argv", "said"), [
    # check's --lang defaults to zh: its officer read click's English alone
    (["check", "log.csv"], "错误：缺少选项 '-j' / '--jurisdiction'（见 govdata-policy check --help）"),
    (["check", "log.csv", "-j", "yongzhou", "--format", "pdf"],
     "错误：'--format' 的值 'pdf' 无效，可选：'table', 'json', 'csv', 'html', 'xlsx'（见 govdata-policy check "
     "--help）"),
    (["check", "log.csv", "-j", "yongzhou", "--foramt", "json"],
     "错误：没有选项 --foramt（可能是：--format）（见 govdata-policy check --help）"),
    (["check", "-j", "yongzhou"], "错误：缺少参数 'logs'（见 govdata-policy check --help）"),
    (["check", "log.csv", "-j", "yongzhou", "--as-of"], "错误：选项 '--as-of' 需要一个值"),
    (["check", "log.csv", "-j", "yongzhou", "--workers", "x"],
     "错误：'--workers' 的值无效：应为整数（见 govdata-policy check --help）"),
    (["explain", "C1", "log.csv", "--lang", "zh"],
     "错误：缺少选项 '-j' / '--jurisdiction'（见 govdata-policy explain --help）"),
    # the verbs whose --lang defaults to en, asked for zh: a mistyped verb of a group, an extra argument
    (["rules", "--lang", "zh", "shwo", "x"],
     "错误：没有命令 'shwo'（是否想用 'show'？）（见 govdata-policy rules --help）"),
    (["rules", "--lang", "zh", "frob"], "错误：没有命令 'frob'（见 govdata-policy rules --help）"),
    (["calendar", "--year", "2027", "extra", "--lang", "zh"],
     "错误：多余的参数：extra（见 govdata-policy calendar --help）"),
    # English where asked for, and for the verbs whose default is English
    (["check", "log.csv", "--lang", "en"], "error: Missing option '-j' / '--jurisdiction'."),
    (["calendar", "--year", "2027", "extra"], "error: Got unexpected extra argument(s) (extra)"),
])
def test_clicks_usage_errors_are_said_in_chinese_under_lang_zh(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], argv: list[str], said: str) -> None:
    from govdata_policy.cli import app as app_module

    monkeypatch.setattr("sys.argv", ["govdata-policy", *argv])
    with pytest.raises(SystemExit) as stop:
        app_module.main()
    err = capsys.readouterr().err
    assert stop.value.code == 2 and err.startswith(said) and err.count("\n") == 1, err
