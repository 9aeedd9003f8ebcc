"""Every human-readable word of the reports and explanations, in Chinese and English."""

from __future__ import annotations

import re

LANGS = ("zh", "en")

KINDS: dict[str, dict[str, str]] = {
    "zh": {
        "late": "逾期完成",
        "overdue": "逾期未完成",
        "missing": "未见记录",
        "premature": "提前实施",
        "prohibited": "禁止行为",
        "invalid": "不符合要求",
    },
    "en": {
        "late": "late",
        "overdue": "overdue",
        "missing": "missing",
        "premature": "premature",
        "prohibited": "prohibited",
        "invalid": "invalid",
    },
}

STATUSES: dict[str, dict[str, str]] = {
    "zh": {
        "met": "按期完成",
        "late": "逾期完成",
        "pending": "未到期",
        "overdue": "逾期未完成",
        "missing": "未见记录",
    },
    "en": {"met": "met", "late": "late", "pending": "pending", "overdue": "overdue", "missing": "missing"},
}

ROLES: dict[str, dict[str, str]] = {
    "zh": {
        "requester": "使用部门",
        "provider": "提供部门",
        "platform": "共享平台",
        "authority": "主管部门",
        "department": "政务部门",
        "applicant": "申请人",
        "agent": "经办人",
        "actor": "行为人",
    },
    "en": {
        "requester": "requester",
        "provider": "provider",
        "platform": "platform",
        "authority": "authority",
        "department": "department",
        "applicant": "applicant",
        "agent": "agent",
        "actor": "actor",
    },
}

TOPICS: dict[str, dict[str, str]] = {
    "zh": {
        "sharing": "数据共享",
        "quality": "数据质量校核",
        "catalog": "目录管理",
        "catalog_offline": "目录下线",
        "resource_offline": "数据资源下线",
        "open_data": "数据开放",
        "public_objection": "公众异议",
        "security": "安全事件",
        "conduct": "行为规范",
        "retention": "日志留存",
        "rectification": "限期整改",
    },
    "en": {
        "sharing": "sharing",
        "quality": "quality objections",
        "catalog": "catalog",
        "catalog_offline": "catalog offline",
        "resource_offline": "resource offline",
        "open_data": "open data",
        "public_objection": "public objections",
        "security": "security incidents",
        "conduct": "conduct",
        "retention": "log retention",
        "rectification": "rectification",
    },
}

