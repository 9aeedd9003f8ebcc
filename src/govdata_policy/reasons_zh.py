"""A rejected row's reason in Chinese, for the reports a Chinese-reading officer opens.

Readers and validation (batch and monitor) write a reason once, in English, as the JSON's
``rejected_rows[].reason`` has always carried it (``time: cannot read '2024-13-01' as a time``);
the Chinese table, HTML and Excel said it in English under a Chinese heading. Here each of those
sentences is matched and said in Chinese; the field name and the value as the file wrote it
stay as they are, since that is what the officer looks for in the file. A reason without a
pattern here (a new sentence in the code that this catalogue has not caught up with) stays in
English rather than being guessed: ``tests/report/test_reasons_zh.py`` produces every reason
the code can write and fails on one left untranslated.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

# A reason is one or more problems of the row, "field: problem", joined by "; " in column order.
# A value the problem quotes may itself hold "; ", so a problem starts only where a field name does.
_PROBLEMS = re.compile(r"; (?=[a-z_]+: )")

_JSON_KINDS = {"an array": "数组", "a string": "字符串", "true or false": "true 或 false", "null": "null",
               "a number": "数字", "object": "对象", "list": "列表"}


_EPOCH_ZH = {"seconds": "秒", "milliseconds": "毫秒", "microseconds": "微秒", "nanoseconds": "纳秒"}


def _list(text: str) -> str:
    """``a, b, c`` -> ``a、b、c`` (allowed words, as the English listed them)."""
    return "、".join(text.split(", "))


def _span(text: str) -> str:
    """The calendar's span ``2004-01-01 .. 2035-12-31`` -> ``2004-01-01至2035-12-31``."""
    return text.replace(" .. ", "至")


def _formula(text: str | None) -> str:
    """The formula a reason names, in brackets; nothing when it names none (a cell sharing another's)."""
    return f"（{text}）" if text else ""


def _join_order(said: str | None) -> str:
    """The hint of a join's reason that its columns are named the other way round, when it is there."""
    return "（join 先写日期所在的列，再写时刻所在的列）" if said else ""


def _or(text: str) -> str:
    return text.replace("' or '", "'或'")


Rewrite = Callable[[dict[str, str]], str]

