"""The detail of an ``invalid`` finding in Chinese, for ``message_zh``.

The engines (batch and monitor) write the detail once, in the English the JSON has always
carried (``missing: reason, legal_basis``); the Chinese message said it in English inside
Chinese text. Attribute names stay as the log's column names; event names become their gloss.
"""

from __future__ import annotations

import re

from .vocabulary import EVENTS

FORMAT_NAMES_ZH = {"cn_id_or_uscc": "身份证号码或统一社会信用代码"}

_MISSING = re.compile(r"^missing: (?P<names>.*)$", re.S)
_NOT_ALLOWED = re.compile(r"^(?P<event>[a-z_.]+) not allowed$")
_TOTAL = re.compile(r"^(?P<name>\S+) in all > (?P<limit>\d+): (?P<total>.*)$", re.S)
_OVER = re.compile(r"^(?P<name>\S+) > (?P<limit>\d+): (?P<value>.*)$", re.S)
_FORMAT = re.compile(r"^(?P<name>\S+) is not a valid (?P<fmt>\S+): (?P<value>.*)$", re.S)


def detail_zh(detail: str) -> str:
    """``missing: reason, legal_basis`` -> ``缺少：reason、legal_basis``; other details alike."""
    if found := _MISSING.match(detail):
        return "缺少：" + "、".join(name.strip() for name in found["names"].split(","))
    if found := _NOT_ALLOWED.match(detail):
        event = found["event"]
        return f"不应办理此环节：{EVENTS.get(event, event)}（{event}）"
    if found := _TOTAL.match(detail):
        return f"{found['name']}合计超过{found['limit']}：{found['total']}"
    if found := _OVER.match(detail):  # one act's value over a maximum (require: {maximum: …}, per act)
        return f"{found['name']}超过{found['limit']}：{found['value']}"
    if found := _FORMAT.match(detail):
        fmt = FORMAT_NAMES_ZH.get(found["fmt"], found["fmt"])
        return f"{found['name']}不是有效的{fmt}：{found['value']}"
    return detail


