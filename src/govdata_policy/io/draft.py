"""Drafting a mapping from an export: its headers and words placed on the contract's.

``govdata-policy mapping init LOG`` (docs/input.md): headers are matched
against the synonyms below, event words against the vocabulary's Chinese
glosses and the usual export words, enumerated values against ``WORDS``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from typing import Any

import numpy as np
import pyarrow.compute as pc

from ..vocabulary import BOOL_ATTRIBUTES, EVENTS, allowed_values
from .read import READ_ERROR
from .text import cells_at, text_array

# In a by-event value table of a mapping: every event not named.
ANY_EVENT = "*"

# Headers per contract column, best first. A header equal to one of these is
# placed; failing that, the longest of these (3+ characters) it contains.
HEADERS: dict[str, str] = {
    "case_id": "申请编号 案件编号 业务编号 流水号 申请单号 工单编号 工单号 办件编号 事项编号 案件号 "
               "编号 单号 case_id caseid case application_id request_id",
    "event": "办理环节 环节 事件 事件类型 环节名称 操作 操作类型 办理节点 流程节点 节点 步骤 动作 "
             "event event_type activity action step",
    "time": "发生时间 事件时间 操作时间 办理时间 处理时间 时间 日期 提交时间 申请时间 time timestamp datetime "
            "event_time occurred_at date",
    "provider": "提供部门 数据提供部门 资源提供部门 提供方 数据提供方 提供单位 数源部门 数源单位 provider",
    "requester": "需求部门 使用部门 申请部门 数据使用部门 数据需求部门 申请单位 使用方 需求方 申请方 "
                 "requester",
    "category": "共享类型 共享属性 共享类别 共享方式 类别 category",
    "outcome": "审核结果 结果 审查结果 审批结果 处理结果 办理结果 答复结果 outcome result",
    "reason": "理由 原因 不予共享理由 驳回理由 拒绝理由 说明 reason",
    "legal_basis": "依据 法律依据 法律法规依据 政策依据 legal_basis",
    "resource": "资源名称 数据资源 资源 数据资源名称 信息资源名称 目录名称 resource",
    "scenario": "应用场景 使用场景 场景 scenario",
    "purpose": "用途 使用用途 申请用途 数据用途 purpose",
    "actor": "操作人 经办部门 经办人 办理人 处理人 办理部门 操作部门 actor",
    "actor_role": "角色 操作角色 经办角色 actor_role role",
    "requester_level": "需求部门层级 使用部门层级 申请部门层级 需求方层级 层级 requester_level",
    "provider_level": "提供部门层级 提供方层级 数源部门层级 provider_level",
    "conditions": "共享条件 开放条件 条件 conditions",
    "emergency": "是否紧急 紧急 是否应急 emergency",
    "cross_level": "是否跨层级 跨层级 是否跨级 cross_level",
    "dedicated": "是否专用 专用 dedicated",
    "same_city": "是否同市 同市 同市部门 same_city",
    "mounted": "是否挂接 挂接 mounted",
    "replaced": "是否替代 有无替代资源 replaced",
    "classified": "是否涉密 涉密 classified",
    "share_category": "目录共享类型 share_category",
    "open_category": "开放类型 开放属性 open_category",
    "scope": "异议范围 范围 scope",
    "kind": "安全事件类型 事件类别 kind",
    "subject_id": "主体编号 对象编号 subject_id",
    "planned_offline_at": "计划下线时间 拟下线时间 planned_offline_at",
    "extra_working_days": "延长工作日 延长天数 延期工作日 extra_working_days",
    "log_created_at": "日志生成时间 日志创建时间 log_created_at",
    "rectify_by": "整改期限 整改截止时间 rectify_by",
    "good_faith": "是否善意 善意 good_faith",
    "filing_for": "备案事项 filing_for",
    "cause": "变更原因 触发原因 cause",
}
# Export words for events, beyond the glosses in vocabulary.EVENTS.
EVENT_WORDS: dict[str, str] = {
    "share.requested": "提交申请 申请提交 共享申请 发起申请 申请 提交 提交共享申请",
    "share.compliance_reviewed": "符合性审查 规范性审查 初审 初审完成 平台审核 平台初审 规范性审核 "
                                 "符合性审核",
    "share.provider_reviewed": "审核答复 提供部门审核 部门审核 提供部门答复 提供方审核 部门答复 答复 审核",
    "share.final_reviewed": "终审 终审完成 最终审核",
    "share.reply_forwarded": "答复推送 推送答复 结果推送 答复转发",
    "share.authorized": "授权 订阅 授权开通 订阅开通 开通",
    "share.usage_reported": "使用反馈 评价反馈 使用情况反馈",
    "share.filed": "备案 报备",
    "share.suspended": "暂停服务 终止服务 暂停共享 终止共享",
    "quality.error_found": "发现错误 发现疑义",
    "quality.objection_raised": "提出校核 发起校核 校核申请",
    "quality.extension_approved": "延长校核期限 延期获批",
    "quality.objection_resolved": "校核完成 校核反馈 校核完成反馈",
    "catalog.updated": "目录更新 更新目录",
    "catalog.filed": "目录备案",
    "catalog.published": "目录发布 发布目录",
}
# Words of enumerated columns: (columns, export words, our value), best first.
WORDS: tuple[tuple[str, str, Any], ...] = (
    ("category share_category open_category", "无条件共享 无条件 无条件开放", "unconditional"),
    ("category share_category open_category", "有条件共享 有条件 有条件开放", "conditional"),
    ("category share_category", "不予共享", "not_shared"),
    ("category open_category", "依申请开放", "on_request"),
    ("category open_category", "不予开放", "not_open"),
    ("outcome", "通过 审核通过 审查通过 合格", {"share.compliance_reviewed": "pass", ANY_EVENT: "approved"}),
    ("outcome", "驳回 不通过 审核不通过 退回 不合格",
     {"share.compliance_reviewed": "reject", ANY_EVENT: "refused"}),
    # 同意 / 不同意 are what a platform's 初审 says too, where only pass / reject are allowed: a
    # plain approved / refused rejected every compliance review row of such an export
    ("outcome", "同意 批准 予以共享 同意共享", {"share.compliance_reviewed": "pass", ANY_EVENT: "approved"}),
    ("outcome", "不同意 拒绝 不予批准 不同意共享", {"share.compliance_reviewed": "reject", ANY_EVENT: "refused"}),
    ("requester_level provider_level", "国家级 国家 中央 部委", "national"),
    ("requester_level provider_level", "外省 省外 其他省份 其他省", "other_province"),
    ("requester_level provider_level", "自治区 区级 省级 省 自治区级", "region"),
    ("requester_level provider_level", "市级 市 设区市 设区的市", "city"),
    ("requester_level provider_level", "县级 县 县区 县(市、区)", "county"),
    ("actor_role", "需求部门 使用部门 申请部门", "requester"),
    ("actor_role", "提供部门", "provider"),
    ("actor_role", "平台 共享平台 平台管理机构", "platform"),
    ("actor_role scope", "主管部门", "authority"),
    ("actor_role scope", "政务部门", "department"),
    ("actor_role", "申请人", "applicant"),
    ("actor_role", "代理人 代理机构", "agent"),
    ("kind", "数据 数据安全", "data"),
    ("kind", "平台 平台安全", "platform"),
    ("kind", "个人信息", "personal_info"),
)
BOOL_WORDS_TRUE = {"true", "1", "yes", "y", "t", "是"}
BOOL_WORDS_FALSE = {"false", "0", "no", "n", "f", "否"}
_BOOL_EXTRA = {"有": "true", "无": "false", "真": "true", "假": "false", "√": "true", "×": "false"}


def _norm(text: str) -> str:
    text = "".join(str(text).split()).lower().replace("-", "_")
    for left, right in (("(", ")"), ("（", "）"), ("[", "]"), ("【", "】")):
        if left in text and text.endswith(right):  # 申请时间(北京时间) -> 申请时间
            text = text[: text.index(left)]
    return text


def _place_headers(headers: list[str]) -> tuple[dict[str, str], list[str]]:
    scored = []
    for position, header in enumerate(headers):
        name = _norm(header)
        for target, words in HEADERS.items():
            synonyms = words.split()
            if name == target:
                scored.append(((3, 0, 0), position, header, target))
            elif name in synonyms:
                scored.append(((2, 0, -synonyms.index(name)), position, header, target))
            else:
                inside = [w for w in synonyms if len(w) >= 3 and w in name]
                if inside:
                    best = max(inside, key=len)
                    scored.append(((1, len(best), -synonyms.index(best)), position, header, target))
    # best pairs first; each header and each contract column is used once
    scored.sort(key=lambda s: (s[0], -s[1]), reverse=True)
    columns: dict[str, str] = {}
    used: set[str] = set()
    for _, _, header, target in scored:
        if header not in columns and target not in used:
            columns[header] = target
            used.add(target)
    ordered = {h: columns[h] for h in headers if h in columns}
    return ordered, [h for h in headers if h not in columns]


@cache
def _event_index() -> dict[str, set[str]]:
    index: dict[str, set[str]] = {}
    for event, gloss in EVENTS.items():
        words = [w for part in gloss.split("/") for w in [_norm(part)] if w]
        for word in words + EVENT_WORDS.get(event, "").split():
            index.setdefault(word, set()).add(event)
    return index


def guess_event(word: str) -> list[str]:
    """Event names an export word may mean: one if it is clear, several if ambiguous."""
    name = _norm(word)
    if name in EVENTS:
        return [name]
    index = _event_index()
    if name in index:
        return sorted(index[name])
    inside = [w for w in index if len(w) >= 3 and w in name]
    if not inside:
        return []
    longest = max(len(w) for w in inside)
    return sorted({e for w in inside if len(w) == longest for e in index[w]})


def _events_around(word: str) -> list[str]:
    """Events whose words contain a short export word (下线申请 in 目录下线申请 and 数据资源下线申请):
    the TODO's candidates, so the officer chooses among them rather than from the whole vocabulary."""
    name = _norm(word)
    if len(name) < 3:
        return []  # 异议, 申请: inside too many words to narrow anything
    index = _event_index()
    return sorted({e for w, events in index.items() if name in w for e in events})