WORDS: dict[str, dict[str, str]] = {
    "zh": {
        "title": "政务数据合规检查报告",
        "jurisdiction": "适用地区",
        "as_of": "检查截止",
        "time_zone": "时间均为北京时间（UTC+08:00）",
        "generated": "生成时间",
        "rows": "读取行",
        "rows_read": "读取",
        "rows_accepted": "接受",
        "rows_rejected": "拒绝",
        "violations": "违规",
        "obligations": "义务",
        "cases": "案件",
        "cases_with_findings": "有违规的案件",
        "summary": "汇总",
        "by_clause": "按条款",
        "by_kind": "按类型",
        "by_party": "按责任部门",
        "by_penalty": "触发的罚则",
        "by_status": "义务状态",
        "clause": "条款",
        "rule": "规则",
        "rule_title": "规则内容",
        "kind": "类型",
        "count": "数量",
        "case": "案件",
        "role": "责任角色",
        "party": "责任方",
        "due": "期限",
        "occurred": "发生时间",
        "wd_late": "逾期工作日",
        "penalty": "罚则条款",
        "penalty_text": "罚则内容",
        "consequence": "处理",
        "message": "说明",
        "evidence": "证据行",
        "evidence_place": "证据位置",
        "place": "所在位置",
        "mitigation": "容错减轻",
        "document": "依据文件",
        "trigger": "触发时间",
        "fulfilled": "完成时间",
        "status": "状态",
        "topic": "业务",
        "row": "行号",
        "line": "文件中行号",
        "source": "来源",
        "reason": "原因",
        "notes": "说明事项",
        "note": "说明",
        "item": "项目",
        "section": "类别",
        "value": "数值",
        "total": "合计",
        "no_penalty": "无罚则条款",
        "party_unknown": "（未载明）",
        "charts": "按期完成率",
        "by_month": "按期限月份",
        "by_topic": "按业务",
        "on_time_rate": "按期率",
        "rate_rule": "按期率 = 按期完成 ÷（按期完成 + 逾期完成 + 逾期未完成）；"
        "未到期和无时限（未见记录）的义务不计入。",
        "no_obligations_due": "没有已到期的义务。",
        "table": "违规明细",
        "filter": "筛选",
        "all_kinds": "全部类型",
        "all_clauses": "全部条款",
        "shown": "显示",
        "of": "/",
        "more": "显示更多",
        "table_capped": "表中只列前 {shown} 条（共 {total} 条）；完整清单见 xlsx、json 或 csv 输出。",
        "timelines": "案件时间线",
        "acts": "违规行为",
        "events": "事件",
        "event": "事件",
        "time": "时间",
        "actor": "办理方",
        "timeline_all": "共 {total} 个案件，全部列出。",
        "timeline_capped": "日志共 {cases} 个案件，其中 {with_findings} 个有违规；此处列出违规最多的 {shown} 个。",
        "timeline_findings": "日志共 {cases} 个案件，此处列出全部 {shown} 个有违规的案件。",
        "timeline_owed": "日志共 {cases} 个案件，此处列出有义务或违规的 {shown} 个。",
        "no_events": "（结果未保留事件日志）",
        "rejected_rows": "拒绝行",
        "rejected_capped": "只列前 {shown} 行（共 {total} 行）。",
        "list_capped": "只列前 {shown} 项（共 {total} 项）。",
        "no_violations": "未发现违规。",
        "nothing_checked": "未检查任何事件（见说明）。",
        "as_of_marker": "检查截止",
        "penalty_article": "罚则",
        "escalation": "加重情形",
        "totals": "总计",
        "obligations_shown_all": "列出全部义务。",
        "obligations_shown_open": "只列出未按期完成的 {shown} 项义务（共 {total} 项）；加 --obligations 列出全部。",
        "xlsx_capped": "超出 Excel 行数上限，只写入前 {shown} 行（共 {total} 行）。",
    },
    "en": {
        "title": "Government data compliance report",
        "jurisdiction": "Jurisdiction",
        "as_of": "As of",
        "time_zone": "all times Beijing time (UTC+08:00)",
        "generated": "Generated",
        "rows": "Rows",
        "rows_read": "read",
        "rows_accepted": "accepted",
        "rows_rejected": "rejected",
        "violations": "Violations",
        "obligations": "Obligations",
        "cases": "Cases",
        "cases_with_findings": "Cases with findings",
        "summary": "Summary",
        "by_clause": "By clause",
        "by_kind": "By kind",
        "by_party": "By responsible department",
        "by_penalty": "Penalty items triggered",
        "by_status": "Obligations by status",
        "clause": "Clause",
        "rule": "Rule",
        "rule_title": "Rule",
        "kind": "Kind",
        "count": "Count",
        "case": "Case",
        "role": "Role",
        "party": "Responsible",
        "due": "Due",
        "occurred": "Occurred",
        "wd_late": "WD late",
        "penalty": "Penalty item",
        "penalty_text": "Penalty text",
        "consequence": "Consequence",
        "message": "Message",
        "evidence": "Evidence rows",
        "evidence_place": "Evidence location",
        "place": "Location",
        "mitigation": "Mitigation",
        "document": "Source document",
        "trigger": "Triggered",
        "fulfilled": "Fulfilled",
        "status": "Status",
        "topic": "Process",
        "row": "Row",
        "line": "Line in file",
        "source": "Source",
        "reason": "Reason",
        "notes": "Notes",
        "note": "Note",
        "item": "Item",
        "section": "Section",
        "value": "Value",
        "total": "Total",
        "no_penalty": "no penalty item",
        "party_unknown": "(not named)",
        "charts": "On-time rate",
        "by_month": "By month of the due date",
        "by_topic": "By process",
        "on_time_rate": "on time",
        "rate_rule": "On-time rate = met / (met + late + overdue); pending obligations and "
        "those without a period (missing) are not counted.",
        "no_obligations_due": "No obligation has fallen due.",
        "table": "Violations",
        "filter": "Filter",
        "all_kinds": "All kinds",
        "all_clauses": "All clauses",
        "shown": "Showing",
        "of": "of",
        "more": "Show more",
        "table_capped": "The table lists the first {shown} of {total} violations; "
        "xlsx, json or csv output has them all.",
        "timelines": "Case timelines",
        "acts": "Acts",
        "events": "Events",
        "event": "Event",
        "time": "Time",
        "actor": "Actor",
        "timeline_all": "All {total} cases are shown.",
        "timeline_capped": "The log has {cases} cases, {with_findings} with findings; "
        "the {shown} with the most findings are shown.",
        "timeline_findings": "The log has {cases} cases; all {shown} with findings are shown.",
        "timeline_owed": "The log has {cases} cases; the {shown} with obligations or findings are shown.",
        "no_events": "(the result kept no event log)",
        "rejected_rows": "Rejected rows",
        "rejected_capped": "The first {shown} of {total} rows are listed.",
        "list_capped": "The first {shown} of {total} are listed.",
        "no_violations": "No violations found.",
        "nothing_checked": "No event was checked (see the notes).",
        "as_of_marker": "as of",
        "penalty_article": "Penalty article",
        "escalation": "Escalation",
        "totals": "Totals",
        "obligations_shown_all": "All obligations are listed.",
        "obligations_shown_open": "Only the {shown} obligations not met on time are listed (of {total}); "
        "use --obligations for all.",
        "xlsx_capped": "Over Excel's row limit: the first {shown} of {total} rows are written.",
    },
}


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}: use zh or en")
    return lang