# notes of a result (``result.notes``: kind and English message, as the JSON carries them), said in
# Chinese where a report is read in Chinese; a message without a pattern here stays as written
_NOTES_ZH: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p, re.S), zh) for p, zh in (
    (r"^(?P<f>.+): sheet '(?P<s>.+)' was read; (?P<n>\d+) other sheet\(s\) also have the log's columns "
     r"\(case_id, event, time\) and were not read \((?P<others>.*)\): check them with --sheet, or all as one log "
     r"with --sheet '\*'$",
     "{f}：只读取了工作表“{s}”；另有{n}个工作表也有日志的列（case_id、event、time），未读取（{others}）："
     "请用 --sheet 分别检查，或用 --sheet '*' 作为一个日志一起检查"),
    (r"^(?P<f>.+): (?P<n>\d+) sheet\(s\) without the log's columns \(case_id, event, time\) were passed over "
     r"\((?P<others>.*)\)$", "{f}：{n}个工作表没有日志的列（case_id、event、time），未读取（{others}）"),
    (r"^no event was checked: the log has no accepted event at or before as_of (?P<d>\S+)$",
     "未检查任何事件：日志中没有检查截止日{d}及之前的有效事件"),
    (r"^(?P<n>\d+) event\(s\) after as_of (?P<d>\S+) were not considered(?:: (?P<rows>.+))?$",
     "{n}个事件晚于检查截止日{d}，未纳入检查{rows}"),
    (r"^(?P<n>\d+) exact duplicate row\(s\) counted once(?:: (?P<rows>.+))?$", "{n}行与他行完全重复，只计一次{rows}"),
    (r"^(?P<n>\d+) event\(s\) at 00:00:00, perhaps a date without its time of day, share the day of a later "
     r"event of their case with a time: .*$",
     "{n}个事件的时间为00:00:00（可能只有日期、没有具体时间），与同一案件当天另一个有具体时间的事件同日："
     "按时间先后视为在其之前（与申请同日、只写日期的答复不算对该申请的答复，也不知道申请所载的共享类型或层级）；"
     "请尽量提供具体时间"),
    (r"^(?P<t>.+) is a consultation draft \(征求意见稿\): findings under it show what the draft would require, "
     r"not binding obligations$", "{t}为征求意见稿：据此得出的结果表示草案的要求，并非有约束力的义务"),
    (r"^(?P<t>.+) is a trial measure \(试行\), valid (?P<a>\S+) \.\. (?P<b>\S+)$", "{t}为试行办法，有效期{a}至{b}"),
    (r"^(?P<n>\d+) finding\(s\) under (?P<t>.+) concern events outside its validity (?P<a>\S+) \.\. (?P<b>\S+) "
     r"\(C6\): not reported as violations$", "{n}项结果涉及{t}有效期（{a}至{b}）以外的事件（C6），未作为违规报告"),
    (r"^(?P<n>\d+) finding\(s\) under (?P<t>.+) concern events outside its validity (?P<a>\S+) \.\. (?P<b>\S+) "
     r"\(C6\): reported anyway \(validity not enforced\)$",
     "{n}项结果涉及{t}有效期（{a}至{b}）以外的事件（C6），仍予报告（未按有效期排除）"),
    (r"^the log has no column '(?P<c>.+)': (?P<n>\d+) rule\(s\) that test it matched no event \((?P<ids>.*)\)$",
     "日志中没有“{c}”列：检验该列的{n}条规则未匹配任何事件（{ids}）"),
    (r"^the log has no column '(?P<c>.+)': (?P<n>\d+) rule\(s\) that count from it judged none of their events "
     r"\((?P<ids>.*)\)$", "日志中没有“{c}”列：以该列日期计算期限的{n}条规则未能判断任何事件（{ids}）"),
    (r"^(?P<n>\d+) event\(s\) of (?P<r>\S+) have no '(?P<c>.+)', the date it counts from: not judged$",
     "{n}个事件的“{c}”为空（规则{r}据以计算期限的日期）：未作判断"),
    (r"^the log has no column '(?P<c>.+)': (?P<n>\d+) rule\(s\) counted each extension granted as 0 working days "
     r"\((?P<ids>.*)\)$", "日志中没有“{c}”列：{n}条规则将每次批准的延期按0个工作日计算（{ids}）"),
    (r"^(?P<n>\d+) extension\(s\) of (?P<r>\S+) have no '(?P<c>.+)': counted as 0 working days \(due dates may "
     r"be later than shown\)$", "规则{r}的{n}次延期“{c}”为空：按0个工作日计算（实际期限可能更晚）"),
    (r"^calendar (?P<y>\d{4}): national schedule not yet published; make-up working days unknown, "
     r"deadlines estimated$", "{y}年日历：国务院放假安排尚未公布，调休上班日未知，期限为估算"),
    (r"^calendar (?P<y>\d{4}): national schedule taken from an override with confidence (?P<c>\S+) "
     r"\(source: (?P<s>.*)\); deadlines may move$",
     "{y}年日历：全国放假安排取自覆盖文件，可信度{c}（来源：{s}），期限可能变动"),
    (r"^calendar (?P<y>\d{4}): (?P<region>.+) regional days off not settled: (?P<days>.*); deadlines may move$",
     "{y}年日历：{region}地方假日尚未确定：{days}；期限可能变动"),
    (r"^calendar (?P<y>\d{4}): no (?P<region>.+) regional holiday data for \d{4} \(the region has its own days off "
     r"since (?P<s>\S+), (?P<doc>.*)\); deadlines estimated without them$",
     "{y}年日历：缺少{region}地方假日数据（该地区自{s}起另有假日，{doc}），期限按无地方假日估算"),
    (r"^calendar (?P<y>\d{4}): no (?P<region>.+) regional holiday data for \d{4} beyond its days off every year "
     r"\(the region has its own days off since (?P<s>\S+), (?P<doc>.*)\); deadlines estimated without them$",
     "{y}年日历：除每年固定的假日外，缺少{region}地方假日数据（该地区自{s}起另有假日，{doc}），期限按无这些假日估算"),
))

