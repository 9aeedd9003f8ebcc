"""The event vocabulary of CONTRACT.md: event names, attribute types, allowed values.

Input validation (``govdata_policy.io.validate``) and rule loading
(``govdata_policy.rules``) both check against this one table, so a rule can
never name an event or a value that no log can carry.
"""

from __future__ import annotations

from collections.abc import Iterable

EVENTS: dict[str, str] = {
    "share.requested": "共享申请提交",
    "share.compliance_reviewed": "符合性审查 / 规范性审查 / 初审完成",
    "share.provider_reviewed": "提供部门审核答复",
    "share.final_reviewed": "终审",
    "share.reply_forwarded": "答复推送给使用部门",
    "share.authorized": "授权 / 订阅开通",
    "share.usage_reported": "使用情况和评价反馈",
    "share.paper_demanded": "要求纸质申请",
    "share.filed": "备案 / 报备",
    "share.offline_mode_used": "线下方式共享",
    "share.suspended": "暂停或终止数据服务",
    "share.suspension_reported": "向主管部门说明 / 报告",
    "quality.error_found": "发现疑义或错误",
    "quality.objection_raised": "提出校核",
    "quality.extension_approved": "延长校核期限获批",
    "quality.objection_resolved": "校核完成并反馈",
    "catalog.change_triggered": "法律法规修订 / 职能变化",
    "catalog.updated": "目录更新",
    "catalog.filed": "目录备案 / 报备",
    "catalog.published": "目录发布",
    "catalog.offline_requested": "目录下线申请",
    "catalog.offline_replied": "受理结果答复",
    "catalog.offline_publicized": "下线公示开始",
    "catalog.offline_executed": "目录下线 / 删除",
    "resource.offline_requested": "数据资源下线申请",
    "resource.offline_replied": "受理结果答复",
    "resource.offline_publicized": "下线公示开始",
    "resource.users_notified": "通知使用部门",
    "resource.replacement_available": "新数据资源可共享",
    "resource.offline_executed": "数据资源下线",
    "open.requested": "开放申请",
    "open.reviewed": "开放审核",
    "open.released": "数据开放",
    "open.filed": "申请人确认并备案",
    "objection.received": "收到公众异议",
    "objection.marked": "异议标注",
    "objection.transferred": "转交政务部门",
    "objection.decided": "作出是否更正的决定",
    "objection.answered": "告知异议提出人",
    "security.incident": "安全事件",
    "security.reported": "报告主管部门 / 网信 / 公安",
    "security.remedied": "补救措施",
    "security.users_notified": "告知用户",
    "data.use_ended": "不再使用",
    "data.destroyed": "销毁",
    "conduct.out_of_scope_use": "超范围使用",
    "conduct.third_party_transfer": "提供给第三方",
    "conduct.commercial_use": "用于有偿服务 / 商业用途",
    "conduct.duplicate_collection": "重复采集",
    "conduct.independent_platform_built": "自建独立共享交换平台",
    "conduct.inaccurate_data": "提供不准确、不完整数据",
    "conduct.data_withheld": "瞒报、漏报、不共享非密数据",
    "conduct.resubmission_demanded": "要求重复提交",
    "conduct.leak": "泄露秘密或个人信息",
    "conduct.log_deleted": "删除使用日志",
    "conduct.rectification_ordered": "责令限期整改",
    "conduct.rectified": "整改完成",
}

REQUIRED_COLUMNS = ("case_id", "event", "time")

BOOL_ATTRIBUTES = frozenset(
    {"emergency", "cross_level", "dedicated", "mounted", "replaced", "classified", "good_faith", "same_city"}
)
INT_ATTRIBUTES = frozenset({"extra_working_days"})
TIME_ATTRIBUTES = frozenset({"planned_offline_at", "log_created_at", "rectify_by"})

LEVELS = ("national", "other_province", "region", "city", "county")
ROLES = ("requester", "provider", "platform", "authority", "department", "applicant", "agent")