def word(lang: str, key: str, **values: object) -> str:
    text = WORDS[lang][key]
    return text.format(**values) if values else text


def kind_label(lang: str, kind: str) -> str:
    return KINDS[lang].get(kind, kind)


def status_label(lang: str, status: str) -> str:
    return STATUSES[lang].get(status, status)


def role_label(lang: str, role: str | None) -> str:
    return ROLES[lang].get(role or "", role or "")


def topic_label(lang: str, topic: str | None) -> str:
    return TOPICS[lang].get(topic or "", topic or "—")


_SHEETS = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")  # io.read.SPREADSHEET_SUFFIXES (not imported: no pandas here)
# a source naming a workbook's sheet, as all sheets read name their rows (io.all_sheets): 2024.xlsx[6月]
_SHEET_OF_WORKBOOK = re.compile(r"^(?P<book>.+)\[(?P<sheet>[^\[\]]+)\]$", re.S)


def sheet_of(source: object) -> str | None:
    """The sheet a source names (``2024.xlsx[6月]``: 6月), None for a file alone."""
    found = _SHEET_OF_WORKBOOK.match(str(source or ""))
    return found["sheet"] if found and found["book"].lower().endswith(_SHEETS) else None


def _line_words(lang: str, source: str, plural: bool) -> tuple[str, str]:
    """The words before and after a line number in its file: ("文件第 ", " 行"), ("sheet rows ", "")."""
    sheet = source.lower().endswith(_SHEETS) or sheet_of(source) is not None
    if lang == "zh":
        return f"{'表格' if sheet else '文件'}第 ", " 行"
    return f"{'sheet row' if sheet else 'line'}{'s' if plural else ''} ", ""


def _numbers(lang: str, line: object) -> str:
    """A line number, or several of one file ("7、9", "7, 9"); "" for none."""
    numbers = list(line) if isinstance(line, (list, tuple)) else ([] if line is None else [line])
    return ("、" if lang == "zh" else ", ").join(str(number) for number in numbers)


def line_label(lang: str, item: dict[str, object]) -> str:
    """Where a rejected row lies in its file, to follow its row number: " (line 7)", " (sheet row 7)",
    "（文件第 7 行）", "（表格第 7 行）"; "" when its file has no lines (Parquet, a frame)."""
    text = _numbers(lang, item.get("line"))
    if not text:
        return ""
    before, after = _line_words(lang, str(item.get("source") or ""), False)
    return f"（{before}{text}{after}）" if lang == "zh" else f" ({before}{text}{after})"


def place_words(lang: str, source: str | None, named: bool, plural: bool = False) -> tuple[str, str]:
    """The words ``place_label`` puts before and after the line numbers: ("b.csv文件第 ", " 行"), ("lines ",
    " of b.csv"); a report saying many places of one file makes them once."""
    before, after = _line_words(lang, str(source or ""), plural)
    if not source or not (named or sheet_of(source) is not None):
        return before, after
    return (f"{source}{before}", after) if lang == "zh" else (before, f"{after} of {source}")


def place_label(lang: str, line: object, source: str | None, named: bool) -> str:
    """Where a row lies, as explain names it beside the row number: "line 14", "文件第 14 行"; with its file
    when ``named`` (the log has several) or its sheet when all sheets were read ("line 3 of b.csv",
    "b.csv文件第 3 行", "sheet row 3 of 2024.xlsx[7月]"; a file without lines: "in b.parquet"). "" for
    neither a line nor a file to name. ``line`` may be a list, a finding's evidence in one file ("lines 3, 4
    of b.csv", "b.csv文件第 3、4 行")."""
    text = _numbers(lang, line)
    if text:
        before, after = place_words(lang, source, named, isinstance(line, (list, tuple)) and len(line) > 1)
        return f"{before}{text}{after}"
    if not source or not (named or sheet_of(source) is not None):
        return ""
    return source if lang == "zh" else f"in {source}"