NOTE_KINDS_ZH = {
    "no_events": "未检查事件", "after_as_of": "截止日后的事件", "duplicates": "重复行", "date_only": "仅有日期的时间",
    "draft": "征求意见稿", "trial": "试行", "validity": "有效期", "calendar": "工作日历",
    "absent_column": "缺少的列", "blank_date": "日期为空", "blank_extension": "延期天数为空", "report": "报告",
    "other_sheets": "未读取的工作表", "passed_over_sheets": "跳过的工作表",
}


def note_zh(message: str) -> str:
    """A note's message in Chinese (``2 event(s) after as_of …`` -> ``2个事件晚于检查截止日…``)."""
    from .calendar.files import LABELS_ZH

    for pattern, zh in _NOTES_ZH:
        if found := pattern.match(message):
            parts = {key: _CONFIDENCE.sub(_confidence_zh, value or "") for key, value in found.groupdict().items()}
            if parts.get("rows"):  # explain names a case's rows: "row 3 (line 4)" -> "第 3 行（文件第 4 行）"
                parts["rows"] = "：" + _rows_zh(parts["rows"])
            if "region" in parts:  # a regional calendar's label, as its file says it in Chinese
                parts["region"] = LABELS_ZH.get(parts["region"], parts["region"])
            if "days" in parts:  # the holidays not settled, one by one
                parts["days"] = parts["days"].replace("; ", "；")
            if "ids" in parts:  # rule ids (lower case, digits, . _ -: never ", ") listed as Chinese lists them
                parts["ids"] = parts["ids"].replace(", ", "、")
            if "others" in parts:  # the sheets not read, listed as Chinese lists them
                parts["others"] = _sheets_zh(parts["others"], int(parts["n"]))
            return zh.format(**parts)
    return message


def _sheets_zh(sheets: str, count: int) -> str:
    """``封面, 说明`` (the English note's list) -> ``封面、说明``. A sheet's own name may hold ", ": the
    list is split only where that gives as many names as the note counts, else it is left as written
    rather than show one sheet as two."""
    names = sheets.split(", ")
    return "、".join(names) if len(names) == count else sheets


_ROW = re.compile(r"row (?P<row>\d+)(?: \((?:(?P<kind>line|sheet row) (?P<line>\d+))?"
                  r"(?: of | ?in )?(?P<source>[^)]*)\))?")


def _rows_zh(rows: str) -> str:
    """``row 3 (line 4 of b.csv), row 9 and 2 more`` (``explain_notes._row_list``) in Chinese, as explain
    names its events there: ``第 3 行（b.csv文件第 4 行）、第 9 行及另外 2 行``."""
    def one(found: re.Match[str]) -> str:
        row, kind, source = found["row"], found["kind"], found["source"] or ""
        if kind is None:  # no lines (Parquet): the file alone, when there are several
            return f"第 {row} 行" + (f"（{source}）" if source else "")
        return f"第 {row} 行（{source}{'表格' if kind == 'sheet row' else '文件'}第 {found['line']} 行）"

    text = _ROW.sub(one, rows).replace(", 第", "、第")
    return re.sub(r" and (\d+) more$", r"及另外 \1 行", text)


_CONFIDENCE = re.compile(r"confidence (\S+) \(source: ([^)]*)\)")
# calendar.files.Confidence, said in Chinese (the sources stay as the calendar files write them)
CONFIDENCE_ZH = {"low": "低", "low-medium": "中低", "medium": "中", "medium-high": "中高", "high": "高"}


def _confidence_zh(found: re.Match[str]) -> str:
    return f"可信度{CONFIDENCE_ZH.get(found[1], found[1])}（来源：{found[2]}）"


def note_kind(kind: str, lang: str) -> str:
    """A note's kind as a report in ``lang`` heads it (``after_as_of`` -> ``截止日后的事件``)."""
    return NOTE_KINDS_ZH.get(kind, kind) if lang == "zh" else kind


def note_text(note: dict[str, str], lang: str) -> tuple[str, str]:
    """(kind label, message) of a note in the report's language."""
    kind, message = str(note.get("kind", "")), str(note.get("message", ""))
    return note_kind(kind, lang), (note_zh(message) if lang == "zh" else message)