def _guess_value(column: str, word: str) -> Any:
    name = _norm(word)
    for columns, words, value in WORDS:
        if column in columns.split() and name in words.split():
            return value
    return _BOOL_EXTRA.get(name)


def draft(raw_frame: Any) -> dict[str, Any]:
    """The full draft: columns, values, unplaced columns, unplaced words with row counts."""
    frame = getattr(raw_frame, "frame", raw_frame)
    columns, unplaced = _place_headers([str(c) for c in frame.columns if c != READ_ERROR])
    values: dict[str, dict[str, Any]] = {}
    todo: dict[str, dict[str, tuple[int, list[str]]]] = {}
    # a totals row ("合计" where the case id goes) counts the others: its "3件" is no outcome to map.
    # Many exports put 合计 in their first column, 序号, and leave the case id blank: that row too
    case_header = next((header for header, target in columns.items() if target == "case_id"), None)
    if case_header is not None:
        case = text_array(frame[case_header]).to_pylist()
        totals = np.array([is_totals_word(v) for v in case], dtype=bool)
        blank = np.flatnonzero(np.array([v is None for v in case], dtype=bool))
        totals[list(blank_id_totals(frame, blank, unplaced))] = True
        frame = frame[~totals] if totals.any() else frame
    for header, target in columns.items():
        enumerated = target == "event" or target in BOOL_ATTRIBUTES or allowed_values(target) is not None
        if not enumerated:
            continue
        counts = pc.value_counts(text_array(frame[header]).drop_null()).to_pylist()
        for item in sorted(counts, key=lambda c: -c["counts"]):
            word, count = item["values"], item["counts"]
            if target == "event":
                guesses = guess_event(word)
                if guesses == [word]:
                    continue
                value: Any = guesses[0] if len(guesses) == 1 else None
                guesses = guesses or _events_around(word)  # candidates for the TODO, never placed
            elif target in BOOL_ATTRIBUTES:
                if word.lower() in BOOL_WORDS_TRUE | BOOL_WORDS_FALSE:
                    continue
                value, guesses = _guess_value(target, word), []
            else:
                if word in (allowed_values(target) or ()):
                    continue
                value, guesses = _guess_value(target, word), []
            if value is None:
                todo.setdefault(target, {})[word] = (count, guesses)
            else:
                values.setdefault(target, {})[word] = value
    join, clock_alone = _draft_join(frame, columns, unplaced)
    return {"columns": columns, "values": values, "unplaced_columns": unplaced, "unplaced_values": todo,
            "join": join, "clock_alone": clock_alone}