_CATALOGUE: tuple[tuple[re.Pattern[str], Rewrite], ...] = tuple((re.compile(p, re.S), zh) for p, zh in (
    # a date and a time of day joined by a mapping (io.joined_time): the column named is the export's own
    (r"^(?P<f>[a-z_]+): (?P<v>'[^']*') in (?P<h>.+) is an? (?P<m>Excel|LibreOffice) error value \(the cell's formula "
     r"failed\), not a value$",
     lambda g: f"{g['f']}：{g['h']}中的{g['v']}是 {g['m']} 错误值（单元格的公式出错），不是数据"),
    (r"^(?P<f>[a-z_]+): a formula with no saved value(?: \((?P<v>.+)\))? in (?P<h>[^:]+): the workbook was never "
     r"calculated \(open and save it in Excel or WPS\)$",
     lambda g: f"{g['f']}：{g['h']}中的公式{_formula(g['v'])}没有保存计算结果："
               "工作簿从未计算过（请用 Excel 或 WPS 打开并保存）"),
    (r"^(?P<f>[a-z_]+): no date in (?P<d>.+) for the time of day (?P<v>.+) in (?P<h>.+)$",
     lambda g: f"{g['f']}：{g['d']}中没有日期，{g['h']}中的时刻为{g['v']}"),
    (r"^(?P<f>[a-z_]+): cannot read (?P<v>.+) in (?P<h>.+) as a date$",
     lambda g: f"{g['f']}：无法将{g['h']}中的{g['v']}识别为日期"),
    (r"^(?P<f>[a-z_]+): cannot read (?P<v>.+) in (?P<h>.+) as a time of day$",
     lambda g: f"{g['f']}：无法将{g['h']}中的{g['v']}识别为时刻"),
    (r"^(?P<f>[a-z_]+): (?P<v>.+) in (?P<h>.+) is a time of day, not a date(?P<o> \(the join names the date's column "
     r"first, then the time's\))?$", lambda g: f"{g['f']}：{g['h']}中的{g['v']}是时刻，不是日期{_join_order(g['o'])}"),
    (r"^(?P<f>[a-z_]+): (?P<v>.+) in (?P<h>.+) holds a date, not a time of day alone(?P<o> \(the join names the "
     r"date's column first, then the time's\))?$",
     lambda g: f"{g['f']}：{g['h']}中的{g['v']}含有日期，不只是时刻{_join_order(g['o'])}"),
    (r"^(?P<f>[a-z_]+): (?P<v>.+) in (?P<d>.+) has a time of day other than (?P<t>.+) in (?P<h>.+)$",
     lambda g: f"{g['f']}：{g['d']}中的{g['v']}带有时刻，与{g['h']}中的{g['t']}不同"),
    (r"^(?P<f>[a-z_]+): missing$", lambda g: f"{g['f']}：缺失"),
    (r"^(?P<f>[a-z_]+): (?P<v>.+) is an? (?P<m>Excel|LibreOffice) error value \(the cell's formula failed\), "
     r"not a value$", lambda g: f"{g['f']}：{g['v']}是 {g['m']} 错误值（单元格的公式出错），不是数据"),
    (r"^(?P<f>[a-z_]+): a formula with no saved value(?: \((?P<v>.+)\))?: the workbook was never calculated "
     r"\(open and save it in Excel or WPS\)$",
     lambda g: f"{g['f']}：公式{_formula(g['v'])}没有保存计算结果：工作簿从未计算过（请用 Excel 或 WPS 打开并保存）"),
    (r"^case_id: (?P<v>.+) begins a repeat of the header row, not an event \(files joined one under another\?\)$",
     lambda g: f"case_id：{g['v']}开头的一行重复了表头行，不是事件（是否把几个文件首尾相接合在了一起？）"),
    (r"^case_id: (?P<v>.+) marks a totals row, not an event$", lambda g: f"case_id：{g['v']}表示合计行，不是事件"),
    (r"^(?P<f>[^:]+): (?P<v>'.+') marks a totals row, not an event$",
     lambda g: f"{g['f']}：{g['v']}表示合计行，不是事件"),
    (r"^case_id: (?P<v>.+) is a number too large for a float to keep every digit \(2\*\*53 and more\): it may have "
     r"been rounded, and two cases may share it \(export ids as text\)$",
     lambda g: f"case_id：{g['v']}是超出浮点数精确位数的数值（2**53 及以上）：可能已被舍入，"
               "不同案件可能因此同号（请将编号导出为文本）"),
    (r"^(?P<f>[a-z_]+): (?P<v>.+) is a number too large for a float to keep every digit \(2\*\*53 and more\): it may "
     r"have been rounded, and its check digit cannot be verified \(export ids as text\)$",
     lambda g: f"{g['f']}：{g['v']}是超出浮点数精确位数的数值（2**53 及以上）：可能已被舍入，"
               "无法核验其校验位（请将编号导出为文本）"),
    (r"^case_id: (?P<v>.+) is an infinite number, not an id \(a number too large to read, such as 1e400\)$",
     lambda g: f"case_id：{g['v']}是无穷大的数值，不是编号（数值过大无法读取，如 1e400）"),
    (r"^(?P<f>.+?): holds half of a UTF-16 surrogate pair \(a broken \\u escape\), which is no character$",
     lambda g: f"{g['f']}：含有半个 UTF-16 代理对（\\u 转义不完整），不是字符"),
    (r"^(?P<f>[^:]+): (?P<v>b'.*'…?) is bytes that read as neither UTF-8 nor GB18030 \(GBK\) text, not a value$",
     lambda g: f"{g['f']}：{g['v']}是既不能按 UTF-8 也不能按 GB18030（GBK）读成文本的字节，不是数据"),
    (r"^event: unknown event (?P<v>.+) \(it looks like (?P<g>'[^']*'): map it under values: event: in the mapping "
     r"file\)$", lambda g: f"event：未知事件{g['v']}（看来是{g['g']}：请在映射文件的 values: event: 下映射）"),
    (r"^event: unknown event (?P<v>.+) \(it could be (?P<g>.+): map it in the mapping file\)$",
     lambda g: f"event：未知事件{g['v']}（可能是{_or(g['g'])}：请在映射文件中映射）"),
    (r"^event: unknown event (?P<v>.+) \(it looks like (?P<g>'[^']*'): translate it to that word before pushing, as "
     r"the monitor maps no words\)$",
     lambda g: f"event：未知事件{g['v']}（看来是{g['g']}：请在推送前译为该词，监控不做映射）"),
    (r"^event: unknown event (?P<v>.+) \(it could be (?P<g>.+): translate it to the one meant before pushing, as the "
     r"monitor maps no words\)$",
     lambda g: f"event：未知事件{g['v']}（可能是{_or(g['g'])}：请在推送前译为所指的那个词，监控不做映射）"),
    (r"^event: unknown event (?P<v>.+) \(an export's own word: translate it to an event of the contract's "
     r"vocabulary \(docs/contract.md\) before pushing, as the monitor maps no words\)$",
     lambda g: f"event：未知事件{g['v']}（导出系统自己的用词：请在推送前译为数据契约词表（docs/contract.md）中的"
               "事件，监控不做映射）"),
    (r"^event: unknown event (?P<v>.+) \(did you mean (?P<g>'[^']*')\?\)$",
     lambda g: f"event：未知事件{g['v']}（是否应为{g['g']}？）"),
    (r"^event: unknown event (?P<v>.+) \(an export's own word: map it under values: event: in a mapping file "
     r"\(govdata-policy mapping init\)\)$",
     lambda g: f"event：未知事件{g['v']}（导出系统自己的用词：请在映射文件的 values: event: 下映射"
               "（govdata-policy mapping init 可起草映射文件））"),
    (r"^event: unknown event (?P<v>.+) \(an export's own word: add it under values: event: in the mapping file "
     r"(?P<m>.+)\)$",
     lambda g: f"event：未知事件{g['v']}（导出系统自己的用词：请在映射文件 {g['m']} 的 values: event: 下添加）"),
    (r"^event: unknown event (?P<v>.+) \(an export's own word: add it under values: event: in the mapping given\)$",
     lambda g: f"event：未知事件{g['v']}（导出系统自己的用词：请在所给映射的 values: event: 下添加）"),
    (r"^event: unknown event (?P<v>.+)$", lambda g: f"event：未知事件{g['v']}"),
    (r"^event: expected a mapping of fields, got (?P<t>\w+)$",
     lambda g: f"event：应为字段名到值的映射（dict），实际是 {g['t']}"),
    (r"^(?P<f>[a-z_]+): (?P<v>.+) is a time of day without a date$", lambda g: f"{g['f']}：{g['v']}只有时刻，没有日期"),
    (r"^(?P<f>[a-z_]+): (?P<v>.+) is a duration, not a date and time \(a cell formatted as a duration\?\)$",
     lambda g: f"{g['f']}：{g['v']}是时长，不是日期时间（单元格是否设成了时长格式？）"),
    (r"^(?P<f>[a-z_]+): cannot read (?P<v>.+) as a time: a number is read as an Excel serial date \(1970-2100\), "
     r"not as Unix epoch (?P<u>[a-z]+) \(convert them first: (?P<c>.+)\)$",
     lambda g: f"{g['f']}：无法将{g['v']}识别为时间：数字按 Excel 日期序号（1970-2100）读取，不按 Unix 时间戳"
               f"（{_EPOCH_ZH.get(g['u'], g['u'])}）读取（请先转换为时间：{g['c']}）"),
    (r"^(?P<f>[a-z_]+): cannot read (?P<v>.+) as a time$", lambda g: f"{g['f']}：无法将{g['v']}识别为时间"),
    (r"^category: (?P<v>.+) is not allowed on (?P<p>[a-z_]+)\.\* events \(allowed: (?P<a>.*)\)$",
     lambda g: f"category：{g['p']}.* 事件不允许{g['v']}（允许：{_list(g['a'])}）"),
    (r"^outcome: (?P<v>.+) is not allowed on (?P<e>[a-z_]+\.[a-z_]+) \(allowed: (?P<a>.*)\)$",
     lambda g: f"outcome：{g['e']} 事件不允许{g['v']}（允许：{_list(g['a'])}）"),
    (r"^(?P<f>[a-z_]+): (?P<v>.+) is not allowed \(allowed: (?P<a>.*)\)$",
     lambda g: f"{g['f']}：不允许{g['v']}（允许：{_list(g['a'])}）"),
    (r"^(?P<f>[a-z_]+): (?P<v>.+) is not a yes/no value \((?P<a>.*)\)$",
     lambda g: f"{g['f']}：{g['v']}不是是/否值（可写：{_list(g['a'])}）"),
    (r"^(?P<f>[a-z_]+): (?P<v>.+) is not a whole number, 0 or more$",
     lambda g: f"{g['f']}：{g['v']}不是大于或等于 0 的整数"),
    (r"^(?P<f>[a-z_]+): a JSON (?P<k>object|list), not one value$",
     lambda g: f"{g['f']}：是 JSON {_JSON_KINDS[g['k']]}，不是单个值"),
    (r"^(?P<f>.+?): a JSON (?P<k>object|list) nested more than (?P<n>\d+) deep$",
     lambda g: f"{g['f']}：JSON {_JSON_KINDS[g['k']]}嵌套超过 {g['n']} 层"),
    (r"^(?P<f>[a-z_]+): given twice, as (?P<a>'.*') and (?P<b>'.*'), with different values$",
     lambda g: f"{g['f']}：以{g['a']}和{g['b']}两个字段给出，值不同"),
    (r"^json: line (?P<n>\d+) is not JSON: (?P<m>.*) \(column (?P<c>\d+)\)$",
     lambda g: f"json：第 {g['n']} 行不是 JSON：{g['m']}（第 {g['c']} 列）"),
    (r"^json: line (?P<n>\d+) nests lists or objects more than (?P<d>\d+) deep$",
     lambda g: f"json：第 {g['n']} 行的列表或对象嵌套超过 {g['d']} 层"),
    (r"^json: line (?P<n>\d+) is (?P<k>.+), not an object \(one event per line\)$",
     lambda g: f"json：第 {g['n']} 行是{_JSON_KINDS.get(g['k'], g['k'])}，不是对象（每行应为一个事件）"),
    (r"^json: item (?P<n>\d+) is (?P<k>.+), not an object \(one event per item\)$",
     lambda g: f"json：第 {g['n']} 项是{_JSON_KINDS.get(g['k'], g['k'])}，不是对象（每项应为一个事件）"),
    (r"^csv: the row holds bytes that are not (?P<e>.+?) text, as the file is \((?P<v>b'.*'…?): a value cut inside "
     r"a character, or files in two encodings joined\?\)$",
     lambda g: f"csv：该行含有不能按文件的编码 {g['e']} 读成文本的字节（{g['v']}：是否有值在字符中间被截断，"
               "或把两种编码的文件合在了一起？）"),
    (r"^csv: the row has (?P<n>\d+) fields where the header has (?P<w>\d+) \(an unquoted (?P<d>.+)\?\)$",
     lambda g: f"csv：该行有 {g['n']} 个字段，表头只有 {g['w']} 个（是否有未加引号的{g['d']}？）"),
    (r"^time: (?P<d>\S+) is too near the end of the working-day calendar \((?P<s>[^)]*)\): events are checked up "
     r"to (?P<u>\S+), so that every period counted from one ends in it$",
     lambda g: f"time：{g['d']}离工作日历（{_span(g['s'])}）的末端太近：只检查 {g['u']} 及以前的事件，"
               "以使由事件起算的每个期限都在日历之内"),
    (r"^(?P<f>[a-z_]+): (?P<d>.+) is outside the working-day calendar \((?P<s>[^)]*)\)$",
     lambda g: f"{g['f']}：{g['d']}在工作日历（{_span(g['s'])}）之外"),
    (r"^(?P<f>[a-z_]+): no day in the working-day calendar \((?P<s>[^)]*)\) lies (?P<n>\d+) working days before "
     r"(?P<d>.+)$", lambda g: f"{g['f']}：工作日历（{_span(g['s'])}）中没有{g['d']}之前第 {g['n']} 个工作日"),
    (r"^time: (?P<t>\S+) is before the monitor's current time (?P<now>\S+): out of order \(a monitor only moves "
     r"forward; push each source in time order\)$",
     lambda g: f"time：{g['t']}早于监测器的当前时间 {g['now']}：顺序颠倒"
               "（监测器只向前推进；每个来源请按时间顺序推送）"),
    (r"^time: (?P<t>\S+) is more than (?P<n>\d+) days after the monitor's current time (?P<now>\S+): too far ahead "
     r"\(a mistyped year\?\); if it is right, advance the monitor to it first$",
     lambda g: f"time：{g['t']}比监测器的当前时间 {g['now']} 晚 {g['n']} 天以上：超前过多（年份是否写错？）；"
               "如时间无误，请先将监测器推进（advance）到该时间"),
))


@lru_cache(maxsize=4096)  # a log's rejected rows share a few reasons (one per distinct bad value)
def reason_zh(reason: str) -> str:
    """``time: cannot read '2024-13-01' as a time; category: missing`` ->
    ``time：无法将'2024-13-01'识别为时间；category：缺失``; a problem without a pattern stays in English."""
    return "；".join(_problem_zh(problem) for problem in _PROBLEMS.split(reason))


def _problem_zh(problem: str) -> str:
    for pattern, rewrite in _CATALOGUE:
        if found := pattern.match(problem):
            return rewrite(found.groupdict())
    return problem


def rejected_reason(item: dict[str, object], lang: str) -> str:
    """A rejected row's reason in the report's language."""
    reason = str(item.get("reason") or "")
    return reason_zh(reason) if lang == "zh" else reason
