"""Click's usage errors (a mistyped option or verb, a missing argument, a value not allowed) in Chinese, for the
verbs whose officers read Chinese: under ``--lang zh``, which ``check`` and ``explain`` default to, every
error they stop on is said in Chinese (``errors.Bilingual``); click's own were English alone.

Click words them in a few fixed shapes; each is rewritten here, the option names, values and choices kept
as written. A shape not known stays English, which is always right if not always read.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# the verbs whose --lang defaults to zh (check_cmd, explain_cmd)
ZH_BY_DEFAULT = ("check", "explain")

_SHAPES: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(pattern), words) for pattern, words in (
    (r"^Invalid value for (?P<p>.+?): (?P<v>'.*') is not one of (?P<c>.+?)\.?$", "{p} 的值 {v} 无效，可选：{c}"),
    (r"^Invalid value for (?P<p>.+?): (?P<m>.+)$", "{p} 的值无效：{m}"),
    (r"^No such option: (?P<o>\S+) \(Possible options: (?P<c>.+)\)$", "没有选项 {o}（可能是：{c}）"),
    (r"^No such option: (?P<o>\S+) Did you mean (?P<c>\S+)\?$", "没有选项 {o}（是否想用 {c}？）"),
    (r"^No such option: (?P<o>\S+)$", "没有选项 {o}"),
    (r"^Missing option (?P<o>.+?)\.?$", "缺少选项 {o}"),
    (r"^Missing argument (?P<a>.+?)\.?$", "缺少参数 {a}"),
    (r"^Option (?P<o>\S+) requires an argument\.?$", "选项 {o} 需要一个值"),
    (r"^Option (?P<o>\S+) does not take a value\.?$", "选项 {o} 不接受值"),
    # click says "argument(s)" whatever the count
    (r"^Got unexpected extra argument(?:s|\(s\))? \((?P<a>.+)\)$", "多余的参数：{a}"),
    # a group's (rules, mapping) or the top level's: a mistyped verb, typer's suggestion kept
    (r"^No such command (?P<c>'.+?')\. Did you mean (?P<m>.+)\?$", "没有命令 {c}（是否想用 {m}？）"),
    (r"^No such command (?P<c>'.+?')\.?$", "没有命令 {c}"),
    (r"^Missing command\.?$", "缺少命令"),
))


# what a value not read as a number is told (pydantic's words through typer, click's own)
_NOT_A_NUMBER = re.compile(r"^(Input should be a valid integer.*|'.*' is not a valid integer\.?)$")


def usage_zh(message: str) -> str | None:
    """Click's one-line message in Chinese, or None for a shape not known."""
    for pattern, words in _SHAPES:
        found = pattern.match(message)
        if found:
            fields = found.groupdict()
            if _NOT_A_NUMBER.match(fields.get("m") or ""):
                fields["m"] = "应为整数"
            return words.format(**fields)
    return None


def wants_zh(argv: Sequence[str]) -> bool:
    """Whether the command line asks for Chinese: ``--lang zh`` (or ``--lang=zh``), else the verb's default."""
    for i, word in enumerate(argv):
        if word == "--lang" and i + 1 < len(argv):
            return argv[i + 1] == "zh"
        if word.startswith("--lang="):
            return word.removeprefix("--lang=") == "zh"
    verb = next((word for word in argv if not word.startswith("-")), None)
    return verb in ZH_BY_DEFAULT