def _draft_join(frame: Any, columns: dict[str, str], unplaced: list[str]) -> tuple[dict[str, list[str]], list[str]]:
    """A date and a time of day in two columns side by side (办理日期 2024-03-05, 办理时间 14:30), one of them
    placed on ``time``: the join of the two, the placed header taken off ``columns`` and the other off
    ``unplaced`` (both lists changed in place). A time column holding times of day alone with no date beside
    it: no join, and its header in the second list (a TODO: every row would be refused)."""
    from .joined_time import column_kind

    placed = next((header for header, target in columns.items() if target == "time"), None)
    if placed is None:
        return {}, []
    kind = column_kind(frame[placed])
    if kind is None:
        return {}, []
    headers = [str(c) for c in frame.columns if c != READ_ERROR]
    at = headers.index(placed)
    wanted = "date" if kind == "clock" else "clock"
    # only side by side: the export's own order, never a guess across the sheet
    beside = [h for h in (headers[at - 1] if at else None, headers[at + 1] if at + 1 < len(headers) else None)
              if h in unplaced and column_kind(frame[h]) == wanted]
    if len(beside) != 1:
        return {}, [placed] if kind == "clock" else []
    other = beside[0]
    del columns[placed]
    unplaced.remove(other)
    return {"time": [other, placed] if kind == "clock" else [placed, other]}, []