# Allowed values of enumerated attributes. ``category`` depends on the process:
# a sharing request and an open-data request use different categories.
ENUM_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "actor_role": ROLES,
    "requester_level": LEVELS,
    "provider_level": LEVELS,
    "outcome": ("pass", "reject", "approved", "refused"),
    "share_category": ("unconditional", "conditional", "not_shared"),
    "open_category": ("unconditional", "on_request", "conditional", "not_open"),
    "scope": ("authority", "department"),
    "kind": ("data", "platform", "personal_info"),
}
CATEGORY_BY_PREFIX: dict[str, tuple[str, ...]] = {
    "share.": ("unconditional", "conditional", "not_shared"),
    "open.": ("on_request", "conditional", "not_open"),
}
# ``outcome`` by event (CONTRACT.md's vocabulary: a compliance review passes or rejects, a provider
# approves or refuses; the offline replies and the open-data review, which the rules test for approved /
# refused, likewise). A word of another event's was taken and matched no rule: a compliance review
# "approved" opened no provider duty, a provider's "reject" no refusal's required basis. Other events
# keep all four: the final review's outcome (CONTRACT.md names no words) no rule tests, and its row
# refused for a word would lose the event that fulfils Guangxi's final-review duty.
_ANSWERS = ("approved", "refused")
OUTCOME_BY_EVENT: dict[str, tuple[str, ...]] = {
    "share.compliance_reviewed": ("pass", "reject"),
    **dict.fromkeys(("share.provider_reviewed", "catalog.offline_replied", "resource.offline_replied",
                     "open.reviewed"), _ANSWERS),
}

# Optional columns named by CONTRACT.md; any other column passes through as text.
KNOWN_ATTRIBUTES: tuple[str, ...] = (
    "actor", "actor_role", "requester", "provider", "resource", "category",
    "requester_level", "provider_level", "outcome", "reason", "legal_basis",
    "conditions", "scenario", "purpose", "emergency", "cross_level", "dedicated",
    "mounted", "replaced", "classified", "share_category", "open_category", "scope",
    "kind", "subject_id", "planned_offline_at", "extra_working_days",
    "log_created_at", "rectify_by", "good_faith", "filing_for", "cause",
    "same_city",  # beyond CONTRACT.md: requester and provider in one city (Guangxi D31), docs/design.md
)

# Attributes whose every character counts (a format check verifies a check digit): given as a float, one of
# 2**53 or more has lost digits (a frame's 18-digit ID numbers with a blank among them) and is refused as
# an inexact case id is, not reported as an invalid identifier
IDENTIFIER_ATTRIBUTES: tuple[str, ...] = ("subject_id",)

# Columns a profile's ``parties`` may read beside the vocabulary's: a log's ``authority`` or
# ``platform`` column names a city's or county's own body (docs/rules-format.md, parties)
PARTY_COLUMNS: tuple[str, ...] = ("authority", "platform")


def closest(word: str, choices: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The choice closest to a misspelt word, or None."""
    import difflib

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=cutoff)
    return close[0] if close else None


def did_you_mean(word: str, choices: Iterable[str], cutoff: float = 0.6) -> str:
    """`` (did you mean 'category'?)`` for the choice closest to a misspelt word, or ``""``."""
    close = closest(word, choices, cutoff)
    return f" (did you mean {close!r}?)" if close else ""


def allowed_values(attribute: str, event: str | None = None) -> tuple[str, ...] | None:
    """Allowed values of an enumerated attribute (on a given event), or None if free text."""
    if attribute == "category":
        if event is None:
            return tuple(sorted({v for vals in CATEGORY_BY_PREFIX.values() for v in vals}))
        for prefix, values in CATEGORY_BY_PREFIX.items():
            if event.startswith(prefix):
                return values
        return None
    if attribute == "outcome" and event in OUTCOME_BY_EVENT:
        return OUTCOME_BY_EVENT[event]
    return ENUM_ATTRIBUTES.get(attribute)

# names the engine's own frame keeps (a row number, the time in ns, the local day, the file a row came
# from): an input column of that name is kept as "<name>_input"; a log's own `source` column was
# dropped, and taken for the file of its rejected rows
RESERVED = ("row", "time_ns", "day", "source")