def merge_drafts(drafts: list[dict[str, Any]]) -> dict[str, Any]:
    """One draft for several exports (a month per file, headers reworded between them): every
    header placed in any file (two headers of one column coalesce: the mapping takes the first
    given), every word placed, the headers no file could place, unplaced words with their
    rows summed (a word placed in one file is placed for all)."""
    columns: dict[str, str] = {}
    values: dict[str, dict[str, Any]] = {}
    for found in drafts:
        for header, target in found["columns"].items():
            columns.setdefault(header, target)
        for column, words in found["values"].items():
            for word, value in words.items():
                values.setdefault(column, {}).setdefault(word, value)
    join: dict[str, list[str]] = {}
    for found in drafts:
        for target, headers in found.get("join", {}).items():
            join.setdefault(target, headers)
    joined = {header for headers in join.values() for header in headers}
    # a header joined in one month's file is joined in all: a mapping cannot join and rename it both
    columns = {header: target for header, target in columns.items() if header not in joined}
    unplaced = list(dict.fromkeys(h for found in drafts for h in found["unplaced_columns"]
                                  if h not in columns and h not in joined))
    clock_alone = list(dict.fromkeys(h for found in drafts for h in found.get("clock_alone", []) if h in columns))
    todo: dict[str, dict[str, tuple[int, list[str]]]] = {}
    for found in drafts:
        for column, words in found["unplaced_values"].items():
            for word, (count, guesses) in words.items():
                if word in values.get(column, {}):
                    continue
                before, _ = todo.setdefault(column, {}).get(word, (0, guesses))
                todo[column][word] = (before + count, guesses)
    for column in todo:  # most rows first, as in one file's draft
        todo[column] = dict(sorted(todo[column].items(), key=lambda item: -item[1][0]))
    return {"columns": columns, "values": values, "unplaced_columns": unplaced, "unplaced_values": todo,
            "join": join, "clock_alone": clock_alone}


def draft_mapping(raw_frame: Any) -> tuple[dict[str, Any], list[str]]:
    """A mapping proposed from an export's headers and words, and the headers it could not place."""
    found = draft(raw_frame)
    mapping = {"columns": found["columns"]}
    if found["join"]:
        mapping["join"] = found["join"]
    if found["values"]:
        mapping["values"] = found["values"]
    return mapping, found["unplaced_columns"]


_TOTALS = re.compile(r"[合总小共]\s*计[:：]?")


def is_totals_word(text: str | None) -> bool:
    """Whether a cell says a spreadsheet's totals row (合计, 总计, 小计, 共计; "合 计", "合计："): an
    export's last row counts the rows above it, and is no event."""
    return text is not None and _TOTALS.fullmatch(text.strip()) is not None


def blank_id_totals(frame: Any, blank: np.ndarray, headers: Iterable[str]) -> dict[int, str]:
    """The rows without a case id (``blank``: their places) that say a totals word in one of ``headers``
    (合计 under 序号, the case id left blank): place -> "header: 'word'", the first header saying it.
    Only those rows are looked at. ``mapping init`` leaves them out; validation says why it refuses them."""
    found: dict[int, str] = {}
    if not blank.size:
        return found
    places = blank.tolist()
    for header in headers:
        for row, value in zip(places, cells_at(frame[header], places), strict=True):
            if row not in found and isinstance(value, str) and is_totals_word(value):
                found[row] = f"{header}: {value.strip()!r}"
    return found
